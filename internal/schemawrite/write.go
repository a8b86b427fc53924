package main

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/pleskgo/plesk/gen/xsd"
)

// class is what a type=T label stands for.
type class int

const (
	classAny     class = iota // xs:anyType
	classBuiltin              // an XML Schema builtin (or the official schemas' copy of one)
	classSimple               // a named simple type
	classComplex              // a named complex type
)

// builtinNamed reports whether name is an XML Schema builtin simple type.
// The official schemas declare their own string, int, boolean, … (each a
// restriction of the builtin with whiteSpace collapse); ours use the
// builtin, which the trees cannot tell apart.
func builtinNamed(name string) bool {
	return xsd.BuiltinSimple(name) != nil
}

func (w *writer) classify(root, path string, n *tnode) class {
	if n.typ == "anyType" {
		return classAny
	}
	if on := w.off.lookup(root, path, n); on != nil {
		switch t := on.Type.(type) {
		case *xsd.SimpleType:
			if t.Builtin || builtinNamed(t.Name.Local) {
				return classBuiltin
			}
			return classSimple
		case *xsd.ComplexType:
			if t == xsd.AnyType {
				return classAny
			}
			return classComplex
		}
	}
	if w.handFile(root, n.typ) != "" {
		if w.handKind[n.typ] == "simpleType" {
			return classSimple
		}
		return classComplex
	}
	switch w.off.namedType(n.typ).(type) {
	case *xsd.SimpleType:
		if builtinNamed(n.typ) {
			return classBuiltin
		}
		return classSimple
	case *xsd.ComplexType:
		return classComplex
	}
	if builtinNamed(n.typ) && len(n.kids) == 0 {
		return classBuiltin
	}
	if len(n.kids) > 0 {
		return classComplex
	}
	return classSimple
}

// collect walks both trees and records every named type with its uses.
func (w *writer) collect() error {
	w.order = nil
	var errs []string
	for _, r := range roots {
		opNodes := map[*tnode]bool{}
		operators(packetOf(w.trees[r]), func(_ *tnode, _ int, op *tnode) { opNodes[op] = true })
		var walk func(n *tnode, path, op string)
		walk = func(n *tnode, path, op string) {
			switch n.kind {
			case "element":
				path += "/" + n.name
				if opNodes[n] {
					op = n.name
				}
			case "attribute":
				path += "/@" + n.name
			}
			if n.kind == "element" || n.kind == "attribute" {
				switch n.label {
				case "type":
					switch w.classify(r, path, n) {
					case classAny:
						return
					case classSimple:
						w.requireSimple(n.typ)
					case classComplex:
						if w.handFile(r, n.typ) != "" {
							break
						}
						t := w.types[r+"|"+n.typ]
						if t == nil {
							t = &ntype{name: n.typ, node: n, root: r, path: path, uses: map[string]bool{}}
							if on := w.off.lookup(r, path, n); on != nil {
								t.off, _ = on.Type.(*xsd.ComplexType)
							} else if ct, ok := w.off.namedType(n.typ).(*xsd.ComplexType); ok {
								t.off = ct
							}
							w.types[r+"|"+n.typ] = t
							w.order = append(w.order, t)
						} else if t.node.subtree() != n.subtree() {
							errs = append(errs, fmt.Sprintf("type %s: %s %s differs from %s %s", n.typ, r, path, t.root, t.path))
						}
						t.uses[r+"|"+op] = true
						if opNodes[n] {
							t.opType = n.name
						}
					}
				case "base":
					if !builtinNamed(n.typ) {
						w.requireSimple(n.typ)
					}
				}
			}
			for _, k := range n.kids {
				walk(k, path, op)
			}
		}
		for _, n := range w.trees[r] {
			walk(n, "", "")
		}
	}
	if len(errs) > 0 {
		return fmt.Errorf("named types whose uses differ:\n\t%s", strings.Join(errs, "\n\t"))
	}
	// A type both roots use with the same structure is declared once, in
	// the shared file; one whose structure differs (the official schemas
	// declare ServerOperatorType once per root) once per root.
	var order []*ntype
	for _, t := range w.order {
		if t.root != "agent_output" {
			order = append(order, t)
			continue
		}
		in := w.types["agent_input|"+t.name]
		if in != nil && in.node.subtree() == t.node.subtree() {
			for u := range t.uses {
				in.uses[u] = true
			}
			in.shared = true
			w.types["agent_output|"+t.name] = in
			continue
		}
		if in != nil {
			w.notef("type %s: the request and the response declare it differently; written once per root", t.name)
		}
		order = append(order, t)
	}
	w.order = order
	w.unshare()
	return nil
}

// unshare declares once per root every shared type that refers to a type
// the roots declare apart (a hand-written one declared in both roots' files,
// or a type that is itself not shared): a file both roots include cannot
// include either root's own files.
func (w *writer) unshare() {
	for changed := true; changed; {
		changed = false
		var order []*ntype
		for _, t := range w.order {
			order = append(order, t)
			if !t.shared || w.shareable(t.node) {
				continue
			}
			changed = true
			out := &ntype{name: t.name, node: t.node, root: "agent_output", path: t.path,
				uses: map[string]bool{}, off: t.off, opType: t.opType}
			for u := range t.uses {
				if strings.HasPrefix(u, "agent_output|") {
					out.uses[u] = true
					delete(t.uses, u)
				}
			}
			t.shared = false
			w.types["agent_output|"+t.name] = out
			order = append(order, out)
		}
		w.order = order
	}
}

func (w *writer) shareable(n *tnode) bool {
	for _, k := range n.kids {
		if (k.kind == "element" || k.kind == "attribute") && (k.label == "type" || k.label == "base") &&
			k.typ != "anyType" && !builtinNamed(k.typ) {
			in, out := w.handFile("agent_input", k.typ), w.handFile("agent_output", k.typ)
			if in != out {
				return false
			}
			if in == "" {
				ti, to := w.types["agent_input|"+k.typ], w.types["agent_output|"+k.typ]
				if ti != to {
					return false
				}
			}
		}
		if !w.shareable(k) {
			return false
		}
	}
	return true
}

func (w *writer) requireSimple(name string) {
	if builtinNamed(name) {
		return
	}
	if _, ok := w.hand[name]; ok {
		return
	}
	if _, ok := w.simple[name]; ok {
		return
	}
	st, _ := w.off.namedType(name).(*xsd.SimpleType)
	if st == nil {
		w.notef("simple type %s is not in the official 1.6.6.0 schemas: written as a plain xs:string", name)
	}
	w.simple[name] = st
	w.simpleOrder = append(w.simpleOrder, name)
}

func fileSuffix(root string) string { return strings.TrimPrefix(root, "agent") } // _input

func opFile(op, root string) string {
	return strings.ReplaceAll(op, "-", "_") + fileSuffix(root) + ".xsd"
}

const (
	sharedFile = "shared_types.xsd"
	simpleFile = "simple_types.xsd"
)

func rootCommon(root string) string {
	if root == "agent_input" {
		return "request_types.xsd"
	}
	return "response_types.xsd"
}

// assign picks the file of every named type: the operator's file when one
// operator of one root uses it, the root's common file when several do,
// shared_types.xsd when both roots do.
func (w *writer) assign() {
	for _, t := range w.order {
		rootsSeen := map[string]bool{}
		ops := map[string]bool{}
		for u := range t.uses {
			r, op, _ := strings.Cut(u, "|")
			rootsSeen[r] = true
			ops[op] = true
		}
		switch {
		case t.shared:
			t.file = sharedFile
		default:
			var r string
			for x := range rootsSeen {
				r = x
			}
			var op string
			for x := range ops {
				op = x
			}
			switch {
			case len(ops) == 1 && op == "":
				t.file = r + ".xsd"
			case len(ops) == 1:
				t.file = opFile(op, r)
			default:
				t.file = rootCommon(r)
			}
		}
	}
}

func (w *writer) file(name string) *outFile {
	f := w.files[name]
	if f == nil {
		f = &outFile{name: name, includes: map[string]bool{}}
		w.files[name] = f
	}
	return f
}

// ref returns the name to write for a reference from f to the non-builtin
// type name, and records the include it needs.
func (w *writer) ref(f *outFile, root, name string) string {
	var file string
	switch {
	case w.handFile(root, name) != "":
		file = w.handFile(root, name)
		if !w.handClose[root][file] && file != "object_descriptor.xsd" {
			w.notef("%s needs the hand-written type %s, which only %s declares, outside its closure", root, name, file)
		}
	case w.types[root+"|"+name] != nil:
		file = w.types[root+"|"+name].file
	default:
		w.requireSimple(name)
		file = simpleFile
	}
	if file != f.name {
		f.includes[file] = true
	}
	return name
}

func (w *writer) write() error {
	w.handKind = map[string]string{}
	for _, f := range w.handFiles {
		data, err := os.ReadFile(filepath.Join(w.dir, f))
		if err != nil {
			return err
		}
		for _, m := range declRE.FindAllStringSubmatch(string(data), -1) {
			w.handKind[m[2]] = m[1]
		}
	}
	if err := w.collect(); err != nil {
		return err
	}
	w.assign()
	for _, r := range roots {
		for _, op := range w.opsOf[r] {
			if w.handOps[op] {
				continue
			}
			for _, h := range w.handFiles {
				if h == opFile(op, r) {
					return fmt.Errorf("operator %s: file %s is hand-written", op, h)
				}
			}
		}
	}

	// Named complex types, in the order of first use.
	for _, t := range w.order {
		f := w.file(t.file)
		e := &emitter{w: w, f: f, b: &f.body, root: t.root}
		e.line(1, `<xs:complexType name="%s">`, attrEsc(t.name))
		if t.opType != "" {
			e.doc(2, typeDoc(t))
		}
		e.complexBody(t.node, t.root, t.path, t.opType, t.off, 2, t.opType != "")
		e.line(1, `</xs:complexType>`)
		f.body.WriteString("\n")
	}

	// The root files: the global elements of the trees.
	for _, r := range roots {
		f := w.file(r + ".xsd")
		var body strings.Builder
		e := &emitter{w: w, f: f, b: &body, root: r}
		for _, n := range w.trees[r] {
			e.element(n, r, "", "", 1, globalDoc(r, n.name), true)
			body.WriteString("\n")
		}
		// Global elements first, then the types assigned to the root file.
		rest := f.body.String()
		f.body.Reset()
		f.body.WriteString(body.String())
		f.body.WriteString(rest)
		for _, h := range w.handFiles {
			if strings.HasSuffix(h, fileSuffix(r)+".xsd") || h == "plesk_common.xsd" {
				f.includes[h] = true
			}
		}
		for _, op := range w.opsOf[r] {
			if !w.handOps[op] && w.files[opFile(op, r)] != nil {
				f.includes[opFile(op, r)] = true
			}
		}
	}

	// Simple types last: writing the others may require more.
	if len(w.simpleOrder) > 0 {
		f := w.file(simpleFile)
		for i := 0; i < len(w.simpleOrder); i++ { // grows while writing
			name := w.simpleOrder[i]
			e := &emitter{w: w, f: f, b: &f.body, root: "agent_input"}
			e.namedSimple(name, w.simple[name], 1)
			f.body.WriteString("\n")
		}
	}
	// Files that use the common files' types include them; the roots
	// include every new file they need through the operator files, and the
	// common files directly.
	for _, r := range roots {
		f := w.files[r+".xsd"]
		for _, name := range []string{sharedFile, rootCommon(r), simpleFile} {
			if w.files[name] != nil {
				f.includes[name] = true
			}
		}
	}
	return w.flush()
}

// flush removes the files of the previous run and writes the new ones.
func (w *writer) flush() error {
	entries, err := os.ReadDir(w.dir)
	if err != nil {
		return err
	}
	for _, e := range entries {
		p := filepath.Join(w.dir, e.Name())
		if !strings.HasSuffix(e.Name(), ".xsd") {
			continue
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if strings.Contains(string(data), marker) || e.Name() == "agent_input.xsd" || e.Name() == "agent_output.xsd" {
			if err := os.Remove(p); err != nil {
				return err
			}
		}
	}
	names := make([]string, 0, len(w.files))
	for n := range w.files {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		f := w.files[n]
		var b strings.Builder
		b.WriteString("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
		fmt.Fprintf(&b, "%s from the published element trees of %s (see schemas/doc.go); edit the program, not this file. -->\n", marker, w.version)
		fmt.Fprintf(&b, "<!-- pleskgo's own description of Plesk XML API protocol %s: %s. -->\n", w.version, fileWhat(w, n))
		b.WriteString(`<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" elementFormDefault="qualified">` + "\n")
		var incs []string
		for i := range f.includes {
			if i != n {
				incs = append(incs, i)
			}
		}
		sort.Strings(incs)
		for _, i := range incs {
			fmt.Fprintf(&b, "  <xs:include schemaLocation=\"%s\"/>\n", i)
		}
		if len(incs) > 0 {
			b.WriteString("\n")
		}
		b.WriteString(strings.TrimRight(f.body.String(), "\n"))
		b.WriteString("\n</xs:schema>\n")
		if err := os.WriteFile(filepath.Join(w.dir, n), []byte(b.String()), 0o644); err != nil {
			return err
		}
	}
	return nil
}
