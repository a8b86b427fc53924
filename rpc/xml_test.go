package rpc

import (
	"context"
	"encoding/xml"
	"errors"
	"strings"
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
	got, err := Do[withRaw](context.Background(), canned(resp), "", &Op{Operator: "customer", Operation: "get"})
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

// item choice as the generator writes it, decoded with DecodeItem.
type choiceItem struct {
	Get       *item
	Raw       *Raw
	DecodeErr error
}

func (v *choiceItem) UnmarshalXML(d *xml.Decoder, start xml.StartElement) error {
	if start.Name.Local == "get" {
		return DecodeItem(d, start, &v.Get, &v.Raw, &v.DecodeErr)
	}
	v.Raw = new(Raw)
	return d.DecodeElement(v.Raw, &start)
}

type choiceResult struct {
	Status string       `xml:"status"`
	Items  []choiceItem `xml:",any"`
}

func TestDecodeItemOnTokenDecoder(t *testing.T) {
	resp := `<packet><customer><get><result><status>ok</status>` +
		`<get><status>ok</status><id>7</id></get>` +
		`<get><status>ok</status><id>seven</id></get>` +
		`<other>x</other>` +
		`</result></get></customer></packet>`
	got, err := Do[choiceResult](context.Background(), canned(resp), "", &Op{Operator: "customer", Operation: "get"})
	if err != nil || len(got) != 1 || len(got[0].Items) != 3 {
		t.Fatalf("Do = %+v, %v", got, err)
	}
	items := got[0].Items
	if items[0].Get == nil || items[0].Get.ID != 7 {
		t.Errorf("item 0 = %+v", items[0])
	}
	if items[1].Get != nil || items[1].Raw == nil || !strings.Contains(string(items[1].Raw.Inner), "seven") || items[1].DecodeErr == nil {
		t.Errorf("item 1 = %+v", items[1])
	}
	if items[2].Raw == nil || string(items[2].Raw.Inner) != "x" {
		t.Errorf("item 2 = %+v", items[2])
	}
	var numErr interface{ Unwrap() error }
	if !errors.As(items[1].DecodeErr, &numErr) {
		t.Errorf("DecodeErr %v does not wrap the cause", items[1].DecodeErr)
	}
}
