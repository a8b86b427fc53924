package opclass

import (
	"encoding/xml"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pleskgo/plesk/internal/sharedtest"
)

// node is an element of a schema document, kept whole.
type node struct {
	XMLName  xml.Name
	Attrs    []xml.Attr `xml:",any,attr"`
	Children []node     `xml:",any"`
}

func (n *node) attr(name string) string {
	for _, a := range n.Attrs {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

// schemaSet is agent_input.xsd with the files it includes, transitively:
// its named types and groups by name.
type schemaSet struct {
	types, groups map[string]*node
	root          *node
}

func loadSchemas(t *testing.T, dir string) *schemaSet {
	t.Helper()
	s := &schemaSet{types: map[string]*node{}, groups: map[string]*node{}}
	seen := map[string]bool{}
	var load func(file string) *node
	load = func(file string) *node {
		if seen[file] {
			return nil
		}
		seen[file] = true
		data, err := os.ReadFile(filepath.Join(dir, file))
		if err != nil {
			t.Fatal(err)
		}
		doc := &node{}
		if err := xml.Unmarshal(data, doc); err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		for i := range doc.Children {
			c := &doc.Children[i]
			switch c.XMLName.Local {
			case "include":
				load(c.attr("schemaLocation"))
			case "complexType":
				s.types[c.attr("name")] = c
			case "group":
				s.groups[c.attr("name")] = c
			}
		}
		return doc
	}
	s.root = load("agent_input.xsd")
	return s
}

// elements returns the names of the elements a particle (a compositor, a
// group reference, a complex type) allows as children, looking through
// nested compositors, group references and extensions, not into elements.
func (s *schemaSet) elements(n *node, depth int) []string {
	if n == nil || depth > 20 {
		return nil
	}
	var out []string
	for i := range n.Children {
		c := &n.Children[i]
		switch c.XMLName.Local {
		case "element":
			name := c.attr("name")
			if name == "" {
				name = c.attr("ref")
			}
			if c.attr("maxOccurs") != "0" {
				out = append(out, localName(name))
			}
		case "sequence", "choice", "all", "complexContent":
			out = append(out, s.elements(c, depth+1)...)
		case "extension", "restriction":
			if c.XMLName.Local == "extension" {
				out = append(out, s.elements(s.types[localName(c.attr("base"))], depth+1)...)
			}
			out = append(out, s.elements(c, depth+1)...)
		case "group":
			if ref := c.attr("ref"); ref != "" && c.attr("maxOccurs") != "0" {
				out = append(out, s.elements(s.groups[localName(ref)], depth+1)...)
			}
		}
	}
	return out
}

func localName(s string) string {
	if i := strings.IndexByte(s, ':'); i >= 0 {
		return s[i+1:]
	}
	return s
}

// find returns the first element named name (local) with the given name
// attribute, depth first.
func find(n *node, local, name string) *node {
	if n.XMLName.Local == local && n.attr("name") == name {
		return n
	}
	for i := range n.Children {
		if f := find(&n.Children[i], local, name); f != nil {
			return f
		}
	}
	return nil
}

// child returns the element declaration named name among the particles
// of n (as elements lists them).
func (s *schemaSet) child(n *node, name string, depth int) *node {
	if n == nil || depth > 20 {
		return nil
	}
	for i := range n.Children {
		c := &n.Children[i]
		switch c.XMLName.Local {
		case "element":
			if c.attr("name") == name {
				return c
			}
		case "sequence", "choice", "all", "complexContent", "extension":
			if f := s.child(c, name, depth+1); f != nil {
				return f
			}
		case "group":
			if f := s.child(s.groups[localName(c.attr("ref"))], name, depth+1); f != nil {
				return f
			}
		}
	}
	return nil
}

// content returns what an element declaration holds: its anonymous type,
// or its named one.
func (s *schemaSet) content(el *node) *node {
	if el == nil {
		return nil
	}
	if t := el.attr("type"); t != "" {
		return s.types[localName(t)]
	}
	for i := range el.Children {
		if el.Children[i].XMLName.Local == "complexType" {
			return &el.Children[i]
		}
	}
	return nil
}

// TestTableCoversTheOfficialXSDs reads the official 1.6.6.0 request schema
// itself (agent_input.xsd and what it includes): every operation of every
// operator under <packet>, and of each operation group, must be in the
// table.
func TestTableCoversTheOfficialXSDs(t *testing.T) {
	dir := sharedtest.Dir(t, "plesk-xsd", "1.6.6.0")
	s := loadSchemas(t, dir)
	packet := find(s.root, "element", "packet")
	if packet == nil {
		t.Fatal("no packet element in agent_input.xsd")
	}
	operators := s.elements(s.content(packet), 0)
	n := 0
	for _, operator := range operators {
		if operator == "request-settings" {
			continue
		}
		opType := s.content(s.child(s.content(packet), operator, 0))
		ops := s.elements(opType, 0)
		if len(ops) == 0 {
			t.Errorf("operator %s: no operations found in the schema", operator)
		}
		for _, operation := range ops {
			n++
			if _, ok := Lookup(operator, operation); !ok {
				t.Errorf("1.6.6.0 XSD: %s/%s is not classified", operator, operation)
			}
			if !isGroup(operator, operation) {
				continue
			}
			for _, inner := range s.elements(s.content(s.child(opType, operation, 0)), 0) {
				n++
				if _, ok := Lookup(operator, operation+"/"+inner); !ok {
					t.Errorf("1.6.6.0 XSD: %s/%s/%s is not classified", operator, operation, inner)
				}
			}
		}
	}
	t.Logf("%d operators, %d operations", len(operators), n)
	if len(operators) < 40 || n < 300 {
		t.Fatalf("read %d operators and %d operations: the schema walk is broken", len(operators), n)
	}
}
