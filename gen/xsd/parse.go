package xsd

import (
	"fmt"
	"strconv"
	"strings"
)

// schemaDoc turns one schema document into model components.
type schemaDoc struct {
	l    *loader
	file *File
	tns  string // the effective target namespace
	// chameleon is set for a no-namespace document included into a target
	// namespace: its unqualified references then name components of tns.
	chameleon bool
}

func (d *schemaDoc) errorf(p Pos, format string, args ...any) {
	d.l.errorf(p, format, args...)
}

// fixup queues f to run once every file of the closure is loaded.
func (d *schemaDoc) fixup(f func()) { d.l.fixups = append(d.l.fixups, f) }

// foreign reports c, a child of parent, unless it is in the XML Schema
// namespace, and tells whether it did: the parser skips such children.
func (d *schemaDoc) foreign(c, parent *node) bool {
	if c.name.Space == NS {
		return false
	}
	d.errorf(c.pos, "unexpected element <%s> in %s", tagName(c), tagName(parent))
	return true
}

func (d *schemaDoc) unexpected(c, parent *node) {
	hint := ""
	if _, known := schemaAttrs[c.name.Local]; !known && c.name.Space == NS {
		hint = didYouMean(c.name.Local, schemaChildren[parent.name.Local])
	}
	d.errorf(c.pos, "unexpected %s in %s%s", tagName(c), tagName(parent), hint)
}

// parseSchema reads the top level of a schema document.
func (d *schemaDoc) parseSchema(root *node) {
	f := d.file
	if v, ok := root.attr("elementFormDefault"); ok {
		f.ElementFormQualified = d.form(root, "elementFormDefault", v)
	}
	if v, ok := root.attr("attributeFormDefault"); ok {
		f.AttributeFormQualified = d.form(root, "attributeFormDefault", v)
	}
	set := d.l.set
	for _, c := range root.children {
		if d.foreign(c, root) {
			continue
		}
		switch c.name.Local {
		case "include", "import":
			d.include(c)
		case "redefine", "override":
			d.errorf(c.pos, "xs:%s is not supported", c.name.Local)
		case "annotation":
			f.Doc = joinDoc(f.Doc, d.annotation(c))
		case "element":
			if e := d.element(c, component{}, true); e != nil && !e.Name.IsZero() {
				define(d, c, set.elements, &set.Elements, e.Name, e, func(e *Element) Pos { return e.Pos })
			}
		case "complexType":
			if t := d.complexType(c, component{}, true); !t.Name.IsZero() {
				define(d, c, set.types, &set.Types, t.Name, Type(t), Type.Position)
			}
		case "simpleType":
			if t := d.simpleType(c, component{}, true); !t.Name.IsZero() {
				define(d, c, set.types, &set.Types, t.Name, Type(t), Type.Position)
			}
		case "group":
			if g := d.group(c); g != nil {
				define(d, c, set.groups, &set.Groups, g.Name, g, func(g *Group) Pos { return g.Pos })
			}
		case "attributeGroup":
			if g := d.attributeGroup(c); g != nil {
				define(d, c, set.attributeGroups, &set.AttributeGroups, g.Name, g, func(g *AttributeGroup) Pos { return g.Pos })
			}
		case "attribute":
			if a := d.attribute(c, component{}, true); a != nil && !a.Name.IsZero() {
				define(d, c, set.attributes, &set.Attributes, a.Name, a, func(a *Attribute) Pos { return a.Pos })
			}
		case "notation":
			// Notations do not shape documents.
		default:
			d.unexpected(c, root)
		}
	}
}

// define adds the global component v, declared by n, to a symbol table and
// its list, or reports that the name is taken.
func define[T any](d *schemaDoc, n *node, table map[QName]T, list *[]T, name QName, v T, pos func(T) Pos) {
	if old, ok := table[name]; ok {
		d.errorf(n.pos, "duplicate %s %q (first defined at %s)", n.name.Local, nameText(name), d.l.shown(pos(old)))
		return
	}
	table[name] = v
	*list = append(*list, v)
}

// include records an xs:include or xs:import; the loader reads the file
// once the including document is done.
func (d *schemaDoc) include(n *node) {
	inc := &Include{Pos: n.pos, Kind: n.name.Local}
	inc.Location, _ = n.attr("schemaLocation")
	inc.Location = strings.TrimSpace(inc.Location)
	if inc.Kind == "import" {
		inc.Namespace, _ = n.attr("namespace")
		if inc.Namespace == d.tns {
			d.errorf(n.pos, "xs:import of the document's own target namespace %s (use xs:include)", nsText(d.tns))
			return
		}
	} else if inc.Location == "" {
		d.errorf(n.pos, "xs:include without schemaLocation")
		return
	}
	if inc.Location != "" {
		if _, err := includePath(d.file.Path, inc.Location); err != "" {
			d.errorf(n.pos, "%s %q: %s", inc.Kind, inc.Location, err)
			return
		}
	}
	d.file.Includes = append(d.file.Includes, inc)
}

// annotation returns the normalized text of the xs:documentation children
// of an xs:annotation, paragraphs separated by a blank line.
func (d *schemaDoc) annotation(n *node) string {
	var doc string
	for _, c := range n.children {
		if d.foreign(c, n) {
			continue
		}
		switch c.name.Local {
		case "documentation":
			doc = joinDoc(doc, normalizeDoc(c.text))
		case "appinfo":
		default:
			d.unexpected(c, n)
		}
	}
	return doc
}

// docOf returns the documentation of the xs:annotation children of n.
func (d *schemaDoc) docOf(n *node) string {
	var doc string
	for _, c := range n.children {
		if c.name.Space == NS && c.name.Local == "annotation" {
			doc = joinDoc(doc, d.annotation(c))
		}
	}
	return doc
}

// normalizeDoc joins the lines of a documentation text into paragraphs:
// runs of white space become one space, and blank lines separate paragraphs.
func normalizeDoc(s string) string {
	var b strings.Builder
	para := false // a paragraph is open
	blank := false
	for _, line := range strings.Split(s, "\n") {
		words := strings.Fields(line)
		if len(words) == 0 {
			blank = para
			continue
		}
		switch {
		case blank:
			b.WriteString("\n\n")
		case para:
			b.WriteByte(' ')
		}
		para, blank = true, false
		for i, w := range words {
			if i > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(w)
		}
	}
	return b.String()
}

func joinDoc(a, b string) string {
	switch {
	case a == "":
		return b
	case b == "":
		return a
	}
	return a + "\n\n" + b
}

// qname resolves the QName value of attribute attr of n with the namespace
// declarations in scope at n.
func (d *schemaDoc) qname(n *node, attr, v string) (QName, bool) {
	v = strings.TrimSpace(v)
	prefix, local, ok := strings.Cut(v, ":")
	if !ok {
		prefix, local = "", v
	}
	if local == "" || strings.ContainsAny(local, ": \t\r\n") || ok && prefix == "" {
		d.errorf(n.pos, "%s: invalid QName %q", attr, v)
		return QName{}, false
	}
	uri, found := n.scope.lookup(prefix)
	if !found && prefix != "" {
		d.errorf(n.pos, "%s: undeclared namespace prefix %q in %q", attr, prefix, v)
		return QName{}, false
	}
	if uri == "" && d.chameleon {
		uri = d.tns
	}
	return QName{uri, local}, true
}

// qnameAttr resolves the QName attribute attr of n, if present.
func (d *schemaDoc) qnameAttr(n *node, attr string) (QName, bool) {
	v, ok := n.attr(attr)
	if !ok {
		return QName{}, false
	}
	return d.qname(n, attr, v)
}

// ncName checks the name attribute of a declaration.
func (d *schemaDoc) ncName(n *node, v string) (string, bool) {
	v = strings.TrimSpace(v)
	if v == "" || strings.ContainsAny(v, ": \t\r\n") {
		d.errorf(n.pos, "%s: invalid name %q", tagName(n), v)
		return "", false
	}
	return v, true
}

func (d *schemaDoc) boolAttr(n *node, attr string) bool {
	v, ok := n.attr(attr)
	if !ok {
		return false
	}
	switch strings.TrimSpace(v) {
	case "true", "1":
		return true
	case "false", "0":
		return false
	}
	d.errorf(n.pos, "%s: invalid boolean %q", attr, v)
	return false
}

func (d *schemaDoc) form(n *node, attr, v string) bool {
	switch strings.TrimSpace(v) {
	case "qualified":
		return true
	case "unqualified":
		return false
	}
	d.errorf(n.pos, "%s: invalid value %q (want qualified or unqualified)", attr, v)
	return false
}

// occurs reads minOccurs and maxOccurs.
func (d *schemaDoc) occurs(n *node) Occurs {
	o := One
	if v, ok := n.attr("minOccurs"); ok {
		i, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil || i < 0 {
			d.errorf(n.pos, "invalid minOccurs %q", v)
		} else {
			o.Min = i
		}
	}
	if v, ok := n.attr("maxOccurs"); ok {
		v = strings.TrimSpace(v)
		if v == "unbounded" {
			o.Max = Unbounded
		} else if i, err := strconv.Atoi(v); err != nil || i < 0 {
			d.errorf(n.pos, "invalid maxOccurs %q", v)
		} else {
			o.Max = i
		}
	}
	if o.Max != Unbounded && o.Min > o.Max {
		d.errorf(n.pos, "minOccurs %d is greater than maxOccurs %d", o.Min, o.Max)
		o.Min = o.Max
	}
	return o
}

func (d *schemaDoc) noOccurs(n *node, what string) {
	for _, a := range []string{"minOccurs", "maxOccurs"} {
		if _, ok := n.attr(a); ok {
			d.errorf(n.pos, "%s: %s is not allowed on %s", tagName(n), a, what)
		}
	}
}

func (d *schemaDoc) valueConstraint(n *node) (def, fixed *string) {
	if v, ok := n.attr("default"); ok {
		def = new(string)
		*def = v
	}
	if v, ok := n.attr("fixed"); ok {
		fixed = new(string)
		*fixed = v
	}
	if def != nil && fixed != nil {
		d.errorf(n.pos, "%s: both default and fixed", tagName(n))
	}
	return def, fixed
}

// component names a declaration in messages, as in `element "foo"`. It is
// formatted only when a message is.
type component struct {
	kind string
	name QName
}

func (c component) String() string { return fmt.Sprintf("%s %q", c.kind, nameText(c.name)) }

func describe(kind string, q QName) component { return component{kind, q} }

// element reads an xs:element: a global declaration (global), a local one,
// or a reference. ctx names the enclosing component for messages.
func (d *schemaDoc) element(n *node, ctx component, global bool) *Element {
	e := &Element{Pos: n.pos, Global: global}
	name, hasName := n.attr("name")
	ref, hasRef := n.attr("ref")
	switch {
	case hasName && hasRef:
		d.errorf(n.pos, "xs:element has both name %q and ref %q", name, ref)
		return nil
	case hasRef && global:
		d.errorf(n.pos, "global xs:element with ref %q", ref)
		return nil
	case hasRef:
		e.Ref, hasRef = d.qname(n, "ref", ref)
		if !hasRef {
			return nil
		}
		for _, a := range []string{"type", "nillable", "default", "fixed", "form", "block", "abstract", "substitutionGroup"} {
			if _, ok := n.attr(a); ok {
				d.errorf(n.pos, "element reference %q has a %s attribute", nameText(e.Ref), a)
			}
		}
		for _, c := range n.children {
			if d.foreign(c, n) {
				continue
			}
			switch c.name.Local {
			case "annotation":
				e.Doc = joinDoc(e.Doc, d.annotation(c))
			case "complexType", "simpleType":
				d.errorf(c.pos, "element reference %q has an inline type", nameText(e.Ref))
			default:
				d.unexpected(c, n)
			}
		}
		d.fixup(func() {
			if e.RefElement = d.l.set.Element(e.Ref); e.RefElement == nil {
				d.errorf(n.pos, "%s: unknown element %q%s", ctx, nameText(e.Ref), d.suggest(e.Ref, func() []QName { return declaredNames(d.l.set.elements) }))
			}
		})
		return e
	case !hasName:
		d.errorf(n.pos, "xs:element has neither name nor ref")
		return nil
	}
	local, ok := d.ncName(n, name)
	if !ok {
		return nil
	}
	e.Name.Local = local
	if global {
		e.Name.Space = d.tns
		d.noOccurs(n, "a global element")
		if _, ok := n.attr("form"); ok {
			d.errorf(n.pos, "form is not allowed on a global element")
		}
	} else {
		qualified := d.file.ElementFormQualified
		if v, ok := n.attr("form"); ok {
			qualified = d.form(n, "form", v)
		}
		if qualified {
			e.Name.Space = d.tns
		}
	}
	ctx = describe("element", e.Name)
	e.Nillable = d.boolAttr(n, "nillable")
	e.Abstract = d.boolAttr(n, "abstract")
	e.Default, e.Fixed = d.valueConstraint(n)
	if q, ok := d.qnameAttr(n, "substitutionGroup"); ok {
		if !global {
			d.errorf(n.pos, "%s: substitutionGroup is only allowed on a global element", ctx)
		} else {
			e.SubstitutionGroup = q
			d.fixup(func() {
				if d.l.set.Element(q) == nil {
					d.errorf(n.pos, "%s: unknown substitution group head %q%s", ctx, nameText(q), d.suggest(q, func() []QName { return declaredNames(d.l.set.elements) }))
				}
			})
		}
	}
	if q, ok := d.qnameAttr(n, "type"); ok {
		e.TypeName = q
		d.fixup(func() {
			if e.Type = d.l.set.Type(q); e.Type == nil {
				d.errorf(n.pos, "%s: unknown type %q%s", ctx, nameText(q), d.suggest(q, func() []QName { return d.l.set.typeNames(false) }))
			}
		})
	}
	for _, c := range n.children {
		if d.foreign(c, n) {
			continue
		}
		switch c.name.Local {
		case "annotation":
			e.Doc = joinDoc(e.Doc, d.annotation(c))
		case "complexType", "simpleType":
			if e.Type != nil || !e.TypeName.IsZero() {
				d.errorf(c.pos, "%s: more than one type", ctx)
				continue
			}
			if c.name.Local == "complexType" {
				e.Type = d.complexType(c, ctx, false)
			} else {
				e.Type = d.simpleType(c, ctx, false)
			}
		case "key", "keyref", "unique":
			// Identity constraints do not shape documents.
		default:
			d.unexpected(c, n)
		}
	}
	d.l.allElements = append(d.l.allElements, e)
	return e
}

// particle reads a particle: a compositor, element, group reference or
// xs:any. It returns nil (after reporting) for anything else.
func (d *schemaDoc) particle(n *node, ctx component) *Particle {
	p := &Particle{Pos: n.pos, Occurs: d.occurs(n)}
	switch n.name.Local {
	case "sequence", "choice", "all":
		switch n.name.Local {
		case "sequence":
			p.Kind = ParticleSequence
		case "choice":
			p.Kind = ParticleChoice
		default:
			p.Kind = ParticleAll
		}
		for _, c := range n.children {
			if d.foreign(c, n) {
				continue
			}
			switch c.name.Local {
			case "annotation":
				p.Doc = joinDoc(p.Doc, d.annotation(c))
			case "element", "group", "sequence", "choice", "any":
				if p.Kind == ParticleAll && c.name.Local != "element" {
					d.unexpected(c, n) // XSD 1.0: xs:all holds elements only
					continue
				}
				if c := d.particle(c, ctx); c != nil {
					p.Children = append(p.Children, c)
				}
			default:
				d.unexpected(c, n)
			}
		}
	case "element":
		p.Kind = ParticleElement
		if p.Element = d.element(n, ctx, false); p.Element == nil {
			return nil
		}
	case "any":
		p.Kind = ParticleAny
		p.Any = d.wildcard(n)
		p.Doc = d.docOf(n)
	case "group":
		p.Kind = ParticleGroupRef
		if _, ok := n.attr("name"); ok {
			d.errorf(n.pos, "%s: a group reference cannot have a name", ctx)
		}
		q, ok := d.qnameAttr(n, "ref")
		if !ok {
			d.errorf(n.pos, "%s: xs:group reference without ref", ctx)
			return nil
		}
		p.GroupName = q
		p.Doc = d.docOf(n)
		d.fixup(func() {
			if p.Group = d.l.set.Group(q); p.Group == nil {
				d.errorf(n.pos, "%s: unknown group %q%s", ctx, nameText(q), d.suggest(q, func() []QName { return declaredNames(d.l.set.groups) }))
			}
		})
	default:
		d.errorf(n.pos, "%s: %s is not a particle", ctx, tagName(n))
		return nil
	}
	return p
}

// wildcard reads an xs:any or xs:anyAttribute.
func (d *schemaDoc) wildcard(n *node) *Wildcard {
	w := &Wildcard{Pos: n.pos, Namespace: "##any", ProcessContents: "strict", TargetNamespace: d.tns}
	if v, ok := n.attr("namespace"); ok {
		w.Namespace = strings.Join(strings.Fields(v), " ")
		for _, tok := range strings.Fields(v) {
			if strings.HasPrefix(tok, "##") && tok != "##targetNamespace" && tok != "##local" &&
				!(len(strings.Fields(v)) == 1 && (tok == "##any" || tok == "##other")) {
				d.errorf(n.pos, "%s: invalid namespace %q", tagName(n), v)
				break
			}
		}
	}
	if v, ok := n.attr("processContents"); ok {
		switch v = strings.TrimSpace(v); v {
		case "strict", "lax", "skip":
			w.ProcessContents = v
		default:
			d.errorf(n.pos, "%s: invalid processContents %q", tagName(n), v)
		}
	}
	for _, c := range n.children {
		if d.foreign(c, n) {
			continue
		}
		if c.name.Local != "annotation" {
			d.unexpected(c, n)
		}
	}
	return w
}

// group reads a named model group.
func (d *schemaDoc) group(n *node) *Group {
	v, ok := n.attr("name")
	if !ok {
		d.errorf(n.pos, "global xs:group without name")
		return nil
	}
	local, ok := d.ncName(n, v)
	if !ok {
		return nil
	}
	g := &Group{Pos: n.pos, Name: QName{d.tns, local}}
	ctx := describe("group", g.Name)
	for _, c := range n.children {
		if d.foreign(c, n) {
			continue
		}
		switch c.name.Local {
		case "annotation":
			g.Doc = joinDoc(g.Doc, d.annotation(c))
		case "sequence", "choice", "all":
			if g.Particle != nil {
				d.errorf(c.pos, "%s: more than one model group", ctx)
				continue
			}
			d.noOccurs(c, "the model group of a group definition")
			g.Particle = d.particle(c, ctx)
		default:
			d.unexpected(c, n)
		}
	}
	if g.Particle == nil {
		d.errorf(n.pos, "%s: no model group", ctx)
	}
	return g
}

// attrs collects the attribute declarations of a type, extension,
// restriction or attribute group.
type attrs struct {
	list   *[]*Attribute
	groups *[]*AttributeGroupRef
	any    **Wildcard
}

// attrDecl reads c into a if it is an attribute declaration, attribute
// group reference or attribute wildcard, and reports whether it was.
func (d *schemaDoc) attrDecl(c *node, a attrs, ctx component) bool {
	switch c.name.Local {
	case "attribute":
		if *a.any != nil {
			d.errorf(c.pos, "%s: xs:attribute after xs:anyAttribute", ctx)
		}
		if at := d.attribute(c, ctx, false); at != nil {
			*a.list = append(*a.list, at)
		}
	case "attributeGroup":
		if *a.any != nil {
			d.errorf(c.pos, "%s: xs:attributeGroup after xs:anyAttribute", ctx)
		}
		q, ok := d.qnameAttr(c, "ref")
		if !ok {
			d.errorf(c.pos, "%s: xs:attributeGroup reference without ref", ctx)
			return true
		}
		r := &AttributeGroupRef{Pos: c.pos, Name: q}
		d.fixup(func() {
			if r.Group = d.l.set.AttributeGroup(q); r.Group == nil {
				d.errorf(c.pos, "%s: unknown attributeGroup %q%s", ctx, nameText(q), d.suggest(q, func() []QName { return declaredNames(d.l.set.attributeGroups) }))
			}
		})
		*a.groups = append(*a.groups, r)
	case "anyAttribute":
		if *a.any != nil {
			d.errorf(c.pos, "%s: more than one xs:anyAttribute", ctx)
		}
		*a.any = d.wildcard(c)
	default:
		return false
	}
	return true
}

// attribute reads an xs:attribute: global, local or a reference.
func (d *schemaDoc) attribute(n *node, ctx component, global bool) *Attribute {
	a := &Attribute{Pos: n.pos, Global: global}
	name, hasName := n.attr("name")
	ref, hasRef := n.attr("ref")
	switch {
	case hasName && hasRef:
		d.errorf(n.pos, "xs:attribute has both name %q and ref %q", name, ref)
		return nil
	case hasRef && global:
		d.errorf(n.pos, "global xs:attribute with ref %q", ref)
		return nil
	case !hasName && !hasRef:
		d.errorf(n.pos, "xs:attribute has neither name nor ref")
		return nil
	}
	if !global {
		if v, ok := n.attr("use"); ok {
			switch strings.TrimSpace(v) {
			case "optional":
				a.Use = UseOptional
			case "required":
				a.Use = UseRequired
			case "prohibited":
				a.Use = UseProhibited
			default:
				d.errorf(n.pos, "xs:attribute: invalid use %q", v)
			}
		}
	} else if _, ok := n.attr("use"); ok {
		d.errorf(n.pos, "use is not allowed on a global attribute")
	}
	a.Default, a.Fixed = d.valueConstraint(n)
	if a.Default != nil && a.Use != UseOptional {
		d.errorf(n.pos, "xs:attribute: default requires use=\"optional\"")
	}
	if hasRef {
		var ok bool
		if a.Ref, ok = d.qname(n, "ref", ref); !ok {
			return nil
		}
		for _, at := range []string{"type", "form"} {
			if _, ok := n.attr(at); ok {
				d.errorf(n.pos, "attribute reference %q has a %s attribute", nameText(a.Ref), at)
			}
		}
		for _, c := range n.children {
			if d.foreign(c, n) {
				continue
			}
			switch c.name.Local {
			case "annotation":
				a.Doc = joinDoc(a.Doc, d.annotation(c))
			case "simpleType":
				d.errorf(c.pos, "attribute reference %q has an inline type", nameText(a.Ref))
			default:
				d.unexpected(c, n)
			}
		}
		d.fixup(func() {
			if a.RefAttribute = d.l.set.Attribute(a.Ref); a.RefAttribute == nil {
				d.errorf(n.pos, "%s: unknown attribute %q%s", ctx, nameText(a.Ref), d.suggest(a.Ref, func() []QName { return declaredNames(d.l.set.attributes) }))
			}
		})
		return a
	}
	local, ok := d.ncName(n, name)
	if !ok {
		return nil
	}
	a.Name.Local = local
	qualified := global || d.file.AttributeFormQualified
	if v, ok := n.attr("form"); ok {
		if global {
			d.errorf(n.pos, "form is not allowed on a global attribute")
		} else {
			qualified = d.form(n, "form", v)
		}
	}
	if qualified {
		a.Name.Space = d.tns
	}
	ctx = describe("attribute", a.Name)
	if q, ok := d.qnameAttr(n, "type"); ok {
		a.TypeName = q
		d.fixup(func() { a.Type = d.simpleRef(n, ctx, "type", q) })
	}
	for _, c := range n.children {
		if d.foreign(c, n) {
			continue
		}
		switch c.name.Local {
		case "annotation":
			a.Doc = joinDoc(a.Doc, d.annotation(c))
		case "simpleType":
			if a.Type != nil || !a.TypeName.IsZero() {
				d.errorf(c.pos, "%s: more than one type", ctx)
				continue
			}
			a.Type = d.simpleType(c, ctx, false)
		default:
			d.unexpected(c, n)
		}
	}
	d.l.allAttributes = append(d.l.allAttributes, a)
	return a
}

// simpleRef resolves a reference to a simple type; what says which
// ("type", "base type", "item type", "member type").
func (d *schemaDoc) simpleRef(n *node, ctx component, what string, q QName) *SimpleType {
	switch t := d.l.set.Type(q).(type) {
	case *SimpleType:
		return t
	case nil:
		d.errorf(n.pos, "%s: unknown %s %q%s", ctx, what, nameText(q), d.suggest(q, func() []QName { return d.l.set.typeNames(true) }))
	default:
		d.errorf(n.pos, "%s: %s %q is a complexType, not a simpleType", ctx, what, nameText(q))
	}
	return nil
}

// attributeGroup reads a named attribute group.
func (d *schemaDoc) attributeGroup(n *node) *AttributeGroup {
	v, ok := n.attr("name")
	if !ok {
		d.errorf(n.pos, "global xs:attributeGroup without name")
		return nil
	}
	local, ok := d.ncName(n, v)
	if !ok {
		return nil
	}
	g := &AttributeGroup{Pos: n.pos, Name: QName{d.tns, local}}
	ctx := describe("attributeGroup", g.Name)
	a := attrs{&g.Attributes, &g.AttributeGroups, &g.AnyAttribute}
	for _, c := range n.children {
		if d.foreign(c, n) {
			continue
		}
		switch {
		case c.name.Local == "annotation":
			g.Doc = joinDoc(g.Doc, d.annotation(c))
		case d.attrDecl(c, a, ctx):
		default:
			d.unexpected(c, n)
		}
	}
	return g
}

// complexType reads an xs:complexType; ctx names the enclosing declaration
// of an anonymous one.
func (d *schemaDoc) complexType(n *node, ctx component, global bool) *ComplexType {
	t := &ComplexType{Pos: n.pos}
	d.l.allComplex = append(d.l.allComplex, t)
	if v, ok := n.attr("name"); ok {
		if !global {
			d.errorf(n.pos, "%s: an anonymous complexType cannot have a name", ctx)
		} else if local, ok := d.ncName(n, v); ok {
			t.Name = QName{d.tns, local}
		}
	} else if global {
		d.errorf(n.pos, "global xs:complexType without name")
	}
	if global {
		ctx = describe("complexType", t.Name)
	}
	t.Abstract = d.boolAttr(n, "abstract")
	t.Mixed = d.boolAttr(n, "mixed")
	d.content(n, t, ctx)
	return t
}

// content reads the content of a complex type, an xs:extension or an
// xs:restriction into t.
func (d *schemaDoc) content(n *node, t *ComplexType, ctx component) {
	a := attrs{&t.Attributes, &t.AttributeGroups, &t.AnyAttribute}
	derived := false
	for _, c := range n.children {
		if d.foreign(c, n) {
			continue
		}
		switch name := c.name.Local; {
		case name == "annotation":
			if n.name.Local == "complexType" {
				t.Doc = joinDoc(t.Doc, d.annotation(c))
			}
		case name == "simpleContent" || name == "complexContent":
			if n.name.Local != "complexType" {
				d.unexpected(c, n)
				continue
			}
			if derived || t.Particle != nil || len(t.Attributes)+len(t.AttributeGroups) > 0 || t.AnyAttribute != nil {
				d.errorf(c.pos, "%s: xs:%s must be the only content of xs:complexType", ctx, name)
				continue
			}
			derived = true
			d.derivation(c, t, ctx)
		case name == "sequence" || name == "choice" || name == "all" || name == "group":
			if t.SimpleContent {
				d.errorf(c.pos, "%s: simpleContent cannot have a content model", ctx)
				continue
			}
			if derived || t.Particle != nil {
				d.errorf(c.pos, "%s: more than one content model", ctx)
				continue
			}
			if len(t.Attributes)+len(t.AttributeGroups) > 0 || t.AnyAttribute != nil {
				d.errorf(c.pos, "%s: the content model must come before the attributes", ctx)
			}
			t.Particle = d.particle(c, ctx)
		case d.attrDecl(c, a, ctx):
			if derived {
				d.errorf(c.pos, "%s: attributes must be inside xs:%s", ctx, "extension or xs:restriction")
			}
		default:
			d.unexpected(c, n)
		}
	}
}

// derivation reads an xs:simpleContent or xs:complexContent.
func (d *schemaDoc) derivation(n *node, t *ComplexType, ctx component) {
	t.SimpleContent = n.name.Local == "simpleContent"
	if _, ok := n.attr("mixed"); ok {
		if t.SimpleContent {
			d.errorf(n.pos, "%s: mixed is not allowed on xs:simpleContent", ctx)
		} else {
			t.Mixed = d.boolAttr(n, "mixed")
		}
	}
	var der *node
	for _, c := range n.children {
		if d.foreign(c, n) {
			continue
		}
		switch c.name.Local {
		case "annotation":
		case "extension", "restriction":
			if der != nil {
				d.errorf(c.pos, "%s: more than one derivation in %s", ctx, tagName(n))
				continue
			}
			der = c
		default:
			d.unexpected(c, n)
		}
	}
	if der == nil {
		d.errorf(n.pos, "%s: %s without xs:extension or xs:restriction", ctx, tagName(n))
		return
	}
	if der.name.Local == "extension" {
		t.Derivation = DeriveExtension
	} else {
		t.Derivation = DeriveRestriction
	}
	q, ok := d.qnameAttr(der, "base")
	if !ok {
		if _, present := der.attr("base"); !present {
			d.errorf(der.pos, "%s: %s without base", ctx, tagName(der))
		}
		return
	}
	t.BaseName = q
	d.fixup(func() {
		switch b := d.l.set.Type(q).(type) {
		case nil:
			d.errorf(der.pos, "%s: unknown base type %q%s", ctx, nameText(q), d.suggest(q, func() []QName { return d.l.set.typeNames(false) }))
		case *SimpleType:
			if !t.SimpleContent {
				d.errorf(der.pos, "%s: complexContent base type %q is a simpleType", ctx, nameText(q))
				return
			}
			if t.Derivation == DeriveRestriction {
				d.errorf(der.pos, "%s: simpleContent restriction of simpleType %q (use xs:extension)", ctx, nameText(q))
				return
			}
			t.BaseType = b
		default:
			t.BaseType = b
		}
	})
	if !t.SimpleContent || t.Derivation == DeriveExtension {
		d.content(der, t, ctx)
		return
	}
	// simpleContent restriction: facets, then attributes.
	r := &SimpleType{Pos: der.pos}
	t.SimpleRestriction = r
	a := attrs{&t.Attributes, &t.AttributeGroups, &t.AnyAttribute}
	for _, c := range der.children {
		if d.foreign(c, der) {
			continue
		}
		switch {
		case c.name.Local == "annotation":
		case c.name.Local == "simpleType":
			if r.BaseType != nil {
				d.errorf(c.pos, "%s: more than one simpleType", ctx)
				continue
			}
			r.BaseType = d.simpleType(c, ctx, false)
		case d.facet(c, &r.Facets):
		case d.attrDecl(c, a, ctx):
		default:
			d.unexpected(c, der)
		}
	}
	d.l.simpleContents = append(d.l.simpleContents, t)
}

// simpleType reads an xs:simpleType.
func (d *schemaDoc) simpleType(n *node, ctx component, global bool) *SimpleType {
	t := &SimpleType{Pos: n.pos}
	d.l.allSimple = append(d.l.allSimple, t)
	if v, ok := n.attr("name"); ok {
		if !global {
			d.errorf(n.pos, "%s: an anonymous simpleType cannot have a name", ctx)
		} else if local, ok := d.ncName(n, v); ok {
			t.Name = QName{d.tns, local}
		}
	} else if global {
		d.errorf(n.pos, "global xs:simpleType without name")
	}
	if global {
		ctx = describe("simpleType", t.Name)
	}
	var variety *node
	for _, c := range n.children {
		if d.foreign(c, n) {
			continue
		}
		switch c.name.Local {
		case "annotation":
			t.Doc = joinDoc(t.Doc, d.annotation(c))
		case "restriction", "list", "union":
			if variety != nil {
				d.errorf(c.pos, "%s: more than one of xs:restriction, xs:list, xs:union", ctx)
				continue
			}
			variety = c
		default:
			d.unexpected(c, n)
		}
	}
	if variety == nil {
		d.errorf(n.pos, "%s: xs:simpleType without xs:restriction, xs:list or xs:union", ctx)
		return t
	}
	switch v := variety; v.name.Local {
	case "restriction":
		t.Variety = Atomic
		if q, ok := d.qnameAttr(v, "base"); ok {
			t.BaseName = q
			d.fixup(func() { t.BaseType = d.simpleRef(v, ctx, "base type", q) })
		}
		for _, c := range v.children {
			if d.foreign(c, v) {
				continue
			}
			switch {
			case c.name.Local == "annotation":
			case c.name.Local == "simpleType":
				if t.BaseType != nil || !t.BaseName.IsZero() {
					d.errorf(c.pos, "%s: xs:restriction has both a base and an inline simpleType", ctx)
					continue
				}
				t.BaseType = d.simpleType(c, ctx, false)
			case d.facet(c, &t.Facets):
			default:
				d.unexpected(c, v)
			}
		}
		if t.BaseType == nil && t.BaseName.IsZero() {
			d.errorf(v.pos, "%s: xs:restriction without base", ctx)
		}
	case "list":
		t.Variety = List
		if q, ok := d.qnameAttr(v, "itemType"); ok {
			t.ItemName = q
			d.fixup(func() { t.ItemType = d.simpleRef(v, ctx, "item type", q) })
		}
		for _, c := range v.children {
			if d.foreign(c, v) {
				continue
			}
			switch c.name.Local {
			case "annotation":
			case "simpleType":
				if t.ItemType != nil || !t.ItemName.IsZero() {
					d.errorf(c.pos, "%s: xs:list has both an itemType and an inline simpleType", ctx)
					continue
				}
				t.ItemType = d.simpleType(c, ctx, false)
			default:
				d.unexpected(c, v)
			}
		}
		if t.ItemType == nil && t.ItemName.IsZero() {
			d.errorf(v.pos, "%s: xs:list without itemType", ctx)
		}
	case "union":
		t.Variety = Union
		if s, ok := v.attr("memberTypes"); ok {
			for _, f := range strings.Fields(s) {
				if q, ok := d.qname(v, "memberTypes", f); ok {
					t.MemberNames = append(t.MemberNames, q)
				}
			}
			names := t.MemberNames
			d.fixup(func() {
				named := make([]*SimpleType, 0, len(names))
				for _, q := range names {
					if m := d.simpleRef(v, ctx, "member type", q); m != nil {
						named = append(named, m)
					}
				}
				t.MemberTypes = append(named, t.MemberTypes...)
			})
		}
		for _, c := range v.children {
			if d.foreign(c, v) {
				continue
			}
			switch c.name.Local {
			case "annotation":
			case "simpleType":
				t.MemberTypes = append(t.MemberTypes, d.simpleType(c, ctx, false))
			default:
				d.unexpected(c, v)
			}
		}
		if len(t.MemberNames) == 0 && len(t.MemberTypes) == 0 {
			d.errorf(v.pos, "%s: xs:union without member types", ctx)
		}
	}
	return t
}

// facet reads c into f if it is a constraining facet, and reports whether
// it was.
func (d *schemaDoc) facet(c *node, f *Facets) bool {
	name := c.name.Local
	var intp **int
	var strp **string
	switch name {
	case "enumeration", "pattern", "whiteSpace":
	case "length":
		intp = &f.Length
	case "minLength":
		intp = &f.MinLength
	case "maxLength":
		intp = &f.MaxLength
	case "totalDigits":
		intp = &f.TotalDigits
	case "fractionDigits":
		intp = &f.FractionDigits
	case "minInclusive":
		strp = &f.MinInclusive
	case "maxInclusive":
		strp = &f.MaxInclusive
	case "minExclusive":
		strp = &f.MinExclusive
	case "maxExclusive":
		strp = &f.MaxExclusive
	default:
		return false
	}
	v, ok := c.attr("value")
	if !ok {
		d.errorf(c.pos, "%s without value", tagName(c))
		return true
	}
	for _, k := range c.children {
		if d.foreign(k, c) {
			continue
		}
		if k.name.Local != "annotation" {
			d.unexpected(k, c)
		}
	}
	switch {
	case name == "enumeration":
		f.Enumerations = append(f.Enumerations, Enumeration{Pos: c.pos, Value: v, Doc: d.docOf(c)})
	case name == "pattern":
		f.Patterns = append(f.Patterns, v)
	case name == "whiteSpace":
		switch v = strings.TrimSpace(v); v {
		case "preserve", "replace", "collapse":
			f.WhiteSpace = v
		default:
			d.errorf(c.pos, "xs:whiteSpace: invalid value %q", v)
		}
	case intp != nil:
		i, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil || i < 0 {
			d.errorf(c.pos, "%s: invalid value %q", tagName(c), v)
			return true
		}
		if *intp != nil {
			d.errorf(c.pos, "%s given twice", tagName(c))
		}
		*intp = &i
	default:
		if *strp != nil {
			d.errorf(c.pos, "%s given twice", tagName(c))
		}
		v = strings.TrimSpace(v)
		*strp = &v
	}
	return true
}
