package bind

import (
	"slices"

	"github.com/pleskgo/plesk/gen/xsd"
)

// maxDepth bounds the nesting of element paths the walk follows.
const maxDepth = 64

// children returns the element declarations an element of type t can
// contain, in schema order, each name once (the first declaration wins, as
// it does for the model's fields), through compositors, group references
// and extension bases.
func children(t xsd.Type) []*xsd.Element {
	ct, ok := t.(*xsd.ComplexType)
	if !ok || ct == xsd.AnyType {
		return nil
	}
	var out []*xsd.Element
	seen := map[string]bool{}
	var walk func(p *xsd.Particle, depth int)
	walk = func(p *xsd.Particle, depth int) {
		if p == nil || p.Occurs.Max == 0 || depth > maxDepth {
			return
		}
		switch p.Kind {
		case xsd.ParticleElement:
			d := p.Element.Decl()
			if !seen[d.Name.Local] {
				seen[d.Name.Local] = true
				out = append(out, d)
			}
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
	walk(ct.ContentParticle(), 0)
	return out
}

// walk calls fn for every element declaration reachable from the global
// elements of set, with its element path, parents before children. A
// declaration already on the current path is not entered again.
func walk(set *xsd.Set, fn func(path []string, d *xsd.Element)) {
	var stack []*xsd.Element
	var names []string
	var visit func(d *xsd.Element)
	visit = func(d *xsd.Element) {
		if slices.Contains(stack, d) || len(stack) > maxDepth {
			return
		}
		stack = append(stack, d)
		names = append(names, d.Name.Local)
		fn(names, d)
		for _, c := range children(d.Type) {
			visit(c)
		}
		stack = stack[:len(stack)-1]
		names = names[:len(names)-1]
	}
	for _, e := range set.Elements {
		visit(e)
	}
}

// IsUntyped reports whether the schema leaves the element's content untyped:
// it has no type, xs:anyType, or xs:anySimpleType.
func IsUntyped(d *xsd.Element) bool {
	switch t := d.Decl().Type.(type) {
	case nil:
		return true
	case *xsd.ComplexType:
		return t == xsd.AnyType
	case *xsd.SimpleType:
		return t.Builtin && t.Name.Local == "anySimpleType"
	}
	return false
}
