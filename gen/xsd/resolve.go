package xsd

import "strings"

// resolve runs the reference resolutions the parser queued, rejects circular
// definitions, and fills in the implicit types.
func (l *loader) resolve() {
	for _, f := range l.fixups {
		f()
	}
	l.fixups = nil
	l.checkCycles()
	if len(l.errs) > 0 {
		return
	}
	for _, e := range l.allElements {
		implicitType(l.set, e, 0)
	}
	anySimple := BuiltinSimple("anySimpleType")
	for _, a := range l.allAttributes {
		if a.Type == nil && a.Ref.IsZero() {
			a.Type = anySimple
		}
	}
	for _, t := range l.simpleContents {
		if r := t.SimpleRestriction; r != nil && r.BaseType == nil {
			r.BaseType = textType(t.BaseType, 0)
		}
	}
}

// implicitType gives a declaration without a type the type of its
// substitution group head, or xs:anyType.
func implicitType(s *Set, e *Element, depth int) Type {
	if e.Type == nil && e.Ref.IsZero() {
		e.Type = AnyType
		if h := s.Element(e.SubstitutionGroup); h != nil && depth < maxDepth {
			e.Type = implicitType(s, h, depth+1)
		}
	}
	return e.Type
}

// checkCycles reports circular group references, attribute group
// references, type derivations, simple type definitions and substitution
// groups: the model must be acyclic everywhere but through element types.
func (l *loader) checkCycles() {
	s := l.set
	findCycles(s.Groups, func(g *Group) []*Group {
		var out []*Group
		walkParticle(g.Particle, func(p *Particle) {
			if p.Kind == ParticleGroupRef && p.Group != nil {
				out = append(out, p.Group)
			}
		})
		return out
	}, func(c []*Group) {
		l.errorf(c[0].Pos, "%s: circular reference %s", describe("group", c[0].Name),
			cyclePath(c, func(g *Group) QName { return g.Name }))
	})
	findCycles(s.AttributeGroups, func(g *AttributeGroup) []*AttributeGroup {
		var out []*AttributeGroup
		for _, r := range g.AttributeGroups {
			if r.Group != nil {
				out = append(out, r.Group)
			}
		}
		return out
	}, func(c []*AttributeGroup) {
		l.errorf(c[0].Pos, "%s: circular reference %s", describe("attributeGroup", c[0].Name),
			cyclePath(c, func(g *AttributeGroup) QName { return g.Name }))
	})
	findCycles(l.allComplex, func(t *ComplexType) []*ComplexType {
		if b, ok := t.BaseType.(*ComplexType); ok && b != AnyType {
			return []*ComplexType{b}
		}
		return nil
	}, func(c []*ComplexType) {
		l.errorf(c[0].Pos, "%s: circular derivation %s", describe("complexType", c[0].Name),
			cyclePath(c, func(t *ComplexType) QName { return t.Name }))
	})
	findCycles(l.allSimple, func(t *SimpleType) []*SimpleType {
		var out []*SimpleType
		for _, u := range append([]*SimpleType{t.BaseType, t.ItemType}, t.MemberTypes...) {
			if u != nil && !u.Builtin {
				out = append(out, u)
			}
		}
		return out
	}, func(c []*SimpleType) {
		l.errorf(c[0].Pos, "%s: circular definition %s", describe("simpleType", c[0].Name),
			cyclePath(c, func(t *SimpleType) QName { return t.Name }))
	})
	findCycles(s.Elements, func(e *Element) []*Element {
		if h := s.Element(e.SubstitutionGroup); h != nil && !e.SubstitutionGroup.IsZero() {
			return []*Element{h}
		}
		return nil
	}, func(c []*Element) {
		l.errorf(c[0].Pos, "%s: circular substitution group %s", describe("element", c[0].Name),
			cyclePath(c, func(e *Element) QName { return e.Name }))
	})
}

// findCycles calls report with every cycle (first node repeated at the end)
// that a depth-first search from nodes, in order, closes.
func findCycles[T comparable](nodes []T, next func(T) []T, report func([]T)) {
	const (
		white = iota
		grey  // on the current path
		black // done
	)
	state := map[T]int{}
	var path []T
	var visit func(T)
	visit = func(n T) {
		state[n] = grey
		path = append(path, n)
		for _, m := range next(n) {
			switch state[m] {
			case white:
				visit(m)
			case grey:
				for i := len(path) - 1; i >= 0; i-- {
					if path[i] == m {
						report(append(append([]T(nil), path[i:]...), m))
						break
					}
				}
			}
		}
		path = path[:len(path)-1]
		state[n] = black
	}
	for _, n := range nodes {
		if state[n] == white {
			visit(n)
		}
	}
}

func cyclePath[T any](c []T, name func(T) QName) string {
	parts := make([]string, len(c))
	for i, x := range c {
		parts[i] = "(anonymous)"
		if q := name(x); !q.IsZero() {
			parts[i] = nameText(q)
		}
	}
	return strings.Join(parts, " -> ")
}

// walkParticle calls f for p and every particle below it, not descending
// into group references or element types.
func walkParticle(p *Particle, f func(*Particle)) {
	if p == nil {
		return
	}
	f(p)
	for _, c := range p.Children {
		walkParticle(c, f)
	}
}

// textType returns the simple type of the character content of t: t itself
// for a simple type, and for a complex type with simple content its
// restriction or, through extensions, its base's text type.
func textType(t Type, depth int) *SimpleType {
	switch t := t.(type) {
	case *SimpleType:
		return t
	case *ComplexType:
		if t.SimpleRestriction != nil {
			return t.SimpleRestriction
		}
		if t.SimpleContent && depth < maxDepth {
			return textType(t.BaseType, depth+1)
		}
	}
	return nil
}
