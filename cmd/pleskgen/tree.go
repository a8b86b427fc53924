package main

import (
	"bufio"
	"errors"
	"flag"
	"io"
	"os"

	"github.com/pleskgo/plesk/gen"
	"github.com/pleskgo/plesk/gen/xsd"
)

// runTree prints the expanded element tree of each root, in the format of
// plesk-trees (see gen/xsd.WriteTree).
func runTree(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("pleskgen tree", flag.ContinueOnError)
	fs.SetOutput(os.Stderr)
	schemas, roots := commonFlags(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *schemas == "" {
		fs.Usage()
		return errors.New("-schemas is required")
	}
	sets, err := gen.Load(*schemas, splitRoots(*roots))
	if err != nil {
		return err
	}
	w := bufio.NewWriter(stdout)
	for i, s := range sets {
		if len(sets) > 1 {
			if i > 0 {
				w.WriteString("\n")
			}
			w.WriteString("# " + s.Root + "\n")
		}
		if err := xsd.WriteTree(w, xsd.Expand(s)); err != nil {
			return err
		}
	}
	return w.Flush()
}
