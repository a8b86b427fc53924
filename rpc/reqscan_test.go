package rpc

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"
)

// tokLog records what a tokVisitor is told.
type tokLog struct{ got []string }

func (l *tokLog) start(n []byte, off int) bool {
	l.got = append(l.got, fmt.Sprintf("<%s@%d", n, off))
	return true
}
func (l *tokLog) text(x, a bool) bool { l.got = append(l.got, fmt.Sprintf("t%v%v", x, a)); return true }
func (l *tokLog) end() bool           { l.got = append(l.got, ">"); return true }

// checkFastAgrees: whenever fastTokens reads b, encoding/xml's Decoder
// reads it too, without error, and reports the same tokens.
func checkFastAgrees(t *testing.T, b []byte) bool {
	t.Helper()
	fast := &tokLog{}
	if !fastTokens(b, fast) {
		return false
	}
	slow := &tokLog{}
	if err := slowTokens(b, slow); err != nil {
		t.Fatalf("%q: fastTokens read it, the Decoder fails: %v", b, err)
	}
	// The Decoder may split text at an entity; fastTokens reads a run.
	if !reflect.DeepEqual(mergeText(fast.got), mergeText(slow.got)) {
		t.Fatalf("%q:\nfast %q\nslow %q", b, fast.got, slow.got)
	}
	return true
}

func mergeText(toks []string) []string {
	var out []string
	for _, s := range toks {
		if n := len(out); n > 0 && s[0] == 't' && out[n-1][0] == 't' {
			x := out[n-1][1:5] == "true" || s[1:5] == "true"
			a := out[n-1][len(out[n-1])-4:] == "true" || s[len(s)-4:] == "true"
			out[n-1] = fmt.Sprintf("t%v%v", x, a)
			continue
		}
		out = append(out, s)
	}
	return out
}

// TestFastTokensAgreeWithDecoder generates XML-like bytes from pieces that
// are valid, nearly valid and invalid, and checks the fast reading against
// encoding/xml's Decoder on every input it accepts.
func TestFastTokensAgreeWithDecoder(t *testing.T) {
	pieces := []string{"<a>", "</a>", "<filter>", "</filter>", "<b x=\"1\">", "</b>", "<a/>", "<a:b>", "</a:b>",
		"text", " ", "\t", "\n", "\r", "&#xA;", "&#x9;", "&lt;", "&amp;", "&#1;", "&bogus;", "&", "\x01", "\xff",
		"\u00a0", "\u0085", "\uFFFE", "é", "<!-- c -->", "<?pi x?>", "<![CDATA[x]]>", "<", ">", "\"", "<b x='1'>",
		"<b x=\"<\">", "<b  x=\"1\">", "<1a>", "<a.b-c>", "</a.b-c>", "<b xmlns=\"u\">", "<b xmlns:p=\"u\" p:y=\"2\">",
		"<b x=\"&#xA;\">", "<b x=\"\x01\">", "</a >"}
	r := rand.New(rand.NewPCG(1, 2))
	accepted := 0
	for range 200000 {
		var b bytes.Buffer
		b.WriteString("<op>")
		for range r.IntN(8) {
			b.WriteString(pieces[r.IntN(len(pieces))])
		}
		b.WriteString("</op>")
		if checkFastAgrees(t, b.Bytes()) {
			accepted++
		}
	}
	if accepted < 1000 {
		t.Errorf("only %d inputs read by the fast path: the test checks little", accepted)
	}
}

// TestFastTokensReadEncoderOutput: what encoding/xml's Encoder writes for
// ordinary requests is read by the fast path, and read as the Decoder does.
func TestFastTokensReadEncoderOutput(t *testing.T) {
	type filter struct {
		ID   []int    `xml:"id"`
		Name []string `xml:"name"`
	}
	type req struct {
		Filter  filter `xml:"filter"`
		Attr    string `xml:"a,attr,omitempty"`
		Dataset *struct {
			GenInfo Empty `xml:"gen_info"`
		} `xml:"dataset"`
		Text string `xml:"text,omitempty"`
	}
	r := rand.New(rand.NewPCG(3, 4))
	runes := []rune("ab <>&\"'\t\n\r é\u00a0\u2028z")
	str := func() string {
		s := make([]rune, r.IntN(6))
		for i := range s {
			s[i] = runes[r.IntN(len(runes))]
		}
		return string(s)
	}
	for range 5000 {
		v := req{Attr: str(), Text: str()}
		for range r.IntN(3) {
			v.Filter.ID = append(v.Filter.ID, r.IntN(100))
		}
		for range r.IntN(3) {
			v.Filter.Name = append(v.Filter.Name, str())
		}
		if r.IntN(2) == 0 {
			v.Dataset = &struct {
				GenInfo Empty `xml:"gen_info"`
			}{}
		}
		b, err := xml.Marshal(struct {
			XMLName xml.Name `xml:"get"`
			req
		}{req: v})
		if err != nil {
			t.Fatal(err)
		}
		if !checkFastAgrees(t, b) {
			t.Fatalf("%q: the fast path gave up on the Encoder's output", b)
		}
	}
}
