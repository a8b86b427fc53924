package fuzztest

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// The canonical form of an XML element is what the lossless codec promises
// to keep, written so that two documents keep the same when their canonical
// forms are equal:
//
//   - the elements, in document order, by local name: the codec matches a
//     schema element by its local name in any namespace and writes it in
//     none (Plesk packets use no namespaces), so the namespace of an
//     element is not kept; that of undeclared content is, and the fixed
//     point of a second round trip (the deviations quote it) checks it;
//   - the attributes of each element, sorted by local name then value,
//     without namespace declarations (xmlns, xmlns:p), which the codec may
//     move; an attribute's namespace is not kept (the codec drops the
//     prefix of namespaced attributes, which Plesk packets never use), so
//     only its local name counts;
//   - each run of character data between two tags, CDATA sections and
//     references resolved and comments, processing instructions and
//     directives left out, with every white-space character removed, and
//     left out when nothing remains: the codec drops white space that
//     stands alone in element-only content (indentation), and white space
//     is all it may drop. Byte-exact white space is checked separately, by
//     the fixed point of a second round trip.
//
// The root element's own name is not part of it: a packet type writes its
// root as <packet> whatever it was decoded from.

// canonical returns the canonical form of the one element data holds.
func canonical(data []byte) ([]string, error) {
	d := xml.NewDecoder(bytes.NewReader(data))
	var b []string
	var text strings.Builder
	depth := 0
	flush := func() {
		s := strings.Map(func(r rune) rune {
			if r == ' ' || r == '\t' || r == '\n' || r == '\r' {
				return -1
			}
			return r
		}, text.String())
		text.Reset()
		if s != "" && depth > 0 {
			b = append(b, strconv.Quote(s))
		}
	}
	for {
		tok, err := d.Token()
		if err == io.EOF {
			if depth != 0 || len(b) == 0 {
				return nil, errors.New("no complete element")
			}
			return b, nil
		}
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			flush()
			if depth == 0 && len(b) > 0 {
				return nil, errors.New("more than one element")
			}
			name := ""
			if depth > 0 {
				name = t.Name.Local
			}
			var attrs []string
			for _, a := range t.Attr {
				if a.Name.Space == "xmlns" || a.Name.Space == "" && a.Name.Local == "xmlns" {
					continue
				}
				attrs = append(attrs, "@"+a.Name.Local+"="+strconv.Quote(a.Value))
			}
			sort.Strings(attrs)
			b = append(b, "<"+name)
			b = append(b, attrs...)
			b = append(b, ">")
			depth++
		case xml.EndElement:
			flush()
			depth--
			b = append(b, "</>")
		case xml.CharData:
			if depth == 0 && len(bytes.TrimSpace(t)) > 0 {
				return nil, errors.New("text outside the element")
			}
			text.Write(t)
		}
	}
}

func TestCanonical(t *testing.T) {
	same := [][2]string{
		{`<a y="2" x="1"><b/></a>`, `<packet x="1" y="2"><b></b></packet>`},
		{"<a>\n  <b>x</b>\n</a>", `<a><b>x</b></a>`},
		{`<a><b><![CDATA[x<y]]></b></a>`, `<a><b>x&lt;y</b></a>`},
		{`<a><b>x<!-- c -->y</b></a>`, `<a><b>xy</b></a>`},
		{`<a xmlns:p="u"><p:b/></a>`, `<a><b xmlns="v"/></a>`},
		{`<?xml version="1.0"?><!-- c --><a/>`, `<a></a>`},
	}
	for _, c := range same {
		x, err1 := canonical([]byte(c[0]))
		y, err2 := canonical([]byte(c[1]))
		if err1 != nil || err2 != nil || !slices.Equal(x, y) {
			t.Errorf("%s and %s: canonical forms %q (%v) and %q (%v), want equal", c[0], c[1], x, err1, y, err2)
		}
	}
	differ := [][2]string{
		{`<a><b/><c/></a>`, `<a><c/><b/></a>`},
		{`<a><b x="1"/></a>`, `<a><b x="2"/></a>`},
		{`<a><b x="1"/></a>`, `<a><b/></a>`},
		{`<a><b>x</b></a>`, `<a><b>y</b></a>`},
		{`<a>x<b/></a>`, `<a><b/>x</a>`},
		{`<a><b/></a>`, `<a><b/><b/></a>`},
		{`<a><b>3</b></a>`, `<a><b>4</b></a>`},
		{`<a x="1"/>`, `<a y="1"/>`},
		{`<a><b>1</b></a>`, `<a><b>true</b></a>`},
		{`<a><b>007</b></a>`, `<a><b>7</b></a>`},
		{`<a x="01"/>`, `<a x="1"/>`},
	}
	for _, c := range differ {
		x, _ := canonical([]byte(c[0]))
		y, _ := canonical([]byte(c[1]))
		if slices.Equal(x, y) {
			t.Errorf("%s and %s: the same canonical form %q", c[0], c[1], x)
		}
	}
	for _, bad := range []string{``, `<a>`, `<a/><b/>`, `<a/>text`, `<a></b>`, `text`} {
		if s, err := canonical([]byte(bad)); err == nil {
			t.Errorf("%q: canonical form %q, want an error", bad, s)
		}
	}
}
