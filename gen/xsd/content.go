package xsd

import (
	"slices"
	"strings"
)

// This file derives the effective content of a complex type from the model
// as written, following the rules Xerces applies when it builds its schema
// model (XSDComplexTypeTraverser): which particle a type ends up with after
// extension, and which attribute uses and attribute wildcard.

// ContentParticle returns the effective content model of t: for an
// extension, its base's content model followed by its own; nil when the
// content is empty or simple. Following Xerces:
//
//   - the type's own particle counts as absent when it is a sequence or all
//     with no children, a choice with minOccurs="0" and no children, or a
//     particle with maxOccurs="0"; a mixed type without one gets an empty
//     sequence;
//   - an extension that adds no particle has its base's content model, an
//     extension of a type with empty content has its own, and otherwise a
//     new sequence [1..1] holds the base's content model, then its own.
//
// Group references in the result are not expanded.
func (t *ComplexType) ContentParticle() *Particle {
	p, _ := contentParticle(t, 0)
	return p
}

// Content returns the shape of t's effective content.
func (t *ComplexType) Content() ContentKind {
	if t.SimpleContent {
		return ContentSimple
	}
	p, mixed := contentParticle(t, 0)
	switch {
	case p == nil:
		return ContentEmpty
	case mixed:
		return ContentMixed
	}
	return ContentElement
}

// TextType returns the simple type of the character content of a type with
// simple content: its simpleContent restriction (with its facets) or,
// through extensions, the base simple type. It is nil for other types.
func (t *ComplexType) TextType() *SimpleType {
	if !t.SimpleContent {
		return nil
	}
	return textType(t, 0)
}

// contentParticle returns the effective particle of t and whether the
// content is mixed.
func contentParticle(t *ComplexType, depth int) (*Particle, bool) {
	if t.SimpleContent {
		return nil, false
	}
	own := t.Particle
	if own != nil && own.Occurs.Max == 0 {
		own = nil
	}
	if own != nil && len(own.Children) == 0 {
		switch own.Kind {
		case ParticleSequence, ParticleAll:
			own = nil
		case ParticleChoice:
			if own.Occurs.Min == 0 {
				own = nil
			}
		}
	}
	if own == nil && t.Mixed {
		own = &Particle{Kind: ParticleSequence, Pos: t.Pos, Occurs: One}
	}
	base, ok := t.BaseType.(*ComplexType)
	if t.Derivation != DeriveExtension || !ok || depth >= maxDepth {
		return own, t.Mixed
	}
	bp, bmixed := contentParticle(base, depth+1)
	switch {
	case own == nil:
		return bp, bmixed
	case bp == nil:
		return own, t.Mixed
	}
	return &Particle{Kind: ParticleSequence, Pos: t.Pos, Occurs: One, Children: []*Particle{bp, own}}, t.Mixed
}

// attrUses is the effective attributes of a type or attribute group.
type attrUses struct {
	uses []*Attribute // in order; prohibited ones only until the end
	wc   *effWildcard
}

// effWildcard is an attribute wildcard after the intersections and unions
// of XSD's attribute rules.
type effWildcard struct {
	pos Pos
	ns  nsConstraint
	pc  string
}

func (u *attrUses) find(name QName) int {
	return slices.IndexFunc(u.uses, func(a *Attribute) bool { return a.Decl().Name == name })
}

// add appends a unless an attribute of the same name is there (prohibited
// uses are always added: they only block inherited attributes).
func (u *attrUses) add(a *Attribute) {
	if a.Use != UseProhibited {
		for _, b := range u.uses {
			if b.Use != UseProhibited && b.Decl().Name == a.Decl().Name {
				return
			}
		}
	}
	u.uses = append(u.uses, a)
}

func (u *attrUses) dropProhibited() {
	u.uses = slices.DeleteFunc(u.uses, func(a *Attribute) bool { return a.Use == UseProhibited })
}

// typeAttributes returns the effective attributes of t: its own (attribute
// group contents in place), then those of its base type it does not
// redeclare, then the attribute wildcard (for an extension the union of its
// own and its base's).
func typeAttributes(t *ComplexType, depth int) attrUses {
	u := declaredAttributes(t.Attributes, t.AttributeGroups, t.AnyAttribute, depth)
	if base, ok := t.BaseType.(*ComplexType); ok && t.Derivation != DeriveNone && depth < maxDepth {
		b := typeAttributes(base, depth+1)
		for _, a := range b.uses {
			if u.find(a.Decl().Name) < 0 {
				u.uses = append(u.uses, a)
			}
		}
		if t.Derivation == DeriveExtension {
			switch {
			case u.wc == nil:
				u.wc = b.wc
			case b.wc != nil:
				u.wc = &effWildcard{pos: u.wc.pos, ns: u.wc.ns.union(b.wc.ns), pc: u.wc.pc}
			}
		}
	}
	u.dropProhibited()
	return u
}

// declaredAttributes merges attribute declarations and attribute group
// references in document order, then intersects the wildcards of the groups
// and of the declaration's own xs:anyAttribute.
func declaredAttributes(list []*Attribute, groups []*AttributeGroupRef, any *Wildcard, depth int) attrUses {
	var u attrUses
	i, j := 0, 0
	for i < len(list) || j < len(groups) {
		if j == len(groups) || i < len(list) && before(list[i].Pos, groups[j].Pos) {
			u.add(list[i])
			i++
			continue
		}
		g := groups[j].Group
		j++
		if g == nil || depth >= maxDepth {
			continue
		}
		gu := declaredAttributes(g.Attributes, g.AttributeGroups, g.AnyAttribute, depth+1)
		gu.dropProhibited()
		for _, a := range gu.uses {
			u.add(a)
		}
		if gu.wc != nil {
			if u.wc == nil {
				u.wc = gu.wc
			} else {
				u.wc = &effWildcard{pos: u.wc.pos, ns: u.wc.ns.intersect(gu.wc.ns), pc: u.wc.pc}
			}
		}
	}
	if any != nil {
		w := &effWildcard{pos: any.Pos, ns: parseNamespace(any), pc: any.ProcessContents}
		if u.wc != nil {
			w.ns = w.ns.intersect(u.wc.ns)
		}
		u.wc = w
	}
	return u
}

// before orders two positions in the same file.
func before(a, b Pos) bool {
	return a.Line < b.Line || a.Line == b.Line && a.Col < b.Col
}

// nsConstraint is the namespace constraint of a wildcard. The namespace ""
// stands for "no namespace" (##absent).
type nsConstraint struct {
	kind nsKind
	set  []string // the namespaces allowed (nsList) or excluded (nsNot)
}

type nsKind int

const (
	nsAny nsKind = iota
	nsNot
	nsList
)

// parseNamespace reads the namespace attribute of a wildcard as Xerces
// does: ##other excludes the target namespace and no namespace.
func parseNamespace(w *Wildcard) nsConstraint {
	switch ns := strings.TrimSpace(w.Namespace); ns {
	case "", "##any":
		return nsConstraint{kind: nsAny}
	case "##other":
		return nsConstraint{kind: nsNot, set: dedup([]string{w.TargetNamespace, ""})}
	}
	var set []string
	for _, tok := range strings.Fields(w.Namespace) {
		switch tok {
		case "##targetNamespace":
			tok = w.TargetNamespace
		case "##local":
			tok = ""
		}
		set = append(set, tok)
	}
	return nsConstraint{kind: nsList, set: dedup(set)}
}

func dedup(s []string) []string {
	var out []string
	for _, x := range s {
		if !slices.Contains(out, x) {
			out = append(out, x)
		}
	}
	return out
}

// union is the set union of two constraints.
func (c nsConstraint) union(d nsConstraint) nsConstraint {
	switch {
	case c.kind == nsAny || d.kind == nsAny:
		return nsConstraint{kind: nsAny}
	case c.kind == nsList && d.kind == nsList:
		return nsConstraint{kind: nsList, set: dedup(append(slices.Clip(c.set), d.set...))}
	case c.kind == nsNot && d.kind == nsNot:
		return notOrAny(intersectSets(c.set, d.set))
	case c.kind == nsList:
		c, d = d, c
	}
	return notOrAny(minus(c.set, d.set)) // not(c) ∪ list(d)
}

// intersect is the set intersection of two constraints.
func (c nsConstraint) intersect(d nsConstraint) nsConstraint {
	switch {
	case c.kind == nsAny:
		return d
	case d.kind == nsAny:
		return c
	case c.kind == nsList && d.kind == nsList:
		return nsConstraint{kind: nsList, set: intersectSets(c.set, d.set)}
	case c.kind == nsNot && d.kind == nsNot:
		return nsConstraint{kind: nsNot, set: dedup(append(slices.Clip(c.set), d.set...))}
	case c.kind == nsNot:
		c, d = d, c
	}
	return nsConstraint{kind: nsList, set: minus(c.set, d.set)} // list(c) ∩ not(d)
}

func notOrAny(set []string) nsConstraint {
	if len(set) == 0 {
		return nsConstraint{kind: nsAny}
	}
	return nsConstraint{kind: nsNot, set: set}
}

func intersectSets(a, b []string) []string {
	var out []string
	for _, x := range a {
		if slices.Contains(b, x) {
			out = append(out, x)
		}
	}
	return out
}

func minus(a, b []string) []string {
	var out []string
	for _, x := range a {
		if !slices.Contains(b, x) {
			out = append(out, x)
		}
	}
	return out
}

// String formats the constraint as the trees print it: ##any, a comma list,
// or not(list), with ##absent for no namespace; an empty list (the
// intersection of disjoint wildcards) is ##none.
func (c nsConstraint) String() string {
	if c.kind == nsList && len(c.set) == 0 {
		return "##none"
	}
	items := make([]string, len(c.set))
	for i, ns := range c.set {
		items[i] = ns
		if ns == "" {
			items[i] = "##absent"
		}
	}
	switch c.kind {
	case nsAny:
		return "##any"
	case nsNot:
		return "not(" + strings.Join(items, ",") + ")"
	}
	return strings.Join(items, ",")
}
