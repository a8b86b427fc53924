package model

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/pleskgo/plesk/gen/bind"
	"github.com/pleskgo/plesk/gen/naming"
	"github.com/pleskgo/plesk/gen/xsd"
)

// sideBuilder turns the components of one root closure into Go types.
type sideBuilder struct {
	side  Side
	set   *xsd.Set
	types []*Type

	complex map[*xsd.ComplexType]*Type
	enums   map[*xsd.SimpleType]*Type
	// scopes names the anonymous types inside a named type after the element
	// that uses it at the packet level: the anonymous <change-owner> inside
	// ClientTypeRequest becomes CustomerChangeOwner, not
	// ClientTypeRequestChangeOwner.
	scopes map[*xsd.ComplexType][]string
	rename map[string]string // -rename: "<type>/<element>" -> field name
	notes  []string
	errs   []error // what makes the schema set unusable, positioned
	// bindings type the elements the schema leaves untyped.
	bindings *bind.Bindings
}

func newSideBuilder(side Side, set *xsd.Set, rename map[string]string) *sideBuilder {
	return &sideBuilder{
		side:    side,
		set:     set,
		rename:  rename,
		complex: map[*xsd.ComplexType]*Type{},
		enums:   map[*xsd.SimpleType]*Type{},
		scopes:  map[*xsd.ComplexType][]string{},
	}
}

// build converts the types of every global element of the set.
func (b *sideBuilder) build() {
	// Operator types take the operator's element name as their scope.
	if pkt := b.set.Element(xsd.QName{Local: "packet"}); pkt != nil {
		if ct, ok := pkt.Type.(*xsd.ComplexType); ok {
			walkElements(ct.Particle, func(e *xsd.Element) {
				if op, ok := e.Decl().Type.(*xsd.ComplexType); ok && op.Name.Local != "" {
					if _, seen := b.scopes[op]; !seen {
						b.scopes[op] = []string{e.Decl().Name.Local}
					}
				}
			})
		}
	}
	// Only what a global element reaches becomes Go: a closure routinely
	// carries the other side's types (plesk_server.xsd defines the request's
	// initialSetupType in the response closure too), and emitting them would
	// only add unusable types and name clashes.
	for _, e := range b.set.Elements {
		g := b.elementType(e, nil)
		if e.Name.Local == "packet" && g.Named != nil {
			g.Named.XMLName = "packet"
		}
	}
}

// walkElements calls fn for each element particle of p, through compositors
// and group references.
func walkElements(p *xsd.Particle, fn func(*xsd.Element)) {
	walkElementsDepth(p, fn, 0)
}

func walkElementsDepth(p *xsd.Particle, fn func(*xsd.Element), depth int) {
	if p == nil || depth > 64 {
		return
	}
	switch p.Kind {
	case xsd.ParticleElement:
		fn(p.Element)
	case xsd.ParticleGroupRef:
		if p.Group != nil {
			walkElementsDepth(p.Group.Particle, fn, depth+1)
		}
	default:
		for _, c := range p.Children {
			walkElementsDepth(c, fn, depth+1)
		}
	}
}

// elementType returns the Go type of an element's content.
func (b *sideBuilder) elementType(e *xsd.Element, scope []string) GoType {
	d := e.Decl()
	parts := append(append([]string(nil), scope...), d.Name.Local)
	if d.Global {
		parts = []string{d.Name.Local}
	}
	if bd, ok := b.bindings.Lookup(d); ok {
		return boundType(bd.Kind)
	}
	switch t := d.Type.(type) {
	case *xsd.SimpleType:
		return b.simpleType(t, parts)
	case *xsd.ComplexType:
		g := b.complexType(t, parts)
		if nt := g.Named; nt != nil && !nt.named {
			// An anonymous type belongs to its element: it takes the
			// element's documentation and, for a global one, its name.
			if nt.Doc == "" {
				nt.Doc = firstNonEmpty(e.Doc, d.Doc)
			}
			if d.Global {
				nt.XMLName, nt.XMLNS = d.Name.Local, d.Name.Space
			}
		}
		return g
	}
	return GoType{Raw: true}
}

// RawNote starts the sentence a field kept as raw XML carries in its
// documentation, saying why.
const RawNote = "Kept as raw XML: "

// rawDoc adds to the documentation of an element kept as raw XML why it is:
// the reason its binding customization gives, or that nothing types it.
func (b *sideBuilder) rawDoc(doc string, d *xsd.Element, typ GoType) string {
	if !typ.Raw {
		return doc
	}
	why := "the schema leaves it untyped and no binding customization types it."
	if bd, ok := b.bindings.Lookup(d); ok && bd.Reason != "" {
		why = strings.TrimSuffix(bd.Reason, ".") + "."
	}
	return strings.TrimSpace(doc + " " + RawNote + why)
}

// boundType is the Go type a binding customization gives an untyped
// element.
func boundType(k bind.Kind) GoType {
	switch k {
	case bind.Empty:
		return GoType{Empty: true}
	case bind.String:
		return GoType{Scalar: String}
	case bind.Int:
		return GoType{Scalar: Int64}
	case bind.Bool:
		return GoType{Scalar: Bool}
	}
	return GoType{Raw: true}
}

// simpleType maps a simple type to a scalar or, when it enumerates its
// values, to an Enum type named after the type or, if anonymous, parts.
func (b *sideBuilder) simpleType(st *xsd.SimpleType, parts []string) GoType {
	if st == nil {
		return GoType{Scalar: String}
	}
	if st.Variety != xsd.Atomic || st.Builtin {
		return GoType{Scalar: scalarOf(st)}
	}
	f := st.EffectiveFacets()
	if len(f.Enumerations) == 0 {
		return GoType{Scalar: scalarOf(st)}
	}
	// An enumeration inherited unchanged from a named base is that base's
	// enum type.
	owner := st
	for owner.BaseType != nil && !owner.BaseType.Builtin && len(owner.Facets.Enumerations) == 0 {
		owner = owner.BaseType
	}
	if t, ok := b.enums[owner]; ok {
		return GoType{Named: t}
	}
	t := &Type{
		Kind:   Enum,
		Doc:    owner.Doc,
		Side:   b.side,
		Source: owner.Pos,
		File:   owner.Pos.File,
		key:    "enum@" + owner.Pos.String(),
	}
	if owner.Name.Local != "" {
		t.parts, t.named = []string{owner.Name.Local}, true
	} else {
		t.parts = parts
	}
	seen := map[string]bool{}
	for _, en := range f.Enumerations {
		if seen[en.Value] {
			continue // the enumeration is a set: a repeated value would be a duplicate case
		}
		seen[en.Value] = true
		t.Values = append(t.Values, EnumValue{Value: en.Value, Doc: en.Doc})
	}
	b.enums[owner] = t
	b.types = append(b.types, t)
	return GoType{Named: t}
}

// scalarOf maps the primitive at the root of st to a Go builtin.
func scalarOf(st *xsd.SimpleType) Scalar {
	if st.Variety != xsd.Atomic {
		return String
	}
	p := st.Primitive()
	if p == nil {
		return String
	}
	switch p.Name.Local {
	case "boolean":
		return Bool
	case "integer", "long", "int", "short", "byte",
		"nonNegativeInteger", "positiveInteger", "nonPositiveInteger", "negativeInteger":
		return Int64
	case "unsignedLong", "unsignedInt", "unsignedShort", "unsignedByte":
		return Uint64
	case "float", "double":
		return Float64
	}
	return String
}

// isEmptyType reports whether ct allows neither content nor attributes:
// elements of such a type are presence flags (<no-plan/>).
func isEmptyType(ct *xsd.ComplexType) bool {
	for depth := 0; ct != nil && depth < 64; depth++ {
		if ct == xsd.AnyType || ct.Mixed || ct.SimpleContent || ct.AnyAttribute != nil ||
			len(ct.Attributes) > 0 || len(ct.AttributeGroups) > 0 || !particleEmpty(ct.Particle) {
			return false
		}
		if ct.Derivation != xsd.DeriveExtension {
			return true
		}
		base, ok := ct.BaseType.(*xsd.ComplexType)
		if !ok {
			return false
		}
		ct = base
	}
	return false
}

func particleEmpty(p *xsd.Particle) bool {
	if p == nil || p.Occurs.Max == 0 {
		return true
	}
	switch p.Kind {
	case xsd.ParticleSequence, xsd.ParticleChoice, xsd.ParticleAll:
		for _, c := range p.Children {
			if !particleEmpty(c) {
				return false
			}
		}
		return true
	case xsd.ParticleGroupRef:
		return p.Group == nil || particleEmpty(p.Group.Particle)
	}
	return false
}

// textScalar returns the type of the text of a simple-content type.
func (b *sideBuilder) textType(ct *xsd.ComplexType, parts []string) GoType {
	for depth := 0; depth < 64; depth++ {
		switch base := ct.BaseType.(type) {
		case *xsd.SimpleType:
			if ct.SimpleRestriction != nil && len(ct.SimpleRestriction.Facets.Enumerations) > 0 {
				return b.simpleType(ct.SimpleRestriction, parts)
			}
			return b.simpleType(base, parts)
		case *xsd.ComplexType:
			if ct.SimpleRestriction != nil && len(ct.SimpleRestriction.Facets.Enumerations) > 0 {
				return b.simpleType(ct.SimpleRestriction, parts)
			}
			if base == xsd.AnyType {
				return GoType{Scalar: String}
			}
			ct = base
		default:
			return GoType{Scalar: String}
		}
	}
	return GoType{Scalar: String}
}

// complexType returns the Go type of ct, converting it on first use.
func (b *sideBuilder) complexType(ct *xsd.ComplexType, parts []string) GoType {
	if ct == xsd.AnyType {
		return GoType{Raw: true}
	}
	if isEmptyType(ct) {
		return GoType{Empty: true}
	}
	if t, ok := b.complex[ct]; ok {
		return GoType{Named: t}
	}
	t := &Type{
		Kind:   Struct,
		Doc:    ct.Doc,
		Side:   b.side,
		Source: ct.Pos,
		File:   ct.Pos.File,
		key:    "type@" + ct.Pos.String(),
	}
	scope := parts
	if ct.Name.Local != "" {
		t.parts, t.named = []string{ct.Name.Local}, true
		scope = []string{ct.Name.Local}
		if s, ok := b.scopes[ct]; ok {
			scope = s
		}
	} else {
		t.parts = parts
	}
	b.complex[ct] = t
	b.types = append(b.types, t)

	s := &structBuilder{b: b, t: t, scope: scope, byXML: map[string]*Field{}, names: map[string]bool{}}
	s.content(ct, 0)
	s.orderFields()
	s.finish(ct)
	return GoType{Named: t}
}

// structBuilder accumulates the fields of one Struct type.
type structBuilder struct {
	b      *sideBuilder
	t      *Type
	scope  []string
	byXML  map[string]*Field
	names  map[string]bool
	anyF   *Field
	items  int
	branch *[]*Field // the choice branch being collected, if any
	deep   bool      // the derivation chain was too deep (reported once)
	// before[a][b]: some sequence puts element a before element b. An
	// element that occurs in several places is one field, so the fields
	// are ordered to satisfy every such pair (see orderFields).
	before map[string]map[string]bool
}

// content adds the fields of ct, its extension bases first.
func (s *structBuilder) content(ct *xsd.ComplexType, depth int) {
	if depth > maxDerivation {
		s.tooDeep()
		return
	}
	if ct.SimpleContent {
		s.add(&Field{Name: "Value", Kind: TextField, Type: s.b.textType(ct, s.scope), Source: ct.Pos})
		s.attributes(ct, depth)
		return
	}
	if ct.Derivation == xsd.DeriveExtension {
		if base, ok := ct.BaseType.(*xsd.ComplexType); ok && base != xsd.AnyType {
			s.content(base, depth+1)
			baseNames := s.elementNames()
			s.particle(ct.Particle, 1, 1, false)
			for _, a := range baseNames {
				for _, b := range particleNames(ct.Particle) {
					s.precede(a, b)
				}
			}
			s.ownAttributes(ct)
			return
		}
	}
	if ct.Mixed {
		s.add(&Field{Name: "Text", Kind: TextField, Type: GoType{Scalar: String}, Source: ct.Pos})
	}
	s.particle(ct.Particle, 1, 1, false)
	s.attributes(ct, depth)
}

// maxDerivation bounds the chain of base types a struct flattens.
const maxDerivation = 64

// tooDeep reports a type whose fields would come from a derivation chain
// longer than maxDerivation: its fields would be incomplete.
func (s *structBuilder) tooDeep() {
	if s.deep {
		return
	}
	s.deep = true
	what := fmt.Sprintf("complexType %q", s.t.XSDName())
	if s.t.XSDName() == "" {
		what = fmt.Sprintf("the type of %q", s.t.XSDPath())
	}
	s.b.errs = append(s.b.errs, &xsd.Error{Pos: s.t.Source, Msg: fmt.Sprintf("%s: derivation chain deeper than %d levels", what, maxDerivation)})
}

// attributes adds ct's attributes and, for a derived type, the base's.
func (s *structBuilder) attributes(ct *xsd.ComplexType, depth int) {
	s.ownAttributes(ct)
	if depth > maxDerivation {
		s.tooDeep()
		return
	}
	if base, ok := ct.BaseType.(*xsd.ComplexType); ok && base != xsd.AnyType && ct.Derivation != xsd.DeriveNone {
		s.attributes(base, depth+1)
	}
}

func (s *structBuilder) ownAttributes(ct *xsd.ComplexType) {
	for _, a := range ct.Attributes {
		s.attribute(a)
	}
	seen := map[*xsd.AttributeGroup]bool{}
	var group func(refs []*xsd.AttributeGroupRef)
	group = func(refs []*xsd.AttributeGroupRef) {
		for _, r := range refs {
			if r.Group == nil || seen[r.Group] {
				continue
			}
			seen[r.Group] = true
			for _, a := range r.Group.Attributes {
				s.attribute(a)
			}
			group(r.Group.AttributeGroups)
			if r.Group.AnyAttribute != nil {
				s.anyAttribute(r.Group.AnyAttribute)
			}
		}
	}
	group(ct.AttributeGroups)
	if ct.AnyAttribute != nil {
		s.anyAttribute(ct.AnyAttribute)
	}
}

func (s *structBuilder) attribute(a *xsd.Attribute) {
	d := a.Decl()
	if a.Use == xsd.UseProhibited {
		return
	}
	key := "@" + d.Name.Local
	if _, dup := s.byXML[key]; dup {
		return // redefined by a derived type: the first (most derived) wins
	}
	name := naming.Field(d.Name.Local)
	if r, ok := s.b.rename[s.t.XSDPath()+".@"+d.Name.Local]; ok {
		name = r
	} else if s.names[name] || reservedMethod[name] {
		name += "Attr"
	}
	f := &Field{
		Name:     name,
		Doc:      firstNonEmpty(a.Doc, d.Doc),
		Kind:     AttrField,
		XMLName:  d.Name.Local,
		XMLNS:    d.Name.Space,
		Type:     s.b.simpleType(d.Type, append(append([]string(nil), s.scope...), d.Name.Local)),
		Min:      0,
		Max:      1,
		Required: a.Use == xsd.UseRequired,
		Default:  firstString(a.Default, d.Default),
		Source:   a.Pos,
	}
	if f.Required {
		f.Min = 1
	}
	s.byXML[key] = f
	s.add(f)
}

func (s *structBuilder) anyAttribute(w *xsd.Wildcard) {
	if _, dup := s.byXML["@*"]; dup {
		return
	}
	f := &Field{Name: "AnyAttrs", Kind: AnyAttrField, Max: xsd.Unbounded, Source: w.Pos}
	s.byXML["@*"] = f
	s.add(f)
}

// particle adds the fields of p. min is 0 when an enclosing group is
// optional (or a choice), max the product of the enclosing maxOccurs.
func (s *structBuilder) particle(p *xsd.Particle, min, max int, inChoice bool) {
	if p == nil || p.Occurs.Max == 0 {
		return
	}
	pmin, pmax := min*p.Occurs.Min, mulMax(max, p.Occurs.Max)
	if pmin > 1 {
		pmin = 1
	}
	switch p.Kind {
	case xsd.ParticleElement:
		s.element(p.Element, pmin, pmax)
	case xsd.ParticleAny:
		s.wildcard(p.Any)
	case xsd.ParticleGroupRef:
		if p.Group != nil && p.Group.Particle != nil {
			g := *p.Group.Particle
			g.Occurs = xsd.Occurs{Min: p.Occurs.Min * g.Occurs.Min, Max: mulMax(p.Occurs.Max, g.Occurs.Max)}
			s.particle(&g, min, max, inChoice)
		}
	case xsd.ParticleSequence, xsd.ParticleAll:
		if p.Kind == xsd.ParticleAll {
			s.t.KeepsOrder = true
		}
		if repeated(pmax) && distinctNames(p) > 1 {
			s.itemsField(p, pmin)
			return
		}
		if p.Kind == xsd.ParticleSequence {
			for i, c := range p.Children {
				for _, d := range p.Children[i+1:] {
					for _, a := range particleNames(c) {
						for _, b := range particleNames(d) {
							s.precede(a, b)
						}
					}
				}
			}
		}
		for _, c := range p.Children {
			s.particle(c, pmin, pmax, inChoice)
		}
	case xsd.ParticleChoice:
		if repeated(pmax) && distinctNames(p) > 1 {
			s.itemsField(p, pmin)
			return
		}
		g := &ChoiceGroup{Min: pmin, Source: p.Pos}
		if inChoice || emptiable(p) {
			// A choice with a branch that may be empty (<filter/> with
			// id [0..∞] | name [0..∞]) is satisfied by nothing at all.
			g.Min = 0
		}
		outer := s.branch
		for _, c := range p.Children {
			var br []*Field
			s.branch = &br
			s.particle(c, 0, pmax, true)
			g.Branches = append(g.Branches, br)
		}
		s.branch = outer
		if outer != nil {
			for _, br := range g.Branches {
				*outer = append(*outer, br...)
			}
		}
		if len(g.Branches) > 1 {
			s.t.Choices = append(s.t.Choices, g)
		}
	}
}

// emptiable reports whether p can match no element at all.
func emptiable(p *xsd.Particle) bool {
	return emptiableDepth(p, 0)
}

func emptiableDepth(p *xsd.Particle, depth int) bool {
	if p == nil || p.Occurs.Min == 0 || depth > 64 {
		return true
	}
	switch p.Kind {
	case xsd.ParticleElement, xsd.ParticleAny:
		return false
	case xsd.ParticleGroupRef:
		return p.Group == nil || emptiableDepth(p.Group.Particle, depth+1)
	case xsd.ParticleChoice:
		for _, c := range p.Children {
			if emptiableDepth(c, depth+1) {
				return true
			}
		}
		return len(p.Children) == 0
	}
	for _, c := range p.Children {
		if !emptiableDepth(c, depth+1) {
			return false
		}
	}
	return true
}

func repeated(max int) bool { return max == xsd.Unbounded || max > 1 }

func mulMax(a, b int) int {
	if a == 0 || b == 0 {
		return 0
	}
	if a == xsd.Unbounded || b == xsd.Unbounded {
		return xsd.Unbounded
	}
	return a * b
}

func addMax(a, b int) int {
	if a == xsd.Unbounded || b == xsd.Unbounded {
		return xsd.Unbounded
	}
	return a + b
}

// distinctNames counts the element names (and wildcards) a group can hold.
func distinctNames(p *xsd.Particle) int {
	names := map[string]bool{}
	var walk func(p *xsd.Particle, depth int)
	walk = func(p *xsd.Particle, depth int) {
		if p == nil || depth > 64 {
			return
		}
		switch p.Kind {
		case xsd.ParticleElement:
			names[p.Element.Decl().Name.Local] = true
		case xsd.ParticleAny:
			names["*"] = true
		case xsd.ParticleGroupRef:
			if p.Group != nil {
				walk(p.Group.Particle, depth+1)
			}
		default:
			for _, c := range p.Children {
				walk(c, depth+1)
			}
		}
	}
	walk(p, 0)
	return len(names)
}

// element adds the field of an element particle, merging a second
// occurrence of the same name into the first.
func (s *structBuilder) element(e *xsd.Element, min, max int) {
	d := e.Decl()
	name := d.Name.Local
	typ := s.b.elementType(e, s.scope)
	if f, dup := s.byXML[name]; dup {
		if f.Min > min {
			f.Min = min
		}
		f.Max = addMax(f.Max, max)
		f.Required = false
		if f.Type != typ {
			s.b.note("%s: element %q appears twice with different types; kept as raw XML", e.Pos, name)
			f.Type = GoType{Raw: true}
			f.Doc = strings.TrimSpace(f.Doc + " " + RawNote + "it appears twice in the schema with different types.")
		}
		if s.branch != nil {
			*s.branch = append(*s.branch, f)
		}
		return
	}
	f := &Field{
		Name:     s.fieldName(name, e.Pos),
		Doc:      s.b.rawDoc(firstNonEmpty(e.Doc, d.Doc), d, typ),
		Kind:     ElementField,
		XMLName:  name,
		XMLNS:    d.Name.Space,
		Type:     typ,
		Min:      min,
		Max:      max,
		Required: min >= 1 && max == 1,
		Default:  firstString(e.Default, d.Default),
		Source:   e.Pos,
	}
	s.byXML[name] = f
	s.add(f)
	if s.branch != nil {
		*s.branch = append(*s.branch, f)
	}
}

func (s *structBuilder) wildcard(w *xsd.Wildcard) {
	if s.anyF != nil {
		return
	}
	s.anyF = &Field{Name: s.bookkeeping("Any"), Kind: AnyField, Max: xsd.Unbounded, Source: w.Pos}
	s.add(s.anyF)
}

// itemsField represents an ordered, repeating group as a slice of one-of
// items, so that document order survives a round trip.
func (s *structBuilder) itemsField(p *xsd.Particle, min int) {
	s.items++
	// A second ordered group in the same struct (rare) is named after its
	// first element: FooItems of type <Struct>FooItem.
	context := ""
	if s.items > 1 {
		if names := particleNames(p); len(names) > 0 {
			context = names[0]
		} else {
			context = "any"
		}
	}
	suffix := naming.Join(naming.Exported(context), "item")
	if context == "" {
		suffix = "Item"
	}
	it := &Type{
		Kind:   Items,
		Side:   s.b.side,
		Source: p.Pos,
		File:   s.t.File,
		key:    "items@" + p.Pos.String(),
		parts:  append(append([]string(nil), s.t.parts...), suffix),
		named:  s.t.named,
	}
	s.b.types = append(s.b.types, it)
	seen := map[string]bool{}
	names := map[string]bool{}
	walkElements(p, func(e *xsd.Element) {
		d := e.Decl()
		if seen[d.Name.Local] {
			return
		}
		seen[d.Name.Local] = true
		n := naming.Field(d.Name.Local)
		if names[n] {
			s.b.errs = append(s.b.errs, &xsd.Error{Pos: e.Pos, Msg: fmt.Sprintf(
				"element %q becomes alternative %s of an ordered group that already has one by that name; resolve it with -rename %s.%s=OtherName",
				d.Name.Local, n, s.t.XSDPath(), d.Name.Local)})
			return
		}
		if r, ok := s.b.rename[s.t.XSDPath()+"."+d.Name.Local]; ok {
			n = r
		}
		names[n] = true
		typ := s.b.elementType(e, s.scope)
		it.Fields = append(it.Fields, &Field{
			Name:    n,
			Doc:     s.b.rawDoc(firstNonEmpty(e.Doc, d.Doc), d, typ),
			Kind:    ElementField,
			XMLName: d.Name.Local,
			XMLNS:   d.Name.Space,
			Type:    typ,
			Max:     1,
			Source:  e.Pos,
		})
	})
	name := "Items"
	if context != "" {
		name = naming.Join(naming.Exported(context), "items")
	}
	s.add(&Field{Name: s.bookkeeping(name), Kind: ItemsField, Type: GoType{Named: it}, Min: min, Max: xsd.Unbounded, Source: p.Pos})
}

// finish completes a struct. Content the schema does not declare needs no
// field: the runtime keeps it in the struct's bookkeeping (rpcimpl.Extra).
func (s *structBuilder) finish(*xsd.ComplexType) {}

func (s *structBuilder) precede(a, b string) {
	if a == b {
		return
	}
	if s.before == nil {
		s.before = map[string]map[string]bool{}
	}
	if s.before[a] == nil {
		s.before[a] = map[string]bool{}
	}
	s.before[a][b] = true
}

// elementNames returns the XML names of the element fields so far.
func (s *structBuilder) elementNames() []string {
	var out []string
	for _, f := range s.t.Fields {
		if f.Kind == ElementField {
			out = append(out, f.XMLName)
		}
	}
	return out
}

// particleNames returns the element names a particle can hold.
func particleNames(p *xsd.Particle) []string {
	var out []string
	seen := map[string]bool{}
	walkElements(p, func(e *xsd.Element) {
		if n := e.Decl().Name.Local; !seen[n] {
			seen[n] = true
			out = append(out, n)
		}
	})
	return out
}

// orderFields puts the element fields in an order every sequence of the
// content model agrees with, keeping schema order where none constrains
// it. Without it, <error> = (message | (object, message+)) would marshal
// message before object. A content model whose sequences contradict each
// other, (a, b, a), keeps schema order: that needs an ordered group.
func (s *structBuilder) orderFields() {
	if len(s.before) == 0 {
		return
	}
	var slots []int
	var elems []*Field
	for i, f := range s.t.Fields {
		if f.Kind == ElementField {
			slots = append(slots, i)
			elems = append(elems, f)
		}
	}
	indeg := map[string]int{}
	for _, f := range elems {
		for b := range s.before[f.XMLName] {
			if _, ok := s.byXML[b]; ok {
				indeg[b]++
			}
		}
	}
	done := make([]bool, len(elems))
	sorted := make([]*Field, 0, len(elems))
	for len(sorted) < len(elems) {
		next := -1
		for i, f := range elems {
			if !done[i] && indeg[f.XMLName] == 0 {
				next = i
				break
			}
		}
		if next < 0 {
			s.b.note("%s: contradictory element order; kept schema order", s.t.Source)
			return
		}
		done[next] = true
		sorted = append(sorted, elems[next])
		for b := range s.before[elems[next].XMLName] {
			if _, ok := s.byXML[b]; ok {
				indeg[b]--
			}
		}
	}
	for k, i := range slots {
		s.t.Fields[i] = sorted[k]
	}
}

func (s *structBuilder) add(f *Field) {
	s.names[f.Name] = true
	s.t.Fields = append(s.t.Fields, f)
}

// fieldName returns the Go name of the element field xmlName: the
// -rename entry "<type>/<element>" if there is one, else [naming.Field],
// with "_" after a generated method's or field's name. Two elements of one
// struct that get the same name are an error naming both positions.
func (s *structBuilder) fieldName(xmlName string, pos xsd.Pos) string {
	key := s.t.XSDPath() + "." + xmlName
	name, renamed := s.b.rename[key]
	if !renamed {
		name = naming.Field(xmlName)
		if reservedMethod[name] {
			name += "_"
		}
	}
	if s.names[name] {
		first := xsd.Pos{}
		what := "field"
		for _, f := range s.t.Fields {
			if f.Name == name {
				first, what = f.Source, "element "+strconv.Quote(f.XMLName)
				if f.Kind == AttrField {
					what = "attribute " + strconv.Quote(f.XMLName)
				}
			}
		}
		s.b.errs = append(s.b.errs, &xsd.Error{Pos: pos, Msg: fmt.Sprintf(
			"element %q becomes field %s, already used by %s at %s; resolve it with -rename %s=OtherName",
			xmlName, name, what, first, key)})
		return name + "_"
	}
	return name
}

// bookkeeping returns the name of a field the generator adds itself
// (Any, Unknown, UnknownAttrs, Items): name, or "XML" + name when an
// element of the schema already took it.
func (s *structBuilder) bookkeeping(name string) string {
	if s.names[name] {
		name = "XML" + name
	}
	return name
}

// reservedMethod are the names of generated methods, and of the field the
// emitter adds itself (XMLName of a global element): a field by such a name
// gets "_".
var reservedMethod = map[string]bool{"Validate": true, "MarshalXML": true, "UnmarshalXML": true, "String": true,
	"XMLName": true}

func (b *sideBuilder) note(format string, args ...any) {
	b.notes = append(b.notes, fmt.Sprintf(format, args...))
}

func firstNonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func firstString(a, b *string) *string {
	if a != nil {
		return a
	}
	return b
}
