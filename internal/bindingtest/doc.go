// Package bindingtest holds the end-to-end tests of the generated bindings
// (generated/plesk1660 … generated/plesk1691): the sample packets of
// ../shared/plesk-samples round-trip losslessly through at least one version
// package, every operation of every version sends a request that xmllint
// accepts against our schema of that version, and Validate stops a broken
// request before the wire.
//
// The package has no API; everything is in its tests.
package bindingtest
