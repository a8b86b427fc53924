// Package fuzztest holds the fuzz targets that need the generated bindings:
// arbitrary responses decoded into each version's ResponsePacket and into
// the result types of typed calls, and arbitrary requests decoded into each
// version's RequestPacket and validated. They are seeded with the sample
// packets of ../shared/plesk-samples when it is there.
//
// The package has no API; everything is in its tests.
package fuzztest
