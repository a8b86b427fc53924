// Command pleskgen generates typed Go bindings for Plesk's XML API from its
// XSD schema set.
//
//	pleskgen [generate] -schemas DIR -out DIR -package NAME [flags]
//	                            generate a package (the default command)
//	pleskgen tree -schemas DIR  print the expanded element trees
//	pleskgen diff OLD_DIR NEW_DIR
//	                            compare two schema sets
//	pleskgen version            print pleskgen's own version
//	pleskgen help [COMMAND]     print the usage of one command, or of all
//
// Every operation of the schema set must be classified as read or write
// in operations.txt beside the schemas (or the file -operations names; the
// official 1.6.6.0 set's is shipped): generated descriptors carry it, and
// the runtime's retries and empty-filter guard follow it. -operators
// a,b,c keeps only those operators and the types they reach.
//
// Exit status: 0 on success, 1 when the work fails (a schema error, a file
// that cannot be written), 2 on a usage error. pleskgen diff has its own
// (see pleskgen help diff).
//
// Downstream modules (Go 1.24 or newer) add it as a tool:
//
//	go get -tool github.com/pleskgo/plesk/cmd/pleskgen
//
// and run it with go generate:
//
//	//go:generate go tool pleskgen -schemas schemas/1.6.9.1 -out plesk1691 -package plesk1691
package main

import "os"

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}
