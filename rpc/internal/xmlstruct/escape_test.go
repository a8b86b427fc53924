package xmlstruct

import (
	"bytes"
	"encoding/xml"
	"math/rand/v2"
	"strings"
	"testing"
)

// xmlText draws a string of characters XML 1.0 can carry, rich in the ones
// an escaper must handle: markup, quotes, white space, non-ASCII.
func xmlText(r *rand.Rand) string {
	pool := []rune{'a', 'Z', '0', ' ', '&', '<', '>', '"', '\'', '\t', '\n', '\r', ';', '#', 'é', '€', '😀', '\u2028'}
	rs := make([]rune, r.IntN(12))
	for i := range rs {
		rs[i] = pool[r.IntN(len(pool))]
	}
	return string(rs)
}

// TestAppendEscaped: on random text, what AppendEscaped writes parses back
// to exactly the text, as element content and as an attribute value; the
// attribute form holds no raw quote or white space a parser would
// normalize; the content form keeps quotes, LF and TAB literal; dst is
// extended, never overwritten; string and []byte agree.
func TestAppendEscaped(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for range 3000 {
		s := xmlText(r)

		content := AppendEscaped([]byte("<a>"), s, false)
		if !bytes.HasPrefix(content, []byte("<a>")) {
			t.Fatalf("dst overwritten: %q", content)
		}
		if b := AppendEscaped(nil, []byte(s), false); !bytes.Equal(b, content[3:]) {
			t.Fatalf("[]byte %q, string %q", b, content[3:])
		}
		var elem struct {
			Text string `xml:",chardata"`
		}
		if err := xml.Unmarshal(append(content, "</a>"...), &elem); err != nil || elem.Text != s {
			t.Fatalf("content %q read back as %q (%v), want %q", content, elem.Text, err, s)
		}
		if esc := string(content[3:]); strings.ContainsAny(esc, "<\r") ||
			strings.Count(esc, "\"") != strings.Count(s, "\"") ||
			strings.Count(esc, "\n") != strings.Count(s, "\n") ||
			strings.Count(esc, "\t") != strings.Count(s, "\t") {
			t.Fatalf("content escape of %q is %q", s, esc)
		}

		attr := AppendEscaped(nil, s, true)
		if strings.ContainsAny(string(attr), "<\"\t\n\r") {
			t.Fatalf("attribute escape of %q is %q", s, attr)
		}
		var withAttr struct {
			V string `xml:"v,attr"`
		}
		doc := `<a v="` + string(attr) + `"/>`
		if err := xml.Unmarshal([]byte(doc), &withAttr); err != nil || withAttr.V != s {
			t.Fatalf("attribute %q read back as %q (%v), want %q", doc, withAttr.V, err, s)
		}
	}
}
