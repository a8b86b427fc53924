package xsd

import (
	"bytes"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestExpand pins the expansion rules of FORMAT.md one by one.
func TestExpand(t *testing.T) {
	tests := []struct {
		name   string
		schema string
		want   string
	}{{
		name: "global elements sorted by name, element without type is anyType",
		schema: `
<xs:element name="b" type="xs:string"/>
<xs:element name="a"/>`,
		want: `
a [1..1] type=anyType
  (sequence) [1..1]
    (any) [0..∞] ns=##any pc=lax
  (anyAttribute) ns=##any pc=lax
b [1..1] type=string`,
	}, {
		name: "nested compositors keep their occurrences",
		schema: `
<xs:element name="r">
  <xs:complexType>
    <xs:sequence minOccurs="0">
      <xs:element name="a" type="xs:int" maxOccurs="unbounded"/>
      <xs:choice minOccurs="2" maxOccurs="7">
        <xs:element name="b" type="xs:string" minOccurs="0"/>
        <xs:sequence maxOccurs="unbounded">
          <xs:element name="c" type="xs:boolean"/>
        </xs:sequence>
      </xs:choice>
      <xs:element name="e" type="xs:string" nillable="true"/>
    </xs:sequence>
  </xs:complexType>
</xs:element>`,
		want: `
r [1..1] anon
  (sequence) [0..1]
    a [1..∞] type=int
    (choice) [2..7]
      b [0..1] type=string
      (sequence) [1..∞]
        c [1..1] type=boolean
    e [1..1] type=string nillable`,
	}, {
		name: "xs:all",
		schema: `
<xs:complexType name="T">
  <xs:all minOccurs="0">
    <xs:element name="x" type="xs:string"/>
    <xs:element name="y" type="xs:string" minOccurs="0"/>
  </xs:all>
</xs:complexType>
<xs:element name="r" type="T"/>`,
		want: `
r [1..1] type=T
  (all) [0..1]
    x [1..1] type=string
    y [0..1] type=string`,
	}, {
		name: "empty sequence and all, optional empty choice: no content; required empty choice stays",
		schema: `
<xs:complexType name="S"><xs:sequence/></xs:complexType>
<xs:complexType name="A"><xs:all/></xs:complexType>
<xs:complexType name="C0"><xs:choice minOccurs="0"/></xs:complexType>
<xs:complexType name="C1"><xs:choice/></xs:complexType>
<xs:complexType name="E"/>
<xs:element name="a" type="S"/>
<xs:element name="b" type="A"/>
<xs:element name="c" type="C0"/>
<xs:element name="d" type="C1"/>
<xs:element name="e" type="E"/>`,
		want: `
a [1..1] type=S
b [1..1] type=A
c [1..1] type=C0
d [1..1] type=C1
  (choice) [1..1]
e [1..1] type=E`,
	}, {
		name: "an empty sequence nested in a content model stays",
		schema: `
<xs:element name="r">
  <xs:complexType>
    <xs:sequence>
      <xs:sequence/>
      <xs:element name="x" type="xs:string"/>
    </xs:sequence>
  </xs:complexType>
</xs:element>`,
		want: `
r [1..1] anon
  (sequence) [1..1]
    (sequence) [1..1]
    x [1..1] type=string`,
	}, {
		name: "maxOccurs=0 particles are dropped",
		schema: `
<xs:group name="G"><xs:sequence><xs:element name="g" type="xs:string"/></xs:sequence></xs:group>
<xs:element name="r">
  <xs:complexType>
    <xs:sequence>
      <xs:element name="gone" type="xs:string" minOccurs="0" maxOccurs="0"/>
      <xs:choice minOccurs="0" maxOccurs="0"><xs:element name="gone2"/></xs:choice>
      <xs:group ref="G" minOccurs="0" maxOccurs="0"/>
      <xs:any minOccurs="0" maxOccurs="0"/>
      <xs:element name="kept" type="xs:string"/>
    </xs:sequence>
  </xs:complexType>
</xs:element>`,
		want: `
r [1..1] anon
  (sequence) [1..1]
    kept [1..1] type=string`,
	}, {
		name: "a type whose only particle has maxOccurs=0 has no content",
		schema: `
<xs:complexType name="T">
  <xs:sequence minOccurs="0" maxOccurs="0"><xs:element name="x"/></xs:sequence>
</xs:complexType>
<xs:element name="r" type="T"/>`,
		want: `
r [1..1] type=T`,
	}, {
		name: "group reference: the group's compositor with the reference's occurrence",
		schema: `
<xs:group name="G">
  <xs:choice>
    <xs:element name="a" type="xs:string"/>
    <xs:element name="b" type="xs:string"/>
  </xs:choice>
</xs:group>
<xs:complexType name="T">
  <xs:sequence>
    <xs:group ref="G" minOccurs="0" maxOccurs="3"/>
    <xs:group ref="G"/>
  </xs:sequence>
</xs:complexType>
<xs:complexType name="U"><xs:group ref="G" maxOccurs="unbounded"/></xs:complexType>
<xs:element name="t" type="T"/>
<xs:element name="u" type="U"/>`,
		want: `
t [1..1] type=T
  (sequence) [1..1]
    (choice) [0..3]
      a [1..1] type=string
      b [1..1] type=string
    (choice) [1..1]
      a [1..1] type=string
      b [1..1] type=string
u [1..1] type=U
  (choice) [1..∞]
    a [1..1] type=string
    b [1..1] type=string`,
	}, {
		name: "element reference: the global declaration with the reference's occurrence",
		schema: `
<xs:element name="item" type="xs:int" nillable="true"/>
<xs:element name="list">
  <xs:complexType>
    <xs:sequence>
      <xs:element ref="item" minOccurs="0" maxOccurs="unbounded"/>
    </xs:sequence>
  </xs:complexType>
</xs:element>`,
		want: `
item [1..1] type=int nillable
list [1..1] anon
  (sequence) [1..1]
    item [0..∞] type=int nillable`,
	}, {
		name: "recursion through a local declaration prints (LOOP)",
		schema: `
<xs:complexType name="Node">
  <xs:sequence>
    <xs:element name="child" type="Node" minOccurs="0" maxOccurs="unbounded"/>
  </xs:sequence>
</xs:complexType>
<xs:element name="tree" type="Node"/>`,
		want: `
tree [1..1] type=Node
  (sequence) [1..1]
    child [0..∞] type=Node
      (sequence) [1..1]
        child [0..∞] type=Node
          (LOOP)`,
	}, {
		name: "recursion through a global element reference prints (LOOP)",
		schema: `
<xs:element name="list">
  <xs:complexType>
    <xs:sequence>
      <xs:element ref="list" minOccurs="0"/>
    </xs:sequence>
  </xs:complexType>
</xs:element>`,
		want: `
list [1..1] anon
  (sequence) [1..1]
    list [0..1] anon
      (LOOP)`,
	}, {
		name: "extension: base particle then own in a new sequence; own attributes then the base's",
		schema: `
<xs:complexType name="Base">
  <xs:sequence><xs:element name="a" type="xs:string"/></xs:sequence>
  <xs:attribute name="id" type="xs:int" use="required"/>
</xs:complexType>
<xs:complexType name="Derived">
  <xs:complexContent>
    <xs:extension base="Base">
      <xs:choice minOccurs="0">
        <xs:element name="b" type="xs:int"/>
      </xs:choice>
      <xs:attribute name="x" type="xs:string" default="1"/>
    </xs:extension>
  </xs:complexContent>
</xs:complexType>
<xs:element name="d" type="Derived"/>`,
		want: `
d [1..1] type=Derived
  (sequence) [1..1]
    (sequence) [1..1]
      a [1..1] type=string
    (choice) [0..1]
      b [1..1] type=int
  @x type=string use=optional default=1
  @id type=int use=required`,
	}, {
		name: "extension adding no particle: the base particle alone",
		schema: `
<xs:complexType name="Base">
  <xs:sequence minOccurs="0"><xs:element name="a" type="xs:string"/></xs:sequence>
</xs:complexType>
<xs:complexType name="D1">
  <xs:complexContent>
    <xs:extension base="Base"><xs:attribute name="y" type="xs:string"/></xs:extension>
  </xs:complexContent>
</xs:complexType>
<xs:complexType name="D2">
  <xs:complexContent>
    <xs:extension base="Base"><xs:sequence/></xs:extension>
  </xs:complexContent>
</xs:complexType>
<xs:element name="d1" type="D1"/>
<xs:element name="d2" type="D2"/>`,
		want: `
d1 [1..1] type=D1
  (sequence) [0..1]
    a [1..1] type=string
  @y type=string use=optional
d2 [1..1] type=D2
  (sequence) [0..1]
    a [1..1] type=string`,
	}, {
		name: "extension of a type with empty content: the own particle alone",
		schema: `
<xs:complexType name="Packet"><xs:attribute name="version" type="xs:string"/></xs:complexType>
<xs:element name="packet">
  <xs:complexType>
    <xs:complexContent>
      <xs:extension base="Packet">
        <xs:choice maxOccurs="unbounded"><xs:element name="op" type="xs:string"/></xs:choice>
      </xs:extension>
    </xs:complexContent>
  </xs:complexType>
</xs:element>`,
		want: `
packet [1..1] anon
  (choice) [1..∞]
    op [1..1] type=string
  @version type=string use=optional`,
	}, {
		name: "extension chain and extension of a group-reference content model",
		schema: `
<xs:group name="G"><xs:sequence><xs:element name="g" type="xs:string"/></xs:sequence></xs:group>
<xs:complexType name="A"><xs:group ref="G"/></xs:complexType>
<xs:complexType name="B">
  <xs:complexContent>
    <xs:extension base="A"><xs:sequence><xs:element name="b" type="xs:string"/></xs:sequence></xs:extension>
  </xs:complexContent>
</xs:complexType>
<xs:complexType name="C">
  <xs:complexContent>
    <xs:extension base="B"><xs:sequence><xs:element name="c" type="xs:string"/></xs:sequence></xs:extension>
  </xs:complexContent>
</xs:complexType>
<xs:element name="c" type="C"/>`,
		want: `
c [1..1] type=C
  (sequence) [1..1]
    (sequence) [1..1]
      (sequence) [1..1]
        g [1..1] type=string
      (sequence) [1..1]
        b [1..1] type=string
    (sequence) [1..1]
      c [1..1] type=string`,
	}, {
		name: "extension of xs:anyType",
		schema: `
<xs:complexType name="T">
  <xs:complexContent>
    <xs:extension base="xs:anyType">
      <xs:sequence><xs:element name="x" type="xs:string"/></xs:sequence>
    </xs:extension>
  </xs:complexContent>
</xs:complexType>
<xs:element name="t" type="T"/>`,
		want: `
t [1..1] type=T
  (sequence) [1..1]
    (sequence) [1..1]
      (any) [0..∞] ns=##any pc=lax
    (sequence) [1..1]
      x [1..1] type=string
  (anyAttribute) ns=##any pc=lax`,
	}, {
		name: "restriction: own particle; own attributes, then the base's not redeclared, prohibited ones removed",
		schema: `
<xs:complexType name="Base">
  <xs:sequence>
    <xs:element name="a" type="xs:string" minOccurs="0"/>
    <xs:element name="b" type="xs:string" minOccurs="0"/>
  </xs:sequence>
  <xs:attribute name="id" type="xs:int"/>
  <xs:attribute name="opt" type="xs:string"/>
  <xs:attribute name="kind" type="xs:string"/>
  <xs:anyAttribute/>
</xs:complexType>
<xs:complexType name="R">
  <xs:complexContent>
    <xs:restriction base="Base">
      <xs:sequence>
        <xs:element name="a" type="xs:string"/>
      </xs:sequence>
      <xs:attribute name="kind" type="xs:string" use="required"/>
      <xs:attribute name="opt" use="prohibited"/>
    </xs:restriction>
  </xs:complexContent>
</xs:complexType>
<xs:element name="r" type="R"/>`,
		want: `
r [1..1] type=R
  (sequence) [1..1]
    a [1..1] type=string
  @kind type=string use=required
  @id type=int use=optional`,
	}, {
		name: "attribute groups in document order; wildcard intersected; ref takes the declaration's default",
		schema: `
<xs:attribute name="lang" type="xs:language" default="en"/>
<xs:attributeGroup name="Inner">
  <xs:attribute name="i" type="xs:string"/>
</xs:attributeGroup>
<xs:attributeGroup name="AG">
  <xs:attribute name="g1" type="xs:string"/>
  <xs:attributeGroup ref="Inner"/>
  <xs:anyAttribute namespace="##other" processContents="skip"/>
</xs:attributeGroup>
<xs:complexType name="T">
  <xs:attribute name="a1"/>
  <xs:attributeGroup ref="AG"/>
  <xs:attribute ref="lang"/>
  <xs:attribute name="a2" type="xs:string" fixed="v"/>
  <xs:attribute name="i" type="xs:int"/>
  <xs:anyAttribute processContents="lax"/>
</xs:complexType>
<xs:element name="t" type="T"/>`,
		want: `
t [1..1] type=T
  @a1 type=anySimpleType use=optional
  @g1 type=string use=optional
  @i type=string use=optional
  @lang type=language use=optional default=en
  @a2 type=string use=optional fixed=v
  (anyAttribute) ns=not(##absent) pc=lax`,
	}, {
		name: "extension unites the attribute wildcards",
		schema: `
<xs:complexType name="Base"><xs:anyAttribute namespace="urn:a"/></xs:complexType>
<xs:complexType name="D">
  <xs:complexContent>
    <xs:extension base="Base"><xs:anyAttribute namespace="urn:b ##local" processContents="skip"/></xs:extension>
  </xs:complexContent>
</xs:complexType>
<xs:complexType name="E">
  <xs:complexContent>
    <xs:extension base="Base"/>
  </xs:complexContent>
</xs:complexType>
<xs:element name="d" type="D"/>
<xs:element name="e" type="E"/>`,
		want: `
d [1..1] type=D
  (anyAttribute) ns=urn:b,##absent,urn:a pc=skip
e [1..1] type=E
  (anyAttribute) ns=urn:a pc=strict`,
	}, {
		name: "element wildcards",
		schema: `
<xs:element name="r">
  <xs:complexType>
    <xs:sequence>
      <xs:any/>
      <xs:any namespace="##other" processContents="lax" minOccurs="0"/>
      <xs:any namespace="##local urn:x ##targetNamespace" processContents="skip" maxOccurs="unbounded"/>
    </xs:sequence>
  </xs:complexType>
</xs:element>`,
		want: `
r [1..1] anon
  (sequence) [1..1]
    (any) [1..1] ns=##any pc=strict
    (any) [0..1] ns=not(##absent) pc=lax
    (any) [1..∞] ns=##absent,urn:x pc=skip`,
	}, {
		name: "simple content: only the attributes are children",
		schema: `
<xs:complexType name="Size">
  <xs:simpleContent>
    <xs:extension base="xs:long">
      <xs:attribute name="unit" type="xs:string" use="required"/>
    </xs:extension>
  </xs:simpleContent>
</xs:complexType>
<xs:complexType name="SmallSize">
  <xs:simpleContent>
    <xs:restriction base="Size">
      <xs:maxInclusive value="10"/>
      <xs:attribute name="scale" type="xs:int"/>
    </xs:restriction>
  </xs:simpleContent>
</xs:complexType>
<xs:element name="size" type="Size"/>
<xs:element name="small" type="SmallSize"/>`,
		want: `
size [1..1] type=Size
  @unit type=string use=required
small [1..1] type=SmallSize
  @scale type=int use=optional
  @unit type=string use=required`,
	}, {
		name: "type labels of anonymous simple types",
		schema: `
<xs:simpleType name="Code"><xs:restriction base="xs:string"/></xs:simpleType>
<xs:element name="r">
  <xs:complexType>
    <xs:sequence>
      <xs:element name="a"><xs:simpleType><xs:restriction base="xs:int"/></xs:simpleType></xs:element>
      <xs:element name="b"><xs:simpleType><xs:restriction base="Code"/></xs:simpleType></xs:element>
      <xs:element name="c"><xs:simpleType><xs:list itemType="xs:int"/></xs:simpleType></xs:element>
      <xs:element name="d"><xs:simpleType><xs:union memberTypes="xs:int Code"/></xs:simpleType></xs:element>
      <xs:element name="e">
        <xs:simpleType>
          <xs:restriction><xs:simpleType><xs:restriction base="xs:date"/></xs:simpleType></xs:restriction>
        </xs:simpleType>
      </xs:element>
      <xs:element name="f" type="Code"/>
    </xs:sequence>
    <xs:attribute name="g"><xs:simpleType><xs:restriction base="xs:token"/></xs:simpleType></xs:attribute>
  </xs:complexType>
</xs:element>`,
		want: `
r [1..1] anon
  (sequence) [1..1]
    a [1..1] base=int
    b [1..1] base=Code
    c [1..1] base=anySimpleType
    d [1..1] base=anySimpleType
    e [1..1] base=date
    f [1..1] type=Code
  @g base=token use=optional`,
	}, {
		name: "mixed type without particle gets an empty sequence; abstract element",
		schema: `
<xs:complexType name="M" mixed="true"/>
<xs:element name="m" type="M" abstract="true"/>`,
		want: `
m [1..1] type=M abstract
  (sequence) [1..1]`,
	}, {
		name: "substitution group member without type takes the head's type",
		schema: `
<xs:element name="head" type="xs:int"/>
<xs:element name="member" substitutionGroup="head"/>`,
		want: `
head [1..1] type=int
member [1..1] type=int`,
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := mustLoad(t, tt.schema)
			var b bytes.Buffer
			if err := WriteTree(&b, Expand(s)); err != nil {
				t.Fatal(err)
			}
			want := strings.TrimPrefix(tt.want, "\n") + "\n"
			if d := cmp.Diff(want, b.String()); d != "" {
				t.Errorf("tree mismatch (-want +got):\n%s", d)
			}
		})
	}
}

// TestExpandNodes checks the data a Node carries beyond its line.
func TestExpandNodes(t *testing.T) {
	s := mustLoad(t, `
<xs:element name="item" type="xs:int"/>
<xs:complexType name="T">
  <xs:sequence>
    <xs:element ref="item" maxOccurs="2"/>
  </xs:sequence>
  <xs:attribute name="a" type="xs:string"/>
</xs:complexType>
<xs:element name="t" type="T"/>`)
	nodes := Expand(s)
	if len(nodes) != 2 {
		t.Fatalf("Expand returned %d nodes, want 2", len(nodes))
	}
	tn := nodes[1]
	seq := tn.Children[0]
	ref := seq.Children[0]
	attr := tn.Children[1]
	type summary struct {
		Key       string
		Kind      NodeKind
		Pos       Pos
		Element   *Element
		Attribute *Attribute
		Type      Type
		Particle  *Particle
	}
	sum := func(n *Node) summary {
		return summary{n.Key(), n.Kind, n.Pos, n.Element, n.Attribute, n.Type, n.Particle}
	}
	tt := s.Type(q("T")).(*ComplexType)
	want := []summary{
		{"t", NodeElement, Pos{"root.xsd", 9, 1}, s.Element(q("t")), nil, tt, nil},
		{"(sequence)", NodeSequence, Pos{"root.xsd", 4, 3}, nil, nil, nil, tt.Particle},
		{"item", NodeElement, Pos{"root.xsd", 5, 5}, s.Element(q("item")), nil, BuiltinSimple("int"), tt.Particle.Children[0]},
		{"@a", NodeAttribute, Pos{"root.xsd", 7, 3}, nil, tt.Attributes[0], BuiltinSimple("string"), nil},
	}
	got := []summary{sum(tn), sum(seq), sum(ref), sum(attr)}
	if d := cmp.Diff(want, got, cmp.Comparer(func(a, b *Element) bool { return a == b }),
		cmp.Comparer(func(a, b *Particle) bool { return a == b }),
		cmp.Comparer(func(a, b *Attribute) bool { return a == b }),
		cmp.Comparer(func(a, b Type) bool { return a == b })); d != "" {
		t.Errorf("nodes mismatch (-want +got):\n%s", d)
	}
	if got, want := ref.String(), "item [1..2] type=int"; got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
}

// TestExpandTruncates checks that a schema whose tree explodes (9! paths)
// is cut at the node limit instead of exhausting memory.
func TestExpandTruncates(t *testing.T) {
	defer func(n int) { treeNodeLimit = n }(treeNodeLimit)
	treeNodeLimit = 10000
	var b strings.Builder
	b.WriteString(`<xs:complexType name="B"><xs:choice minOccurs="0">`)
	for i := range 9 {
		b.WriteString(`<xs:element name="b` + string(rune('0'+i)) + `" type="B"/>`)
	}
	b.WriteString(`</xs:choice></xs:complexType><xs:element name="r" type="B"/>`)
	nodes := Expand(mustLoad(t, b.String()))
	count, truncated := 0, 0
	var walk func(n *Node)
	walk = func(n *Node) {
		count++
		if n.Kind == NodeTruncated {
			truncated++
		}
		for _, c := range n.Children {
			walk(c)
		}
	}
	walk(nodes[0])
	if truncated == 0 || count > 2*treeNodeLimit {
		t.Errorf("%d nodes, %d truncated; want at most %d nodes and some truncated", count, truncated, 2*treeNodeLimit)
	}
	var out strings.Builder
	if err := WriteTree(&out, nodes); err != nil || !strings.Contains(out.String(), "  (TRUNCATED)\n") {
		t.Errorf("WriteTree did not print a (TRUNCATED) line: %v", err)
	}
}
