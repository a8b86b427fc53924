package bindingtest

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"math/big"
	"strings"

	"github.com/pleskgo/plesk/gen/bind"
	"github.com/pleskgo/plesk/gen/xsd"
)

// This file generates a minimal valid instance of an element from the
// expanded element tree of our schema (xsd.Expand): required elements and
// attributes only, the first branch of every choice, the first value of
// every enumeration, and scalars that respect the facets.

// operation is one operation of an operator in the request schema.
type operation struct {
	operator string    // e.g. "customer"
	name     string    // e.g. "change-owner"
	node     *xsd.Node // the operation element
}

func (o operation) String() string { return o.operator + "/" + o.name }

// requestOperations returns every operation of every operator of the
// packet element of the request schema set, in schema order.
func requestOperations(set *xsd.Set) ([]operation, error) {
	var packet *xsd.Node
	for _, n := range xsd.Expand(set) {
		if n.Name.Local == "packet" {
			packet = n
		}
	}
	if packet == nil {
		return nil, fmt.Errorf("%s has no global element packet", set.Root)
	}
	var ops []operation
	for _, operator := range childElements(packet) {
		if operator.Name.Local == "request-settings" {
			continue
		}
		if operator.Type == xsd.AnyType {
			// An untyped operator (1.6.9.1's business-logic-upgrade, which
			// its published tree types as xs:anyType) has no typed
			// operations to send.
			continue
		}
		list := childElements(operator)
		if len(list) == 0 {
			return nil, fmt.Errorf("operator %s has no operations", operator.Name.Local)
		}
		for _, op := range list {
			ops = append(ops, operation{operator: operator.Name.Local, name: op.Name.Local, node: op})
		}
	}
	return ops, nil
}

// childElements returns the element nodes directly in the content model
// of an element node (through compositors, not into elements).
func childElements(n *xsd.Node) []*xsd.Node {
	var out []*xsd.Node
	var walk func(*xsd.Node)
	walk = func(n *xsd.Node) {
		for _, c := range n.Children {
			switch c.Kind {
			case xsd.NodeElement:
				out = append(out, c)
			case xsd.NodeSequence, xsd.NodeChoice, xsd.NodeAll:
				walk(c)
			}
		}
	}
	walk(n)
	return out
}

// instanceOptions tune the generated instance.
type instanceOptions struct {
	// takeChoice makes a required choice take its first branch at least
	// once even when that branch may be empty (an optional element):
	// <filter><id>1</id></filter> rather than <filter/>.
	takeChoice bool
	// optional writes every optional element and attribute once too
	// (except where that would recurse), for the widest instance.
	optional bool
}

// instanceGen writes an instance; problems with the schema are collected
// in errs rather than stopping the walk.
type instanceGen struct {
	opts instanceOptions
	bind *bind.Bindings // the customizations typing untyped elements
	b    bytes.Buffer
	errs []string
}

// packetInstance returns <packet version=…><operator>instance of op</operator></packet>.
func packetInstance(version string, op operation, opts instanceOptions, bd *bind.Bindings) ([]byte, error) {
	g := &instanceGen{opts: opts, bind: bd}
	fmt.Fprintf(&g.b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<packet version=%q><%s>", version, op.operator)
	g.element(op.node)
	fmt.Fprintf(&g.b, "</%s></packet>\n", op.operator)
	if len(g.errs) > 0 {
		return g.b.Bytes(), fmt.Errorf("%s: %s", op, strings.Join(g.errs, "; "))
	}
	return g.b.Bytes(), nil
}

func (g *instanceGen) errorf(n *xsd.Node, format string, args ...any) {
	g.errs = append(g.errs, fmt.Sprintf("%s: ", n.Pos)+fmt.Sprintf(format, args...))
}

// element writes one occurrence of the element n.
func (g *instanceGen) element(n *xsd.Node) {
	if n.Name.Space != "" {
		g.errorf(n, "element %s has a namespace; our schemas have none", n.Name)
	}
	name := n.Name.Local
	g.b.WriteString("<" + name)
	for _, c := range n.Children {
		if c.Kind != xsd.NodeAttribute || c.Use != xsd.UseRequired && !g.opts.optional {
			continue
		}
		v := ""
		switch {
		case c.Fixed != nil:
			v = *c.Fixed
		default:
			st, _ := c.Type.(*xsd.SimpleType)
			v = g.scalar(c, st)
		}
		g.b.WriteString(" " + c.Name.Local + `="`)
		xml.EscapeText(&g.b, []byte(v))
		g.b.WriteString(`"`)
	}
	g.b.WriteString(">")
	if bd, ok := g.bind.Lookup(n.Element); ok {
		// An untyped element the customizations type: a value of that kind.
		switch bd.Kind {
		case bind.Int:
			g.b.WriteString("1")
		case bind.String:
			g.b.WriteString("a")
		case bind.Bool:
			g.b.WriteString("true")
		}
		g.b.WriteString("</" + name + ">")
		return
	}
	switch t := n.Type.(type) {
	case *xsd.SimpleType:
		g.text(n, t)
	case *xsd.ComplexType:
		if t.Content() == xsd.ContentSimple {
			g.text(n, t.TextType())
			break
		}
		for _, c := range n.Children {
			switch c.Kind {
			case xsd.NodeLoop:
				g.errorf(n, "%s is recursive", name)
			case xsd.NodeTruncated:
				g.errorf(n, "the tree is truncated at %s", name)
			case xsd.NodeElement, xsd.NodeSequence, xsd.NodeChoice, xsd.NodeAll, xsd.NodeAny:
				g.particle(c, g.count(c))
			}
		}
	}
	g.b.WriteString("</" + name + ">")
}

func (g *instanceGen) text(n *xsd.Node, st *xsd.SimpleType) {
	if n.Element != nil && n.Element.Fixed != nil {
		xml.EscapeText(&g.b, []byte(*n.Element.Fixed))
		return
	}
	xml.EscapeText(&g.b, []byte(g.scalar(n, st)))
}

// count returns how often to write the particle n: its minOccurs, or
// with opts.optional at least once, unless n is a wildcard or an element
// that recurses.
func (g *instanceGen) count(n *xsd.Node) int {
	k := n.Occurs.Min
	if k > 0 || !g.opts.optional || n.Kind == xsd.NodeAny {
		return k
	}
	if n.Kind == xsd.NodeElement {
		for _, c := range n.Children {
			if c.Kind == xsd.NodeLoop {
				return 0
			}
		}
	}
	return 1
}

// particle writes count occurrences of the particle n.
func (g *instanceGen) particle(n *xsd.Node, count int) {
	for range count {
		switch n.Kind {
		case xsd.NodeElement:
			g.element(n)
		case xsd.NodeSequence, xsd.NodeAll:
			for _, c := range n.Children {
				g.particle(c, g.count(c))
			}
		case xsd.NodeChoice:
			if len(n.Children) == 0 {
				g.errorf(n, "empty choice")
				return
			}
			c := n.Children[0]
			k := g.count(c)
			if g.opts.takeChoice && c.Kind != xsd.NodeAny {
				k = max(k, 1)
			}
			g.particle(c, k)
		case xsd.NodeAny:
			// A required wildcard: one element it admits, empty.
			switch n.Namespace {
			case "##any", "##absent":
				g.b.WriteString("<wildcard-element/>")
			case "not(##absent)":
				g.b.WriteString(`<wildcard-element xmlns="urn:pleskgo:test"/>`)
			default:
				g.errorf(n, "required wildcard of namespaces %s: nothing to write", n.Namespace)
			}
		}
	}
}

// patternValues are values for the patterns of our schemas, which the
// generator cannot invent.
var patternValues = map[string]string{
	`([01]?\p{Nd}{1,2}|2([0-4]\p{Nd}|5[0-5]))(\.([01]?\p{Nd}{1,2}|2([0-4]\p{Nd}|5[0-5]))){3}`: "192.0.2.1",
	`[\-]?[0-9]+`: "1",
	`[\-\+\p{L}\p{N}\._]*@([\p{L}\p{N}][\-\p{L}\p{N}]*\.)*[\p{L}\p{N}][\-\p{L}\p{N}]*\.?`: "user@example.com",
	`[/0-9a-zA-Z_\-]+`: "a",
}

// scalar returns a value of the simple type st that satisfies its facets.
func (g *instanceGen) scalar(n *xsd.Node, st *xsd.SimpleType) string {
	if st == nil {
		return "a"
	}
	switch st.Variety {
	case xsd.List:
		return g.scalar(n, st.ItemType)
	case xsd.Union:
		if len(st.MemberTypes) == 0 {
			g.errorf(n, "union without member types")
			return "a"
		}
		return g.scalar(n, st.MemberTypes[0])
	}
	f := st.EffectiveFacets()
	if len(f.Enumerations) > 0 {
		return f.Enumerations[0].Value
	}
	if len(f.Patterns) > 0 {
		v, ok := patternValues[f.Patterns[0]]
		if !ok || len(f.Patterns) > 1 {
			g.errorf(n, "no value known for the patterns %q", f.Patterns)
		}
		return v
	}
	prim := st.Primitive().Name.Local
	switch primitiveOf(prim) {
	case "string", "anySimpleType", "anyURI":
		size := 1
		switch {
		case f.Length != nil:
			size = *f.Length
		case f.MinLength != nil && *f.MinLength > size:
			size = *f.MinLength
		}
		if f.MaxLength != nil && *f.MaxLength < size {
			g.errorf(n, "no string fits minLength/length %d and maxLength %d", size, *f.MaxLength)
		}
		return strings.Repeat("a", size)
	case "boolean":
		return "true"
	case "date":
		return "2024-01-01"
	case "dateTime":
		return "2024-01-01T00:00:00"
	case "time":
		return "00:00:00"
	case "base64Binary":
		return "AAAA"
	case "hexBinary":
		return "00"
	case "decimal", "float", "double":
		return g.number(n, prim, f)
	}
	g.errorf(n, "no value for the type %s (primitive %s)", st.Name, prim)
	return "a"
}

// primitiveOf returns the primitive builtin a builtin type derives from.
func primitiveOf(name string) string {
	for st := xsd.BuiltinSimple(name); st != nil; st = st.BaseType {
		if st.BaseType == nil || st.BaseType.Name.Local == "anySimpleType" {
			return st.Name.Local
		}
	}
	return name
}

// number returns 1, moved into the range the facets and the builtin
// type allow.
func (g *instanceGen) number(n *xsd.Node, prim string, f xsd.Facets) string {
	v := big.NewRat(1, 1)
	lo, hi := f.MinInclusive, f.MaxInclusive
	switch prim {
	case "negativeInteger":
		v = big.NewRat(-1, 1)
	case "nonPositiveInteger":
		v = big.NewRat(0, 1)
	}
	rat := func(s string) *big.Rat {
		r, ok := new(big.Rat).SetString(strings.TrimSpace(s))
		if !ok {
			g.errorf(n, "bad bound %q", s)
			return new(big.Rat)
		}
		return r
	}
	if lo != nil && v.Cmp(rat(*lo)) < 0 {
		v = rat(*lo)
	}
	if f.MinExclusive != nil && v.Cmp(rat(*f.MinExclusive)) <= 0 {
		v = new(big.Rat).Add(rat(*f.MinExclusive), big.NewRat(1, 1))
	}
	if hi != nil && v.Cmp(rat(*hi)) > 0 {
		v = rat(*hi)
	}
	if f.MaxExclusive != nil && v.Cmp(rat(*f.MaxExclusive)) >= 0 {
		v = new(big.Rat).Sub(rat(*f.MaxExclusive), big.NewRat(1, 1))
	}
	if !v.IsInt() {
		g.errorf(n, "no integer value in range")
	}
	return v.RatString()
}
