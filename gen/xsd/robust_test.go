package xsd

import (
	"fmt"
	"io"
	"math/rand/v2"
	"strings"
	"testing"
)

// loadAndExpand loads files and, when that succeeds, expands and prints
// the trees: the whole pipeline, which must never panic.
func loadAndExpand(files map[string]string) error {
	s, err := loadFiles(files)
	if err != nil {
		return err
	}
	return WriteTree(io.Discard, Expand(s))
}

// TestNoPanic feeds garbage, deep nesting and cycles to Load and Expand.
func TestNoPanic(t *testing.T) {
	deep := func(n int, open, close string) string {
		return strings.Repeat(open, n) + strings.Repeat(close, n)
	}
	var chain strings.Builder
	for i := range 300 {
		fmt.Fprintf(&chain, `<xs:complexType name="T%d"><xs:sequence><xs:element name="e" type="T%d"/></xs:sequence></xs:complexType>`, i, i+1)
	}
	chain.WriteString(`<xs:complexType name="T300"/><xs:element name="root" type="T0"/>`)

	tests := []struct {
		name    string
		files   map[string]string
		wantErr string // a substring of the error; "" for success
	}{
		{"empty file", map[string]string{"root.xsd": ""}, "no root element"},
		{"binary", map[string]string{"root.xsd": "\x00\xff\xfe<\x01>"}, "malformed XML"},
		{"lone angle bracket", map[string]string{"root.xsd": "<"}, "malformed XML"},
		{"unclosed schema", map[string]string{"root.xsd": schemaHeader}, "unexpected EOF"},
		{"text only", map[string]string{"root.xsd": "hello"}, "no root element"},
		{"second root", map[string]string{"root.xsd": schemaOf("") + "<x/>"}, "a second root element"},
		{"entity", map[string]string{"root.xsd": schemaOf(`<xs:element name="&foo;"/>`)}, "malformed XML"},
		{"undeclared prefix on schema", map[string]string{"root.xsd": "<xs:schema/>"}, "undeclared namespace prefix"},
		{"wrong namespace for schema", map[string]string{"root.xsd": `<xs:schema xmlns:xs="urn:not-xsd"/>`}, "not xs:schema"},
		{"nesting too deep", map[string]string{"root.xsd": schemaOf(
			`<xs:element name="e"><xs:complexType>` + deep(2000, "<xs:sequence>", "</xs:sequence>") + `</xs:complexType></xs:element>`)},
			"nested deeper than 1000 levels"},
		{"deep but allowed nesting", map[string]string{"root.xsd": schemaOf(
			`<xs:element name="e"><xs:complexType>` + deep(900, "<xs:sequence>", "</xs:sequence>") + `</xs:complexType></xs:element>`)},
			""},
		{"long type chain", map[string]string{"root.xsd": schemaOf(chain.String())}, ""},
		{"type that references itself", map[string]string{"root.xsd": schemaOf(
			`<xs:complexType name="T"><xs:choice><xs:element name="t" type="T"/><xs:element ref="r"/></xs:choice></xs:complexType>
			<xs:element name="r" type="T"/>`)}, ""},
		{"group that includes itself", map[string]string{"root.xsd": schemaOf(
			`<xs:group name="G"><xs:sequence><xs:group ref="G"/></xs:sequence></xs:group>
			<xs:element name="r"><xs:complexType><xs:group ref="G"/></xs:complexType></xs:element>`)}, "circular reference G -> G"},
		{"attribute group that includes itself", map[string]string{"root.xsd": schemaOf(
			`<xs:attributeGroup name="A"><xs:attributeGroup ref="A"/></xs:attributeGroup>
			<xs:element name="r"><xs:complexType><xs:attributeGroup ref="A"/></xs:complexType></xs:element>`)}, "circular reference A -> A"},
		{"type that extends itself", map[string]string{"root.xsd": schemaOf(
			`<xs:complexType name="T"><xs:complexContent><xs:extension base="T"/></xs:complexContent></xs:complexType>
			<xs:element name="r" type="T"/>`)}, "circular derivation T -> T"},
		{"simple content based on itself", map[string]string{"root.xsd": schemaOf(
			`<xs:complexType name="T"><xs:simpleContent><xs:restriction base="T"/></xs:simpleContent></xs:complexType>
			<xs:element name="r" type="T"/>`)}, "circular derivation T -> T"},
		{"includes that include each other", map[string]string{
			"root.xsd": schemaOf(`<xs:include schemaLocation="a.xsd"/><xs:element name="r" type="A"/>`),
			"a.xsd":    schemaOf(`<xs:include schemaLocation="root.xsd"/><xs:include schemaLocation="a.xsd"/><xs:complexType name="A"/>`),
		}, ""},
		{"included file that is not a schema, twice", map[string]string{
			"root.xsd": schemaOf(`<xs:include schemaLocation="a.xsd"/><xs:include schemaLocation="a.xsd"/>`),
			"a.xsd":    `<html/>`,
		}, "root element is <html>, not xs:schema"},
		{"empty names and values", map[string]string{"root.xsd": schemaOf(
			`<xs:element name=""/><xs:element ref=""/><xs:complexType name=" "/><xs:simpleType/>
			<xs:group/><xs:attributeGroup/><xs:attribute/><xs:element name="e" type=":"/>`)}, "invalid name"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := loadAndExpand(tt.files)
			switch {
			case tt.wantErr == "" && err != nil:
				t.Fatalf("unexpected error: %v", err)
			case tt.wantErr != "" && err == nil:
				t.Fatalf("no error, want one containing %q", tt.wantErr)
			case tt.wantErr != "" && !strings.Contains(err.Error(), tt.wantErr):
				t.Fatalf("error %q does not contain %q", err, tt.wantErr)
			}
		})
	}
}

// mutationSeed is a schema using most constructs, for TestMutations.
const mutationSeed = `<?xml version="1.0"?>
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:o="urn:o" elementFormDefault="qualified">
  <xs:include schemaLocation="b.xsd"/>
  <xs:group name="G"><xs:choice><xs:element name="g" type="xs:int"/><xs:any namespace="##other"/></xs:choice></xs:group>
  <xs:attributeGroup name="AG"><xs:attribute name="x" type="S"/><xs:anyAttribute/></xs:attributeGroup>
  <xs:simpleType name="S"><xs:restriction base="xs:string"><xs:enumeration value="a"/><xs:maxLength value="3"/></xs:restriction></xs:simpleType>
  <xs:simpleType name="L"><xs:list itemType="S"/></xs:simpleType>
  <xs:simpleType name="U"><xs:union memberTypes="S L"><xs:simpleType><xs:restriction base="xs:int"/></xs:simpleType></xs:union></xs:simpleType>
  <xs:complexType name="Base" mixed="false">
    <xs:sequence minOccurs="0" maxOccurs="unbounded">
      <xs:group ref="G"/>
      <xs:element ref="r" minOccurs="0"/>
    </xs:sequence>
    <xs:attributeGroup ref="AG"/>
  </xs:complexType>
  <xs:complexType name="D">
    <xs:complexContent><xs:extension base="Base"><xs:all><xs:element name="a" type="B"/></xs:all><xs:attribute name="y" use="required"/></xs:extension></xs:complexContent>
  </xs:complexType>
  <xs:complexType name="SC"><xs:simpleContent><xs:extension base="U"><xs:attribute name="z" type="L"/></xs:extension></xs:simpleContent></xs:complexType>
  <xs:element name="r" type="D"><xs:annotation><xs:documentation>doc</xs:documentation></xs:annotation></xs:element>
  <xs:element name="s" type="SC" nillable="true"/>
</xs:schema>
`

const mutationInclude = `<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">
  <xs:complexType name="B"><xs:choice minOccurs="0"><xs:element name="b" type="B"/></xs:choice></xs:complexType>
</xs:schema>
`

// TestMutations loads thousands of random corruptions of a valid schema:
// whatever the damage, Load and Expand must return, not panic.
func TestMutations(t *testing.T) {
	if err := loadAndExpand(map[string]string{"root.xsd": mutationSeed, "b.xsd": mutationInclude}); err != nil {
		t.Fatalf("the seed does not load: %v", err)
	}
	tokens := []string{"<", ">", "/", `"`, " ", "xs:", "G", "r", "B", "S", "unbounded", "0",
		"ref=", "name=", "type=", "base=", "<xs:group ref=\"G\"/>", "<xs:element ref=\"r\"/>", "</xs:sequence>"}
	rng := rand.New(rand.NewPCG(1, 2))
	n := 3000
	if testing.Short() {
		n = 300
	}
	for i := range n {
		b := []byte(mutationSeed)
		for range 1 + rng.IntN(3) {
			p := rng.IntN(len(b))
			switch rng.IntN(3) {
			case 0: // delete a run
				e := min(len(b), p+1+rng.IntN(8))
				b = append(b[:p:p], b[e:]...)
			case 1: // insert a token
				tok := tokens[rng.IntN(len(tokens))]
				b = append(b[:p:p], append([]byte(tok), b[p:]...)...)
			default: // copy a chunk elsewhere
				e := min(len(b), p+1+rng.IntN(40))
				chunk := append([]byte(nil), b[p:e]...)
				q := rng.IntN(len(b))
				b = append(b[:q:q], append(chunk, b[q:]...)...)
			}
		}
		func() {
			defer func() {
				if r := recover(); r != nil {
					t.Fatalf("mutation %d panicked: %v\n%s", i, r, b)
				}
			}()
			loadAndExpand(map[string]string{"root.xsd": string(b), "b.xsd": mutationInclude})
		}()
	}
}

// FuzzLoad runs the whole pipeline on arbitrary pairs of files.
func FuzzLoad(f *testing.F) {
	f.Add(mutationSeed, mutationInclude)
	f.Add(schemaOf(`<xs:include schemaLocation="b.xsd"/><xs:element name="r" type="B"/>`), mutationInclude)
	f.Add("<", "")
	f.Fuzz(func(t *testing.T, root, included string) {
		loadAndExpand(map[string]string{"root.xsd": root, "b.xsd": included})
	})
}
