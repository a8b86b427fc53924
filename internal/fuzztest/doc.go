// Package fuzztest holds the fuzz targets that need the generated bindings,
// for every operation of every version package:
//
//   - FuzzResponsePacket: arbitrary responses decoded into each version's
//     ResponsePacket and, through the rpc runtime (Do and Stream), into the
//     result type of the operation they answer;
//   - FuzzValidate: arbitrary requests decoded into each version's
//     RequestPacket, every operation in them sent through the runtime's
//     validation with an invoker that writes the packet and decodes it back;
//   - FuzzRoundTrip: any well-formed element decoded into the packets, items
//     and result types, and written back to the same canonical XML.
//
// The seeds are the sample packets of ../shared/plesk-samples and
// ../shared/plesk-external, read in place when they are there, and
// hand-written hostile packets. The table of operations the targets call
// (optable_gen_test.go) is derived from generated/*/api_gen.go by
// TestOperationTable.
//
// The package has no API; everything is in its tests.
package fuzztest
