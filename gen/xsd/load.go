package xsd

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
)

// Load reads the schema file root (a path relative to dir) and every file it
// reaches through xs:include and xs:import, and returns them as one Set with
// every reference resolved.
//
// A schemaLocation is relative to the file that contains it and must stay
// inside dir; remote locations are not fetched. Each file is loaded once per
// Set however often it is included, so include cycles are harmless. (An
// exception is a no-namespace file included into two different target
// namespaces: XSD's chameleon include gives it each includer's namespace, so
// it is loaded once per namespace.)
//
// What Load rejects, each problem as an *Error (several are joined with
// errors.Join): unreadable files, malformed XML, unresolved references,
// duplicate global definitions in the closure, circular group, attribute
// group, derivation and substitution group definitions, declarations that
// break XSD's structural rules (an element with both name and ref, a type
// given twice, an invalid minOccurs, …), and the constructs Load does not
// support: xs:redefine and xs:override. Identity constraints (xs:key,
// xs:keyref, xs:unique), xs:notation and xs:appinfo do not affect the
// structure of documents and are skipped without a word.
//
// Load also rejects, with "did you mean" where a valid name is close,
// attributes and elements of the XML Schema namespace that XSD 1.0 does not
// allow where they are (minOcurs="0"; an xs:sequence in an xs:attribute).
// Attributes of other namespaces are allowed everywhere.
//
// The positions of the errors name the files as dir/path, the way the
// caller named the directory; those of the returned Set are relative to
// dir (File.Path).
//
// On error the returned Set is nil. Load may be called concurrently; the
// Sets it returns share nothing but the builtin types.
func Load(dir, root string) (*Set, error) {
	s, err := loadFS(os.DirFS(dir), filepath.ToSlash(root), dir)
	if s != nil {
		s.Dir = dir
	}
	return s, err
}

// LoadFS is Load on a file system: root and the schema locations are
// resolved in fsys, and Set.Dir is left empty. Files are read ahead
// concurrently, so fsys must be safe for concurrent use (os.DirFS and
// fstest.MapFS are).
func LoadFS(fsys fs.FS, root string) (*Set, error) {
	return loadFS(fsys, root, "")
}

// LoadRoots is Load for several roots of one directory, each loaded into
// its own Set as Load would, concurrently: a file that several closures
// reach (a common types file) is read and tokenized once for all of them.
// sets[i] and errs[i] are what Load(dir, roots[i]) returns.
func LoadRoots(dir string, roots []string) (sets []*Set, errs []error) {
	r := newReader(os.DirFS(dir))
	sets = make([]*Set, len(roots))
	errs = make([]error, len(roots))
	var wg sync.WaitGroup
	for i, root := range roots {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sets[i], errs[i] = loadWith(r, filepath.ToSlash(root), dir)
			if sets[i] != nil {
				sets[i].Dir = dir
			}
		}()
	}
	wg.Wait()
	r.wait()
	return sets, errs
}

// loadFS is LoadFS with errors positioned in dir/path.
func loadFS(fsys fs.FS, root, dir string) (*Set, error) {
	r := newReader(fsys)
	defer r.wait()
	return loadWith(r, root, dir)
}

// loadWith loads root with the documents of r, which other loaders may be
// sharing. The caller waits for r's reads still running.
func loadWith(r *reader, root, dir string) (*Set, error) {
	root = path.Clean(root)
	l := &loader{
		dir: dir,
		set: &Set{
			Root:            root,
			elements:        map[QName]*Element{},
			types:           map[QName]Type{},
			groups:          map[QName]*Group{},
			attributeGroups: map[QName]*AttributeGroup{},
			attributes:      map[QName]*Attribute{},
		},
		reader:   r,
		reported: map[*parsedDoc]bool{},
		files:    map[fileKey]*File{},
		checked:  map[string]bool{},
		seen:     map[string]bool{},
	}
	if !fs.ValidPath(root) {
		l.errorf(Pos{File: root}, "invalid schema path")
	} else {
		l.load(root, nil, nil)
	}
	if len(l.errs) == 0 {
		l.resolve()
	}
	switch len(l.errs) {
	case 0:
		return l.set, nil
	case 1:
		return nil, l.errs[0]
	}
	return nil, errors.Join(l.errs...)
}

// loader is the state of one Load.
type loader struct {
	dir    string // prefix of the file names in errors (Load's dir)
	set    *Set
	errs   []error
	reader *reader // reads and parses every file once, ahead of the loader
	// reported holds the documents whose read or parse error this loader
	// has reported (the reader may be shared by several loaders).
	reported map[*parsedDoc]bool
	files    map[fileKey]*File
	// checked holds the files whose attributes were checked (a chameleon
	// include is parsed once per namespace, checked once); seen the
	// messages reported, each reported once.
	checked map[string]bool
	seen    map[string]bool
	fixups  []func() // reference resolutions queued by the parser, in document order

	// Every declaration, global or local, for the checks after resolution.
	allElements    []*Element
	allAttributes  []*Attribute
	allComplex     []*ComplexType
	allSimple      []*SimpleType
	simpleContents []*ComplexType // types with a simpleContent restriction
}

// reader reads and tokenizes the files of a closure for the loader, in
// parallel and ahead of it: as soon as a file is parsed, the files it
// includes or imports are started. Parsing a document is a pure function of
// its bytes, so the loader, which walks the files in its fixed order, gets
// the same result as if it read each file itself.
type reader struct {
	fsys fs.FS
	sem  chan struct{} // bounds the files being read at once
	wg   sync.WaitGroup
	mu   sync.Mutex
	docs map[string]*parsedDoc // by path
}

// parsedDoc is a file read and tokenized, or the error doing so; its fields
// are set when done is closed.
type parsedDoc struct {
	done    chan struct{}
	root    *node
	readErr error // the file could not be read
	err     error // an *Error: malformed XML, or not a schema document
}

func newReader(fsys fs.FS) *reader {
	return &reader{fsys: fsys, sem: make(chan struct{}, runtime.GOMAXPROCS(0)), docs: map[string]*parsedDoc{}}
}

// get returns the document at path p, starting to read it if nobody has.
// The caller waits on done.
func (r *reader) get(p string) *parsedDoc {
	r.mu.Lock()
	defer r.mu.Unlock()
	if d := r.docs[p]; d != nil {
		return d
	}
	d := &parsedDoc{done: make(chan struct{})}
	r.docs[p] = d
	r.wg.Add(1)
	go r.read(p, d)
	return d
}

func (r *reader) read(p string, d *parsedDoc) {
	defer r.wg.Done()
	r.sem <- struct{}{}
	data, err := fs.ReadFile(r.fsys, p)
	if err != nil {
		d.readErr = err
	} else {
		d.root, d.err = parseDocument(p, data)
		if n := d.root; n != nil && (n.name.Space != NS || n.name.Local != "schema") {
			d.err = errorf(n.pos, "root element is <%s>, not xs:schema", tagName(n))
		}
	}
	<-r.sem
	close(d.done)
	if d.err != nil || d.root == nil {
		return
	}
	for _, c := range d.root.children {
		if c.name.Space != NS || c.name.Local != "include" && c.name.Local != "import" {
			continue
		}
		if loc, _ := c.attr("schemaLocation"); strings.TrimSpace(loc) != "" {
			if target, bad := includePath(p, strings.TrimSpace(loc)); bad == "" {
				r.get(target)
			}
		}
	}
}

// wait waits for the reads still running: those of files the loader turned
// out not to need.
func (r *reader) wait() { r.wg.Wait() }

// fileKey identifies a loaded file: its path and the target namespace it was
// loaded into (which differs from its own only for a chameleon include).
type fileKey struct {
	path, tns string
}

func (l *loader) errorf(p Pos, format string, args ...any) {
	l.report(errorf(p, format, args...))
}

// report records an error, naming its file as the caller of Load named it.
func (l *loader) report(e *Error) {
	e.Pos = l.shown(e.Pos)
	if msg := e.Error(); !l.seen[msg] {
		l.seen[msg] = true
		l.errs = append(l.errs, e)
	}
}

// shown returns p with its file as the caller of Load named it: in dir.
func (l *loader) shown(p Pos) Pos {
	if l.dir != "" && p.File != "" {
		p.File = filepath.Join(l.dir, filepath.FromSlash(p.File))
	}
	return p
}

// load loads the file p, reached through inc from the document from (both
// nil for the root), and then the files it includes, depth first.
func (l *loader) load(p string, inc *Include, from *schemaDoc) *File {
	pd := l.reader.get(p)
	<-pd.done
	if !l.reported[pd] {
		l.reported[pd] = true
		switch {
		case pd.readErr != nil && inc != nil:
			l.errorf(inc.Pos, "%s %q: %s", inc.Kind, inc.Location, describeReadError(pd.readErr))
		case pd.readErr != nil:
			l.errorf(Pos{File: p}, "%s", describeReadError(pd.readErr))
		case pd.err != nil:
			var e *Error
			if errors.As(pd.err, &e) {
				c := *e // pd.err is shared by every root that reads the file
				l.report(&c)
			} else {
				l.errs = append(l.errs, pd.err)
			}
		}
	}
	if pd.readErr != nil || pd.err != nil {
		return nil
	}
	root := pd.root
	tns, _ := root.attr("targetNamespace")
	effective := tns
	if inc != nil {
		switch {
		case inc.Kind == "import" && tns != inc.Namespace:
			l.errorf(inc.Pos, "import %q: the file's target namespace %s is not the imported namespace %s",
				inc.Location, nsText(tns), nsText(inc.Namespace))
			return nil
		case inc.Kind == "include" && tns == "":
			effective = from.tns // chameleon include
		case inc.Kind == "include" && tns != from.tns:
			l.errorf(inc.Pos, "include %q: the file's target namespace %s is not the including file's %s",
				inc.Location, nsText(tns), nsText(from.tns))
			return nil
		}
	}
	key := fileKey{p, effective}
	if f := l.files[key]; f != nil {
		return f
	}
	f := &File{Path: p, TargetNamespace: effective}
	l.files[key] = f
	l.set.Files = append(l.set.Files, f)
	d := &schemaDoc{l: l, file: f, tns: effective, chameleon: effective != tns}
	if !l.checked[p] {
		l.checked[p] = true
		d.checkAttributes(root, 0)
	}
	d.parseSchema(root)
	for _, inc := range f.Includes {
		if inc.Location == "" {
			continue // an import of components known otherwise (the XSD namespace)
		}
		target, _ := includePath(p, inc.Location) // checked by the parser
		inc.File = l.load(target, inc, d)
	}
	return f
}

// includePath resolves a schemaLocation against the path of the file that
// contains it, or explains why it cannot.
func includePath(from, loc string) (string, string) {
	if strings.Contains(loc, "://") || strings.HasPrefix(loc, "urn:") {
		return "", "remote schema locations are not supported"
	}
	if path.IsAbs(loc) || filepath.IsAbs(loc) {
		return "", "absolute schema locations are not supported"
	}
	p := path.Join(path.Dir(from), loc)
	if !fs.ValidPath(p) {
		return "", "the location is outside the schema directory"
	}
	return p, ""
}

func describeReadError(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	if errors.Is(err, fs.ErrNotExist) {
		return "no such file"
	}
	return err.Error()
}

// nsText formats a namespace URI for a message.
func nsText(ns string) string {
	if ns == "" {
		return "(none)"
	}
	return fmt.Sprintf("%q", ns)
}

// nameText formats a component name for a message: the local name when it
// has no namespace, xs:local for the XML Schema namespace, {ns}local else.
func nameText(q QName) string {
	if q.Space == NS {
		return "xs:" + q.Local
	}
	return q.String()
}

// tagName formats the name of an element of a schema document.
func tagName(n *node) string {
	return nameText(QName{n.name.Space, n.name.Local})
}
