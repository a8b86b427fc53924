package xmlstruct

import (
	"bytes"
	"encoding/xml"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// The shapes generated code has: value, pointer and slice children of
// scalar and struct types, attributes, simple content, one-of items.

type filter struct {
	ID   []int64  `xml:"id"`
	Name []string `xml:"name"`
	_    Extra
}

func (v *filter) UnmarshalXML(d *xml.Decoder, s xml.StartElement) error { return Unmarshal(d, s, v) }
func (v filter) MarshalXML(e *xml.Encoder, s xml.StartElement) error    { return Marshal(e, s, &v) }

type limit struct {
	Name  string `xml:"name"`
	Value int64  `xml:"value"`
	_     Extra
}

func (v *limit) UnmarshalXML(d *xml.Decoder, s xml.StartElement) error { return Unmarshal(d, s, v) }
func (v limit) MarshalXML(e *xml.Encoder, s xml.StartElement) error    { return Marshal(e, s, &v) }

type amount struct {
	Unit  *string `xml:"unit,attr"`
	Value int64   `xml:",chardata"`
	_     Extra
}

func (v *amount) UnmarshalXML(d *xml.Decoder, s xml.StartElement) error { return Unmarshal(d, s, v) }
func (v amount) MarshalXML(e *xml.Encoder, s xml.StartElement) error    { return Marshal(e, s, &v) }

type result struct {
	XMLName xml.Name `xml:"result"`
	Status  string   `xml:"status"`
	ErrCode *int64   `xml:"errcode"`
	ID      int64    `xml:"id"`
	Filter  filter   `xml:"filter"`
	Limit   []limit  `xml:"limit"`
	Size    *amount  `xml:"size"`
	Owner   *int64   `xml:"owner,attr"`
	_       Extra
}

func (v *result) UnmarshalXML(d *xml.Decoder, s xml.StartElement) error { return Unmarshal(d, s, v) }
func (v result) MarshalXML(e *xml.Encoder, s xml.StartElement) error    { return Marshal(e, s, &v) }

type op struct {
	Add *limit  `xml:"add"`
	Del *filter `xml:"del"`
	N   *int64  `xml:"n"`
	_   Extra
}

func (v *op) UnmarshalXML(d *xml.Decoder, s xml.StartElement) error { return UnmarshalItem(d, s, v) }
func (v op) MarshalXML(e *xml.Encoder, _ xml.StartElement) error    { return MarshalItem(e, &v) }

type ops struct {
	XMLName xml.Name `xml:"ops"`
	Items   []op     `xml:",any"`
	_       Extra
}

func (v *ops) UnmarshalXML(d *xml.Decoder, s xml.StartElement) error { return Unmarshal(d, s, v) }
func (v ops) MarshalXML(e *xml.Encoder, s xml.StartElement) error    { return Marshal(e, s, &v) }

func roundTrip(t *testing.T, in string, v any) string {
	t.Helper()
	if err := xml.Unmarshal([]byte(in), v); err != nil {
		t.Fatalf("decode %s: %v", in, err)
	}
	out, err := xml.Marshal(v)
	if err != nil {
		t.Fatalf("encode: %v", err)
	}
	return string(out)
}

func TestRoundTripExact(t *testing.T) {
	cases := []struct{ name, in, want string }{
		{"canonical", `<result owner="3"><status>ok</status><id>7</id><filter><id>1</id><id>2</id></filter><limit><name>a</name><value>1</value></limit><size unit="MB">5</size></result>`, ""},
		{"empty number kept", `<result><status>ok</status><id></id><filter></filter></result>`, ""},
		{"garbage number kept", `<result><status>ok</status><id>abc</id><filter></filter></result>`, ""},
		{"missing required not invented", `<result><status>error</status><errcode>1013</errcode></result>`, ""},
		{"undeclared stays in place", `<result><status>ok</status><webapps><x>1</x></webapps><id>7</id><filter></filter></result>`, ""},
		{"second single is kept", `<result><status>ok</status><status>error</status><id>7</id><filter></filter></result>`, ""},
		{"order kept", `<result><id>7</id><status>ok</status><filter><name>n</name><id>1</id><name>m</name></filter></result>`, ""},
		{"undeclared attribute", `<result x="1" owner="2"><status>ok</status><id>1</id><filter></filter></result>`, ""},
		{"untyped attribute", `<result owner="me"><status>ok</status><id>1</id><filter></filter></result>`, ""},
		{"untyped simple content", `<result><status>ok</status><id>1</id><filter></filter><size unit="GB">lots</size></result>`, ""},
		{"text in element-only content", `<result><status>ok</status>stray<id>1</id><filter></filter></result>`, ""},
		{"nested deviation", `<result><status>ok</status><id>1</id><filter></filter><limit><name>a</name><value>-</value><extra/></limit></result>`, `<result><status>ok</status><id>1</id><filter></filter><limit><name>a</name><value>-</value><extra></extra></limit></result>`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			want := c.want
			if want == "" {
				want = c.in
			}
			if got := roundTrip(t, c.in, new(result)); got != want {
				t.Errorf("round trip\n got %s\nwant %s", got, want)
			}
		})
	}
}

func TestItemsRoundTrip(t *testing.T) {
	in := `<ops><del><id>1</id></del><add><name>a</name><value>2</value></add><n>x</n><what>?</what><n>3</n></ops>`
	var v ops
	if got := roundTrip(t, in, &v); got != in {
		t.Errorf("round trip\n got %s\nwant %s", got, in)
	}
	if len(v.Items) != 5 || v.Items[0].Del == nil || v.Items[1].Add == nil || v.Items[2].N != nil || *v.Items[4].N != 3 {
		t.Errorf("items = %+v", v.Items)
	}
	var got []string
	Walk(&v, func(d Deviation) bool { got = append(got, d.Path+"="+d.Value); return true })
	want := []string{"n[2]=x", "what[3]=<what>?</what>"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("deviations (-want +got):\n%s", diff)
	}
}

func TestTypedViewIsZero(t *testing.T) {
	var v result
	roundTrip(t, `<result owner="me"><status>ok</status><id></id><filter></filter><size>lots</size></result>`, &v)
	if v.ID != 0 || v.Owner != nil || v.Size == nil || v.Size.Value != 0 {
		t.Errorf("typed view = %+v", v)
	}
}

func TestDeviations(t *testing.T) {
	var v result
	roundTrip(t, `<result x="1" owner="me"><status>ok</status><status>again</status><id>abc</id><webapps/><limit><name>a</name><value></value></limit></result>`, &v)
	var got []Deviation
	Walk(&v, func(d Deviation) bool { got = append(got, d); return true })
	want := []Deviation{
		{Kind: Missing, Path: "filter"},
		{Kind: UndeclaredAttr, Path: "@x", Value: "1"},
		{Kind: Untyped, Path: "@owner", Value: "me"},
		{Kind: Undeclared, Path: "status", Value: "<status>again</status>"},
		{Kind: Untyped, Path: "id", Value: "abc"},
		{Kind: Undeclared, Path: "webapps", Value: "<webapps/>"},
		{Kind: Untyped, Path: "limit[0]/value", Value: ""},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("deviations (-want +got):\n%s", diff)
	}
}

func TestProgramValuesWin(t *testing.T) {
	var v result
	roundTrip(t, `<result><id>abc</id><status>ok</status><filter/></result>`, &v)
	v.ID = 9
	v.Limit = append(v.Limit, limit{Name: "n", Value: 1})
	v.Owner = new(int64)
	out, err := xml.Marshal(&v)
	if err != nil {
		t.Fatal(err)
	}
	want := `<result owner="0"><id>9</id><status>ok</status><filter></filter><limit><name>n</name><value>1</value></limit></result>`
	if string(out) != want {
		t.Errorf("got  %s\nwant %s", out, want)
	}
}

func TestBuiltValuesWriteEverything(t *testing.T) {
	out, err := xml.Marshal(&result{Status: "ok"})
	if err != nil {
		t.Fatal(err)
	}
	want := `<result><status>ok</status><id>0</id><filter></filter></result>`
	if string(out) != want {
		t.Errorf("got  %s\nwant %s", out, want)
	}
}

func TestCanonicalDecodeAllocatesNoState(t *testing.T) {
	var v result
	roundTrip(t, `<result><status>ok</status><id>7</id><filter><id>1</id></filter></result>`, &v)
	if st, _, _ := stateOf(&v); st != nil {
		t.Errorf("state = %+v, want none", st)
	}
	w := result{Status: "ok", ID: 7, Filter: filter{ID: []int64{1}}}
	w.XMLName = v.XMLName
	if !cmp.Equal(w, v) {
		t.Errorf("cmp.Equal false: %s", cmp.Diff(w, v))
	}
}

type allFilter struct {
	ID       []int64 `xml:"id"`
	MatchAll bool    `xml:"-"`
	_        Extra
}

func (v allFilter) MarshalXML(e *xml.Encoder, s xml.StartElement) error { return Marshal(e, s, &v) }

type allDel struct {
	Filter allFilter `xml:"filter"`
	Other  allFilter `xml:"other"`
	_      Extra
}

func (v allDel) MarshalXML(e *xml.Encoder, s xml.StartElement) error { return Marshal(e, s, &v) }

// TestMatchAllMark: the MatchAll field is never written, and a watched
// encoder learns where a struct with MatchAll set was written.
func TestMatchAllMark(t *testing.T) {
	if SetMatchAll(&filter{}) || SetMatchAll(filter{}) || SetMatchAll((*allFilter)(nil)) {
		t.Error("SetMatchAll on a type without a MatchAll field, or not a pointer, reports true")
	}
	var f allFilter
	if !SetMatchAll(&f) || !f.MatchAll {
		t.Fatal("SetMatchAll did not set the field")
	}
	v := allDel{Filter: f, Other: allFilter{ID: []int64{1}}}
	var buf bytes.Buffer
	e := xml.NewEncoder(&buf)
	stop := Watch(e, buf.Len)
	if err := e.EncodeElement(&v, xml.StartElement{Name: xml.Name{Local: "del"}}); err != nil {
		t.Fatal(err)
	}
	if err := e.Flush(); err != nil {
		t.Fatal(err)
	}
	starts := stop().MatchAll
	if got, want := buf.String(), "<del><filter></filter><other><id>1</id></other></del>"; got != want {
		t.Fatalf("MatchAll reached the wire: %s, want %s", got, want)
	}
	if len(starts) != 1 || !strings.HasPrefix(buf.String()[starts[0]:], "<filter>") {
		t.Errorf("recorded offsets %v in %s; want the one of <filter>", starts, buf.String())
	}
	// Unwatched, nothing is recorded and nothing fails.
	buf.Reset()
	if err := xml.NewEncoder(&buf).Encode(&v); err != nil || !strings.Contains(buf.String(), "<filter></filter>") {
		t.Errorf("unwatched: %s, %v", buf.String(), err)
	}
}

func TestFirstUndeclared(t *testing.T) {
	var v result
	roundTrip(t, `<result><status>ok</status><id>1</id><filter><bogus/></filter></result>`, &v)
	d, ok := FirstUndeclared(&v)
	if !ok || d.Path != "filter/bogus" {
		t.Errorf("FirstUndeclared = %+v, %v", d, ok)
	}
}

func TestMalformedFails(t *testing.T) {
	for _, in := range []string{`<result><id>1</id>`, `<result><id>1</result>`, `<result><filter><id></filter></result>`} {
		var v result
		if err := xml.NewDecoder(strings.NewReader(in)).Decode(&v); err == nil {
			t.Errorf("%s: no error", in)
		}
	}
}

func BenchmarkDecode(b *testing.B) {
	in := []byte(`<result owner="3"><status>ok</status><id>7</id><filter><id>1</id><id>2</id></filter><limit><name>a</name><value>1</value></limit><limit><name>b</name><value>2</value></limit><size unit="MB">5</size></result>`)
	b.ReportAllocs()
	for b.Loop() {
		var v result
		if err := xml.NewDecoder(bytes.NewReader(in)).Decode(&v); err != nil {
			b.Fatal(err)
		}
	}
}

// TestCopiesKeepExtra: the blank Extra field travels with every copy of a
// decoded value (assignment, slices, function arguments, interfaces), as
// results do when Stream yields them by value.
func TestCopiesKeepExtra(t *testing.T) {
	in := `<result><webapps></webapps><status>ok</status><id>x</id><filter></filter></result>`
	var v result
	roundTrip(t, in, &v)
	copies := map[string]result{"assign": v}
	s := []result{v}
	copies["slice"] = s[0]
	copies["argument"] = func(r result) result { return r }(v)
	var iface any = v
	copies["interface"] = iface.(result)
	for name, c := range copies {
		out, err := xml.Marshal(&c)
		if err != nil {
			t.Fatal(err)
		}
		if string(out) != in {
			t.Errorf("%s: a copy lost the bookkeeping:\n got %s\nwant %s", name, out, in)
		}
	}
}
