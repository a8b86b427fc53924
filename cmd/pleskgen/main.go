// Command pleskgen generates typed Go bindings for Plesk's XML API from its
// XSD schema set.
//
//	pleskgen -schemas DIR -out DIR -package NAME [-roots a.xsd,b.xsd] [-version V]
//	         [-rename xsdName=GoName] [-module PATH]   generate (-module: a standalone module)
//	pleskgen tree -schemas DIR [-roots ...]            print the expanded element trees
//	pleskgen diff [-json] [-fail-on breaking|any] OLD_DIR NEW_DIR
//	                                                   compare two schema sets
//
// Downstream repositories run it with go generate:
//
//	//go:generate go run github.com/pleskgo/plesk/cmd/pleskgen -schemas schemas/1.6.9.1 -out plesk1691 -package plesk1691
package main

import (
	"fmt"
	"os"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		// Schema errors already read "file.xsd:LINE:COL: message", one per line.
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
