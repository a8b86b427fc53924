package xmlstruct

import (
	"encoding/xml"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
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

// wellFormed reports a repeated attribute, which encoding/xml's decoder
// does not check.
func wellFormed(s string) error {
	d := xml.NewDecoder(strings.NewReader(s))
	for {
		tok, err := d.RawToken()
		if err != nil {
			if err.Error() == "EOF" {
				return nil
			}
			return err
		}
		if st, ok := tok.(xml.StartElement); ok {
			seen := map[xml.Name]bool{}
			for _, a := range st.Attr {
				if seen[a.Name] {
					return &xml.SyntaxError{Msg: "attribute " + a.Name.Space + ":" + a.Name.Local + " repeated"}
				}
				seen[a.Name] = true
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
