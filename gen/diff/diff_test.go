package diff_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"

	"github.com/pleskgo/plesk/gen/diff"
	"github.com/pleskgo/plesk/gen/xsd"
)

// base is a packet with two operators; the cases edit it. The same schema
// serves as request and as response root, so that each case shows how the
// side changes the verdict.
const base = `<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">
  <xs:element name="packet">
    <xs:complexType>
      <xs:sequence>
        <xs:choice maxOccurs="unbounded">
          <xs:element name="thing">
            <xs:complexType>
              <xs:choice maxOccurs="unbounded">
                <xs:element name="add">
                  <xs:complexType>
                    <xs:sequence>
                      <xs:element name="name" type="xs:string"/>
                      <xs:element name="note" type="xs:string" minOccurs="0"/>
                      <xs:element name="status" type="status" minOccurs="0"/>
                      <xs:element name="tag" type="xs:string" minOccurs="0" maxOccurs="unbounded"/>
                      <xs:choice>
                        <xs:element name="id" type="xs:int"/>
                        <xs:element name="guid" type="xs:string"/>
                      </xs:choice>
                      <!--ADD-->
                    </xs:sequence>
                    <xs:attribute name="mode" type="xs:string"/>
                  </xs:complexType>
                </xs:element>
                <xs:element name="del" type="xs:string"/>
              </xs:choice>
            </xs:complexType>
          </xs:element>
          <xs:element name="other" type="xs:string"/>
        </xs:choice>
      </xs:sequence>
      <xs:attribute name="version" type="xs:string"/>
    </xs:complexType>
  </xs:element>
  <xs:simpleType name="status">
    <xs:restriction base="xs:string">
      <xs:enumeration value="ok"/>
      <xs:enumeration value="off"/>
    </xs:restriction>
  </xs:simpleType>
</xs:schema>
`

func TestClassification(t *testing.T) {
	tests := []struct {
		name     string
		old, new string // replace old by new in base
		request  []string
		response []string
	}{
		{
			name: "identical",
		},
		{
			name: "removed operator",
			old:  `<xs:element name="other" type="xs:string"/>`,
			request: []string{
				"[other] - other  [1..1] type=string  via (sequence) [1..1] > (choice) [1..∞]  BREAKING: removed operator",
			},
			response: []string{
				"[other] - other  [1..1] type=string  via (sequence) [1..1] > (choice) [1..∞]  BREAKING: removed operator",
			},
		},
		{
			name:     "removed operation",
			old:      `<xs:element name="del" type="xs:string"/>`,
			request:  []string{"[thing] - thing/del  [1..1] type=string  via (choice) [1..∞]  BREAKING: removed operation"},
			response: []string{"[thing] - thing/del  [1..1] type=string  via (choice) [1..∞]  BREAKING: removed operation"},
		},
		{
			name:     "removed element",
			old:      `<xs:element name="note" type="xs:string" minOccurs="0"/>`,
			request:  []string{"[thing] - thing/add/note  [0..1] type=string  via (sequence) [1..1]  BREAKING: removed element"},
			response: []string{"[thing] - thing/add/note  [0..1] type=string  via (sequence) [1..1]  BREAKING: removed element"},
		},
		{
			name:     "added operation",
			old:      `<xs:element name="del" type="xs:string"/>`,
			new:      `<xs:element name="del" type="xs:string"/><xs:element name="get" type="xs:string"/>`,
			request:  []string{"[thing] + thing/get  [1..1] type=string  via (choice) [1..∞]"},
			response: []string{"[thing] + thing/get  [1..1] type=string  via (choice) [1..∞]"},
		},
		{
			name:     "added optional element",
			old:      `<!--ADD-->`,
			new:      `<xs:element name="owner" type="xs:string" minOccurs="0"/>`,
			request:  []string{"[thing] + thing/add/owner  [0..1] type=string  via (sequence) [1..1]"},
			response: []string{"[thing] + thing/add/owner  [0..1] type=string  via (sequence) [1..1]"},
		},
		{
			name:     "added required element",
			old:      `<!--ADD-->`,
			new:      `<xs:element name="owner" type="xs:string"/>`,
			request:  []string{"[thing] + thing/add/owner  [1..1] type=string  via (sequence) [1..1]  BREAKING: newly required element"},
			response: []string{"[thing] + thing/add/owner  [1..1] type=string  via (sequence) [1..1]"},
		},
		{
			name:     "required element in a new optional group",
			old:      `<!--ADD-->`,
			new:      `<xs:sequence minOccurs="0"><xs:element name="a" type="xs:string"/><xs:element name="b" type="xs:string"/></xs:sequence>`,
			request:  []string{"[thing] + thing/add/a  [1..1] type=string  via (sequence) [1..1] > (sequence) [0..1]", "[thing] + thing/add/b  [1..1] type=string  via (sequence) [1..1] > (sequence) [0..1]"},
			response: []string{"[thing] + thing/add/a  [1..1] type=string  via (sequence) [1..1] > (sequence) [0..1]", "[thing] + thing/add/b  [1..1] type=string  via (sequence) [1..1] > (sequence) [0..1]"},
		},
		{
			name:     "new alternative of an old choice",
			old:      `<xs:element name="guid" type="xs:string"/>`,
			new:      `<xs:element name="guid" type="xs:string"/><xs:element name="login" type="xs:string"/>`,
			request:  []string{"[thing] + thing/add/login  [1..1] type=string  via (sequence) [1..1] > (choice) [1..1]"},
			response: []string{"[thing] + thing/add/login  [1..1] type=string  via (sequence) [1..1] > (choice) [1..1]"},
		},
		{
			name: "required element in an old choice branch",
			old:  `<xs:element name="guid" type="xs:string"/>`,
			new:  `<xs:sequence><xs:element name="guid" type="xs:string"/><xs:element name="realm" type="xs:string"/></xs:sequence>`,
			request: []string{
				"[thing] + thing/add/realm  [1..1] type=string  via (sequence) [1..1] > (choice) [1..1] > (sequence) [1..1]  BREAKING: newly required element",
				"[thing] ~ thing/add/guid: [1..1] type=string  via (sequence) [1..1] > (choice) [1..1]  ->  [1..1] type=string  via (sequence) [1..1] > (choice) [1..1] > (sequence) [1..1]",
			},
			response: []string{
				"[thing] + thing/add/realm  [1..1] type=string  via (sequence) [1..1] > (choice) [1..1] > (sequence) [1..1]",
				"[thing] ~ thing/add/guid: [1..1] type=string  via (sequence) [1..1] > (choice) [1..1]  ->  [1..1] type=string  via (sequence) [1..1] > (choice) [1..1] > (sequence) [1..1]",
			},
		},
		{
			name: "new required choice",
			old:  `<!--ADD-->`,
			new:  `<xs:choice><xs:element name="x" type="xs:string"/><xs:element name="y" type="xs:string"/></xs:choice>`,
			request: []string{
				"[thing] + thing/add/x  [1..1] type=string  via (sequence) [1..1] > (choice) [1..1]  BREAKING: newly required element",
				"[thing] + thing/add/y  [1..1] type=string  via (sequence) [1..1] > (choice) [1..1]  BREAKING: newly required element",
			},
			response: []string{
				"[thing] + thing/add/x  [1..1] type=string  via (sequence) [1..1] > (choice) [1..1]",
				"[thing] + thing/add/y  [1..1] type=string  via (sequence) [1..1] > (choice) [1..1]",
			},
		},
		{
			name:     "element became required",
			old:      `<xs:element name="note" type="xs:string" minOccurs="0"/>`,
			new:      `<xs:element name="note" type="xs:string"/>`,
			request:  []string{"[thing] ~ thing/add/note: [0..1] type=string  via (sequence) [1..1]  ->  [1..1] type=string  via (sequence) [1..1]  BREAKING: newly required element"},
			response: []string{"[thing] ~ thing/add/note: [0..1] type=string  via (sequence) [1..1]  ->  [1..1] type=string  via (sequence) [1..1]"},
		},
		{
			name:     "fewer occurrences",
			old:      `<xs:element name="tag" type="xs:string" minOccurs="0" maxOccurs="unbounded"/>`,
			new:      `<xs:element name="tag" type="xs:string" minOccurs="0" maxOccurs="3"/>`,
			request:  []string{"[thing] ~ thing/add/tag: [0..∞] type=string  via (sequence) [1..1]  ->  [0..3] type=string  via (sequence) [1..1]  BREAKING: fewer occurrences allowed"},
			response: []string{"[thing] ~ thing/add/tag: [0..∞] type=string  via (sequence) [1..1]  ->  [0..3] type=string  via (sequence) [1..1]"},
		},
		{
			name:     "type changed",
			old:      `<xs:element name="note" type="xs:string" minOccurs="0"/>`,
			new:      `<xs:element name="note" type="xs:token" minOccurs="0"/>`,
			request:  []string{"[thing] ~ thing/add/note: [0..1] type=string  via (sequence) [1..1]  ->  [0..1] type=token  via (sequence) [1..1]"},
			response: []string{"[thing] ~ thing/add/note: [0..1] type=string  via (sequence) [1..1]  ->  [0..1] type=token  via (sequence) [1..1]"},
		},
		{
			name:     "attribute became required",
			old:      `<xs:attribute name="mode" type="xs:string"/>`,
			new:      `<xs:attribute name="mode" type="xs:string" use="required"/>`,
			request:  []string{"[thing] ~ thing/add/@mode: type=string use=optional  ->  type=string use=required  BREAKING: newly required attribute"},
			response: []string{"[thing] ~ thing/add/@mode: type=string use=optional  ->  type=string use=required"},
		},
		{
			name:     "added required attribute",
			old:      `<xs:attribute name="mode" type="xs:string"/>`,
			new:      `<xs:attribute name="mode" type="xs:string"/><xs:attribute name="lang" type="xs:string" use="required"/>`,
			request:  []string{"[thing] + thing/add/@lang  type=string use=required  BREAKING: newly required attribute"},
			response: []string{"[thing] + thing/add/@lang  type=string use=required"},
		},
		{
			name:     "removed packet attribute",
			old:      `<xs:attribute name="version" type="xs:string"/>`,
			request:  []string{"[packet] - packet/@version  type=string use=optional  BREAKING: removed attribute"},
			response: []string{"[packet] - packet/@version  type=string use=optional  BREAKING: removed attribute"},
		},
		{
			name:     "enumeration widened",
			old:      `<xs:enumeration value="off"/>`,
			new:      `<xs:enumeration value="off"/><xs:enumeration value="maybe"/>`,
			request:  []string{`[thing] ~ thing/add/status: enumeration: +"maybe"`},
			response: []string{`[thing] ~ thing/add/status: enumeration: +"maybe"  BREAKING: widened enumeration`},
		},
		{
			name:     "enumeration narrowed",
			old:      `<xs:enumeration value="off"/>`,
			request:  []string{`[thing] ~ thing/add/status: enumeration: -"off"  BREAKING: narrowed enumeration`},
			response: []string{`[thing] ~ thing/add/status: enumeration: -"off"`},
		},
		{
			name:     "enumeration dropped",
			old:      `<xs:element name="status" type="status" minOccurs="0"/>`,
			new:      `<xs:element name="status" minOccurs="0"><xs:simpleType><xs:restriction base="status"><xs:pattern value="o.*"/></xs:restriction></xs:simpleType></xs:element>`,
			request:  []string{"[thing] ~ thing/add/status: [0..1] type=status  via (sequence) [1..1]  ->  [0..1] base=status  via (sequence) [1..1]"},
			response: []string{"[thing] ~ thing/add/status: [0..1] type=status  via (sequence) [1..1]  ->  [0..1] base=status  via (sequence) [1..1]"},
		},
		{
			name:     "enumeration introduced",
			old:      `<xs:element name="note" type="xs:string" minOccurs="0"/>`,
			new:      `<xs:element name="note" type="status" minOccurs="0"/>`,
			request:  []string{`[thing] ~ thing/add/note: [0..1] type=string  via (sequence) [1..1]  ->  [0..1] type=status  via (sequence) [1..1]; enumeration: now one of "ok", "off"  BREAKING: narrowed enumeration`},
			response: []string{`[thing] ~ thing/add/note: [0..1] type=string  via (sequence) [1..1]  ->  [0..1] type=status  via (sequence) [1..1]; enumeration: now one of "ok", "off"`},
		},
		{
			name:     "a name twice under one element",
			old:      `<!--ADD-->`,
			new:      `<xs:element name="name" type="xs:string" minOccurs="0"/>`,
			request:  []string{"[thing] + thing/add/name#2  [0..1] type=string  via (sequence) [1..1]"},
			response: []string{"[thing] + thing/add/name#2  [0..1] type=string  via (sequence) [1..1]"},
		},
		{
			name:     "wildcard",
			old:      `<!--ADD-->`,
			new:      `<xs:any minOccurs="0" processContents="skip"/>`,
			request:  []string{"[thing] + thing/add/(any)  [0..1] ns=##any pc=skip  via (sequence) [1..1]"},
			response: []string{"[thing] + thing/add/(any)  [0..1] ns=##any pc=skip  via (sequence) [1..1]"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			newSchema := base
			if tt.old != "" {
				if !strings.Contains(base, tt.old) {
					t.Fatalf("base has no %q", tt.old)
				}
				newSchema = strings.Replace(base, tt.old, tt.new, 1)
			}
			old, cur := load(t, base), load(t, newSchema)
			got := diff.CompareSets([]*xsd.Set{old, old}, []*xsd.Set{cur, cur})
			var req, resp []string
			for _, c := range got {
				l := "[" + c.Group + "] " + c.Line()
				if c.Breaking {
					l += "  BREAKING: " + c.Reason
				}
				if c.Side == diff.Request {
					req = append(req, l)
				} else {
					resp = append(resp, l)
				}
			}
			if d := cmp.Diff(tt.request, req); d != "" {
				t.Errorf("request changes (-want +got):\n%s", d)
			}
			if d := cmp.Diff(tt.response, resp); d != "" {
				t.Errorf("response changes (-want +got):\n%s", d)
			}
		})
	}
}

func load(t *testing.T, schema string) *xsd.Set {
	t.Helper()
	s, err := xsd.LoadFS(fstest.MapFS{"root.xsd": {Data: []byte(schema)}}, "root.xsd")
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestReportText(t *testing.T) {
	old := load(t, base)
	cur := load(t, strings.Replace(strings.Replace(base,
		`<xs:element name="del" type="xs:string"/>`, `<xs:element name="get" type="xs:string"/>`, 1),
		`<xs:enumeration value="off"/>`, `<xs:enumeration value="off"/><xs:enumeration value="on"/>`, 1))
	r := &diff.Report{Old: "v1", New: "v2", Changes: diff.CompareSets([]*xsd.Set{old, old}, []*xsd.Set{cur, cur})}
	var buf bytes.Buffer
	if err := r.WriteText(&buf); err != nil {
		t.Fatal(err)
	}
	want := `v1 -> v2: 6 changes, 3 breaking

thing
  request
    + thing/get  [1..1] type=string  via (choice) [1..∞]
    - thing/del  [1..1] type=string  via (choice) [1..∞]  BREAKING: removed operation
    ~ thing/add/status: enumeration: +"on"
  response
    + thing/get  [1..1] type=string  via (choice) [1..∞]
    - thing/del  [1..1] type=string  via (choice) [1..∞]  BREAKING: removed operation
    ~ thing/add/status: enumeration: +"on"  BREAKING: widened enumeration
`
	if d := cmp.Diff(want, buf.String()); d != "" {
		t.Errorf("text (-want +got):\n%s", d)
	}

	r.Changes = nil
	buf.Reset()
	if err := r.WriteText(&buf); err != nil {
		t.Fatal(err)
	}
	if got := buf.String(); got != "v1 -> v2: no changes\n" {
		t.Errorf("no changes: got %q", got)
	}

	// A side missing in the new version: everything in it is removed.
	r.Changes = diff.CompareSets([]*xsd.Set{old, old}, []*xsd.Set{nil, old})
	buf.Reset()
	if err := r.WriteText(&buf); err != nil {
		t.Fatal(err)
	}
	want = `v1 -> v2: 1 change, 1 breaking

packet
  request
    - packet  [1..1] anon  BREAKING: removed element
`
	if d := cmp.Diff(want, buf.String()); d != "" {
		t.Errorf("text (-want +got):\n%s", d)
	}
}

func TestReportJSON(t *testing.T) {
	old := load(t, base)
	cur := load(t, strings.Replace(base, `<xs:enumeration value="off"/>`, `<xs:enumeration value="on"/>`, 1))
	r := &diff.Report{Old: "a", New: "b", Changes: diff.CompareSets([]*xsd.Set{old}, []*xsd.Set{cur})}
	var buf bytes.Buffer
	if err := r.WriteJSON(&buf); err != nil {
		t.Fatal(err)
	}
	var got diff.JSON
	if err := json.Unmarshal(buf.Bytes(), &got); err != nil {
		t.Fatalf("%v\n%s", err, buf.Bytes())
	}
	zero, one := 0, 1
	want := diff.JSON{Old: "a", New: "b", Total: 1, Breaking: 1, Changes: []diff.JSONChange{{
		Operator: "thing", Side: "request", Change: "changed", Path: "thing/add/status", Node: "element",
		Breaking: true, Reason: "narrowed enumeration",
		Line: `~ thing/add/status: enumeration: +"on" -"off"`,
		Old: &diff.JSONDecl{Shape: "[0..1] type=status", Min: &zero, Max: &one, Via: "(sequence) [1..1]",
			Enum: []string{"ok", "off"}, Pos: "a/root.xsd:14:23"},
		New: &diff.JSONDecl{Shape: "[0..1] type=status", Min: &zero, Max: &one, Via: "(sequence) [1..1]",
			Enum: []string{"ok", "on"}, Pos: "b/root.xsd:14:23"},
		EnumAdded:   []string{"on"},
		EnumRemoved: []string{"off"},
	}}}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("JSON (-want +got):\n%s", d)
	}
	// The empty report still has a list.
	r.Changes = nil
	buf.Reset()
	if err := r.WriteJSON(&buf); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), `"changes": []`) {
		t.Errorf("empty report: %s", buf.String())
	}
}
