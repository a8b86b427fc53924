package main

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/pleskgo/plesk/gen/xsd"
)

// emitter writes schema text for tree nodes into one file's body.
type emitter struct {
	w *writer
	f *outFile
	b *strings.Builder
	// root is the root whose types the file's references name.
	root string
}

func (e *emitter) line(depth int, format string, args ...any) {
	e.b.WriteString(strings.Repeat("  ", depth))
	fmt.Fprintf(e.b, format, args...)
	e.b.WriteByte('\n')
}

func (e *emitter) doc(depth int, text string) {
	if text == "" {
		return
	}
	e.line(depth, "<xs:annotation>")
	e.line(depth+1, "<xs:documentation>%s</xs:documentation>", textEsc(text))
	e.line(depth, "</xs:annotation>")
}

func occursAttrs(min, max string) string {
	var s string
	if min != "" && min != "1" {
		s += ` minOccurs="` + min + `"`
	}
	if max != "" && max != "1" {
		s += ` maxOccurs="` + max + `"`
	}
	return s
}

// element writes the declaration of element n at path (its parent's) in
// root, within operator op. opLevel asks for the operations' docs below.
func (e *emitter) element(n *tnode, root, path, op string, depth int, doc string, global bool) {
	path += "/" + n.name
	if packet := path == "/packet"; packet {
		op = ""
	}
	if doc == "" {
		doc = pathDocs[root+"|"+path]
	}
	if rest, ok := strings.CutPrefix(path, "/packet/"); ok && !strings.Contains(rest, "/") && e.w.isOperator(root, rest) {
		doc = operatorDoc(root, rest, e.w.carried[rest])
		if n.label == "type" && n.typ == "anyType" {
			doc += " Untyped (any content), as the published tree of this version shows it."
		}
	}
	on := e.w.off.lookup(root, path, n)
	attrs := ` name="` + attrEsc(n.name) + `"`
	var inline func()
	switch n.label {
	case "type":
		switch e.w.classify(root, path, n) {
		case classAny:
			attrs += ` type="xs:anyType"`
		case classBuiltin:
			attrs += ` type="xs:` + n.typ + `"`
		default:
			attrs += ` type="` + attrEsc(e.w.ref(e.f, e.root, n.typ)) + `"`
		}
	case "base":
		inline = func() { e.anonSimple(n, on, depth+1) }
	case "anon":
		var ct *xsd.ComplexType
		if on != nil {
			ct, _ = on.Type.(*xsd.ComplexType)
		}
		inline = func() {
			e.line(depth+1, "<xs:complexType>")
			e.complexBody(n, root, path, op, ct, depth+2, false)
			e.line(depth+1, "</xs:complexType>")
		}
	}
	if !global {
		attrs += occursAttrs(n.min, n.max)
	}
	if n.nillable {
		attrs += ` nillable="true"`
	}
	if n.abstract {
		if global {
			attrs += ` abstract="true"`
		} else {
			e.w.notef("%s: a local element cannot be abstract; written without", path)
		}
	}
	if on != nil && on.Element != nil {
		if d := on.Element.Default; d != nil {
			attrs += ` default="` + attrEsc(*d) + `"`
		} else if f := on.Element.Fixed; f != nil {
			attrs += ` fixed="` + attrEsc(*f) + `"`
		}
	}
	if doc == "" && inline == nil {
		e.line(depth, "<xs:element%s/>", attrs)
		return
	}
	e.line(depth, "<xs:element%s>", attrs)
	e.doc(depth+1, doc)
	if inline != nil {
		inline()
	}
	e.line(depth, "</xs:element>")
}

// complexBody writes the content of a complex type whose tree node is n:
// its content particle, attributes and attribute wildcard. ct is the
// official type at the same place, if known; opLevel writes a doc line for
// each operation (the elements of the top compositors).
func (e *emitter) complexBody(n *tnode, root, path, op string, ct *xsd.ComplexType, depth int, opLevel bool) {
	var particle *tnode
	var attrs []*tnode
	var anyAttr *tnode
	for i, k := range n.kids {
		switch {
		case k.isCompositor() && i == 0:
			particle = k
		case k.kind == "attribute":
			attrs = append(attrs, k)
		case k.kind == "anyAttribute":
			anyAttr = k
		default:
			e.w.notef("%s: unexpected line %q under a complex type", path, k.line)
		}
	}
	if particle == nil && len(attrs)+btoi(anyAttr != nil) > 0 {
		// Attributes only: empty or simple content, which the tree does
		// not show; the official type tells.
		var text *xsd.SimpleType
		switch {
		case ct != nil && ct.Content() == xsd.ContentSimple:
			text = ct.TextType()
		case ct == nil:
			e.w.notef("%s: attributes only and no official type: written as text content (xs:string)", path)
			text = xsd.BuiltinSimple("string")
		}
		if text != nil {
			base := e.simpleName(text)
			if base == "" {
				e.w.notef("%s: the text type is anonymous: written as its builtin base", path)
				base = "xs:" + text.Primitive().Name.Local
			}
			e.line(depth, "<xs:simpleContent>")
			e.line(depth+1, `<xs:extension base="%s">`, attrEsc(base))
			e.attributes(attrs, anyAttr, root, path, depth+2)
			e.line(depth+1, "</xs:extension>")
			e.line(depth, "</xs:simpleContent>")
			return
		}
	}
	if particle != nil {
		e.particle(particle, root, path, op, depth, opLevel)
	}
	e.attributes(attrs, anyAttr, root, path, depth)
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

func (e *emitter) particle(n *tnode, root, path, op string, depth int, opLevel bool) {
	e.line(depth, "<xs:%s%s>", n.kind, occursAttrs(n.min, n.max))
	for _, k := range n.kids {
		switch {
		case k.kind == "element":
			doc := ""
			if opLevel {
				doc = operationDoc(root, op, k.name, e.w.carried[op])
			}
			e.element(k, root, path, op, depth+1, doc, false)
		case k.isCompositor():
			e.particle(k, root, path, op, depth+1, opLevel)
		case k.kind == "any":
			e.line(depth+1, `<xs:any namespace="%s" processContents="%s"%s/>`, e.namespace(k.ns, path), k.pc, occursAttrs(k.min, k.max))
		default:
			e.w.notef("%s: unexpected line %q in a compositor", path, k.line)
		}
	}
	e.line(depth, "</xs:%s>", n.kind)
}

func (e *emitter) attributes(attrs []*tnode, anyAttr *tnode, root, path string, depth int) {
	for _, a := range attrs {
		apath := path + "/@" + a.name
		on := e.w.off.lookup(root, apath, a)
		s := ` name="` + attrEsc(a.name) + `"`
		if a.label == "type" {
			if builtinNamed(a.typ) {
				s += ` type="xs:` + a.typ + `"`
			} else {
				s += ` type="` + attrEsc(e.w.ref(e.f, e.root, a.typ)) + `"`
			}
		}
		if a.use == "required" {
			s += ` use="required"`
		}
		if a.def != nil {
			s += ` default="` + attrEsc(*a.def) + `"`
		} else if a.fixed != nil {
			s += ` fixed="` + attrEsc(*a.fixed) + `"`
		}
		if a.label == "base" {
			e.line(depth, "<xs:attribute%s>", s)
			e.anonSimple(a, on, depth+1)
			e.line(depth, "</xs:attribute>")
		} else {
			e.line(depth, "<xs:attribute%s/>", s)
		}
	}
	if anyAttr != nil {
		e.line(depth, `<xs:anyAttribute namespace="%s" processContents="%s"/>`, e.namespace(anyAttr.ns, path), anyAttr.pc)
	}
}

// namespace turns a tree's wildcard constraint into the attribute value
// (our schemas have no target namespace).
func (e *emitter) namespace(ns, path string) string {
	switch ns {
	case "##any":
		return "##any"
	case "not(##absent)":
		return "##other"
	}
	if strings.HasPrefix(ns, "not(") {
		e.w.notef("%s: wildcard %s cannot be written without a target namespace; written as ##other", path, ns)
		return "##other"
	}
	var parts []string
	for _, p := range strings.Split(ns, ",") {
		if p == "##absent" {
			p = "##local"
		}
		parts = append(parts, attrEsc(p))
	}
	return strings.Join(parts, " ")
}

// simpleName returns how to reference t from this file: xs:name for a
// builtin (or the official copy of one), the name for a named type (which
// gets declared), "" for an anonymous type.
func (e *emitter) simpleName(t *xsd.SimpleType) string {
	switch {
	case t == nil:
		return "xs:anySimpleType"
	case t.Name.IsZero():
		return ""
	case t.Builtin || builtinNamed(t.Name.Local):
		return "xs:" + t.Name.Local
	}
	return e.w.ref(e.f, e.root, t.Name.Local)
}

// anonSimple writes the anonymous simple type of n (a base=B line) from the
// official one at the same place, or as a plain restriction of B.
func (e *emitter) anonSimple(n *tnode, on *xsd.Node, depth int) {
	if on != nil {
		if st, ok := on.Type.(*xsd.SimpleType); ok && st.Name.IsZero() {
			e.simpleDef(st, "", depth)
			return
		}
	}
	base := "xs:" + n.typ
	if !builtinNamed(n.typ) {
		base = e.w.ref(e.f, e.root, n.typ)
	}
	e.line(depth, "<xs:simpleType>")
	e.line(depth+1, `<xs:restriction base="%s"/>`, attrEsc(base))
	e.line(depth, "</xs:simpleType>")
}

// namedSimple writes the declaration of the named simple type name.
func (e *emitter) namedSimple(name string, st *xsd.SimpleType, depth int) {
	if st == nil {
		e.line(depth, `<xs:simpleType name="%s">`, attrEsc(name))
		e.line(depth+1, `<xs:restriction base="xs:string"/>`)
		e.line(depth, "</xs:simpleType>")
		return
	}
	e.simpleDef(st, name, depth)
}

// simpleDef writes st as a simple type declaration (named when name is set).
func (e *emitter) simpleDef(st *xsd.SimpleType, name string, depth int) {
	if name != "" {
		e.line(depth, `<xs:simpleType name="%s">`, attrEsc(name))
	} else {
		e.line(depth, "<xs:simpleType>")
	}
	switch st.Variety {
	case xsd.List:
		if ref := e.simpleName(st.ItemType); ref != "" {
			e.line(depth+1, `<xs:list itemType="%s"/>`, attrEsc(ref))
		} else {
			e.line(depth+1, "<xs:list>")
			e.simpleDef(st.ItemType, "", depth+2)
			e.line(depth+1, "</xs:list>")
		}
	case xsd.Union:
		var refs []string
		var anon []*xsd.SimpleType
		for _, m := range st.MemberTypes {
			if r := e.simpleName(m); r != "" {
				refs = append(refs, r)
			} else {
				anon = append(anon, m)
			}
		}
		attr := ""
		if len(refs) > 0 {
			attr = ` memberTypes="` + attrEsc(strings.Join(refs, " ")) + `"`
		}
		if len(anon) == 0 {
			e.line(depth+1, "<xs:union%s/>", attr)
		} else {
			e.line(depth+1, "<xs:union%s>", attr)
			for _, m := range anon {
				e.simpleDef(m, "", depth+2)
			}
			e.line(depth+1, "</xs:union>")
		}
	default:
		facets := st.Facets
		base := st.BaseType
		ref := e.simpleName(base)
		if base != nil && !base.Builtin && builtinNamed(base.Name.Local) && facets.WhiteSpace == "" {
			// The official copy of a builtin adds whiteSpace collapse.
			facets.WhiteSpace = base.EffectiveFacets().WhiteSpace
		}
		if ref == "" {
			e.line(depth+1, "<xs:restriction>")
			e.simpleDef(base, "", depth+2)
		} else {
			e.line(depth+1, `<xs:restriction base="%s">`, attrEsc(ref))
		}
		e.facets(facets, depth+2)
		e.line(depth+1, "</xs:restriction>")
	}
	e.line(depth, "</xs:simpleType>")
}

func (e *emitter) facets(f xsd.Facets, depth int) {
	for _, en := range f.Enumerations {
		e.line(depth, `<xs:enumeration value="%s"/>`, attrEsc(en.Value))
	}
	for _, p := range f.Patterns {
		e.line(depth, `<xs:pattern value="%s"/>`, attrEsc(p))
	}
	intFacet := func(name string, v *int) {
		if v != nil {
			e.line(depth, `<xs:%s value="%s"/>`, name, strconv.Itoa(*v))
		}
	}
	strFacet := func(name string, v *string) {
		if v != nil {
			e.line(depth, `<xs:%s value="%s"/>`, name, attrEsc(*v))
		}
	}
	intFacet("length", f.Length)
	intFacet("minLength", f.MinLength)
	intFacet("maxLength", f.MaxLength)
	strFacet("minInclusive", f.MinInclusive)
	strFacet("maxInclusive", f.MaxInclusive)
	strFacet("minExclusive", f.MinExclusive)
	strFacet("maxExclusive", f.MaxExclusive)
	intFacet("totalDigits", f.TotalDigits)
	intFacet("fractionDigits", f.FractionDigits)
	if f.WhiteSpace != "" {
		e.line(depth, `<xs:whiteSpace value="%s"/>`, attrEsc(f.WhiteSpace))
	}
}

func attrEsc(s string) string {
	r := strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;", "\t", "&#9;", "\n", "&#10;", "\r", "&#13;")
	return r.Replace(s)
}

func textEsc(s string) string {
	r := strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")
	return r.Replace(s)
}
