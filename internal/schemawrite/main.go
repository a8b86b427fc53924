// Command schemawrite writes pleskgo's schema sets (schemas/<version>/) for
// the operators of the Plesk XML API that are not hand-written, from two
// sources of facts: the published element trees of each version
// (plesk-trees/<version>/agent_{input,output}.tree), which fix the element
// structure, compositors, occurrences and type names, and the official
// 1.6.6.0 schemas (plesk-xsd/1.6.6.0), which give the enumerations, facets
// and element value constraints, carried to a later version wherever its
// tree shows the same type at the same place. The documentation it writes is
// pleskgo's own (docs.go).
//
// It is run by hand, never by make generate, which needs only the committed
// .xsd files:
//
//	go run ./internal/schemawrite -shared ../shared -schemas schemas
//
// Files it wrote start with the comment marker below and are replaced on the
// next run; every other .xsd file of a version directory is hand-written and
// kept (its named types are reused, never redeclared). The root files
// agent_input.xsd and agent_output.xsd are always written. 1.6.9.1's
// published trees lack operators that 1.6.9.0 has (see FORMAT.md of the
// trees); they are carried from 1.6.9.0's trees.
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/pleskgo/plesk/gen/xsd"
)

// marker starts the second line of every file schemawrite writes.
const marker = "<!-- Written by internal/schemawrite"

var roots = []string{"agent_input", "agent_output"}

// carrySource names, per version, the version whose trees provide the
// operators its own trees lack.
var carrySource = map[string]string{"1.6.9.1": "1.6.9.0"}

func main() {
	shared := flag.String("shared", "../shared", "directory with plesk-trees and plesk-xsd")
	schemas := flag.String("schemas", "schemas", "directory of the schema sets")
	versions := flag.String("versions", "1.6.6.0,1.6.7.0,1.6.8.0,1.6.9.0,1.6.9.1", "versions to write")
	flag.Parse()
	if err := run(*shared, *schemas, strings.Split(*versions, ","), os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "schemawrite:", err)
		os.Exit(1)
	}
}

// run writes the schema sets of versions under schemas, and the notes on
// the choices it made (types with no official facts, types declared once
// per root) to report.
func run(shared, schemas string, versions []string, report io.Writer) error {
	off, err := loadOfficial(filepath.Join(shared, "plesk-xsd", "1.6.6.0"))
	if err != nil {
		return err
	}
	for _, v := range versions {
		w := &writer{version: v, dir: filepath.Join(schemas, v), off: off,
			types: map[string]*ntype{}, simple: map[string]*xsd.SimpleType{}, files: map[string]*outFile{}}
		if err := w.load(filepath.Join(shared, "plesk-trees")); err != nil {
			return fmt.Errorf("%s: %v", v, err)
		}
		if err := w.write(); err != nil {
			return fmt.Errorf("%s: %v", v, err)
		}
		for _, m := range w.notes {
			fmt.Fprintf(report, "%s: %s\n", v, m)
		}
	}
	return nil
}

// official is the official 1.6.6.0 schema set, per root, with its expanded
// tree indexed by element path.
type official struct {
	set   map[string]*xsd.Set
	index map[string]map[string]*xsd.Node // root → path → node
}

func loadOfficial(dir string) (*official, error) {
	o := &official{set: map[string]*xsd.Set{}, index: map[string]map[string]*xsd.Node{}}
	for _, r := range roots {
		s, err := xsd.Load(dir, r+".xsd")
		if err != nil {
			return nil, fmt.Errorf("official %s: %v", r, err)
		}
		o.set[r] = s
		idx := map[string]*xsd.Node{}
		var walk func(n *xsd.Node, path string)
		walk = func(n *xsd.Node, path string) {
			switch n.Kind {
			case xsd.NodeElement:
				path += "/" + n.Name.Local
			case xsd.NodeAttribute:
				path += "/@" + n.Name.Local
			}
			if n.Kind == xsd.NodeElement || n.Kind == xsd.NodeAttribute {
				if _, ok := idx[path]; !ok {
					idx[path] = n
				}
			}
			for _, c := range n.Children {
				walk(c, path)
			}
		}
		for _, n := range xsd.Expand(s) {
			walk(n, "")
		}
		o.index[r] = idx
	}
	return o, nil
}

// lookup returns the official node at path in root when its line shows the
// same type as n, so its facets apply to n.
func (o *official) lookup(root, path string, n *tnode) *xsd.Node {
	on := o.index[root][path]
	if on == nil {
		return nil
	}
	var label string
	switch on.Label {
	case xsd.LabelType:
		label = "type"
	case xsd.LabelBase:
		label = "base"
	case xsd.LabelAnon:
		label = "anon"
	}
	if label != n.label || on.LabelName.Local != n.typ && n.label != "anon" {
		return nil
	}
	return on
}

// namedType returns the official global type called name, from either root.
func (o *official) namedType(name string) xsd.Type {
	for _, r := range roots {
		if t := o.set[r].Type(xsd.QName{Local: name}); t != nil {
			return t
		}
	}
	return nil
}

// ntype is a named complex type the trees use.
type ntype struct {
	name string
	node *tnode // first use
	root string // of the first use
	path string // of the first use
	uses map[string]bool
	off  *xsd.ComplexType // the official type of that name, if any
	file string
	// opType is the operator whose type this is ("" when none).
	opType string
	shared bool // both roots use it, with the same structure
}

type outFile struct {
	name     string
	body     strings.Builder
	includes map[string]bool
}

type writer struct {
	version string
	dir     string
	off     *official

	trees   map[string][]*tnode // root → depth-0 nodes
	carried map[string]bool     // operators carried from carrySource
	opsOf   map[string][]string // root → operators in packet order

	hand      map[string]string          // hand-written type → a file declaring it
	handDecl  map[string][]string        // hand-written type → the files declaring it
	handFiles []string                   // hand-written files, sorted
	handClose map[string]map[string]bool // root → hand-written files its root includes
	handOps   map[string]bool            // operators whose types are hand-written
	types     map[string]*ntype          // by root|name
	simple    map[string]*xsd.SimpleType // named simple types to write
	files     map[string]*outFile
	notes     []string

	handKind    map[string]string // hand-written type → complexType or simpleType
	order       []*ntype          // named complex types, in the order of first use
	simpleOrder []string          // named simple types, in the order required
}

func (w *writer) notef(format string, args ...any) {
	w.notes = append(w.notes, fmt.Sprintf(format, args...))
}

var declRE = regexp.MustCompile(`<xs:(complexType|simpleType) name="([^"]+)"`)
var inclRE = regexp.MustCompile(`<xs:include schemaLocation="([^"]+)"`)

func (w *writer) load(treesDir string) error {
	w.trees = map[string][]*tnode{}
	w.carried = map[string]bool{}
	w.opsOf = map[string][]string{}
	for _, r := range roots {
		t, err := readTree(filepath.Join(treesDir, w.version, r+".tree"))
		if err != nil {
			return err
		}
		if src, ok := carrySource[w.version]; ok {
			from, err := readTree(filepath.Join(treesDir, src, r+".tree"))
			if err != nil {
				return err
			}
			if err := w.carry(packetOf(t), packetOf(from)); err != nil {
				return err
			}
		}
		w.trees[r] = t
		operators(packetOf(t), func(_ *tnode, _ int, op *tnode) { w.opsOf[r] = append(w.opsOf[r], op.name) })
	}

	// The hand-written files and their types.
	entries, err := os.ReadDir(w.dir)
	if err != nil {
		return err
	}
	w.hand = map[string]string{}
	w.handDecl = map[string][]string{}
	includes := map[string][]string{}
	for _, e := range entries {
		name := e.Name()
		if !strings.HasSuffix(name, ".xsd") || name == "agent_input.xsd" || name == "agent_output.xsd" {
			continue
		}
		data, err := os.ReadFile(filepath.Join(w.dir, name))
		if err != nil {
			return err
		}
		if strings.Contains(string(data), marker) {
			continue
		}
		w.handFiles = append(w.handFiles, name)
		for _, m := range declRE.FindAllStringSubmatch(string(data), -1) {
			w.handDecl[m[2]] = append(w.handDecl[m[2]], name)
			w.hand[m[2]] = name
		}
		for _, m := range inclRE.FindAllStringSubmatch(string(data), -1) {
			includes[name] = append(includes[name], m[1])
		}
	}
	sort.Strings(w.handFiles)
	w.handClose = map[string]map[string]bool{}
	w.handOps = map[string]bool{}
	for _, r := range roots {
		suffix := strings.TrimPrefix(r, "agent") + ".xsd" // _input.xsd
		c := map[string]bool{}
		var add func(f string)
		add = func(f string) {
			if c[f] {
				return
			}
			c[f] = true
			for _, g := range includes[f] {
				add(g)
			}
		}
		for _, f := range w.handFiles {
			if strings.HasSuffix(f, suffix) {
				add(f)
			}
		}
		w.handClose[r] = c
	}
	// An operator is hand-written when its type is.
	for _, r := range roots {
		operators(packetOf(w.trees[r]), func(_ *tnode, _ int, op *tnode) {
			if op.label == "type" && w.hand[op.typ] != "" {
				w.handOps[op.name] = true
			}
		})
	}
	return nil
}

// carry inserts into packet the operators of from that packet lacks, after
// the operator that precedes them in from.
func (w *writer) carry(packet, from *tnode) error {
	have := map[string]bool{}
	var list *tnode
	operators(packet, func(parent *tnode, _ int, op *tnode) {
		have[op.name] = true
		if parent.max == "unbounded" {
			list = parent
		}
	})
	if list == nil {
		return fmt.Errorf("no repeated operator choice in packet")
	}
	prev := ""
	operators(from, func(parent *tnode, _ int, op *tnode) {
		if parent.max != "unbounded" {
			return
		}
		if !have[op.name] {
			at := 0
			for i, k := range list.kids {
				if k.name == prev {
					at = i + 1
				}
			}
			list.kids = append(list.kids[:at], append([]*tnode{op}, list.kids[at:]...)...)
			have[op.name] = true
			w.carried[op.name] = true
		}
		prev = op.name
	})
	return nil
}

func (w *writer) isOperator(root, name string) bool {
	for _, op := range w.opsOf[root] {
		if op == name {
			return true
		}
	}
	return false
}

// handFile returns the hand-written file that declares name for root: the
// one in root's closure, else any; "" when no hand-written file does.
func (w *writer) handFile(root, name string) string {
	files := w.handDecl[name]
	for _, f := range files {
		if w.handClose[root][f] {
			return f
		}
	}
	if len(files) > 0 {
		return files[0]
	}
	return ""
}
