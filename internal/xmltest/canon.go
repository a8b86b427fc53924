// Package xmltest compares XML documents for tests: the canonical form the
// lossless codec (rpc/internal/xmlstruct) and the generated bindings
// (internal/fuzztest) are both checked against, written once.
package xmltest

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"sort"
	"strconv"
	"strings"
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

// Canonical returns the canonical form of the one element data holds, or
// an error when data is not one well-formed element.
func Canonical(data []byte) ([]string, error) {
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
