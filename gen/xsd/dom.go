package xsd

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"sort"
	"strings"
	"unicode/utf8"
)

// maxDepth bounds the element nesting of a schema document. Real schemas stay
// far below it; the bound keeps hostile input from exhausting the stack of
// the recursive passes that follow.
const maxDepth = 1000

// xmlNS is the namespace bound to the reserved prefix "xml".
const xmlNS = "http://www.w3.org/XML/1998/namespace"

// node is one element of a parsed schema document: the minimum the schema
// reader needs, with the position of its start tag and the namespace
// declarations in scope.
type node struct {
	name     xml.Name   // Space is the namespace URI
	attrs    []xml.Attr // without the xmlns declarations
	scope    *scope
	pos      Pos
	children []*node
	text     string // character data, kept for xs:documentation only
}

// attr returns the value of the unqualified attribute local.
func (n *node) attr(local string) (string, bool) {
	for _, a := range n.attrs {
		if a.Name.Space == "" && a.Name.Local == local {
			return a.Value, true
		}
	}
	return "", false
}

// scope is a set of namespace declarations and the scope it is nested in.
type scope struct {
	parent   *scope
	prefixes map[string]string // "" is the default namespace
}

// lookup returns the namespace bound to prefix.
func (s *scope) lookup(prefix string) (string, bool) {
	if prefix == "xml" {
		return xmlNS, true
	}
	for ; s != nil; s = s.parent {
		if uri, ok := s.prefixes[prefix]; ok {
			return uri, true
		}
	}
	return "", false
}

// lineIndex maps byte offsets of a file to line and column numbers.
type lineIndex []int // byte offset of the start of each line

func newLineIndex(b []byte) lineIndex {
	idx := make(lineIndex, 1, bytes.Count(b, []byte{'\n'})+1)
	for off := 0; ; {
		i := bytes.IndexByte(b[off:], '\n')
		if i < 0 {
			return idx
		}
		off += i + 1
		idx = append(idx, off)
	}
}

// parseDocument tokenizes an XML document into a tree of nodes, resolving
// the namespace prefixes of element and attribute names. The returned error
// is an *Error positioned at the problem.
//
// It runs on xml.Decoder.RawToken and checks the nesting itself, which
// spares the decoder's own namespace bookkeeping; nodes and child lists are
// carved out of two slabs sized by the number of start tags in the file.
func parseDocument(file string, data []byte) (*node, error) {
	idx := newLineIndex(data)
	// Positions are asked for in increasing order: count the characters
	// since the last one on the same line, not from the line's start, so a
	// schema written on one long line still loads in linear time.
	lastLine, lastOff, lastCol := 0, 0, 0
	posAt := func(off64 int64) Pos {
		off := min(max(int(off64), 0), len(data))
		i := sort.SearchInts(idx, off+1) - 1
		if i+1 == lastLine && off >= lastOff {
			lastCol += utf8.RuneCount(data[lastOff:off])
		} else {
			lastCol = utf8.RuneCount(data[idx[i]:off]) + 1
		}
		lastLine, lastOff = i+1, off
		return Pos{File: file, Line: lastLine, Col: lastCol}
	}
	// Every element has a start tag, so this bounds the number of elements.
	tags := bytes.Count(data, []byte("<")) - bytes.Count(data, []byte("</"))
	var (
		nodes = make([]node, 0, tags)  // every node; never grows, so &nodes[i] is stable
		kids  = make([]*node, 0, tags) // every child list, each a contiguous run
		open  []*node                  // the elements being read
		raw   []xml.Name               // their names as written, for the end tag check
		stack []*node                  // the children read so far of every open element
		marks []int                    // where each open element's children start in stack
		root  *node
		doc   strings.Builder
		inDoc int // > 0 inside an xs:documentation element
	)
	d := xml.NewDecoder(bytes.NewReader(data))
	for {
		off := d.InputOffset()
		tok, err := d.RawToken()
		if err == io.EOF {
			switch {
			case len(open) > 0:
				return nil, errorf(posAt(off), "malformed XML: unexpected EOF")
			case root == nil:
				return nil, errorf(posAt(off), "malformed XML: no root element")
			}
			return root, nil
		}
		if err != nil {
			msg := err.Error()
			var se *xml.SyntaxError
			if errors.As(err, &se) {
				msg = se.Msg
			}
			// The decoder stops just past the byte it objects to.
			off := int(d.InputOffset())
			if off < len(data) && off > 0 {
				off--
				for off > 0 && !utf8.RuneStart(data[off]) {
					off--
				}
			}
			return nil, errorf(posAt(int64(off)), "malformed XML: %s", msg)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if len(open) == 0 && root != nil {
				return nil, errorf(posAt(off), "malformed XML: a second root element <%s>", t.Name.Local)
			}
			if len(open) >= maxDepth {
				return nil, errorf(posAt(off), "elements nested deeper than %d levels", maxDepth)
			}
			if len(nodes) == cap(nodes) { // cannot happen: each element has a start tag
				return nil, errorf(posAt(off), "internal error: node slab exhausted")
			}
			nodes = append(nodes, node{pos: posAt(off)})
			n := &nodes[len(nodes)-1]
			if len(open) > 0 {
				n.scope = open[len(open)-1].scope
			}
			n.attrs = t.Attr[:0] // RawToken returns a fresh slice: filter it in place
			for _, a := range t.Attr {
				prefix, isDecl := "", false
				switch {
				case a.Name.Space == "xmlns":
					prefix, isDecl = a.Name.Local, true
				case a.Name.Space == "" && a.Name.Local == "xmlns":
					isDecl = true
				}
				if !isDecl {
					n.attrs = append(n.attrs, a)
					continue
				}
				if n.scope == nil || len(open) > 0 && n.scope == open[len(open)-1].scope {
					n.scope = &scope{parent: n.scope, prefixes: map[string]string{}}
				}
				n.scope.prefixes[prefix] = a.Value
			}
			var ok bool
			if n.name, ok = resolveName(n.scope, t.Name, true); !ok {
				return nil, errorf(n.pos, "malformed XML: undeclared namespace prefix %q in <%s:%s>", t.Name.Space, t.Name.Space, t.Name.Local)
			}
			for i := range n.attrs {
				a := &n.attrs[i]
				if a.Name, ok = resolveName(n.scope, a.Name, false); !ok {
					return nil, errorf(n.pos, "malformed XML: undeclared namespace prefix %q in attribute %s:%s", a.Name.Space, a.Name.Space, a.Name.Local)
				}
			}
			if inDoc > 0 || n.name.Space == NS && n.name.Local == "documentation" {
				if inDoc == 0 {
					doc.Reset()
				}
				inDoc++
			}
			if root == nil {
				root = n
			}
			stack = append(stack, n)
			marks = append(marks, len(stack))
			open = append(open, n)
			raw = append(raw, t.Name)
		case xml.EndElement:
			if len(open) == 0 {
				return nil, errorf(posAt(off), "malformed XML: unexpected end element </%s>", t.Name.Local)
			}
			if want := raw[len(raw)-1]; want != t.Name {
				return nil, errorf(posAt(off), "malformed XML: element <%s> closed by </%s>", qualified(want), qualified(t.Name))
			}
			n := open[len(open)-1]
			mark := marks[len(marks)-1]
			if k := len(stack) - mark; k > 0 {
				kids = append(kids, stack[mark:]...)
				n.children = kids[len(kids)-k : len(kids) : len(kids)]
			}
			stack = stack[:mark]
			open, raw, marks = open[:len(open)-1], raw[:len(raw)-1], marks[:len(marks)-1]
			if inDoc > 0 {
				inDoc--
				if inDoc == 0 {
					n.text = doc.String()
				}
			}
		case xml.CharData:
			if inDoc > 0 {
				doc.Write(t)
			}
		}
	}
}

// resolveName replaces the prefix of a raw element or attribute name by its
// namespace. An unprefixed attribute has no namespace; an unprefixed element
// is in the default namespace.
func resolveName(s *scope, n xml.Name, element bool) (xml.Name, bool) {
	if n.Space == "" {
		if element {
			n.Space, _ = s.lookup("")
		}
		return n, true
	}
	uri, ok := s.lookup(n.Space)
	n.Space = uri
	return n, ok
}

func qualified(n xml.Name) string {
	if n.Space == "" {
		return n.Local
	}
	return n.Space + ":" + n.Local
}
