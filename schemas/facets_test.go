package schemas_test

import (
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/pleskgo/plesk/gen/xsd"
	"github.com/pleskgo/plesk/internal/sharedtest"
)

// TestFacetsMatchOfficial expands our 1.6.6.0 schemas and the official ones
// side by side and requires, element and attribute path by path, the same
// value space: the same enumeration values, patterns, length and range
// facets, digits, list and union structure, and the same default and fixed
// values. whiteSpace is left out: the official schemas' own string, int, …
// types only add whiteSpace="collapse" to the builtins, and ours use the
// builtins themselves (see doc.go).
func TestFacetsMatchOfficial(t *testing.T) {
	official := sharedtest.Dir(t, "plesk-xsd", xmllintVersion)
	for _, root := range []string{"agent_input", "agent_output"} {
		t.Run(root, func(t *testing.T) {
			want, err := xsd.Load(official, root+".xsd")
			if err != nil {
				t.Fatal(err)
			}
			got, err := xsd.Load(filepath.Join(".", xmllintVersion), root+".xsd")
			if err != nil {
				t.Fatal(err)
			}
			c := &facetComparison{t: t}
			c.nodes("", xsd.Expand(want), xsd.Expand(got))
			if c.compared < 1000 {
				t.Errorf("only %d typed nodes compared", c.compared)
			}
			if c.constrained < 100 {
				t.Errorf("only %d nodes with facets compared", c.constrained)
			}
			t.Logf("%d element and attribute values compared, %d of them constrained by facets", c.compared, c.constrained)
		})
	}
}

type facetComparison struct {
	t           *testing.T
	compared    int
	constrained int
	failures    int
}

func (c *facetComparison) nodes(path string, want, got []*xsd.Node) {
	if len(want) != len(got) {
		c.fail("%s: %d children in the official tree, %d in ours", path, len(want), len(got))
		return
	}
	for i, w := range want {
		g := got[i]
		p := path + "/" + w.Key()
		if w.Key() != g.Key() {
			c.fail("%s: the official tree has %s where ours has %s", path, w.Key(), g.Key())
			return
		}
		if w.Kind == xsd.NodeElement || w.Kind == xsd.NodeAttribute {
			wd, gd := valueSpace(w), valueSpace(g)
			c.compared++
			if wd != gd {
				c.fail("%s:\n\tofficial: %s\n\tours:     %s", p, wd, gd)
			}
			if strings.Contains(wd, "facets(") {
				c.constrained++
			}
		}
		c.nodes(p, w.Children, g.Children)
		if c.failures > 20 {
			return
		}
	}
}

func (c *facetComparison) fail(format string, args ...any) {
	c.t.Helper()
	c.failures++
	if c.failures <= 20 {
		c.t.Errorf(format, args...)
	}
}

// valueSpace describes what text an element or attribute node admits, and
// its value constraints.
func valueSpace(n *xsd.Node) string {
	var b strings.Builder
	switch t := n.Type.(type) {
	case *xsd.SimpleType:
		b.WriteString(simpleSpace(t, 0))
	case *xsd.ComplexType:
		if tt := t.TextType(); tt != nil {
			b.WriteString("text " + simpleSpace(tt, 0))
		} else {
			b.WriteString("no text")
		}
	}
	def, fixed := n.Default, n.Fixed
	if n.Kind == xsd.NodeElement && n.Element != nil {
		def, fixed = n.Element.Default, n.Element.Fixed
	}
	if def != nil {
		b.WriteString(" default=" + strconv.Quote(*def))
	}
	if fixed != nil {
		b.WriteString(" fixed=" + strconv.Quote(*fixed))
	}
	return b.String()
}

func simpleSpace(t *xsd.SimpleType, depth int) string {
	if t == nil || depth > 20 {
		return "?"
	}
	switch t.Variety {
	case xsd.List:
		return "list(" + simpleSpace(t.ItemType, depth+1) + ")"
	case xsd.Union:
		var m []string
		for _, x := range t.MemberTypes {
			m = append(m, simpleSpace(x, depth+1))
		}
		return "union(" + strings.Join(m, " | ") + ")"
	}
	// The builtin the chain ends in, by its own name when the official
	// schemas restate one (their "int" is xs:int with whiteSpace collapse).
	base := t
	for base != nil && !base.Builtin && xsd.BuiltinSimple(base.Name.Local) == nil {
		base = base.BaseType
	}
	name := "anySimpleType"
	if base != nil {
		name = base.Name.Local
	}
	f := t.EffectiveFacets()
	var parts []string
	if len(f.Enumerations) > 0 {
		var v []string
		for _, e := range f.Enumerations {
			v = append(v, strconv.Quote(e.Value))
		}
		parts = append(parts, "enum["+strings.Join(v, ",")+"]")
	}
	for _, p := range f.Patterns {
		parts = append(parts, "pattern "+strconv.Quote(p))
	}
	for _, x := range []struct {
		name string
		v    *int
	}{{"length", f.Length}, {"minLength", f.MinLength}, {"maxLength", f.MaxLength},
		{"totalDigits", f.TotalDigits}, {"fractionDigits", f.FractionDigits}} {
		if x.v != nil {
			parts = append(parts, fmt.Sprintf("%s=%d", x.name, *x.v))
		}
	}
	for _, x := range []struct {
		name string
		v    *string
	}{{"minInclusive", f.MinInclusive}, {"maxInclusive", f.MaxInclusive},
		{"minExclusive", f.MinExclusive}, {"maxExclusive", f.MaxExclusive}} {
		if x.v != nil {
			parts = append(parts, x.name+"="+strings.TrimSpace(*x.v))
		}
	}
	if len(parts) == 0 {
		return name
	}
	return name + " facets(" + strings.Join(parts, " ") + ")"
}
