package bind

import (
	"fmt"
	"slices"
	"strings"

	"github.com/pleskgo/plesk/gen/internal/suggest"
	"github.com/pleskgo/plesk/gen/xsd"
)

// Binding is what a customization gives one element declaration.
type Binding struct {
	Kind   Kind
	Reason string
	Entry  *Entry // the line that says so
}

// Bindings is a customization file resolved against the root closures of
// a schema set: each entry's path is followed to the element declaration it
// names. A declaration is known by its position in the schema, so an entry
// reached through the request closure also types the same declaration where
// the response closure includes the same file.
type Bindings struct {
	File  *File
	byPos map[xsd.Pos]*Binding
}

// Lookup returns the customization of the element declaration d (or of the
// global element it references). A nil Bindings has none.
func (b *Bindings) Lookup(d *xsd.Element) (*Binding, bool) {
	if b == nil || d == nil {
		return nil, false
	}
	bd, ok := b.byPos[d.Decl().Pos]
	return bd, ok
}

// Len returns the number of customized declarations.
func (b *Bindings) Len() int {
	if b == nil {
		return 0
	}
	return len(b.byPos)
}

// Resolve follows every entry of f in the given root closures (nil sets are
// skipped). An entry must name an element in at least one of them, and
// every element it names must be one the schema leaves untyped; two entries
// may not name the same declaration. Each problem is reported at the
// entry's position, an unknown step at its own column with the nearest
// names that do exist.
func Resolve(f *File, sets ...*xsd.Set) (*Bindings, error) {
	b, errs := resolve(f, sets)
	if err := joinErrors(errs); err != nil {
		return nil, err
	}
	return b, nil
}

// Reusable returns the entries of f, a file made for another schema set,
// that resolve in these sets, and drops the others: decisions to offer
// for the same elements (see Draft), not to apply unread.
func Reusable(f *File, sets ...*xsd.Set) *Bindings {
	b, _ := resolve(f, sets)
	return b
}

func resolve(f *File, sets []*xsd.Set) (*Bindings, []*Error) {
	b := &Bindings{File: f, byPos: map[xsd.Pos]*Binding{}}
	var live []*xsd.Set
	for _, s := range sets {
		if s != nil {
			live = append(live, s)
		}
	}
	var errs []*Error
	owner := map[xsd.Pos]*Entry{}
	kids := map[xsd.Type][]*xsd.Element{}
	for _, e := range f.Entries {
		var found []*xsd.Element
		var misses []*miss
		for _, s := range live {
			d, m := follow(e, s, kids)
			if m != nil {
				misses = append(misses, m)
				continue
			}
			if !slices.ContainsFunc(found, func(x *xsd.Element) bool { return x.Pos == d.Pos }) {
				found = append(found, d)
			}
		}
		if len(found) == 0 {
			errs = append(errs, worst(e, misses))
			continue
		}
		// A path can name an element in both packets (migration/get_fs is
		// untyped in the request, typed in the response): the entry types
		// the untyped ones, and is wrong only when none is.
		var untyped []*xsd.Element
		for _, d := range found {
			if IsUntyped(d) {
				untyped = append(untyped, d)
			}
		}
		if len(untyped) == 0 {
			d := found[0]
			errs = append(errs, &Error{e.Pos, fmt.Sprintf("%s is already typed by the schema (%s, %s); customizations are only for untyped elements", e.Path, typeText(d.Type), d.Pos)})
			continue
		}
		found = untyped
		if i := slices.IndexFunc(found, func(d *xsd.Element) bool { return owner[d.Pos] != nil }); i >= 0 {
			prev := owner[found[i].Pos]
			errs = append(errs, &Error{e.Pos, fmt.Sprintf("%s names the same element (%s) as %s at line %d", e.Path, found[i].Pos, prev.Path, prev.Pos.Line)})
			continue
		}
		for _, d := range found {
			owner[d.Pos] = e
			b.byPos[d.Pos] = &Binding{Kind: e.Kind, Reason: e.Reason, Entry: e}
		}
	}
	return b, errs
}

// miss is a path that does not resolve in one closure. msg has "{in}"
// where the closure's root goes; depth is how many steps matched, leaf
// whether the last one matched has no children.
type miss struct {
	pos   xsd.Pos
	msg   string
	root  string
	depth int
	leaf  bool
}

// worst reports the misses of an entry in every closure as one error: the
// one that got furthest (naming the children there are, if any closure
// has some), for each closure that missed the same way.
func worst(e *Entry, ms []*miss) *Error {
	if len(ms) == 0 {
		return &Error{e.Pos, fmt.Sprintf("%s: no schema to resolve it in", e.Path)}
	}
	best := ms[0]
	for _, m := range ms[1:] {
		if m.depth > best.depth || m.depth == best.depth && best.leaf && !m.leaf {
			best = m
		}
	}
	var roots []string
	for _, m := range ms {
		if m.depth == best.depth && m.msg == best.msg {
			roots = append(roots, m.root)
		}
	}
	return &Error{best.pos, strings.ReplaceAll(best.msg, "{in}", "in "+strings.Join(roots, " or "))}
}

// follow walks e's path in s, caching the children of each type in kids.
func follow(e *Entry, s *xsd.Set, kids map[xsd.Type][]*xsd.Element) (*xsd.Element, *miss) {
	steps, cols := e.Steps, e.StepCols
	var t xsd.Type
	var d *xsd.Element
	at := func(i int) xsd.Pos { return xsd.Pos{File: e.Pos.File, Line: e.Pos.Line, Col: cols[i]} }
	if e.TypeName != "" {
		for _, ty := range s.Types {
			if ct, ok := ty.(*xsd.ComplexType); ok && ct.Name.Local == e.TypeName {
				t = ct
				break
			}
		}
		if t == nil {
			var names []string
			for _, ty := range s.Types {
				if ct, ok := ty.(*xsd.ComplexType); ok {
					names = append(names, ct.Name.Local)
				}
			}
			return nil, &miss{pos: e.Pos, root: s.Root, msg: fmt.Sprintf("%s: no complexType %q {in}%s", e.Path, e.TypeName, didYouMean(e.TypeName, names))}
		}
	} else {
		var names []string
		for _, g := range s.Elements {
			if g.Name.Local == steps[0] {
				d = g
				break
			}
			names = append(names, g.Name.Local)
		}
		if d == nil {
			return nil, &miss{pos: at(0), root: s.Root, msg: fmt.Sprintf("%s: no global element %q {in}%s", e.Path, steps[0], didYouMean(steps[0], names))}
		}
		t = d.Type
		steps, cols = steps[1:], cols[1:]
		at = func(i int) xsd.Pos { return xsd.Pos{File: e.Pos.File, Line: e.Pos.Line, Col: cols[i]} }
	}
	for i, step := range steps {
		ks, ok := kids[t]
		if !ok {
			ks = children(t)
			kids[t] = ks
		}
		var c *xsd.Element
		for _, k := range ks {
			if k.Name.Local == step {
				c = k
				break
			}
		}
		if c == nil {
			where := strings.Join(e.Steps[:len(e.Steps)-len(steps)+i], "/")
			if e.TypeName != "" {
				where = "type:" + e.TypeName
				if len(e.Steps[:i]) > 0 {
					where += "/" + strings.Join(e.Steps[:i], "/")
				}
			}
			var names []string
			for _, k := range ks {
				names = append(names, k.Name.Local)
			}
			m := &miss{pos: at(i), root: s.Root, depth: i + 1, leaf: len(names) == 0,
				msg: fmt.Sprintf("%s: %s has no child element %q {in}%s", e.Path, where, step, didYouMean(step, names))}
			if m.leaf {
				m.msg = fmt.Sprintf("%s: %s has no child elements {in}", e.Path, where)
			}
			return nil, m
		}
		d, t = c, c.Type
	}
	return d, nil
}

// didYouMean suggests the nearest of names, or lists a few when none is
// near.
func didYouMean(s string, names []string) string {
	if n := suggest.Closest(s, names); n != "" {
		return fmt.Sprintf("; did you mean %q?", n)
	}
	if len(names) == 0 {
		return ""
	}
	if len(names) > 8 {
		return fmt.Sprintf(" (it has %s, ... %d in all)", strings.Join(names[:8], ", "), len(names))
	}
	return fmt.Sprintf(" (it has %s)", strings.Join(names, ", "))
}

// typeText names a type for a message.
func typeText(t xsd.Type) string {
	switch t := t.(type) {
	case *xsd.ComplexType:
		if t.Name.Local != "" {
			return "type " + t.Name.Local
		}
		return "an anonymous complexType"
	case *xsd.SimpleType:
		if t.Name.Local != "" {
			return "type " + t.Name.Local
		}
		return "an anonymous simpleType"
	}
	return "no type"
}
