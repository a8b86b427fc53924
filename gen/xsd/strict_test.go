package xsd

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestStrictSchema pins the messages for what XSD 1.0 does not allow where
// it is written, and for references to names nobody declares.
func TestStrictSchema(t *testing.T) {
	tests := []struct {
		name string
		body string
		want string
	}{{
		name: "misspelled minOccurs",
		body: `  <xs:element name="r">
    <xs:complexType>
      <xs:sequence>
        <xs:element name="a" type="xs:string" minOcurs="0"/>
      </xs:sequence>
    </xs:complexType>
  </xs:element>`,
		want: `root.xsd:5:9: xs:element has no attribute "minOcurs" (did you mean "minOccurs"?)`,
	}, {
		name: "an attribute of another declaration",
		body: `  <xs:element name="r" type="xs:string" use="required"/>`,
		want: `root.xsd:2:3: xs:element has no attribute "use"`,
	}, {
		name: "case",
		body: `  <xs:element name="r" Type="xs:string"/>`,
		want: `root.xsd:2:3: xs:element has no attribute "Type" (did you mean "type"?)`,
	}, {
		name: "transposed letters",
		body: `  <xs:attribute name="a" tpye="xs:string"/>`,
		want: `root.xsd:2:3: xs:attribute has no attribute "tpye" (did you mean "type"?)`,
	}, {
		name: "an attribute in the XML Schema namespace",
		body: `  <xs:element name="r" xs:type="xs:string"/>`,
		want: `root.xsd:2:3: xs:element has no attribute xs:type: attributes of the XML Schema namespace are not allowed (did you mean "type"?)`,
	}, {
		name: "on a facet",
		body: `  <xs:simpleType name="S">
    <xs:restriction base="xs:string">
      <xs:enumeration valeu="a"/>
    </xs:restriction>
  </xs:simpleType>`,
		want: `root.xsd:4:7: xs:enumeration has no attribute "valeu" (did you mean "value"?)
root.xsd:4:7: xs:enumeration without value`,
	}, {
		name: "misspelled element",
		body: `  <xs:complexType name="T">
    <xs:sequense/>
  </xs:complexType>`,
		want: `root.xsd:3:5: unexpected xs:sequense in xs:complexType (did you mean "sequence"?)`,
	}, {
		name: "a misplaced element is no typo",
		body: `  <xs:attribute name="a">
    <xs:sequence/>
  </xs:attribute>`,
		want: `root.xsd:3:5: unexpected xs:sequence in xs:attribute`,
	}, {
		name: "unknown type, a declared one close",
		body: `  <xs:complexType name="OwnerType"/>
  <xs:element name="owner" type="ownerType"/>`,
		want: `root.xsd:3:3: element "owner": unknown type "ownerType" (did you mean "OwnerType"?)`,
	}, {
		name: "unknown type, nothing close",
		body: `  <xs:complexType name="OwnerType"/>
  <xs:element name="owner" type="quux"/>`,
		want: `root.xsd:3:3: element "owner": unknown type "quux"`,
	}, {
		name: "unknown simple type for an attribute",
		body: `  <xs:simpleType name="Color"><xs:restriction base="xs:string"/></xs:simpleType>
  <xs:attribute name="c" type="Colour"/>`,
		want: `root.xsd:3:3: attribute "c": unknown type "Colour" (did you mean "Color"?)`,
	}, {
		name: "unknown element, group, attribute group and attribute",
		body: `  <xs:element name="item" type="xs:string"/>
  <xs:group name="Items"><xs:sequence><xs:element ref="item"/></xs:sequence></xs:group>
  <xs:attributeGroup name="Common"><xs:attribute name="x" type="xs:string"/></xs:attributeGroup>
  <xs:attribute name="lang" type="xs:string"/>
  <xs:complexType name="T">
    <xs:sequence>
      <xs:element ref="itme"/>
      <xs:group ref="Itemz"/>
    </xs:sequence>
    <xs:attribute ref="lnag"/>
    <xs:attributeGroup ref="common"/>
  </xs:complexType>`,
		want: `root.xsd:8:7: complexType "T": unknown element "itme" (did you mean "item"?)
root.xsd:9:7: complexType "T": unknown group "Itemz" (did you mean "Items"?)
root.xsd:11:5: complexType "T": unknown attribute "lnag" (did you mean "lang"?)
root.xsd:12:5: complexType "T": unknown attributeGroup "common" (did you mean "Common"?)`,
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := loadFiles(map[string]string{"root.xsd": schemaOf(tt.body)})
			if err == nil {
				t.Fatalf("Load succeeded, want:\n%s", tt.want)
			}
			if d := cmp.Diff(tt.want, err.Error()); d != "" {
				t.Errorf("error mismatch (-want +got):\n%s", d)
			}
		})
	}
}

// TestStrictAllowsForeignAttributes: attributes of other namespaces (and
// xml:lang) are allowed on any schema element, and nothing inside
// xs:appinfo or xs:documentation is checked.
func TestStrictAllowsForeignAttributes(t *testing.T) {
	_, err := loadFiles(map[string]string{"root.xsd": `<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:ext="urn:ext" ext:version="2" xml:lang="en">
  <xs:annotation>
    <xs:appinfo><ext:hint minOcurs="0" xs:bogus="1"/></xs:appinfo>
    <xs:documentation xml:lang="en" source="x">Free <b class="x">text</b>.</xs:documentation>
  </xs:annotation>
  <xs:element name="r" ext:note="kept" id="r1">
    <xs:complexType ext:a="1">
      <xs:sequence ext:b="2">
        <xs:element name="a" type="xs:string" minOccurs="0" ext:c="3"/>
      </xs:sequence>
    </xs:complexType>
  </xs:element>
</xs:schema>
`})
	if err != nil {
		t.Fatal(err)
	}
}

// TestLoadErrorPaths: Load names the files of its errors as the caller
// named the directory, and a file two includes reach is reported once.
func TestLoadErrorPaths(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "schemas", "x")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	files := map[string]string{
		"root.xsd":   schemaOf(`  <xs:include schemaLocation="a.xsd"/>` + "\n" + `  <xs:include schemaLocation="b.xsd"/>`),
		"a.xsd":      schemaOf(`  <xs:include schemaLocation="common.xsd"/>`),
		"b.xsd":      schemaOf(`  <xs:include schemaLocation="common.xsd"/>`),
		"common.xsd": schemaOf(`  <xs:element name="e" type="Missing" minOcurs="0"/>`),
	}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	_, err := Load(dir, "root.xsd")
	if err == nil {
		t.Fatal("Load succeeded")
	}
	c := filepath.Join(dir, "common.xsd")
	want := c + `:2:3: xs:element has no attribute "minOcurs" (did you mean "minOccurs"?)`
	if d := cmp.Diff(want, err.Error()); d != "" {
		t.Errorf("error mismatch (-want +got):\n%s", d)
	}
	if n := strings.Count(err.Error(), "minOcurs"); n != 1 {
		t.Errorf("reported %d times", n)
	}
}

// TestSuggestionsBounded: past maxSuggestions errors, unresolved names are
// still reported, without the search for a close one.
func TestSuggestionsBounded(t *testing.T) {
	var b strings.Builder
	b.WriteString(`  <xs:complexType name="Owner"/>` + "\n")
	n := maxSuggestions + 20
	for i := range n {
		fmt.Fprintf(&b, "  <xs:element name=\"e%d\" type=\"Ownr\"/>\n", i)
	}
	_, err := loadFiles(map[string]string{"root.xsd": schemaOf(b.String())})
	if err == nil {
		t.Fatal("Load succeeded")
	}
	lines := strings.Split(err.Error(), "\n")
	if len(lines) != n {
		t.Fatalf("%d errors, want %d", len(lines), n)
	}
	hints := strings.Count(err.Error(), `(did you mean "Owner"?)`)
	if hints != maxSuggestions {
		t.Errorf("%d suggestions, want %d", hints, maxSuggestions)
	}
}
