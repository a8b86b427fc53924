package schemas_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/pleskgo/plesk/gen/xsd"
	"github.com/pleskgo/plesk/internal/sharedtest"
)

// TestOperationsDocumented requires a documentation line on every operator
// of the packet and on every operation of an operator, in every version and
// both roots. An untyped operator (xs:anyType) has no operations, nor has
// the packet-level error (system).
func TestOperationsDocumented(t *testing.T) {
	for _, version := range schemaVersions(t) {
		for _, root := range []string{"agent_input", "agent_output"} {
			t.Run(version+"/"+root, func(t *testing.T) {
				set, err := xsd.Load(version, root+".xsd")
				if err != nil {
					t.Fatal(err)
				}
				ops, operations := 0, 0
				for _, n := range xsd.Expand(set) {
					if n.Name.Local != "packet" {
						continue
					}
					for _, op := range elementChildren(n) {
						ops++
						if strings.TrimSpace(op.Element.Doc) == "" {
							t.Errorf("operator %s has no documentation", op.Name.Local)
						}
						if op.Type == xsd.AnyType || op.Name.Local == "system" {
							continue // untyped, or the packet-level error: no operations
						}
						for _, o := range elementChildren(op) {
							operations++
							if strings.TrimSpace(o.Element.Doc) == "" {
								t.Errorf("operation %s/%s has no documentation", op.Name.Local, o.Name.Local)
							}
						}
					}
				}
				if ops < 20 || operations < 200 {
					t.Errorf("only %d operators and %d operations found", ops, operations)
				}
			})
		}
	}
}

// TestDocumentationIsOurs requires that no documentation text of our
// 1.6.6.0 schemas repeats one of the official schemas: ours is written anew.
func TestDocumentationIsOurs(t *testing.T) {
	official := sharedtest.Dir(t, "plesk-xsd", xmllintVersion)
	theirs := map[string]bool{}
	for _, root := range []string{"agent_input.xsd", "agent_output.xsd"} {
		set, err := xsd.Load(official, root)
		if err != nil {
			t.Fatal(err)
		}
		forEachDoc(set, func(doc string) { theirs[normalizeDoc(doc)] = true })
	}
	if len(theirs) < 50 {
		t.Fatalf("only %d official documentation texts found", len(theirs))
	}
	for _, root := range []string{"agent_input.xsd", "agent_output.xsd"} {
		set, err := xsd.Load(filepath.Join(".", xmllintVersion), root)
		if err != nil {
			t.Fatal(err)
		}
		forEachDoc(set, func(doc string) {
			if n := normalizeDoc(doc); len(n) > 20 && theirs[n] {
				t.Errorf("%s: documentation repeats the official text %q", root, doc)
			}
		})
	}
}

// elementChildren returns the element nodes of n's content model, through
// compositors, not into elements.
func elementChildren(n *xsd.Node) []*xsd.Node {
	var out []*xsd.Node
	var walk func(*xsd.Node)
	walk = func(m *xsd.Node) {
		for _, c := range m.Children {
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

// forEachDoc calls f with the documentation of every element, type and
// enumeration of the set's expanded trees.
func forEachDoc(set *xsd.Set, f func(string)) {
	seen := map[*xsd.Element]bool{}
	var walk func(n *xsd.Node)
	walk = func(n *xsd.Node) {
		if n.Element != nil && !seen[n.Element] {
			seen[n.Element] = true
			if n.Element.Doc != "" {
				f(n.Element.Doc)
			}
			switch t := n.Element.Type.(type) {
			case *xsd.ComplexType:
				if t.Doc != "" {
					f(t.Doc)
				}
			case *xsd.SimpleType:
				if t.Doc != "" {
					f(t.Doc)
				}
				for _, e := range t.Facets.Enumerations {
					if e.Doc != "" {
						f(e.Doc)
					}
				}
			}
		}
		for _, c := range n.Children {
			walk(c)
		}
	}
	for _, n := range xsd.Expand(set) {
		walk(n)
	}
}

func normalizeDoc(s string) string {
	return strings.ToLower(strings.Join(strings.Fields(s), " "))
}
