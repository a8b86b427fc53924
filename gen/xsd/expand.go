package xsd

import (
	"bufio"
	"cmp"
	"io"
	"slices"
	"strconv"
	"strings"
)

// NodeKind is what one line of an expanded tree stands for.
type NodeKind int

const (
	NodeElement      NodeKind = iota // an element declaration or reference
	NodeAttribute                    // an attribute use
	NodeSequence                     // (sequence)
	NodeChoice                       // (choice)
	NodeAll                          // (all)
	NodeAny                          // (any): an element wildcard
	NodeAnyAttribute                 // (anyAttribute): an attribute wildcard
	NodeLoop                         // (LOOP): the parent element is already being expanded above
	NodeTruncated                    // (TRUNCATED): the tree reached MaxTreeNodes; not expanded
)

// MaxTreeNodes bounds the size of the trees of one Expand call. Expanding
// is exponential in the worst case (a type with n local elements of its own
// type has n! distinct paths before any declaration repeats); past this
// many nodes an element is not expanded but gets one (TRUNCATED) child, a
// line that never occurs in a tree of FORMAT.md. Real schemas stay orders
// of magnitude below: the Plesk 1.6.6.0 trees have 11 000 lines.
const MaxTreeNodes = 1 << 20

// treeNodeLimit is MaxTreeNodes, lowered by tests.
var treeNodeLimit = MaxTreeNodes

func (k NodeKind) String() string {
	switch k {
	case NodeElement:
		return "element"
	case NodeAttribute:
		return "attribute"
	case NodeSequence:
		return "sequence"
	case NodeChoice:
		return "choice"
	case NodeAll:
		return "all"
	case NodeAny:
		return "any"
	case NodeAnyAttribute:
		return "anyAttribute"
	case NodeLoop:
		return "LOOP"
	case NodeTruncated:
		return "TRUNCATED"
	}
	return "NodeKind(" + strconv.Itoa(int(k)) + ")"
}

// LabelKind says how a tree line names the type of an element or attribute.
type LabelKind int

const (
	LabelNone LabelKind = iota // not an element or attribute
	LabelType                  // type=T: a named type (builtin or defined)
	LabelBase                  // base=B: an anonymous simple type, by its base
	LabelAnon                  // anon: an anonymous complex type
)

// Node is one line of an expanded element tree (see Expand): an element,
// attribute, compositor or wildcard, with the occurrence, type label and
// flags the line prints, the nodes below it, and where it comes from in
// the schema. Two trees of different schema versions can be compared node
// by node along the paths of Key.
type Node struct {
	Kind NodeKind

	// Name is the name of an element or attribute.
	Name QName

	// Occurs is the occurrence of an element, compositor or (any); for an
	// element reference or group reference it is the reference's. Zero for
	// the other kinds.
	Occurs Occurs

	// Label and LabelName describe the type of an element or attribute:
	// LabelName is the type's name for LabelType, and for LabelBase the
	// nearest named type the anonymous simple type restricts (anySimpleType
	// for a list or union).
	Label     LabelKind
	LabelName QName

	Nillable bool // element: nillable="true"
	Abstract bool // element: abstract="true"

	// Use, Default and Fixed are those of an attribute use: the use's own
	// value constraint, or else its declaration's. Prohibited uses are
	// never in a tree.
	Use     Use
	Default *string
	Fixed   *string

	// Namespace and ProcessContents describe a wildcard. Namespace is the
	// effective constraint: ##any, a comma-separated list of namespaces,
	// or not(list), with ##absent standing for no namespace.
	Namespace       string
	ProcessContents string

	// Children are the lines below: for an element, its type's content
	// model then its attributes then its attribute wildcard; for a
	// compositor, its particles in schema order.
	Children []*Node

	// Pos is where the line comes from: the element declaration or
	// reference, the attribute declaration or reference, the compositor
	// (for a group reference: the group's compositor), the wildcard. A
	// sequence Xerces synthesizes for an extension is at the extending
	// type.
	Pos Pos

	// Element is an element's declaration (for a reference, the global one).
	Element *Element
	// Attribute is an attribute's use as declared in the type or group
	// (Attribute.Decl gives the declaration for a reference).
	Attribute *Attribute
	// Particle is the particle an element, compositor or (any) comes from;
	// nil for a synthesized sequence and for global elements.
	Particle *Particle
	// Type is the type of an element or attribute.
	Type Type
}

// Key identifies n among its siblings for a path-wise comparison: the name
// of an element, @name of an attribute, or the bracketed kind of the other
// lines ("(sequence)", "(any)", …). Siblings can share a key (two
// sequences, an element in two branches of a choice); a comparison should
// number them in order.
func (n *Node) Key() string {
	switch n.Kind {
	case NodeElement:
		return n.Name.String()
	case NodeAttribute:
		return "@" + n.Name.String()
	}
	return "(" + n.Kind.String() + ")"
}

// String returns the line of n as a tree file prints it, without indent.
func (n *Node) String() string {
	var b strings.Builder
	n.writeLine(&b)
	return b.String()
}

func (n *Node) writeLine(b *strings.Builder) {
	switch n.Kind {
	case NodeElement:
		b.WriteString(n.Name.Local)
		b.WriteByte(' ')
		b.WriteString(n.Occurs.String())
		b.WriteByte(' ')
		b.WriteString(n.label())
		if n.Nillable {
			b.WriteString(" nillable")
		}
		if n.Abstract {
			b.WriteString(" abstract")
		}
	case NodeAttribute:
		b.WriteByte('@')
		b.WriteString(n.Name.Local)
		b.WriteByte(' ')
		b.WriteString(n.label())
		switch n.Use {
		case UseRequired:
			b.WriteString(" use=required")
		case UseProhibited:
			b.WriteString(" use=prohibited")
		default:
			b.WriteString(" use=optional")
		}
		if n.Default != nil {
			b.WriteString(" default=" + *n.Default)
		} else if n.Fixed != nil {
			b.WriteString(" fixed=" + *n.Fixed)
		}
	case NodeAny:
		b.WriteString("(any) " + n.Occurs.String() + " ns=" + n.Namespace + " pc=" + n.ProcessContents)
	case NodeAnyAttribute:
		b.WriteString("(anyAttribute) ns=" + n.Namespace + " pc=" + n.ProcessContents)
	case NodeLoop:
		b.WriteString("(LOOP)")
	case NodeTruncated:
		b.WriteString("(TRUNCATED)")
	default:
		b.WriteString("(" + n.Kind.String() + ") " + n.Occurs.String())
	}
}

func (n *Node) label() string {
	switch n.Label {
	case LabelType:
		return "type=" + n.LabelName.Local
	case LabelBase:
		return "base=" + n.LabelName.Local
	case LabelAnon:
		return "anon"
	}
	return ""
}

// WriteTree writes nodes and everything below them in the text format of
// the published element trees: one line per node, two spaces of indent per
// depth.
func WriteTree(w io.Writer, nodes []*Node) error {
	bw := bufio.NewWriter(w)
	var b strings.Builder
	var write func(n *Node, depth int)
	write = func(n *Node, depth int) {
		b.Reset()
		for range depth {
			b.WriteString("  ")
		}
		n.writeLine(&b)
		b.WriteByte('\n')
		bw.WriteString(b.String())
		for _, c := range n.Children {
			write(c, depth+1)
		}
	}
	for _, n := range nodes {
		write(n, 0)
	}
	return bw.Flush()
}

// Expand returns the element trees of the global elements of s, sorted by
// name, as Xerces builds its schema model and Plesk's schema navigator
// draws it:
//
//   - named and anonymous types are expanded in place under the element
//     that uses them; a type's children are its effective content model
//     (see ComplexType.ContentParticle), its attribute uses, then its
//     attribute wildcard;
//   - attributes come in the order: the type's own (attribute group
//     contents in place, document order), then its base type's that it does
//     not redeclare; the wildcard is the intersection of the type's and its
//     attribute groups' wildcards, for an extension united with the base's;
//   - a group reference becomes the group's compositor with the reference's
//     occurrence, an element reference the global declaration with the
//     reference's occurrence; particles with maxOccurs="0" are dropped;
//   - an element whose declaration is already being expanded on the path
//     from the root is not expanded again: it gets one (LOOP) child.
//
// The trees share no nodes. Their size can grow exponentially with the
// schema; see MaxTreeNodes.
func Expand(s *Set) []*Node {
	x := &expander{content: map[*ComplexType]*typeContent{}}
	elems := slices.Clone(s.Elements)
	slices.SortStableFunc(elems, func(a, b *Element) int {
		return cmp.Or(cmp.Compare(a.Name.Local, b.Name.Local), cmp.Compare(a.Name.Space, b.Name.Space))
	})
	out := make([]*Node, 0, len(elems))
	for _, e := range elems {
		out = append(out, x.element(e, One, e.Pos, nil))
	}
	return out
}

type expander struct {
	nodes   int        // the nodes made so far
	path    []*Element // the element declarations being expanded
	groups  []*Group   // the group references being expanded
	content map[*ComplexType]*typeContent
}

// typeContent is the effective content of a complex type.
type typeContent struct {
	particle *Particle
	attrs    attrUses
}

func (x *expander) contentOf(t *ComplexType) *typeContent {
	c := x.content[t]
	if c == nil {
		p, _ := contentParticle(t, 0)
		c = &typeContent{particle: p, attrs: typeAttributes(t, 0)}
		x.content[t] = c
	}
	return c
}

func (x *expander) element(decl *Element, occ Occurs, pos Pos, p *Particle) *Node {
	t := decl.Type
	if t == nil {
		t = AnyType
	}
	n := &Node{
		Kind:     NodeElement,
		Name:     decl.Name,
		Occurs:   occ,
		Nillable: decl.Nillable,
		Abstract: decl.Abstract,
		Pos:      pos,
		Element:  decl,
		Particle: p,
		Type:     t,
	}
	n.Label, n.LabelName = typeLabel(t)
	x.nodes++
	if slices.Contains(x.path, decl) {
		n.Children = []*Node{{Kind: NodeLoop, Pos: pos}}
		return n
	}
	if x.nodes >= treeNodeLimit {
		n.Children = []*Node{{Kind: NodeTruncated, Pos: pos}}
		return n
	}
	ct, ok := t.(*ComplexType)
	if !ok {
		return n
	}
	x.path = append(x.path, decl)
	c := x.contentOf(ct)
	if c.particle != nil {
		if pn := x.particle(c.particle, c.particle.Occurs); pn != nil {
			n.Children = append(n.Children, pn)
		}
	}
	for _, a := range c.attrs.uses {
		n.Children = append(n.Children, attributeNode(a))
	}
	x.nodes += len(c.attrs.uses)
	if wc := c.attrs.wc; wc != nil {
		n.Children = append(n.Children, &Node{
			Kind:            NodeAnyAttribute,
			Namespace:       wc.ns.String(),
			ProcessContents: wc.pc,
			Pos:             wc.pos,
		})
	}
	x.path = x.path[:len(x.path)-1]
	return n
}

// particle expands p with the occurrence occ; nil when p is dropped.
func (x *expander) particle(p *Particle, occ Occurs) *Node {
	if occ.Max == 0 {
		return nil
	}
	switch p.Kind {
	case ParticleSequence, ParticleChoice, ParticleAll:
		kind := NodeSequence
		switch p.Kind {
		case ParticleChoice:
			kind = NodeChoice
		case ParticleAll:
			kind = NodeAll
		}
		n := &Node{Kind: kind, Occurs: occ, Pos: p.Pos, Particle: p}
		x.nodes++
		for _, c := range p.Children {
			if cn := x.particle(c, c.Occurs); cn != nil {
				n.Children = append(n.Children, cn)
			}
		}
		return n
	case ParticleElement:
		if p.Element == nil || p.Element.Decl() == nil || !p.Element.Ref.IsZero() && p.Element.RefElement == nil {
			return nil
		}
		return x.element(p.Element.Decl(), occ, p.Pos, p)
	case ParticleAny:
		if p.Any == nil {
			return nil
		}
		return &Node{
			Kind:            NodeAny,
			Occurs:          occ,
			Namespace:       parseNamespace(p.Any).String(),
			ProcessContents: p.Any.ProcessContents,
			Pos:             p.Pos,
			Particle:        p,
		}
	case ParticleGroupRef:
		g := p.Group
		if g == nil || g.Particle == nil || slices.Contains(x.groups, g) {
			return nil
		}
		x.groups = append(x.groups, g)
		n := x.particle(g.Particle, occ)
		x.groups = x.groups[:len(x.groups)-1]
		return n
	}
	return nil
}

func attributeNode(a *Attribute) *Node {
	decl := a.Decl()
	n := &Node{
		Kind:      NodeAttribute,
		Name:      decl.Name,
		Use:       a.Use,
		Default:   a.Default,
		Fixed:     a.Fixed,
		Pos:       a.Pos,
		Attribute: a,
	}
	if n.Default == nil && n.Fixed == nil {
		n.Default, n.Fixed = decl.Default, decl.Fixed
	}
	var t Type = BuiltinSimple("anySimpleType")
	if decl.Type != nil {
		t = decl.Type
	}
	n.Type = t
	n.Label, n.LabelName = typeLabel(t)
	return n
}

// typeLabel returns how a tree line names type t.
func typeLabel(t Type) (LabelKind, QName) {
	if q := t.TypeQName(); !q.IsZero() {
		return LabelType, q
	}
	st, ok := t.(*SimpleType)
	if !ok {
		return LabelAnon, QName{}
	}
	anySimple := QName{NS, "anySimpleType"}
	for depth := 0; depth < maxDepth; depth++ {
		if st.Variety != Atomic {
			return LabelBase, anySimple
		}
		st = st.BaseType
		if st == nil {
			break
		}
		if !st.Name.IsZero() {
			return LabelBase, st.Name
		}
	}
	return LabelBase, anySimple
}
