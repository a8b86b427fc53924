// Package opmark lets generated code (through rpcimpl) tell the runtime
// what its descriptors know about an operation, on the *rpc.Op it builds,
// without exporting a field of rpc.Op for it.
package opmark

// RequireFilter marks op (an *rpc.Op) as one whose request must hold a
// <filter> element of its own: the schema requires one. Package rpc sets
// it at init.
var RequireFilter func(op any)
