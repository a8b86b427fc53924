// Package gen runs the pleskgen pipeline: load the XSD roots (gen/xsd),
// build the Go model (gen/model), emit Go source (gen/golang) and write the
// files that changed. It is the only part of the generator that writes to
// the file system.
package gen

import (
	"bytes"
	"errors"
	"fmt"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"runtime/debug"
	"strings"
	"sync"

	"github.com/pleskgo/plesk/gen/bind"
	"github.com/pleskgo/plesk/gen/golang"
	"github.com/pleskgo/plesk/gen/model"
	"github.com/pleskgo/plesk/gen/xsd"
)

// DefaultRoots are the request and response roots of a Plesk schema set.
var DefaultRoots = []string{"agent_input.xsd", "agent_output.xsd"}

// Options configure one run of the generator.
type Options struct {
	SchemaDir string   // directory holding the schema set
	Roots     []string // root files relative to SchemaDir: request, then response
	OutDir    string   // directory of the generated package
	Package   string   // Go package name
	// Version is the protocol version written to ProtocolVersion: dotted
	// numbers (Plesk's have four: 1.6.9.1). Empty means the base name of
	// SchemaDir, which must then be a protocol version (IsProtocolVersion).
	Version string
	// Rename maps XSD type names to Go names, to resolve name clashes.
	Rename map[string]string
	// Module, when set, makes OutDir a standalone module with this path:
	// go.mod, doc.go and README.md are rendered from templates/module (see
	// ModuleData). Run rewrites each only while its first line is
	// pleskgen's marker.
	Module string
	// Bindings names the binding customizations that type the elements
	// the schema leaves untyped (see gen/bind): a file, or plesk:VERSION
	// for one shipped with pleskgen. Empty applies the default:
	// bindings.txt in SchemaDir if present, else the shipped file made for
	// exactly this schema set, else none.
	Bindings string
	// NoBindings applies no customizations: untyped elements stay raw XML.
	NoBindings bool
	// Operations names the operation classification (see gen/bind) that
	// says which operations only read the state of the server: a file, or
	// plesk:VERSION for one shipped with pleskgen. Empty applies the
	// default: operations.txt in SchemaDir if present, else the shipped
	// file made for exactly this schema set. Every operation of the schema
	// set must be classified; generation fails on one that is not, naming
	// the file to add it to.
	Operations string
	// Operators, when set, keeps only these operators (element names, such
	// as customer or webspace) with all their operations, request and
	// response side, and only the types they reach (see
	// model.Package.Select). A name the schema set does not have is an
	// error.
	Operators []string
	// TypesOnly allows a package without operations: the types of schema
	// roots that declare no packet. Otherwise roots, or a selection, that
	// yield no operation are an error.
	TypesOnly bool
}

// Result tells what a run wrote.
type Result struct {
	Written   []string // files whose content changed, relative to OutDir
	Unchanged []string
	Removed   []string // stale generated files deleted
	Notes     []string // fallbacks the generator chose (see model.Package.Notes)
	Kept      []string // module files left alone: their marker line is gone
}

// protocolRE is what a Plesk protocol version looks like; versionRE is
// what Options.Version may be.
var (
	protocolRE = regexp.MustCompile(`^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$`)
	versionRE  = regexp.MustCompile(`^[0-9]+(\.[0-9]+)+$`)
)

// IsProtocolVersion reports whether v looks like a Plesk XML API protocol
// version: four dot-separated numbers, such as 1.6.9.1.
func IsProtocolVersion(v string) bool { return protocolRE.MatchString(v) }

// Check reports what is wrong with the options before any work is done:
// a package name that is not a Go identifier or is a keyword, more than
// two roots, a version that is not one, or no version given where the
// schema directory's name is not one.
func (o Options) Check() error {
	_, err := o.check()
	return err
}

// check is Check, returning the protocol version to generate.
func (o Options) check() (string, error) {
	switch {
	case o.Package == "":
		return "", errors.New("no package name given")
	case token.IsKeyword(o.Package):
		return "", fmt.Errorf("package name %q is a Go keyword", o.Package)
	case !token.IsIdentifier(o.Package) || o.Package == "_":
		return "", fmt.Errorf("package name %q is not a Go identifier (letters, digits and _, not starting with a digit)", o.Package)
	case len(o.Roots) > 2:
		return "", fmt.Errorf("at most two roots (request, response), got %d", len(o.Roots))
	}
	if o.Version != "" {
		if !versionRE.MatchString(o.Version) {
			return "", fmt.Errorf("version %q is not a protocol version (four numbers, such as 1.6.9.1)", o.Version)
		}
		return o.Version, nil
	}
	base := filepath.Base(filepath.Clean(o.SchemaDir))
	if !IsProtocolVersion(base) {
		return "", fmt.Errorf("no protocol version: the schema directory %q is not named after one (such as 1.6.9.1); give it with -version", base)
	}
	return base, nil
}

// Load reads the roots of a schema set, each into its own closure, reading
// and tokenizing a file that several closures reach once (xsd.LoadRoots). A
// problem that several roots reach (a file both include) is reported once.
func Load(dir string, roots []string) ([]*xsd.Set, error) {
	if len(roots) == 0 {
		roots = DefaultRoots
	}
	sets, errs := xsd.LoadRoots(dir, roots)
	return sets, joinUnique(errs)
}

// joinUnique joins errors, each line of a joined one on its own, dropping
// repeated messages and keeping the first of each in order.
func joinUnique(errs []error) error {
	var out []error
	seen := map[string]bool{}
	var add func(err error)
	add = func(err error) {
		if err == nil {
			return
		}
		if j, ok := err.(interface{ Unwrap() []error }); ok {
			for _, e := range j.Unwrap() {
				add(e)
			}
			return
		}
		if msg := err.Error(); !seen[msg] {
			seen[msg] = true
			out = append(out, err)
		}
	}
	for _, err := range errs {
		add(err)
	}
	switch len(out) {
	case 0:
		return nil
	case 1:
		return out[0]
	}
	return errors.Join(out...)
}

// Generate loads, models and emits a package without writing anything.
func Generate(opts Options) ([]golang.File, error) {
	files, _, err := generate(opts)
	return files, err
}

func generate(opts Options) ([]golang.File, []string, error) {
	// Generation is a short burst that allocates a great deal of garbage
	// (jennifer's statement trees, then go/format's parse and print of
	// every file) over a small live heap: collecting less often makes it
	// about a sixth faster for a few tens of MB more, and the setting is
	// the caller's again when generation ends.
	defer debug.SetGCPercent(debug.SetGCPercent(400))
	version, err := opts.check()
	if err != nil {
		return nil, nil, err
	}
	sets, err := Load(opts.SchemaDir, opts.Roots)
	if err != nil {
		return nil, nil, err
	}
	var req, resp *xsd.Set
	req = sets[0]
	if len(sets) > 1 {
		resp = sets[1]
	}
	if !opts.TypesOnly && !declaresPacket(req) {
		// Before the customizations, whose paths start at <packet> and
		// would all fail: say what the roots lack instead.
		return nil, nil, noOperations(opts, "declare no <packet> element")
	}
	bindings, err := loadBindings(opts, sets)
	if err != nil {
		return nil, nil, err
	}
	var ops *bind.Operations
	if opts.Operations != "" {
		ops, err = bind.OpenOperations(opts.Operations)
	} else {
		ops, err = bind.DefaultOperations(opts.SchemaDir, sets...)
	}
	if err != nil {
		return nil, nil, err
	}
	pkg, err := model.Build(req, resp, model.Options{Package: opts.Package, Version: version, Rename: opts.Rename, Bindings: bindings, Operations: ops})
	if err != nil {
		return nil, nil, err
	}
	if err := auditOperations(pkg, ops, filepath.Join(opts.SchemaDir, bind.OperationsFileName)); err != nil {
		return nil, nil, err
	}
	if len(opts.Operators) > 0 {
		if err := pkg.Select(opts.Operators); err != nil {
			return nil, nil, err
		}
	}
	if err := hasOperations(pkg, opts); err != nil {
		return nil, nil, err
	}
	files, err := golang.Emit(pkg)
	if err != nil || opts.Module == "" {
		return files, pkg.Notes, err
	}
	mod, err := renderModule(ModuleData{
		Module: opts.Module, Package: opts.Package, Version: version,
		Runtime: RuntimeModule, RuntimeVersion: runtimeVersion(), GoVersion: GoVersion,
	})
	return append(files, mod...), pkg.Notes, err
}

// hasOperations refuses a package without operations, unless only types
// were asked for: it says what the roots were expected to declare.
func hasOperations(pkg *model.Package, opts Options) error {
	if opts.TypesOnly {
		return nil
	}
	for _, op := range pkg.Operators {
		if len(op.Operations) > 0 {
			return nil
		}
	}
	what := "declare no <packet> element"
	if pkg.Request != nil {
		what = "declare a <packet> whose operators hold no operation"
	}
	return noOperations(opts, what)
}

// declaresPacket reports whether the request closure declares the global
// <packet> element.
func declaresPacket(s *xsd.Set) bool {
	for _, e := range s.Elements {
		if e.Name.Local == "packet" {
			return true
		}
	}
	return false
}

// noOperations is the error for roots that yield no operation.
func noOperations(opts Options, what string) error {
	roots := opts.Roots
	if len(roots) == 0 {
		roots = DefaultRoots
	}
	return fmt.Errorf("the roots %s %s, so the package would have no operation: "+
		"the request root must declare <packet> with the operators as its choice, "+
		"as %s does; to generate some operators only, keep the default roots and name them "+
		"(pleskgen -operators customer,webspace); to generate the types alone, ask for types only (-types-only)",
		strings.Join(roots, ", "), what, DefaultRoots[0])
}

// auditOperations checks the classification against every operation of
// the package; where is the file read by default, named when there is
// none. A package without operators (types only) has nothing to classify.
func auditOperations(pkg *model.Package, ops *bind.Operations, where string) error {
	if len(pkg.Operators) == 0 {
		return nil
	}
	var refs []bind.OpRef
	for _, op := range pkg.Operators {
		for _, o := range op.Operations {
			refs = append(refs, bind.OpRef{Operator: op.XMLName, Operation: o.XMLName, Pos: o.Source})
		}
	}
	return ops.Audit(refs, where)
}

// loadBindings reads the customizations opts ask for and resolves them
// against the loaded closures; nil when there are none.
func loadBindings(opts Options, sets []*xsd.Set) (*bind.Bindings, error) {
	var f *bind.File
	var err error
	switch {
	case opts.NoBindings && opts.Bindings != "":
		return nil, fmt.Errorf("binding customizations %q named and turned off (no-bindings) at once", opts.Bindings)
	case opts.NoBindings:
		return nil, nil
	case opts.Bindings != "":
		f, err = bind.Open(opts.Bindings)
	default:
		f, err = bind.Default(opts.SchemaDir, sets...)
	}
	if err != nil || f == nil {
		return nil, err
	}
	return bind.Resolve(f, sets...)
}

// Run generates the package and writes the files whose bytes changed into
// OutDir, removing generated files that are no longer produced.
func Run(opts Options) (*Result, error) {
	files, notes, err := generate(opts)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(opts.OutDir, 0o755); err != nil {
		return nil, err
	}
	res := &Result{Notes: notes}
	keep := map[string]bool{}
	outcomes := make([]outcome, len(files))
	errs := make([]error, len(files))
	// Creating and writing files is mostly system time: two writers
	// overlap it.
	var wg sync.WaitGroup
	const writers = 2
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < len(files); i += writers {
				outcomes[i], errs[i] = writeFile(opts.OutDir, files[i])
			}
		}()
	}
	wg.Wait()
	for i, f := range files {
		keep[f.Name] = true
		if errs[i] != nil {
			return nil, errs[i]
		}
		switch outcomes[i] {
		case unchanged:
			res.Unchanged = append(res.Unchanged, f.Name)
		case kept:
			res.Kept = append(res.Kept, f.Name)
		default:
			res.Written = append(res.Written, f.Name)
		}
	}
	entries, err := os.ReadDir(opts.OutDir)
	if err != nil {
		return nil, err
	}
	for _, e := range entries {
		name := e.Name()
		if keep[name] || e.IsDir() || !strings.HasSuffix(name, "_gen.go") {
			continue
		}
		p := filepath.Join(opts.OutDir, name)
		if !isGenerated(p) {
			continue
		}
		if err := os.Remove(p); err != nil {
			return nil, err
		}
		res.Removed = append(res.Removed, name)
	}
	return res, nil
}

// outcome is what writeFile did with a file.
type outcome int

const (
	written outcome = iota
	unchanged
	kept // a module file whose marker line is gone
)

// writeFile writes f into dir unless it holds those bytes already or is
// the user's own (userOwned).
func writeFile(dir string, f golang.File) (outcome, error) {
	p := filepath.Join(dir, f.Name)
	if old, err := os.ReadFile(p); err == nil && bytes.Equal(old, f.Content) {
		return unchanged, nil
	} else if err == nil && userOwned(f.Name, old) {
		return kept, nil
	}
	return written, os.WriteFile(p, f.Content, 0o644)
}

// isGenerated reports whether the file starts with pleskgen's header.
func isGenerated(path string) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	buf := make([]byte, 64)
	n, _ := f.Read(buf)
	return bytes.HasPrefix(buf[:n], []byte("// Code generated by pleskgen. DO NOT EDIT."))
}
