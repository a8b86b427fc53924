package rpc_test

import (
	"encoding/xml"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pleskgo/plesk/rpc"
)

// result mirrors what pleskgen generates for a result type.
type result struct {
	Status   string     `xml:"status"`
	ErrCode  *uint64    `xml:"errcode"`
	ID       *int64     `xml:"id"`
	Flag     *rpc.Empty `xml:"flag"`
	Tags     []string   `xml:"tag"`
	Enabled  bool       `xml:"enabled"`
	Kind     *string    `xml:"kind,attr"`
	Priority int64      `xml:"priority,attr,omitempty"`
	Unknown  []rpc.Raw  `xml:",any"`
}

func (v *result) UnmarshalXML(d *xml.Decoder, start xml.StartElement) error {
	return rpc.UnmarshalStruct(d, start, v)
}

func ptr[T any](v T) *T { return &v }

func raw(name, inner string) rpc.Raw {
	return rpc.Raw{XMLName: xml.Name{Local: name}, Inner: []byte(inner)}
}

func TestUnmarshalStruct(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want result
	}{{
		name: "schema-valid",
		in:   `<result kind="a" priority="3"><status>ok</status><errcode>7</errcode><id>5</id><flag/><tag>x</tag><tag>y</tag><enabled>true</enabled></result>`,
		want: result{Status: "ok", ErrCode: ptr[uint64](7), ID: ptr[int64](5), Flag: &rpc.Empty{}, Tags: []string{"x", "y"}, Enabled: true, Kind: ptr("a"), Priority: 3},
	}, {
		name: "unknown element kept",
		in:   `<result><status>ok</status><new-thing a="1"><x>2</x></new-thing></result>`,
		want: result{Status: "ok", Unknown: []rpc.Raw{{XMLName: xml.Name{Local: "new-thing"}, Attrs: []xml.Attr{{Name: xml.Name{Local: "a"}, Value: "1"}}, Inner: []byte("<x>2</x>")}}},
	}, {
		name: "second single element kept, not overwritten",
		in:   `<result><status>ok</status><id>postgresql</id><id>5</id><id>6</id></result>`,
		want: result{Status: "ok", ID: ptr[int64](5), Unknown: []rpc.Raw{raw("id", "postgresql"), raw("id", "6")}},
	}, {
		name: "text where a number is declared",
		in:   `<result><status>ok</status><errcode>n/a</errcode></result>`,
		want: result{Status: "ok", Unknown: []rpc.Raw{raw("errcode", "n/a")}},
	}, {
		name: "empty number and boolean are zero",
		in:   `<result><status>ok</status><errcode></errcode><enabled> </enabled></result>`,
		want: result{Status: "ok", ErrCode: ptr[uint64](0)},
	}, {
		name: "missing required child",
		in:   `<result><id> 9 </id></result>`,
		want: result{ID: ptr[int64](9)},
	}, {
		name: "escaped text",
		in:   `<result><status>a &amp; b</status></result>`,
		want: result{Status: "a & b"},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got result
			if err := xml.Unmarshal([]byte(tt.in), &got); err != nil {
				t.Fatalf("Unmarshal: %v", err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestUnmarshalStructErrors(t *testing.T) {
	for _, in := range []string{
		`<result priority="high"><status>ok</status></result>`, // attributes cannot go to Unknown
		`<result><status>ok</status>`,                          // truncated
	} {
		var got result
		err := xml.Unmarshal([]byte(in), &got)
		if err == nil {
			t.Errorf("%s: decoded without error", in)
		}
	}
	var s string
	if err := rpc.UnmarshalStruct(xml.NewDecoder(strings.NewReader("<a/>")), xml.StartElement{}, &s); err == nil {
		t.Error("UnmarshalStruct accepted a *string")
	}
}

// BenchmarkUnmarshalStruct decodes a typical result through the lenient
// decoder; BenchmarkUnmarshalPlain decodes it with encoding/xml alone.
func BenchmarkUnmarshalStruct(b *testing.B) {
	in := []byte(`<result kind="a"><status>ok</status><errcode>7</errcode><id>5</id><flag/><tag>x</tag><tag>y</tag><enabled>true</enabled></result>`)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		var v result
		if err := xml.Unmarshal(in, &v); err != nil {
			b.Fatal(err)
		}
	}
}

type plainResult struct {
	Status  string     `xml:"status"`
	ErrCode *uint64    `xml:"errcode"`
	ID      *int64     `xml:"id"`
	Flag    *rpc.Empty `xml:"flag"`
	Tags    []string   `xml:"tag"`
	Enabled bool       `xml:"enabled"`
	Kind    *string    `xml:"kind,attr"`
	Unknown []rpc.Raw  `xml:",any"`
}

func BenchmarkUnmarshalPlain(b *testing.B) {
	in := []byte(`<result kind="a"><status>ok</status><errcode>7</errcode><id>5</id><flag/><tag>x</tag><tag>y</tag><enabled>true</enabled></result>`)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		var v plainResult
		if err := xml.Unmarshal(in, &v); err != nil {
			b.Fatal(err)
		}
	}
}

// prefs mirrors a generated type with xs:all content.
type prefs struct {
	WWW      *bool      `xml:"www"`
	TTL      *int64     `xml:"ttl"`
	Names    []string   `xml:"name"`
	GenInfo  *rpc.Empty `xml:"gen_info"`
	Mode     *string    `xml:"mode,attr"`
	Unknown  []rpc.Raw  `xml:",any"`
	XMLOrder []string   `xml:"-"`
}

func (v prefs) MarshalXML(e *xml.Encoder, start xml.StartElement) error {
	return rpc.MarshalStruct(e, start, &v)
}

func (v *prefs) UnmarshalXML(d *xml.Decoder, start xml.StartElement) error {
	return rpc.UnmarshalStruct(d, start, v)
}

func TestStructKeepsOrder(t *testing.T) {
	for _, in := range []string{
		`<prefs mode="x"><ttl>5</ttl><name>a</name><gen_info></gen_info><www>true</www><name>b</name></prefs>`,
		`<prefs><www>false</www><extra>1</extra><ttl>5</ttl></prefs>`,
		`<prefs></prefs>`,
	} {
		var v prefs
		if err := xml.Unmarshal([]byte(in), &v); err != nil {
			t.Fatalf("%s: %v", in, err)
		}
		out, err := xml.Marshal(v)
		if err != nil {
			t.Fatalf("%s: %v", in, err)
		}
		if string(out) != in {
			t.Errorf("round trip\n in: %s\nout: %s", in, out)
		}
		out, err = xml.Marshal(&v)
		if err != nil || string(out) != in {
			t.Errorf("round trip through a pointer\n in: %s\nout: %s (%v)", in, out, err)
		}
	}
	// Without a recorded order, fields go out in declaration order.
	v := prefs{TTL: ptr[int64](1), WWW: ptr(true), Names: []string{"n"}}
	out, err := xml.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	if want := `<prefs><www>true</www><ttl>1</ttl><name>n</name></prefs>`; string(out) != want {
		t.Errorf("got %s, want %s", out, want)
	}
}

// anyList mirrors a generated struct with a repeated anyType element.
type anyList struct {
	ID      []rpc.Raw `xml:"id"`
	Unknown []rpc.Raw `xml:",any"`
}

func (v *anyList) UnmarshalXML(d *xml.Decoder, start xml.StartElement) error {
	return rpc.UnmarshalStruct(d, start, v)
}

func TestUnmarshalStructAnyTypeList(t *testing.T) {
	var got anyList
	if err := xml.Unmarshal([]byte(`<filter><id>5</id><id><x/></id></filter>`), &got); err != nil {
		t.Fatal(err)
	}
	want := anyList{ID: []rpc.Raw{raw("id", "5"), raw("id", "<x></x>")}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestRawText(t *testing.T) {
	type req struct {
		XMLName xml.Name `xml:"get_status"`
		ID      rpc.Raw  `xml:"migration_id"`
	}
	out, err := xml.Marshal(req{ID: rpc.RawText("a<b & c")})
	if err != nil {
		t.Fatal(err)
	}
	if want := `<get_status><migration_id>a&lt;b &amp; c</migration_id></get_status>`; string(out) != want {
		t.Errorf("got %s, want %s", out, want)
	}
	var back req
	if err := xml.Unmarshal(out, &back); err != nil {
		t.Fatal(err)
	}
	if s, ok := back.ID.Text(); !ok || s != "a<b & c" {
		t.Errorf("Text() = %q, %v", s, ok)
	}
}
