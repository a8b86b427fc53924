package bindingtest

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"reflect"
	"regexp"
	"slices"
	"strings"

	"github.com/pleskgo/plesk/rpc"
)

// node is an element reduced to what a lossless round trip must keep: its
// name, its attributes (sorted, namespace declarations left out) and its
// children in order, elements and non-whitespace text (trimmed; comments
// and processing instructions dropped).
type node struct {
	name  string
	attrs []string // name="value", sorted
	kids  []any    // *node or string
}

// parseCanon reads an XML document into its canonical tree.
func parseCanon(b []byte) (*node, error) {
	d := xml.NewDecoder(bytes.NewReader(b))
	var stack []*node
	var root *node
	var text strings.Builder
	flush := func() {
		if len(stack) == 0 {
			text.Reset()
			return
		}
		if s := strings.TrimSpace(text.String()); s != "" {
			top := stack[len(stack)-1]
			top.kids = append(top.kids, s)
		}
		text.Reset()
	}
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			flush()
			n := &node{name: qname(t.Name)}
			for _, a := range t.Attr {
				if a.Name.Space == "xmlns" || a.Name.Space == "" && a.Name.Local == "xmlns" {
					continue
				}
				n.attrs = append(n.attrs, fmt.Sprintf("%s=%q", qname(a.Name), a.Value))
			}
			slices.Sort(n.attrs)
			if len(stack) > 0 {
				top := stack[len(stack)-1]
				top.kids = append(top.kids, n)
			} else {
				root = n
			}
			stack = append(stack, n)
		case xml.EndElement:
			flush()
			stack = stack[:len(stack)-1]
		case xml.CharData:
			text.Write(t)
		}
	}
	if root == nil {
		return nil, fmt.Errorf("no root element")
	}
	return root, nil
}

func qname(n xml.Name) string {
	if n.Space == "" {
		return n.Local
	}
	return "{" + n.Space + "}" + n.Local
}

// diffCanon returns where a and b first differ, or "" when they are equal.
func diffCanon(a, b *node) string {
	return diffAt("/"+a.name, a, b)
}

func diffAt(path string, a, b *node) string {
	if a.name != b.name {
		return fmt.Sprintf("%s: element <%s> became <%s>", path, a.name, b.name)
	}
	if !slices.Equal(a.attrs, b.attrs) {
		return fmt.Sprintf("%s: attributes %v became %v", path, a.attrs, b.attrs)
	}
	for i := range max(len(a.kids), len(b.kids)) {
		if i >= len(a.kids) {
			return fmt.Sprintf("%s: extra %s at child %d", path, describe(b.kids[i]), i)
		}
		if i >= len(b.kids) {
			return fmt.Sprintf("%s: lost %s at child %d", path, describe(a.kids[i]), i)
		}
		an, aok := a.kids[i].(*node)
		bn, bok := b.kids[i].(*node)
		switch {
		case aok && bok:
			if d := diffAt(path+"/"+an.name, an, bn); d != "" {
				return d
			}
		case aok || bok || a.kids[i] != b.kids[i]:
			return fmt.Sprintf("%s: child %d %s became %s", path, i, describe(a.kids[i]), describe(b.kids[i]))
		}
	}
	return ""
}

func describe(k any) string {
	if n, ok := k.(*node); ok {
		return "<" + n.name + ">"
	}
	return fmt.Sprintf("text %q", k)
}

// items returns the elements (as path/@attrs) and texts (as path="text")
// of the tree, a multiset for the weaker check of lossy-order decoding.
func (n *node) items() map[string]int {
	m := map[string]int{}
	var walk func(path string, n *node)
	walk = func(path string, n *node) {
		path += "/" + n.name
		m[path+strings.Join(n.attrs, " ")]++
		for _, k := range n.kids {
			if c, ok := k.(*node); ok {
				walk(path, c)
			} else {
				m[fmt.Sprintf("%s=%q", path, k)]++
			}
		}
	}
	walk("", n)
	return m
}

// missing returns the items of in that out lacks (counting repeats).
func missing(in, out *node) []string {
	want, got := in.items(), out.items()
	var miss []string
	for k, n := range want {
		if got[k] < n {
			miss = append(miss, fmt.Sprintf("%s (%d of %d)", k, got[k], n))
		}
	}
	slices.Sort(miss)
	return miss
}

var (
	rawType     = reflect.TypeFor[rpc.Raw]()
	rawSlice    = reflect.TypeFor[[]rpc.Raw]()
	rawPtr      = reflect.TypeFor[*rpc.Raw]()
	errorType   = reflect.TypeFor[error]()
	xmlNameType = reflect.TypeFor[xml.Name]()
)

// unknowns walks v and returns where the decoder parked something the
// types did not declare: a non-empty `xml:",any"` []rpc.Raw field, or the
// Raw alternative (or DecodeErr) of a one-of item.
// declaredWildcard matches the field the generator names for a schema
// wildcard (Any, or Any2 … when the name is taken); undeclared content goes
// to Unknown.
var declaredWildcard = regexp.MustCompile(`^Any[0-9]*$`)

func unknowns(v reflect.Value) []string {
	var out []string
	var walk func(path string, v reflect.Value)
	walk = func(path string, v reflect.Value) {
		switch v.Kind() {
		case reflect.Pointer, reflect.Interface:
			if !v.IsNil() {
				walk(path, v.Elem())
			}
		case reflect.Slice:
			if v.Type() == rawSlice {
				return
			}
			for i := range v.Len() {
				walk(fmt.Sprintf("%s[%d]", path, i), v.Index(i))
			}
		case reflect.Struct:
			t := v.Type()
			if t == rawType || t == xmlNameType {
				return
			}
			item := false
			if f, ok := t.FieldByName("DecodeErr"); ok && f.Type == errorType {
				item = true
			}
			for i := range t.NumField() {
				sf := t.Field(i)
				if !sf.IsExported() {
					continue
				}
				fv := v.Field(i)
				p := path + "." + sf.Name
				tag := sf.Tag.Get("xml")
				switch {
				case sf.Type == rawSlice && strings.Contains(tag, ",any") && declaredWildcard.MatchString(sf.Name):
					// The schema's own xs:any: what it holds is declared.
				case sf.Type == rawSlice && strings.Contains(tag, ",any"):
					for _, r := range fv.Interface().([]rpc.Raw) {
						out = append(out, fmt.Sprintf("%s: <%s>", p, r.XMLName.Local))
					}
				case item && sf.Name == "Raw" && sf.Type == rawPtr:
					if !fv.IsNil() {
						out = append(out, fmt.Sprintf("%s: <%s>", p, fv.Interface().(*rpc.Raw).XMLName.Local))
					}
				case item && sf.Name == "DecodeErr":
					if !fv.IsNil() {
						out = append(out, fmt.Sprintf("%s: %v", p, fv.Interface()))
					}
				default:
					walk(p, fv)
				}
			}
		}
	}
	walk("", v)
	return out
}
