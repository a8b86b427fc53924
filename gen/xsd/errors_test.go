package xsd

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestLoadErrors pins the exact message of every kind of schema error.
func TestLoadErrors(t *testing.T) {
	tests := []struct {
		name  string
		root  string            // default root.xsd
		files map[string]string // root.xsd given as a schema body unless it starts with '<'
		want  string            // the lines of the error, joined
	}{{
		name:  "missing include file",
		files: map[string]string{"root.xsd": `  <xs:include schemaLocation="nowhere.xsd"/>`},
		want:  `root.xsd:2:3: include "nowhere.xsd": no such file`,
	}, {
		name:  "missing import file",
		files: map[string]string{"root.xsd": `  <xs:import namespace="urn:x" schemaLocation="sub/x.xsd"/>`},
		want:  `root.xsd:2:3: import "sub/x.xsd": no such file`,
	}, {
		name:  "missing root file",
		root:  "absent.xsd",
		files: map[string]string{"root.xsd": ``},
		want:  `absent.xsd: no such file`,
	}, {
		name:  "malformed XML: mismatched end tag",
		files: map[string]string{"root.xsd": "  <xs:element name=\"root\" type=\"xs:string\">\n  </xs:elment>"},
		want:  `root.xsd:3:3: malformed XML: element <xs:element> closed by </xs:elment>`,
	}, {
		name:  "malformed XML: unquoted attribute",
		files: map[string]string{"root.xsd": `  <xs:element name=root/>`},
		want:  `root.xsd:2:20: malformed XML: unquoted or missing attribute value in element`,
	}, {
		name:  "malformed XML: unexpected EOF",
		files: map[string]string{"root.xsd": "<xs:schema xmlns:xs=\"http://www.w3.org/2001/XMLSchema\">\n  <xs:element name=\"a\">"},
		want:  `root.xsd:2:24: malformed XML: unexpected EOF`,
	}, {
		name:  "malformed XML: undeclared element prefix",
		files: map[string]string{"root.xsd": `  <foo:element name="a"/>`},
		want:  `root.xsd:2:3: malformed XML: undeclared namespace prefix "foo" in <foo:element>`,
	}, {
		name:  "malformed XML in an included file",
		files: map[string]string{"root.xsd": `  <xs:include schemaLocation="a.xsd"/>`, "a.xsd": schemaHeader + "\n\n   <"},
		want:  `a.xsd:3:5: malformed XML: unexpected EOF`,
	}, {
		name:  "not a schema",
		files: map[string]string{"root.xsd": "<?xml version=\"1.0\"?>\n<foo/>"},
		want:  `root.xsd:2:1: root element is <foo>, not xs:schema`,
	}, {
		name:  "unknown element type",
		files: map[string]string{"root.xsd": `  <xs:element name="foo" type="barType"/>`},
		want:  `root.xsd:2:3: element "foo": unknown type "barType"`,
	}, {
		name:  "unknown builtin type",
		files: map[string]string{"root.xsd": `  <xs:element name="foo" type="xs:strin"/>`},
		want:  `root.xsd:2:3: element "foo": unknown type "xs:strin" (did you mean "xs:string"?)`,
	}, {
		name: "unknown element reference",
		files: map[string]string{"root.xsd": `
  <xs:complexType name="T">
    <xs:sequence>
      <xs:element ref="r"/>
    </xs:sequence>
  </xs:complexType>`},
		want: `root.xsd:4:7: complexType "T": unknown element "r"`,
	}, {
		name: "unknown group reference",
		files: map[string]string{"root.xsd": `
  <xs:complexType name="T">
    <xs:group ref="G"/>
  </xs:complexType>`},
		want: `root.xsd:3:5: complexType "T": unknown group "G"`,
	}, {
		name: "unknown attribute group",
		files: map[string]string{"root.xsd": `
  <xs:element name="e">
    <xs:complexType>
      <xs:attributeGroup ref="AG"/>
    </xs:complexType>
  </xs:element>`},
		want: `root.xsd:4:7: element "e": unknown attributeGroup "AG"`,
	}, {
		name: "unknown attribute reference",
		files: map[string]string{"root.xsd": `
  <xs:attributeGroup name="AG">
    <xs:attribute ref="lang"/>
  </xs:attributeGroup>`},
		want: `root.xsd:3:5: attributeGroup "AG": unknown attribute "lang"`,
	}, {
		name: "unknown complex base type",
		files: map[string]string{"root.xsd": `
  <xs:element name="e">
    <xs:complexType>
      <xs:complexContent>
        <xs:extension base="Base"/>
      </xs:complexContent>
    </xs:complexType>
  </xs:element>`},
		want: `root.xsd:5:9: element "e": unknown base type "Base"`,
	}, {
		name: "unknown simple base, item and member types",
		files: map[string]string{"root.xsd": `
  <xs:simpleType name="S"><xs:restriction base="Str"/></xs:simpleType>
  <xs:simpleType name="L"><xs:list itemType="Item"/></xs:simpleType>
  <xs:simpleType name="U"><xs:union memberTypes="xs:int Member"/></xs:simpleType>`},
		want: `root.xsd:2:27: simpleType "S": unknown base type "Str"
root.xsd:3:27: simpleType "L": unknown item type "Item"
root.xsd:4:27: simpleType "U": unknown member type "Member"`,
	}, {
		name: "attribute of a complex type",
		files: map[string]string{"root.xsd": `
  <xs:complexType name="T"/>
  <xs:attribute name="a" type="T"/>`},
		want: `root.xsd:3:3: attribute "a": type "T" is a complexType, not a simpleType`,
	}, {
		name: "complexContent based on a simple type",
		files: map[string]string{"root.xsd": `
  <xs:complexType name="T">
    <xs:complexContent><xs:extension base="xs:string"/></xs:complexContent>
  </xs:complexType>`},
		want: `root.xsd:3:24: complexType "T": complexContent base type "xs:string" is a simpleType`,
	}, {
		name: "duplicate type in two files",
		files: map[string]string{
			"root.xsd": `
  <xs:include schemaLocation="a.xsd"/>
  <xs:include schemaLocation="b.xsd"/>`,
			"a.xsd": schemaOf(`  <xs:complexType name="T"/>`),
			"b.xsd": schemaOf(`  <xs:simpleType name="S"><xs:restriction base="xs:int"/></xs:simpleType>
  <xs:complexType name="T"/>`),
		},
		want: `b.xsd:3:3: duplicate complexType "T" (first defined at a.xsd:2:3)`,
	}, {
		name: "duplicate type across kinds and duplicate element, group, attribute",
		files: map[string]string{"root.xsd": `
  <xs:complexType name="T"/>
  <xs:simpleType name="T"><xs:restriction base="xs:int"/></xs:simpleType>
  <xs:element name="e"/>
  <xs:element name="e"/>
  <xs:group name="G"><xs:sequence/></xs:group>
  <xs:group name="G"><xs:sequence/></xs:group>
  <xs:attributeGroup name="AG"/>
  <xs:attributeGroup name="AG"/>
  <xs:attribute name="a"/>
  <xs:attribute name="a"/>`},
		want: `root.xsd:3:3: duplicate simpleType "T" (first defined at root.xsd:2:3)
root.xsd:5:3: duplicate element "e" (first defined at root.xsd:4:3)
root.xsd:7:3: duplicate group "G" (first defined at root.xsd:6:3)
root.xsd:9:3: duplicate attributeGroup "AG" (first defined at root.xsd:8:3)
root.xsd:11:3: duplicate attribute "a" (first defined at root.xsd:10:3)`,
	}, {
		name: "unsupported redefine and override",
		files: map[string]string{"root.xsd": `
  <xs:redefine schemaLocation="a.xsd"/>
  <xs:override schemaLocation="a.xsd"/>`},
		want: `root.xsd:2:3: xs:redefine is not supported
root.xsd:3:3: xs:override is not supported`,
	}, {
		name: "element with both name and ref, and with neither",
		files: map[string]string{"root.xsd": `
  <xs:element name="b"/>
  <xs:complexType name="T">
    <xs:sequence>
      <xs:element name="a" ref="b"/>
      <xs:element minOccurs="0"/>
    </xs:sequence>
  </xs:complexType>`},
		want: `root.xsd:5:7: xs:element has both name "a" and ref "b"
root.xsd:6:7: xs:element has neither name nor ref`,
	}, {
		name: "element with a type attribute and an inline type",
		files: map[string]string{"root.xsd": `
  <xs:element name="e" type="xs:string">
    <xs:complexType/>
  </xs:element>`},
		want: `root.xsd:3:5: element "e": more than one type`,
	}, {
		name: "group that references itself",
		files: map[string]string{"root.xsd": `
  <xs:group name="G">
    <xs:sequence>
      <xs:element name="a"/>
      <xs:group ref="G" minOccurs="0"/>
    </xs:sequence>
  </xs:group>
  <xs:element name="e"><xs:complexType><xs:group ref="G"/></xs:complexType></xs:element>`},
		want: `root.xsd:2:3: group "G": circular reference G -> G`,
	}, {
		name: "groups that reference each other",
		files: map[string]string{"root.xsd": `
  <xs:group name="G"><xs:choice><xs:group ref="H"/></xs:choice></xs:group>
  <xs:group name="H"><xs:sequence><xs:sequence><xs:group ref="G"/></xs:sequence></xs:sequence></xs:group>`},
		want: `root.xsd:2:3: group "G": circular reference G -> H -> G`,
	}, {
		name: "attribute group that references itself",
		files: map[string]string{"root.xsd": `
  <xs:attributeGroup name="A"><xs:attributeGroup ref="A"/></xs:attributeGroup>`},
		want: `root.xsd:2:3: attributeGroup "A": circular reference A -> A`,
	}, {
		name: "circular derivation",
		files: map[string]string{"root.xsd": `
  <xs:complexType name="T"><xs:complexContent><xs:extension base="U"/></xs:complexContent></xs:complexType>
  <xs:complexType name="U"><xs:complexContent><xs:restriction base="T"/></xs:complexContent></xs:complexType>`},
		want: `root.xsd:2:3: complexType "T": circular derivation T -> U -> T`,
	}, {
		name: "circular simple types",
		files: map[string]string{"root.xsd": `
  <xs:simpleType name="S"><xs:restriction base="S"/></xs:simpleType>
  <xs:simpleType name="L"><xs:list><xs:simpleType><xs:union memberTypes="L"/></xs:simpleType></xs:list></xs:simpleType>`},
		want: `root.xsd:2:3: simpleType "S": circular definition S -> S
root.xsd:3:3: simpleType "L": circular definition L -> (anonymous) -> L`,
	}, {
		name: "circular substitution group",
		files: map[string]string{"root.xsd": `
  <xs:element name="a" substitutionGroup="b"/>
  <xs:element name="b" substitutionGroup="a"/>`},
		want: `root.xsd:2:3: element "a": circular substitution group a -> b -> a`,
	}, {
		name: "invalid occurrences",
		files: map[string]string{"root.xsd": `
  <xs:complexType name="T">
    <xs:sequence minOccurs="x" maxOccurs="-1">
      <xs:element name="a" minOccurs="3" maxOccurs="2"/>
    </xs:sequence>
  </xs:complexType>
  <xs:element name="g" minOccurs="0"/>`},
		want: `root.xsd:3:5: invalid minOccurs "x"
root.xsd:3:5: invalid maxOccurs "-1"
root.xsd:4:7: minOccurs 3 is greater than maxOccurs 2
root.xsd:7:3: xs:element: minOccurs is not allowed on a global element`,
	}, {
		name:  "undeclared prefix in a QName value",
		files: map[string]string{"root.xsd": `  <xs:element name="e" type="foo:bar"/>`},
		want:  `root.xsd:2:3: type: undeclared namespace prefix "foo" in "foo:bar"`,
	}, {
		name: "unexpected elements",
		files: map[string]string{"root.xsd": `
  <xs:sequence/>
  <xs:complexType name="T">
    <xs:element name="x"/>
    <other xmlns="urn:o"/>
  </xs:complexType>`},
		want: `root.xsd:2:3: unexpected xs:sequence in xs:schema
root.xsd:4:5: unexpected xs:element in xs:complexType
root.xsd:5:5: unexpected element <{urn:o}other> in xs:complexType`,
	}, {
		name: "include of another target namespace",
		files: map[string]string{
			"root.xsd": `  <xs:include schemaLocation="a.xsd"/>`,
			"a.xsd":    `<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:a"/>`,
		},
		want: `root.xsd:2:3: include "a.xsd": the file's target namespace "urn:a" is not the including file's (none)`,
	}, {
		name: "import of a file with another namespace",
		files: map[string]string{
			"root.xsd": `  <xs:import namespace="urn:b" schemaLocation="a.xsd"/>`,
			"a.xsd":    `<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:a"/>`,
		},
		want: `root.xsd:2:3: import "a.xsd": the file's target namespace "urn:a" is not the imported namespace "urn:b"`,
	}, {
		name: "schema locations that are not loaded",
		files: map[string]string{"root.xsd": `
  <xs:include schemaLocation="http://example.com/a.xsd"/>
  <xs:include schemaLocation="../a.xsd"/>
  <xs:include schemaLocation="/a.xsd"/>
  <xs:include/>`},
		want: `root.xsd:2:3: include "http://example.com/a.xsd": remote schema locations are not supported
root.xsd:3:3: include "../a.xsd": the location is outside the schema directory
root.xsd:4:3: include "/a.xsd": absolute schema locations are not supported
root.xsd:5:3: xs:include without schemaLocation`,
	}, {
		name: "bad attribute values",
		files: map[string]string{"root.xsd": `
  <xs:element name="e" nillable="yes">
    <xs:complexType>
      <xs:attribute name="a" use="sometimes" default="1" fixed="2"/>
      <xs:anyAttribute processContents="careful"/>
    </xs:complexType>
  </xs:element>
  <xs:simpleType name="S">
    <xs:restriction base="xs:string">
      <xs:maxLength value="ten"/>
      <xs:whiteSpace value="squash"/>
      <xs:pattern/>
    </xs:restriction>
  </xs:simpleType>`},
		want: `root.xsd:2:3: nillable: invalid boolean "yes"
root.xsd:4:7: xs:attribute: invalid use "sometimes"
root.xsd:4:7: xs:attribute: both default and fixed
root.xsd:5:7: xs:anyAttribute: invalid processContents "careful"
root.xsd:10:7: xs:maxLength: invalid value "ten"
root.xsd:11:7: xs:whiteSpace: invalid value "squash"
root.xsd:12:7: xs:pattern without value`,
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			files := map[string]string{}
			for name, text := range tt.files {
				if name == "root.xsd" && !strings.HasPrefix(text, "<") {
					text = schemaOf(text)
				}
				files[name] = text
			}
			root := tt.root
			if root == "" {
				root = "root.xsd"
			}
			s, err := loadFilesRoot(files, root)
			if err == nil {
				t.Fatalf("Load succeeded, want error:\n%s", tt.want)
			}
			if s != nil {
				t.Errorf("Load returned a Set with its error")
			}
			if d := cmp.Diff(tt.want, err.Error()); d != "" {
				t.Errorf("error mismatch (-want +got):\n%s", d)
			}
			for _, e := range unjoin(err) {
				var xe *Error
				if !errors.As(e, &xe) {
					t.Errorf("error %q (%T) is not an *Error", e, e)
				}
			}
		})
	}
}

// unjoin returns the errors joined in err.
func unjoin(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}

// TestLoadIgnores pins what Load skips without a word.
func TestLoadIgnores(t *testing.T) {
	s := mustLoad(t, `
  <xs:annotation><xs:appinfo><anything xmlns="urn:x"/></xs:appinfo></xs:annotation>
  <xs:notation name="gif" public="image/gif"/>
  <xs:element name="e">
    <xs:complexType>
      <xs:sequence><xs:element name="k" type="xs:string"/></xs:sequence>
    </xs:complexType>
    <xs:key name="K"><xs:selector xpath="."/><xs:field xpath="k"/></xs:key>
    <xs:keyref name="R" refer="K"><xs:selector xpath="."/><xs:field xpath="k"/></xs:keyref>
    <xs:unique name="U"><xs:selector xpath="."/><xs:field xpath="k"/></xs:unique>
  </xs:element>
  <xs:import namespace="http://www.w3.org/2001/XMLSchema"/>`)
	if got := len(s.Elements); got != 1 {
		t.Errorf("%d global elements, want 1", got)
	}
}
