package main

import (
	"bufio"
	"flag"

	"github.com/pleskgo/plesk/gen"
	"github.com/pleskgo/plesk/gen/xsd"
)

var treeCmd = &command{
	name:     "tree",
	synopsis: "-schemas DIR [-roots request.xsd,response.xsd]",
	summary:  "print the expanded element trees of a schema set",
	detail: `Prints the expanded element tree of each root, one line per element and
attribute with its occurrence and type, in the format of plesk-trees.`,
	flags: treeFlags,
}

// treeFlags defines the flags of pleskgen tree.
func treeFlags(fs *flag.FlagSet) func(e *env, args []string) error {
	schemas, roots := commonFlags(fs)
	return func(e *env, args []string) error {
		if len(args) > 0 {
			return usagef("unexpected argument %q", args[0])
		}
		if *schemas == "" {
			return usagef("-schemas is required")
		}
		sets, err := gen.Load(*schemas, splitRoots(*roots))
		if err != nil {
			return err
		}
		w := bufio.NewWriter(e.stdout)
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
}
