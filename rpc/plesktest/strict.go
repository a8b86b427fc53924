package plesktest

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/pleskgo/plesk/rpc"
	"github.com/pleskgo/plesk/rpc/internal/xmlstruct"
)

// Limits of the schema check, so that a hostile packet cannot make the fake
// use unbounded memory or stack.
const (
	maxDepth = 64
	maxNodes = 200_000
)

// A violation is the first reason a packet is not valid against a schema,
// worded like the libxml2 messages Plesk passes on in error 1014.
type violation struct {
	line int
	msg  string
}

func (v *violation) Error() string {
	if v.line > 0 {
		return fmt.Sprintf("Error in line %d: %s", v.line, v.msg)
	}
	return v.msg
}

// node is one element of a parsed packet: enough of it to compare the
// structure of two documents.
type node struct {
	name     string
	line     int
	text     string // character data directly inside, trimmed
	attrs    []string
	children []*node
}

// parseTree reads an XML document into a tree of elements. It rejects what
// is not well-formed, DOCTYPEs, and documents beyond the limits.
func parseTree(b []byte) (*node, *violation) {
	d := xml.NewDecoder(bytes.NewReader(b))
	d.Strict = true
	d.Entity = nil
	var root *node
	var stack []*node
	count := 0
	var text []byte
	for {
		tok, err := d.RawToken()
		if err == io.EOF {
			break
		}
		if err != nil {
			var se *xml.SyntaxError
			if errors.As(err, &se) {
				return nil, &violation{line: se.Line, msg: se.Msg}
			}
			line, _ := d.InputPos()
			return nil, &violation{line: line, msg: err.Error()}
		}
		switch t := tok.(type) {
		case xml.StartElement:
			line, _ := d.InputPos()
			count++
			if count > maxNodes || len(stack) >= maxDepth {
				return nil, &violation{line: line, msg: "Excessive depth or size of the document"}
			}
			n := &node{name: t.Name.Local, line: line}
			for _, a := range t.Attr {
				n.attrs = append(n.attrs, a.Name.Local)
			}
			if len(stack) == 0 {
				if root != nil {
					return nil, &violation{line: line, msg: "Extra content at the end of the document"}
				}
				root = n
			} else {
				p := stack[len(stack)-1]
				p.children = append(p.children, n)
			}
			stack = append(stack, n)
			text = text[:0]
		case xml.EndElement:
			if len(stack) == 0 {
				line, _ := d.InputPos()
				return nil, &violation{line: line, msg: "Unexpected end tag"}
			}
			n := stack[len(stack)-1]
			if t.Name.Local != n.name {
				line, _ := d.InputPos()
				return nil, &violation{line: line,
					msg: fmt.Sprintf("Opening and ending tag mismatch: %s line %d and %s", n.name, n.line, t.Name.Local)}
			}
			if len(n.children) == 0 {
				n.text = string(bytes.TrimSpace(text))
			}
			stack = stack[:len(stack)-1]
			text = text[:0]
		case xml.CharData:
			if len(stack) > 0 {
				text = append(text, t...)
			} else if len(bytes.TrimSpace(t)) > 0 {
				line, _ := d.InputPos()
				return nil, &violation{line: line, msg: "Start tag expected, '<' not found"}
			}
		case xml.Directive:
			line, _ := d.InputPos()
			return nil, &violation{line: line, msg: "DOCTYPE and other declarations are not allowed in a request"}
		}
	}
	if root == nil {
		return nil, &violation{line: 1, msg: "Document is empty"}
	}
	if len(stack) > 0 {
		line, _ := d.InputPos()
		return nil, &violation{line: line, msg: fmt.Sprintf("Premature end of data in tag %s", stack[len(stack)-1].name)}
	}
	return root, nil
}

// checkStrict decodes body into dst, a pointer to a generated packet type,
// and reports the first way body breaks the schema dst was generated from:
// an element the schema does not declare, one missing or out of order, a
// value that does not parse, or a constraint Validate checks.
//
// The generated types are lenient on purpose (they keep what they cannot
// type in Unknown and Raw fields); checkStrict is strict by comparing the
// document with what dst marshals back to once those are removed. The
// schema's element order is the order of the struct fields, so any element
// out of place, missing or foreign shows up as a difference.
func checkStrict(body []byte, dst any) *violation {
	return checkStrictAs(body, dst, "")
}

// checkStrictAs is checkStrict for a type that does not name its element
// (the request type of one operation): root, when set, is the name dst
// marshals back to.
func checkStrictAs(body []byte, dst any, root string) *violation {
	orig, v := parseTree(body)
	if v != nil {
		return v
	}
	if err := xml.Unmarshal(body, dst); err != nil {
		return valueViolation(orig, "", err)
	}
	var f findings
	clearLenient(dst, &f, false)
	if f.badAttr != "" {
		n := withAttr(orig, f.badAttrElem, f.badAttr)
		if n == nil {
			n = orig
		}
		return &violation{line: n.line,
			msg: fmt.Sprintf("Element '%s', attribute '%s': The attribute '%s' is not allowed.", n.name, f.badAttr, f.badAttr)}
	}
	if d := f.badValue; d != nil {
		name := lastStep(d.Path)
		if i := strings.IndexByte(name, '['); i >= 0 {
			name = name[:i]
		}
		text := strings.TrimSpace(d.Value)
		return &violation{line: lineOfLeaf(orig, name, text),
			msg: fmt.Sprintf("Element '%s': '%s' is not a valid value of the atomic type.", name, text)}
	}
	var canon []byte
	var err error
	if root == "" {
		canon, err = xml.Marshal(dst)
	} else {
		var buf bytes.Buffer
		e := xml.NewEncoder(&buf)
		if err = e.EncodeElement(dst, xml.StartElement{Name: xml.Name{Local: root}}); err == nil {
			err = e.Flush()
		}
		canon = buf.Bytes()
	}
	if err != nil {
		return &violation{msg: fmt.Sprintf("Element '%s': %v", orig.name, err)}
	}
	ct, cv := parseTree(canon)
	if cv != nil {
		return &violation{msg: "internal error: the canonical form does not parse: " + cv.msg}
	}
	if orig.name != ct.name {
		return &violation{line: orig.line, msg: fmt.Sprintf("Element '%s': No matching global declaration available for the validation root.", orig.name)}
	}
	if v := compareTrees(orig, ct); v != nil {
		return v
	}
	if v := checkEnums(reflect.ValueOf(dst), "", orig); v != nil {
		return v
	}
	if val, ok := dst.(interface{ Validate() error }); ok {
		if err := val.Validate(); err != nil {
			return &violation{line: orig.line, msg: fmt.Sprintf("Element '%s': %v.", orig.name, err)}
		}
	}
	return nil
}

// compareTrees walks the document and its canonical form in step and
// reports the first difference, in document order.
func compareTrees(a, c *node) *violation {
	for i := 0; i < len(a.children) || i < len(c.children); i++ {
		switch {
		case i >= len(c.children):
			return &violation{line: a.children[i].line,
				msg: fmt.Sprintf("Element '%s': This element is not expected.", a.children[i].name)}
		case i >= len(a.children):
			return &violation{line: a.line,
				msg: fmt.Sprintf("Element '%s': Missing child element(s). Expected is ( %s ).", a.name, c.children[i].name)}
		}
		an, cn := a.children[i], c.children[i]
		if an.name != cn.name {
			return &violation{line: an.line,
				msg: fmt.Sprintf("Element '%s': This element is not expected. Expected is ( %s ).", an.name, cn.name)}
		}
		// An empty typed value decodes to its zero value, which marshals
		// as text: Plesk rejects the empty value.
		if len(an.children) == 0 && len(cn.children) == 0 && an.text == "" && cn.text != "" {
			return &violation{line: an.line,
				msg: fmt.Sprintf("Element '%s': '' is not a valid value of the atomic type.", an.name)}
		}
		if v := compareTrees(an, cn); v != nil {
			return v
		}
	}
	return nil
}

// valueViolation words a decoding failure. It finds the element that holds
// the bad value when the error names it.
func valueViolation(orig *node, elem string, err error) *violation {
	var ne *strconv.NumError
	if errors.As(err, &ne) {
		if n := findLeaf(orig, ne.Num); n != nil {
			return &violation{line: n.line,
				msg: fmt.Sprintf("Element '%s': '%s' is not a valid value of the atomic type.", n.name, ne.Num)}
		}
	}
	if elem == "" {
		elem = orig.name
	}
	return &violation{line: lineOf(orig, elem),
		msg: fmt.Sprintf("Element '%s': %s.", elem, strings.TrimSuffix(err.Error(), "."))}
}

func findLeaf(n *node, text string) *node {
	if len(n.children) == 0 && n.text == text {
		return n
	}
	for _, c := range n.children {
		if f := findLeaf(c, text); f != nil {
			return f
		}
	}
	return nil
}

// withAttr finds the first element (named name, unless name is empty)
// that carries the attribute attr.
func withAttr(n *node, name, attr string) *node {
	if (name == "" || n.name == name) && slices.Contains(n.attrs, attr) {
		return n
	}
	for _, c := range n.children {
		if f := withAttr(c, name, attr); f != nil {
			return f
		}
	}
	return nil
}

func lineOfLeaf(n *node, name, text string) int {
	if n.name == name && len(n.children) == 0 && n.text == text {
		return n.line
	}
	for _, c := range n.children {
		if l := lineOfLeaf(c, name, text); l > 0 {
			return l
		}
	}
	return 0
}

func lineOf(n *node, name string) int {
	if n.name == name {
		return n.line
	}
	for _, c := range n.children {
		if l := lineOf(c, name); l > 0 {
			return l
		}
	}
	return 0
}

var rawType = reflect.TypeOf(rpc.Raw{})

// findings is what clearLenient saw.
type findings struct {
	badValue    *rpc.Deviation // the first declared value that did not parse
	badAttr     string         // the first attribute no element declares
	badAttrElem string         // the element that carries it, when known
}

// clearLenient looks at what a decoded generated value holds beyond its
// schema (rpc.Deviations) and then removes it, so that the value marshals
// to its typed content alone, in schema order: undeclared elements are
// left out and required ones the document lacks appear, so that the
// comparison with the document reports them. With keepItems, one-of items
// the bindings do not know stay as they are.
func clearLenient(v any, f *findings, keepItems bool) {
	for _, d := range rpc.Deviations(v) {
		switch {
		case d.Kind == rpc.UndeclaredAttr && f.badAttr == "" && !strings.HasPrefix(lastStep(d.Path), "@xmlns"):
			elem, attr := splitAttr(d.Path)
			f.badAttr, f.badAttrElem = attr, elem
		case d.Kind == rpc.Untyped && f.badValue == nil:
			dd := d
			f.badValue = &dd
		}
	}
	xmlstruct.Strip(v, keepItems)
}

func lastStep(path string) string {
	if i := strings.LastIndexByte(path, '/'); i >= 0 {
		return path[i+1:]
	}
	return path
}

// splitAttr splits "a/b[2]/@x" into "b" and "x".
func splitAttr(path string) (string, string) {
	dir, attr := "", lastStep(path)
	if i := strings.LastIndexByte(path, '/'); i >= 0 {
		dir = lastStep(path[:i])
	}
	if i := strings.IndexByte(dir, '['); i >= 0 {
		dir = dir[:i]
	}
	return dir, strings.TrimPrefix(attr, "@")
}

var validator = reflect.TypeOf((*interface{ Validate() error })(nil)).Elem()

// checkEnums finds the first value of an enumerated type (a generated
// string type with a Validate method) that is not one of its values, and
// words it as libxml does. name is the element v was decoded from.
func checkEnums(v reflect.Value, name string, orig *node) *violation {
	switch v.Kind() {
	case reflect.Pointer:
		if !v.IsNil() {
			return checkEnums(v.Elem(), name, orig)
		}
	case reflect.Slice:
		for i := 0; i < v.Len(); i++ {
			if vi := checkEnums(v.Index(i), name, orig); vi != nil {
				return vi
			}
		}
	case reflect.String:
		if v.Type().Implements(validator) && v.Interface().(interface{ Validate() error }).Validate() != nil {
			text := v.String()
			return &violation{line: lineOfLeaf(orig, name, text),
				msg: fmt.Sprintf("Element '%s': [facet 'enumeration'] The value '%s' is not an element of the set of its type.", name, text)}
		}
	case reflect.Struct:
		t := v.Type()
		if t == rawType {
			return nil
		}
		for i := 0; i < t.NumField(); i++ {
			sf := t.Field(i)
			if !sf.IsExported() {
				continue
			}
			fv := v.Field(i)
			child := name
			if tag, ok := sf.Tag.Lookup("xml"); ok {
				n, opts, _ := strings.Cut(tag, ",")
				if strings.Contains(opts, "attr") {
					continue
				}
				if n != "" {
					child = n
				}
			}
			if vi := checkEnums(fv, child, orig); vi != nil {
				return vi
			}
		}
	}
	return nil
}

// convertPacket rewrites a packet through the generated types of another
// protocol version: elements that version does not declare are dropped,
// and elements it requires but the packet lacks appear with zero values.
// One-of items it does not know are kept as they are. The fake builds its
// answers with the newest bindings and converts them so.
func convertPacket(body []byte, dst any) []byte {
	if err := xml.Unmarshal(body, dst); err != nil {
		return body
	}
	clearLenient(dst, &findings{}, true)
	out, err := xml.Marshal(dst)
	if err != nil {
		return body
	}
	return append([]byte(xml.Header), out...)
}
