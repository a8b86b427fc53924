package xmlstruct

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pleskgo/plesk/internal/xmltest"
)

// Regressions found by the fuzz targets of internal/fuzztest.

func walkAll(v any) []Deviation {
	var out []Deviation
	Walk(v, func(d Deviation) bool { out = append(out, d); return true })
	return out
}

// A value kept as written that the program has overwritten since is not
// written any more (TestProgramValuesWin): it is no deviation either. The
// runtime does this to every result, setting its status to the verdict.
func TestOverwrittenKeptValueIsNoDeviation(t *testing.T) {
	var v result
	roundTrip(t, `<result><status t="4">ok</status><id>abc</id><filter/></result>`, &v)
	v.Status = "ok"
	v.ID = 9
	out, err := xml.Marshal(&v)
	if err != nil {
		t.Fatal(err)
	}
	if want := `<result><status>ok</status><id>9</id><filter></filter></result>`; string(out) != want {
		t.Fatalf("marshal = %s, want %s", out, want)
	}
	if got := walkAll(&v); len(got) != 0 {
		t.Errorf("deviations of a value whose kept values were overwritten: %+v", got)
	}
}

// Namespace declarations kept on an element must be written back as the
// declarations they were, never as invented attributes, and never twice:
// the output must be well-formed and decode to the same deviations.
func TestNamespaceDeclarationsRoundTrip(t *testing.T) {
	cases := []string{
		`<result xmlns:p="urn:p"><status>ok</status><id>1</id><filter></filter></result>`,
		`<result><status>ok</status><id>1</id><filter></filter><x xmlns:r="urn:r"><r:y/></x></result>`,
		`<result><status>ok</status><id xmlns="urn:y">1</id><filter></filter></result>`,
		`<result><status>ok</status><id>1</id><filter></filter><x xmlns="urn:x" a="1"/></result>`,
		`<result xmlns:q="urn:q" q:a="1"><status>ok</status><id>1</id><filter></filter></result>`,
		`<result xmlns:_="urn:a" xmlns:q="urn:q" q:a="1" _:b="2"><status>ok</status><id>1</id><filter></filter></result>`,
		`<result><status>ok</status><id>1</id><filter></filter><x xmlns:q="urn:q" q:a="1"/></result>`,
		`<result xmlns:q="urn:q"><status>ok</status><id>1</id><filter></filter><x q:a="1"/></result>`,
		`<result><status>ok</status><id>1</id><filter></filter><x xmlns="urn:p" xmlns:q="urn:q" q:a="1"><y q:b="2" b="3"/></x></result>`,
	}
	for _, in := range cases {
		var v result
		out := roundTrip(t, in, &v)
		if strings.Contains(out, "_xmlns") {
			t.Errorf("%s: marshals to %s, which declares a namespace it did not have", in, out)
		}
		if err := wellFormed(out); err != nil {
			t.Errorf("%s: marshals to %s, which is not well-formed: %v", in, out, err)
			continue
		}
		var w result
		out2 := roundTrip(t, out, &w)
		if out2 != out {
			t.Errorf("%s: no fixed point:\nfirst:  %s\nsecond: %s", in, out, out2)
		}
		if diff := cmp.Diff(walkAll(&v), walkAll(&w)); diff != "" {
			t.Errorf("%s: deviations change in a round trip (-first +second):\n%s", in, diff)
		}
	}
}

// wellFormed checks s, token by raw token (names as written, prefixes
// unresolved), for what XML 1.0 and Namespaces in XML forbid beyond what
// encoding/xml's decoder checks: names that are no qualified names, bad
// declarations, unbound prefixes, two attributes with one expanded name,
// an XML declaration after the first token. It resolves prefixes itself,
// as an oracle independent of the codec's reading of translated names.
func wellFormed(s string) error {
	d := xml.NewDecoder(strings.NewReader(s))
	type binding struct{ prefix, uri string }
	var scope []binding
	var marks []int
	lookup := func(p string) (string, bool) {
		if p == "xml" {
			return xmlURL, true
		}
		for i := len(scope) - 1; i >= 0; i-- {
			if scope[i].prefix == p {
				return scope[i].uri, true
			}
		}
		return "", p == ""
	}
	bad := func(format string, args ...any) error {
		return &xml.SyntaxError{Msg: fmt.Sprintf(format, args...)}
	}
	for first := true; ; first = false {
		tok, err := d.RawToken()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.ProcInst:
			if strings.EqualFold(t.Target, "xml") && !first {
				return bad("XML declaration after the start")
			}
		case xml.EndElement:
			if len(marks) > 0 {
				scope = scope[:marks[len(marks)-1]]
				marks = marks[:len(marks)-1]
			}
		case xml.StartElement:
			marks = append(marks, len(scope))
			for _, a := range t.Attr {
				switch {
				case a.Name.Space == "xmlns":
					if !IsNCName(a.Name.Local) || a.Name.Local == "xmlns" || a.Value == "" ||
						(a.Name.Local == "xml") != (a.Value == xmlURL) || a.Value == xmlnsURL || IsNCName(a.Value) {
						return bad("bad declaration xmlns:%s=%q", a.Name.Local, a.Value)
					}
					scope = append(scope, binding{a.Name.Local, a.Value})
				case a.Name.Space == "" && a.Name.Local == "xmlns":
					if a.Value == xmlURL || a.Value == xmlnsURL || IsNCName(a.Value) {
						return bad("bad default declaration %q", a.Value)
					}
					scope = append(scope, binding{"", a.Value})
				}
			}
			expand := func(n xml.Name, elem bool) (xml.Name, error) {
				if !IsNCName(n.Local) {
					return n, bad("name %q:%q is no qualified name", n.Space, n.Local)
				}
				switch {
				case n.Space == "xmlns" && !elem:
					return n, nil
				case n.Space == "" && !elem:
					return n, nil
				case n.Space != "" && !IsNCName(n.Space):
					return n, bad("prefix %q is no name", n.Space)
				}
				uri, ok := lookup(n.Space)
				if !ok || n.Space == "xmlns" {
					return n, bad("prefix %q unbound", n.Space)
				}
				return xml.Name{Space: "{" + uri, Local: n.Local}, nil
			}
			if _, err := expand(t.Name, true); err != nil {
				return err
			}
			seen := map[xml.Name]bool{}
			for _, a := range t.Attr {
				n, err := expand(a.Name, false)
				if err != nil {
					return err
				}
				if seen[n] {
					return bad("attribute %s:%s repeated", a.Name.Space, a.Name.Local)
				}
				seen[n] = true
			}
		}
	}
}

// Simple content (a chardata field) interrupted by an element the struct
// does not declare: the text must stay on both sides of it, in order, as
// it came, and not be typed as if the element were not there.
func TestSimpleContentAroundUndeclaredElement(t *testing.T) {
	in := `<result><status>ok</status><id>1</id><filter></filter><size unit="MB">5<x></x>6</size></result>`
	var v result
	if got := roundTrip(t, in, &v); got != in {
		t.Errorf("round trip\n got %s\nwant %s", got, in)
	}
	if v.Size == nil || v.Size.Value == 56 {
		t.Errorf("size = %+v: the text on both sides of <x> typed as one number", v.Size)
	}
}

// A number or boolean that types is written back as the value formats, not
// as it was spelt: "007", "+3", " 7 " and "1" (a boolean) come back as
// "7", "3", "7" and "true". The round trip must keep the spelling of a value
// the program did not change.
func TestScalarSpellingKept(t *testing.T) {
	for _, in := range []string{
		`<result><status>ok</status><id>007</id><filter></filter></result>`,
		`<result><status>ok</status><id>+3</id><filter></filter></result>`,
		`<result><status>ok</status><id> 7 </id><filter></filter></result>`,
		`<result owner="01"><status>ok</status><id>1</id><filter><id>-0</id></filter></result>`,
		`<result><status>ok</status><id>1</id><filter></filter><size>05</size></result>`,
	} {
		if got := roundTrip(t, in, new(result)); got != in {
			t.Errorf("round trip\n got %s\nwant %s", got, in)
		}
	}
}

// TestTextRunsMerge: text split into several tokens where only elements
// belong (text, then a CDATA section) is one run, as a second decode of the
// written form sees it, so that the deviations are a fixed point.
func TestTextRunsMerge(t *testing.T) {
	in := `<ops A="">0<![CDATA[0]]></ops>`
	var v ops
	out := roundTrip(t, in, &v)
	var again ops
	if out2 := roundTrip(t, out, &again); out2 != out {
		t.Errorf("second round trip: %s, first: %s", out2, out)
	}
	var first, second []Deviation
	Walk(&v, func(d Deviation) bool { first = append(first, d); return true })
	Walk(&again, func(d Deviation) bool { second = append(second, d); return true })
	if diff := cmp.Diff(first, second); diff != "" || len(first) != 2 || first[1].Value != "00" {
		t.Errorf("deviations %v, again (-first +second):\n%s", first, diff)
	}
}

// TestFuzzPrefixNotAName is FuzzCodec's input whose round trip was not
// well-formed: a prefix that is no name (xmlns:0), an unbound prefix (p:)
// and a repeated attribute went through encoding/xml's decoder, and the
// value was written back with an attribute named "0:0". Now it is refused
// before anything is kept, saying what.
func TestFuzzPrefixNotAName(t *testing.T) {
	in := `<ops xmlns:0="p"p:0=""><p:n>0</p:n><x A=""A="">000000000000000</x></ops>`
	for _, v := range []any{new(ops), new(result), new(limit), new(amount), new(filter)} {
		err := xml.Unmarshal([]byte(in), v)
		var nw *NotWellFormedError
		if !errors.As(err, &nw) || !strings.Contains(nw.Msg, `"xmlns:0"`) || nw.Line != 1 || nw.Column == 0 {
			t.Errorf("%T: err = %v, want a *NotWellFormedError about xmlns:0 with its position", v, err)
		}
	}
}

// Each class of what XML 1.0 and Namespaces in XML forbid, where
// encoding/xml's decoder lets it through, is refused by the codec, on the
// root, on a typed child and inside content it keeps as written.
func TestNotWellFormedRefused(t *testing.T) {
	classes := map[string]struct{ tag, msg string }{
		"repeated attribute":         {`<e a="1" a="2">`, "appears twice"},
		"repeated after resolution":  {`<e xmlns:p="urn:a" xmlns:q="urn:a" p:a="1" q:a="2">`, "appears twice"},
		"prefix not a name":          {`<e xmlns:1p="urn:a">`, "does not declare a prefix"},
		"local name with colon":      {`<e :a="1">`, "not a qualified name"},
		"local name not an NCName":   {`<p:1e xmlns:p="urn:a">`, "not a qualified name"},
		"unbound element prefix":     {`<p:e>`, "not bound"},
		"unbound attribute prefix":   {`<e p:a="1">`, "not bound"},
		"prefix undeclared":          {`<e xmlns:p="">`, "no namespace"},
		"xml bound elsewhere":        {`<e xmlns:xml="urn:a">`, "reserved"},
		"xmlns namespace bound":      {`<e xmlns:p="http://www.w3.org/2000/xmlns/">`, "reserved"},
		"bare-name namespace":        {`<e xmlns:p="p">`, "bare name"},
		"element prefixed xmlns":     {`<xmlns:e>`, "prefix xmlns"},
		"xml declaration in content": {`<e><?xml version="1.0"?>`, "XML declaration"},
	}
	for name, c := range classes {
		open := c.tag
		localName := strings.TrimPrefix(strings.Fields(strings.Trim(open, "<>"))[0], "")
		end := "</" + strings.TrimSuffix(localName, ">") + ">"
		if strings.HasSuffix(open, "?>") { // a PI inside <e>
			end = "</e>"
		}
		docs := []string{
			strings.Replace(open, "<e", "<result", 1) + "<status>ok</status>" + strings.Replace(end, "</e>", "</result>", 1),
			"<result><status>ok</status>" + open + end + "</result>",
			"<result><status>ok</status><x><y>" + open + end + "</y></x></result>",
			"<result><filter>" + open + end + "</filter></result>",
		}
		for _, doc := range docs {
			if _, err := xmltest.Canonical([]byte(doc)); err != nil {
				t.Fatalf("%s: %s is not even read by encoding/xml: %v", name, doc, err)
			}
			if wellFormed(doc) == nil {
				t.Fatalf("%s: the oracle accepts %s", name, doc)
			}
			var v result
			err := xml.Unmarshal([]byte(doc), &v)
			var nw *NotWellFormedError
			if !errors.As(err, &nw) || !strings.Contains(nw.Msg, c.msg) {
				t.Errorf("%s: %s: err = %v, want a *NotWellFormedError saying %q", name, doc, err, c.msg)
			}
		}
	}
}

// An element of another vocabulary named like a declared one is not that
// field: it is kept as undeclared content and written back in its
// namespace.
func TestForeignNamespaceIsUndeclared(t *testing.T) {
	in := `<result><s:status xmlns:s="urn:other">ok</s:status><id>1</id><filter></filter></result>`
	var v result
	if err := xml.Unmarshal([]byte(in), &v); err != nil {
		t.Fatal(err)
	}
	if v.Status != "" {
		t.Errorf("Status = %q from an element in another namespace", v.Status)
	}
	var kinds []string
	for _, d := range walkAll(&v) {
		kinds = append(kinds, fmt.Sprint(d.Kind)+" "+d.Path)
	}
	if got := strings.Join(kinds, "; "); !strings.Contains(got, "status") {
		t.Errorf("deviations %q do not name the foreign status", got)
	}
	out, err := xml.Marshal(&v)
	if err != nil || !strings.Contains(string(out), `xmlns="urn:other"`) || wellFormed(string(out)) != nil {
		t.Errorf("written back as %s (%v)", out, err)
	}
}
