package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"runtime/debug"
	"strings"
	"text/tabwriter"

	"github.com/pleskgo/plesk/gen"
)

// Exit codes of pleskgen (pleskgen diff has its own, see diff.go).
const (
	exitOK    = 0
	exitFail  = 1 // the work failed: a schema error, a file not written
	exitUsage = 2 // bad command line
)

// env is where a command writes.
type env struct {
	stdout, stderr io.Writer
}

// A command is one subcommand of pleskgen. Its flags are defined by flags,
// on a FlagSet of its own that newFlagSet builds, so that help, usage
// errors and parsing work the same way for every command.
type command struct {
	name     string
	synopsis string // what follows "pleskgen NAME" in the usage line
	summary  string // one line for the list of commands
	detail   string // paragraphs after the usage line, or ""
	// interleaved lets flags come before, between and after the
	// positional arguments (pleskgen diff OLD -json NEW).
	interleaved bool
	// flags defines the command's flags on fs and returns the function
	// that runs the command on the positional arguments.
	flags func(fs *flag.FlagSet) func(e *env, args []string) error
}

// commands lists the subcommands in the order help prints them. It is
// filled in by init, since help refers to it.
var commands []*command

func init() {
	commands = []*command{generateCmd, treeCmd, diffCmd, versionCmd, helpCmd}
}

func lookup(name string) *command {
	for _, c := range commands {
		if c.name == name {
			return c
		}
	}
	return nil
}

// usageError is a bad command line: run prints it in one line, then the
// command's usage, and exits 2.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error {
	return &usageError{fmt.Sprintf(format, args...)}
}

// exitCode ends a command with a code of its own once it has said what it
// had to say (pleskgen diff's 1 and 2).
type exitCode int

func (c exitCode) Error() string { return fmt.Sprintf("exit status %d", int(c)) }

// run runs pleskgen with the arguments after the program name and returns
// the exit status.
func run(args []string, stdout, stderr io.Writer) int {
	e := &env{stdout: stdout, stderr: stderr}
	if len(args) == 0 {
		fmt.Fprintln(stderr, "pleskgen: no command given")
		writeMainUsage(stderr)
		return exitUsage
	}
	switch a := args[0]; {
	case isHelpFlag(a):
		writeMainUsage(stdout)
		return exitOK
	case strings.HasPrefix(a, "-"):
		// pleskgen -schemas ... : generate is the default command.
		return runCommand(generateCmd, args, e)
	}
	c := lookup(args[0])
	if c == nil {
		fmt.Fprintf(stderr, "pleskgen: unknown command %q\n", args[0])
		writeMainUsage(stderr)
		return exitUsage
	}
	return runCommand(c, args[1:], e)
}

func isHelpFlag(a string) bool {
	switch a {
	case "-h", "-help", "--help", "--h":
		return true
	}
	return false
}

// newFlagSet builds the FlagSet of c, which reports nothing itself:
// runCommand prints errors and usage.
func newFlagSet(c *command) (*flag.FlagSet, func(e *env, args []string) error) {
	fs := flag.NewFlagSet("pleskgen "+c.name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	var runFn func(e *env, args []string) error
	if c.flags != nil {
		runFn = c.flags(fs)
	}
	return fs, runFn
}

// runCommand parses the flags of c and runs it.
func runCommand(c *command, args []string, e *env) int {
	fs, runFn := newFlagSet(c)
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				writeUsage(e.stdout, c)
				return exitOK
			}
			return usageFailure(e, c, err.Error())
		}
		args = fs.Args()
		if !c.interleaved || len(args) == 0 {
			pos = append(pos, args...)
			break
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
	err := runFn(e, pos)
	var ue *usageError
	var code exitCode
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, &ue):
		return usageFailure(e, c, ue.msg)
	case errors.As(err, &code):
		return int(code)
	}
	// Schema errors already read "file.xsd:LINE:COL: message", one per line.
	fmt.Fprintln(e.stderr, err)
	return exitFail
}

func usageFailure(e *env, c *command, msg string) int {
	fmt.Fprintf(e.stderr, "pleskgen %s: %s\n", c.name, msg)
	writeUsage(e.stderr, c)
	return exitUsage
}

// writeUsage writes the usage of one command: its usage line, its detail
// and its flags.
func writeUsage(w io.Writer, c *command) {
	fmt.Fprintf(w, "usage: %s\n", strings.TrimSpace("pleskgen "+c.name+" "+c.synopsis))
	if c.detail != "" {
		fmt.Fprintf(w, "\n%s\n", strings.TrimRight(c.detail, "\n"))
	}
	fs, _ := newFlagSet(c)
	n := 0
	fs.VisitAll(func(*flag.Flag) { n++ })
	if n > 0 {
		fmt.Fprintf(w, "\nFlags:\n")
		fs.SetOutput(w)
		fs.PrintDefaults()
	}
}

// writeMainUsage writes what pleskgen -h prints: the commands, then the
// usage of each.
func writeMainUsage(w io.Writer) {
	fmt.Fprint(w, `pleskgen generates typed Go bindings for Plesk's XML API from its XSD schemas.

usage: pleskgen COMMAND [flags] [arguments]

Commands:
`)
	tw := tabwriter.NewWriter(w, 0, 8, 2, ' ', 0)
	for _, c := range commands {
		fmt.Fprintf(tw, "  %s\t%s\n", c.name, c.summary)
	}
	tw.Flush()
	fmt.Fprint(w, `
Without a command, pleskgen generates: pleskgen -schemas DIR -out DIR -package NAME.
Exit status: 0 on success, 1 when the work fails, 2 on a usage error.
`)
	for _, c := range commands {
		fmt.Fprintln(w)
		writeUsage(w, c)
	}
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

var generateCmd = &command{
	name:     "generate",
	synopsis: "-schemas DIR -out DIR -package NAME [flags]",
	summary:  "generate a Go package from a schema set (the default command)",
	detail: `Writes the package's files that changed into -out and removes the generated
files it no longer produces. The protocol version (ProtocolVersion, sent in
every packet) is -version, or else the name of the schema directory when it
is one, such as schemas/1.6.9.1. Every operation must be classified as read
or write in operations.txt beside the schemas (or -operations FILE); roots
that yield no operation fail unless -types-only is given.`,
	flags: generateFlags,
}

// generateFlags defines the flags of pleskgen generate.
func generateFlags(fs *flag.FlagSet) func(e *env, args []string) error {
	schemas, roots := commonFlags(fs)
	out := fs.String("out", "", "output directory of the generated package (required)")
	pkg := fs.String("package", "", "Go package name (required)")
	version := fs.String("version", "", "protocol version, four numbers such as 1.6.9.1 (default: the schema directory's name)")
	module := fs.String("module", "", "make -out a standalone module with this path: also write its go.mod, doc.go and README.md")
	bindings := fs.String("bindings", "", "binding customizations: a file, or plesk:VERSION for a shipped one (default: bindings.txt in -schemas, else the shipped file for that schema set)")
	noBindings := fs.Bool("no-bindings", false, "apply no binding customizations: untyped elements stay raw XML")
	operations := fs.String("operations", "", "operation classification (which operations only read): a file, or plesk:VERSION for a shipped one (default: operations.txt in -schemas, else the shipped file for that schema set)")
	operators := fs.String("operators", "", "keep only these operators, comma-separated (such as customer,webspace), with the types they reach (default: all)")
	typesOnly := fs.Bool("types-only", false, "allow roots that declare no operation: generate their types alone")
	rn := renames{}
	fs.Var(rn, "rename", "xsdTypeName=GoName, to resolve a name clash (repeatable)")
	return func(e *env, args []string) error {
		if len(args) > 0 {
			return usagef("unexpected argument %q", args[0])
		}
		var missing []string
		for _, f := range []struct {
			name string
			v    *string
		}{{"-schemas", schemas}, {"-out", out}, {"-package", pkg}} {
			if *f.v == "" {
				missing = append(missing, f.name)
			}
		}
		if len(missing) > 0 {
			return usagef("missing %s (-schemas, -out and -package are required)", strings.Join(missing, ", "))
		}
		if *version != "" && !gen.IsProtocolVersion(*version) {
			return usagef("-version %q: not a protocol version (four numbers, such as 1.6.9.1)", *version)
		}
		opts := gen.Options{
			SchemaDir: *schemas,
			Roots:     splitRoots(*roots),
			OutDir:    *out,
			Package:   *pkg,
			Version:   *version,
			Rename:    rn,
			Module:    *module,

			Bindings:   *bindings,
			NoBindings: *noBindings,
			Operations: *operations,
			Operators:  splitRoots(*operators),
			TypesOnly:  *typesOnly,
		}
		if err := opts.Check(); err != nil {
			return &usageError{err.Error()}
		}
		res, err := gen.Run(opts)
		if res != nil {
			for _, n := range res.Notes {
				fmt.Fprintln(e.stderr, "warning:", n)
			}
		}
		return err
	}
}

var versionCmd = &command{
	name:     "version",
	synopsis: "",
	summary:  "print pleskgen's version",
	detail: `Prints the version of the module pleskgen was built from, as the Go build
recorded it: a release such as v0.3.0, a pseudo-version, or (devel) for a
build of a working copy.`,
	flags: func(fs *flag.FlagSet) func(e *env, args []string) error {
		return func(e *env, args []string) error {
			if len(args) > 0 {
				return usagef("unexpected argument %q", args[0])
			}
			bi, _ := debug.ReadBuildInfo()
			fmt.Fprintf(e.stdout, "pleskgen %s\n", moduleVersion(bi))
			return nil
		}
	},
}

// moduleVersion returns the version of the module pleskgen was built from:
// the main module's when pleskgen is built in its own module, else that of
// the dependency providing it (a downstream go tool or go run). A module
// replaced by a directory, or no build information, is "(devel)".
func moduleVersion(bi *debug.BuildInfo) string {
	const devel = "(devel)"
	if bi == nil {
		return devel
	}
	mods := append([]*debug.Module{&bi.Main}, bi.Deps...)
	for _, m := range mods {
		if m == nil || m.Path != gen.RuntimeModule {
			continue
		}
		if m.Replace != nil {
			if m.Replace.Version == "" {
				return devel // a directory
			}
			return m.Replace.Version
		}
		if m.Version == "" {
			return devel
		}
		return m.Version
	}
	return devel
}

var helpCmd = &command{
	name:     "help",
	synopsis: "[COMMAND]",
	summary:  "print the usage of a command, or of all of them",
	flags: func(fs *flag.FlagSet) func(e *env, args []string) error {
		return func(e *env, args []string) error {
			switch len(args) {
			case 0:
				writeMainUsage(e.stdout)
				return nil
			case 1:
				c := lookup(args[0])
				if c == nil {
					return usagef("unknown command %q (commands: %s)", args[0], commandNames())
				}
				writeUsage(e.stdout, c)
				return nil
			}
			return usagef("want at most one command, got %d arguments", len(args))
		}
	},
}

func commandNames() string {
	names := make([]string, len(commands))
	for i, c := range commands {
		names[i] = c.name
	}
	return strings.Join(names, ", ")
}
