package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/pleskgo/plesk/gen"
)

// run dispatches to a subcommand; generating is the default.
func run(args []string) error {
	if len(args) > 0 {
		switch args[0] {
		case "tree":
			return runTree(args[1:], os.Stdout)
		case "diff":
			os.Exit(runDiff(args[1:], os.Stdout, os.Stderr))
		case "generate":
			args = args[1:]
		}
	}
	return runGenerate(args, os.Stderr)
}

// renames is a repeatable -rename xsdName=GoName flag.
type renames map[string]string

func (r renames) String() string { return "" }

func (r renames) Set(s string) error {
	k, v, ok := strings.Cut(s, "=")
	if !ok || k == "" || v == "" {
		return fmt.Errorf("want xsdName=GoName, got %q", s)
	}
	r[k] = v
	return nil
}

func commonFlags(fs *flag.FlagSet) (schemas, roots *string) {
	schemas = fs.String("schemas", "", "directory of the schema set (required)")
	roots = fs.String("roots", strings.Join(gen.DefaultRoots, ","), "root files, comma-separated: request root, then response root")
	return
}

func splitRoots(s string) []string {
	var out []string
	for _, r := range strings.Split(s, ",") {
		if r = strings.TrimSpace(r); r != "" {
			out = append(out, r)
		}
	}
	return out
}

func runGenerate(args []string, stderr io.Writer) error {
	fs := flag.NewFlagSet("pleskgen", flag.ContinueOnError)
	fs.SetOutput(stderr)
	schemas, roots := commonFlags(fs)
	out := fs.String("out", "", "output directory of the generated package (required)")
	pkg := fs.String("package", "", "Go package name (required)")
	version := fs.String("version", "", "protocol version for ProtocolVersion (default: the schema directory's name)")
	module := fs.String("module", "", "make -out a standalone module with this path: also write its go.mod, doc.go and README.md")
	bindings := fs.String("bindings", "", "binding customizations: a file, or plesk:VERSION for a shipped one (default: bindings.txt in -schemas, else the shipped file for that schema set)")
	noBindings := fs.Bool("no-bindings", false, "apply no binding customizations: untyped elements stay raw XML")
	rn := renames{}
	fs.Var(rn, "rename", "xsdTypeName=GoName, to resolve a name clash (repeatable)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *schemas == "" || *out == "" || *pkg == "" {
		fs.Usage()
		return errors.New("-schemas, -out and -package are required")
	}
	res, err := gen.Run(gen.Options{
		SchemaDir: *schemas,
		Roots:     splitRoots(*roots),
		OutDir:    *out,
		Package:   *pkg,
		Version:   *version,
		Rename:    rn,
		Module:    *module,

		Bindings:   *bindings,
		NoBindings: *noBindings,
	})
	if res != nil {
		for _, n := range res.Notes {
			fmt.Fprintln(stderr, "warning:", n)
		}
	}
	return err
}
