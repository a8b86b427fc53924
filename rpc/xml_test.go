package rpc

import (
	"context"
	"encoding/xml"
	"testing"

	"github.com/google/go-cmp/cmp"
)

type withRaw struct {
	Status string `xml:"status"`
	Extra  []Raw  `xml:",any"`
}

// TestRawOnTokenDecoder: Raw keeps an element's content both when decoded
// from bytes and from the token stream Do and Stream use, where
// `xml:",innerxml"` alone would be empty.
func TestRawOnTokenDecoder(t *testing.T) {
	result := `<result><status>ok</status><id>1</id>` +
		`<data a="x&amp;y" b="l1&#xA;l2"><x>t &lt;1&gt; &amp; "q"<y/><!-- c --></x><gen_info/></data></result>`
	want := []Raw{
		{XMLName: xml.Name{Local: "id"}, Inner: []byte("1")},
		{XMLName: xml.Name{Local: "data"},
			Attrs: []xml.Attr{{Name: xml.Name{Local: "a"}, Value: "x&y"}, {Name: xml.Name{Local: "b"}, Value: "l1\nl2"}},
			Inner: []byte(`<x>t &lt;1&gt; &amp; "q"<y></y><!-- c --></x><gen_info></gen_info>`)},
	}
	var fromBytes withRaw
	if err := xml.Unmarshal([]byte(result), &fromBytes); err != nil {
		t.Fatal(err)
	}
	resp := `<packet><customer><get>` + result + `</get></customer></packet>`
	got, err := Do[withRaw](context.Background(), canned(resp), "", &Op{Operator: "customer", Operation: "get", ReadOnly: true})
	if err != nil || len(got) != 1 {
		t.Fatalf("Do = %v, %v", got, err)
	}
	opt := cmp.Transformer("string", func(b []byte) string { return string(b) })
	for name, v := range map[string]withRaw{"bytes": fromBytes, "tokens": got[0]} {
		if diff := cmp.Diff(want, v.Extra, opt); diff != "" {
			t.Errorf("%s (-want +got):\n%s", name, diff)
		}
		// Written back and read again, the element is the same.
		out, err := xml.Marshal(v.Extra[1])
		if err != nil {
			t.Fatal(err)
		}
		var again Raw
		if err := xml.Unmarshal(out, &again); err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(v.Extra[1], again, opt); diff != "" {
			t.Errorf("%s round trip of %s (-want +got):\n%s", name, out, diff)
		}
	}
}

// TestEmptyKeepsContent: a flag written by a program is an empty element;
// one decoded with content writes it back.
func TestEmptyKeepsContent(t *testing.T) {
	type flags struct {
		A *Empty `xml:"a"`
		B *Empty `xml:"b"`
	}
	out, err := xml.Marshal(flags{A: &Empty{}})
	if err != nil || string(out) != `<flags><a></a></flags>` {
		t.Errorf("built flag: %s, %v", out, err)
	}
	var v flags
	if err := xml.Unmarshal([]byte(`<flags><a>x<y/></a><b/></flags>`), &v); err != nil {
		t.Fatal(err)
	}
	out, err = xml.Marshal(v)
	if err != nil || string(out) != `<flags><a>x<y></y></a><b></b></flags>` {
		t.Errorf("decoded flags: %s, %v", out, err)
	}
	if d := Deviations(v.A); len(d) != 2 {
		t.Errorf("deviations of a flag with content: %v", d)
	}
}
