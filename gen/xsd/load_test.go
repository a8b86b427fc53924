package xsd

import (
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// pnode is a particle tree as the tests compare it: resolved pointers are
// replaced by the names they resolve to.
type pnode struct {
	Kind     string
	Occurs   Occurs
	Name     string // element name, reference (ref=…), group name (group=…), wildcard namespace
	Pos      Pos
	Children []pnode
}

func particleTree(p *Particle) pnode {
	n := pnode{Kind: p.Kind.String(), Occurs: p.Occurs, Pos: p.Pos}
	switch p.Kind {
	case ParticleElement:
		if e := p.Element; !e.Ref.IsZero() {
			n.Name = "ref=" + e.Ref.String()
			if e.RefElement == nil || e.RefElement.Name != e.Ref {
				n.Name += " (unresolved)"
			}
		} else {
			n.Name = e.Name.String()
		}
	case ParticleAny:
		n.Name = p.Any.Namespace + " " + p.Any.ProcessContents
	case ParticleGroupRef:
		n.Name = "group=" + p.GroupName.String()
		if p.Group == nil || p.Group.Name != p.GroupName {
			n.Name += " (unresolved)"
		}
	}
	for _, c := range p.Children {
		n.Children = append(n.Children, particleTree(c))
	}
	return n
}

func TestLoadParticles(t *testing.T) {
	at := func(line, col int) Pos { return Pos{"root.xsd", line, col} }
	tests := []struct {
		name string
		body string // the content of complexType T, from line 3 column 5
		want pnode
	}{{
		name: "nested compositors with occurrences",
		body: `<xs:sequence minOccurs="0" maxOccurs="unbounded">
      <xs:choice maxOccurs="5">
        <xs:element name="a" minOccurs="0"/>
        <xs:sequence><xs:element name="b" maxOccurs="1"/></xs:sequence>
      </xs:choice>
      <xs:element name="c" minOccurs="2" maxOccurs=" 7 "/>
    </xs:sequence>`,
		want: pnode{"sequence", Occurs{0, Unbounded}, "", at(3, 5), []pnode{
			{"choice", Occurs{1, 5}, "", at(4, 7), []pnode{
				{"element", Occurs{0, 1}, "a", at(5, 9), nil},
				{"sequence", One, "", at(6, 9), []pnode{{"element", One, "b", at(6, 22), nil}}},
			}},
			{"element", Occurs{2, 7}, "c", at(8, 7), nil},
		}},
	}, {
		name: "all",
		body: `<xs:all minOccurs="0"><xs:element name="a"/><xs:element name="b" minOccurs="0"/></xs:all>`,
		want: pnode{"all", Occurs{0, 1}, "", at(3, 5), []pnode{
			{"element", One, "a", at(3, 27), nil},
			{"element", Occurs{0, 1}, "b", at(3, 49), nil},
		}},
	}, {
		name: "references and wildcards",
		body: `<xs:sequence>
      <xs:element ref="g" maxOccurs="unbounded"/>
      <xs:group ref="G" minOccurs="0"/>
      <xs:any namespace="##other" processContents="skip" minOccurs="0"/>
      <xs:any/>
    </xs:sequence>`,
		want: pnode{"sequence", One, "", at(3, 5), []pnode{
			{"element", Occurs{1, Unbounded}, "ref=g", at(4, 7), nil},
			{"group", Occurs{0, 1}, "group=G", at(5, 7), nil},
			{"any", Occurs{0, 1}, "##other skip", at(6, 7), nil},
			{"any", One, "##any strict", at(7, 7), nil},
		}},
	}, {
		name: "a group reference as the whole content",
		body: `<xs:group ref="G" maxOccurs="3"/>`,
		want: pnode{"group", Occurs{1, 3}, "group=G", at(3, 5), nil},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := mustLoad(t, `  <xs:complexType name="T">
    `+tt.body+`
  </xs:complexType>
  <xs:element name="g"/><xs:group name="G"><xs:sequence/></xs:group>`)
			got := particleTree(s.Type(q("T")).(*ComplexType).Particle)
			if d := cmp.Diff(tt.want, got); d != "" {
				t.Errorf("particle mismatch (-want +got):\n%s", d)
			}
		})
	}
}

// stype is a simple type as the tests compare it.
type stype struct {
	Name        QName
	Pos         Pos
	Doc         string
	Variety     Variety
	BaseName    QName
	Base        string // the resolved base type's name, "(anonymous)" or ""
	Facets      Facets
	ItemName    QName
	Item        string
	MemberNames []QName
	Members     []string
}

func simpleSummary(t *SimpleType) stype {
	name := func(t *SimpleType) string {
		switch {
		case t == nil:
			return ""
		case t.Name.IsZero():
			return "(anonymous)"
		}
		return nameText(t.Name)
	}
	s := stype{Name: t.Name, Pos: t.Pos, Doc: t.Doc, Variety: t.Variety, BaseName: t.BaseName,
		Base: name(t.BaseType), Facets: t.Facets, ItemName: t.ItemName, Item: name(t.ItemType),
		MemberNames: t.MemberNames}
	for _, m := range t.MemberTypes {
		s.Members = append(s.Members, name(m))
	}
	return s
}

func TestLoadSimpleTypes(t *testing.T) {
	at := func(line, col int) Pos { return Pos{"root.xsd", line, col} }
	xs := func(local string) QName { return QName{NS, local} }
	tests := []struct {
		name   string
		schema string // defines simpleType S on line 2
		want   stype
	}{{
		name: "enumerations with positions and documentation",
		schema: `  <xs:simpleType name="S">
    <xs:annotation><xs:documentation>  A colour.
      Pick one.  </xs:documentation></xs:annotation>
    <xs:restriction base="xs:string">
      <xs:enumeration value="red">
        <xs:annotation><xs:documentation>The red one.</xs:documentation></xs:annotation>
      </xs:enumeration>
      <xs:enumeration value=" green "/>
    </xs:restriction>
  </xs:simpleType>`,
		want: stype{Name: q("S"), Pos: at(2, 3), Doc: "A colour. Pick one.", BaseName: xs("string"), Base: "xs:string",
			Facets: Facets{Enumerations: []Enumeration{
				{Pos: at(6, 7), Value: "red", Doc: "The red one."},
				{Pos: at(9, 7), Value: " green "},
			}}},
	}, {
		name: "every other facet",
		schema: `  <xs:simpleType name="S">
    <xs:restriction base="xs:decimal">
      <xs:pattern value="[0-9]+"/><xs:pattern value="x*"/>
      <xs:length value="3"/><xs:minLength value="1"/><xs:maxLength value="9"/>
      <xs:minInclusive value="0"/><xs:maxInclusive value="100"/>
      <xs:minExclusive value="-1"/><xs:maxExclusive value="101"/>
      <xs:totalDigits value="5"/><xs:fractionDigits value="2"/>
      <xs:whiteSpace value="collapse"/>
    </xs:restriction>
  </xs:simpleType>`,
		want: stype{Name: q("S"), Pos: at(2, 3), BaseName: xs("decimal"), Base: "xs:decimal",
			Facets: Facets{
				Patterns: []string{"[0-9]+", "x*"},
				Length:   ptr(3), MinLength: ptr(1), MaxLength: ptr(9),
				MinInclusive: ptr("0"), MaxInclusive: ptr("100"),
				MinExclusive: ptr("-1"), MaxExclusive: ptr("101"),
				TotalDigits: ptr(5), FractionDigits: ptr(2),
				WhiteSpace: "collapse",
			}},
	}, {
		name: "restriction of an inline type",
		schema: `  <xs:simpleType name="S">
    <xs:restriction><xs:simpleType><xs:restriction base="xs:int"/></xs:simpleType><xs:maxLength value="2"/></xs:restriction>
  </xs:simpleType>`,
		want: stype{Name: q("S"), Pos: at(2, 3), Base: "(anonymous)", Facets: Facets{MaxLength: ptr(2)}},
	}, {
		name:   "list of a named type",
		schema: `  <xs:simpleType name="S"><xs:list itemType="xs:int"/></xs:simpleType>`,
		want:   stype{Name: q("S"), Pos: at(2, 3), Variety: List, ItemName: xs("int"), Item: "xs:int"},
	}, {
		name:   "list of an inline type",
		schema: `  <xs:simpleType name="S"><xs:list><xs:simpleType><xs:restriction base="xs:int"/></xs:simpleType></xs:list></xs:simpleType>`,
		want:   stype{Name: q("S"), Pos: at(2, 3), Variety: List, Item: "(anonymous)"},
	}, {
		name: "union: named members first, then inline ones",
		schema: `  <xs:simpleType name="S">
    <xs:union memberTypes="xs:int  C">
      <xs:simpleType><xs:restriction base="xs:string"/></xs:simpleType>
    </xs:union>
  </xs:simpleType>
  <xs:simpleType name="C"><xs:restriction base="xs:token"/></xs:simpleType>`,
		want: stype{Name: q("S"), Pos: at(2, 3), Variety: Union,
			MemberNames: []QName{xs("int"), q("C")}, Members: []string{"xs:int", "C", "(anonymous)"}},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := mustLoad(t, tt.schema)
			got := simpleSummary(s.Type(q("S")).(*SimpleType))
			if d := cmp.Diff(tt.want, got); d != "" {
				t.Errorf("simple type mismatch (-want +got):\n%s", d)
			}
		})
	}
}

func TestLoadDeclarations(t *testing.T) {
	s := mustLoad(t, `
  <xs:element name="e" type="T" nillable="true" abstract="1" default="d">
    <xs:annotation><xs:documentation>Element doc.</xs:documentation></xs:annotation>
  </xs:element>
  <xs:element name="f" substitutionGroup="e" fixed="x"/>
  <xs:complexType name="T" abstract="true" mixed="true">
    <xs:annotation><xs:documentation>Type doc.</xs:documentation></xs:annotation>
    <xs:sequence/>
    <xs:attribute name="a" type="xs:int" use="required"/>
    <xs:attribute ref="g" default="1"/>
    <xs:attributeGroup ref="AG"/>
    <xs:anyAttribute namespace="##targetNamespace" processContents="lax"/>
  </xs:complexType>
  <xs:attribute name="g" type="xs:string" fixed="2"/>
  <xs:attributeGroup name="AG"><xs:attribute name="p" use="prohibited"/></xs:attributeGroup>
  <xs:complexType name="U">
    <xs:complexContent mixed="false">
      <xs:restriction base="T"/>
    </xs:complexContent>
  </xs:complexType>
  <xs:complexType name="V">
    <xs:simpleContent>
      <xs:restriction base="W"><xs:length value="2"/></xs:restriction>
    </xs:simpleContent>
  </xs:complexType>
  <xs:complexType name="W">
    <xs:simpleContent><xs:extension base="xs:token"/></xs:simpleContent>
  </xs:complexType>`)

	type elem struct {
		Name, TypeName, SubstitutionGroup QName
		Pos                               Pos
		Doc                               string
		Global, Nillable, Abstract        bool
		Default, Fixed                    *string
	}
	elemOf := func(e *Element) elem {
		return elem{e.Name, e.TypeName, e.SubstitutionGroup, e.Pos, e.Doc, e.Global, e.Nillable, e.Abstract, e.Default, e.Fixed}
	}
	if d := cmp.Diff([]elem{
		{Name: q("e"), TypeName: q("T"), Pos: Pos{"root.xsd", 2, 3}, Doc: "Element doc.", Global: true, Nillable: true, Abstract: true, Default: ptr("d")},
		{Name: q("f"), SubstitutionGroup: q("e"), Pos: Pos{"root.xsd", 5, 3}, Global: true, Fixed: ptr("x")},
	}, []elem{elemOf(s.Elements[0]), elemOf(s.Elements[1])}); d != "" {
		t.Errorf("elements mismatch (-want +got):\n%s", d)
	}

	type attr struct {
		Name, TypeName, Ref QName
		Pos                 Pos
		Use                 Use
		Default, Fixed      *string
		Global              bool
		Type                string
	}
	attrOf := func(a *Attribute) attr {
		r := attr{Name: a.Name, TypeName: a.TypeName, Ref: a.Ref, Pos: a.Pos, Use: a.Use, Default: a.Default, Fixed: a.Fixed, Global: a.Global}
		if a.Type != nil {
			r.Type = nameText(a.Type.Name)
		}
		return r
	}
	T := s.Type(q("T")).(*ComplexType)
	ag := s.AttributeGroup(q("AG"))
	got := []attr{attrOf(T.Attributes[0]), attrOf(T.Attributes[1]), attrOf(s.Attribute(q("g"))), attrOf(ag.Attributes[0])}
	want := []attr{
		{Name: q("a"), TypeName: QName{NS, "int"}, Pos: Pos{"root.xsd", 9, 5}, Use: UseRequired, Type: "xs:int"},
		{Ref: q("g"), Pos: Pos{"root.xsd", 10, 5}, Default: ptr("1")},
		{Name: q("g"), TypeName: QName{NS, "string"}, Pos: Pos{"root.xsd", 14, 3}, Fixed: ptr("2"), Global: true, Type: "xs:string"},
		{Name: q("p"), Pos: Pos{"root.xsd", 15, 32}, Use: UseProhibited, Type: "xs:anySimpleType"},
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("attributes mismatch (-want +got):\n%s", d)
	}
	if T.Attributes[1].RefAttribute != s.Attribute(q("g")) || T.Attributes[1].Decl() != s.Attribute(q("g")) {
		t.Errorf("attribute reference not resolved to the global declaration")
	}

	type ctype struct {
		Name                    QName
		Doc                     string
		Abstract, Mixed, Simple bool
		Derivation              Derivation
		BaseName                QName
		HasParticle             bool
		Groups                  []QName
		AnyAttribute            *Wildcard
		Content                 ContentKind
	}
	ctypeOf := func(t *ComplexType) ctype {
		c := ctype{Name: t.Name, Doc: t.Doc, Abstract: t.Abstract, Mixed: t.Mixed, Simple: t.SimpleContent,
			Derivation: t.Derivation, BaseName: t.BaseName, HasParticle: t.Particle != nil,
			AnyAttribute: t.AnyAttribute, Content: t.Content()}
		for _, r := range t.AttributeGroups {
			c.Groups = append(c.Groups, r.Name)
		}
		return c
	}
	U, V, W := s.Type(q("U")).(*ComplexType), s.Type(q("V")).(*ComplexType), s.Type(q("W")).(*ComplexType)
	if d := cmp.Diff([]ctype{
		{Name: q("T"), Doc: "Type doc.", Abstract: true, Mixed: true, HasParticle: true, Groups: []QName{q("AG")},
			AnyAttribute: &Wildcard{Pos: Pos{"root.xsd", 12, 5}, Namespace: "##targetNamespace", ProcessContents: "lax"},
			Content:      ContentMixed},
		{Name: q("U"), Derivation: DeriveRestriction, BaseName: q("T"), Content: ContentEmpty},
		{Name: q("V"), Simple: true, Derivation: DeriveRestriction, BaseName: q("W"), Content: ContentSimple},
		{Name: q("W"), Simple: true, Derivation: DeriveExtension, BaseName: QName{NS, "token"}, Content: ContentSimple},
	}, []ctype{ctypeOf(T), ctypeOf(U), ctypeOf(V), ctypeOf(W)}); d != "" {
		t.Errorf("complex types mismatch (-want +got):\n%s", d)
	}

	// Resolution and implicit types.
	checks := map[string]bool{
		"e.Type is T":                         s.Element(q("e")).Type == Type(T),
		"f.Type is its head's":                s.Element(q("f")).Type == Type(T),
		"U.BaseType is T":                     U.BaseType == Type(T),
		"AG reference resolved":               T.AttributeGroups[0].Group == ag,
		"V's facets in SimpleRestriction":     V.SimpleRestriction != nil && *V.SimpleRestriction.Facets.Length == 2,
		"V's restriction based on W's text":   V.SimpleRestriction.BaseType == BuiltinSimple("token"),
		"V.TextType is its restriction":       V.TextType() == V.SimpleRestriction,
		"W.TextType is xs:token":              W.TextType() == BuiltinSimple("token"),
		"T.TextType is nil":                   T.TextType() == nil,
		"T's mixed content is an empty seq":   T.ContentParticle() != nil && len(T.ContentParticle().Children) == 0,
		"prohibited attribute in AG recorded": ag.Attributes[0].Use == UseProhibited,
	}
	want2 := map[string]bool{}
	for k := range checks {
		want2[k] = true
	}
	if d := cmp.Diff(want2, checks); d != "" {
		t.Errorf("resolution mismatch (-want +got):\n%s", d)
	}
}

func TestNormalizeDoc(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"   \n\t  ", ""},
		{"One line.", "One line."},
		{"\n\t\tIndented\n\t\tcontinued  here.\n\t", "Indented continued here."},
		{"First paragraph\n  goes on.\n\n   \n  Second\tone.\r\n", "First paragraph goes on.\n\nSecond one."},
		{"a\n\n\n\nb", "a\n\nb"},
	}
	for _, tt := range tests {
		if got := normalizeDoc(tt.in); got != tt.want {
			t.Errorf("normalizeDoc(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestDocs(t *testing.T) {
	s := mustLoad(t, `
  <xs:annotation><xs:documentation>Schema doc.</xs:documentation></xs:annotation>
  <xs:element name="e">
    <xs:annotation>
      <xs:documentation>
        Two documentation elements
        <b>with markup</b> inside.
      </xs:documentation>
      <xs:documentation>Second.</xs:documentation>
    </xs:annotation>
    <xs:complexType>
      <xs:choice>
        <xs:annotation><xs:documentation>A choice.</xs:documentation></xs:annotation>
        <xs:any><xs:annotation><xs:documentation>Anything.</xs:documentation></xs:annotation></xs:any>
      </xs:choice>
    </xs:complexType>
  </xs:element>`)
	e := s.Element(q("e"))
	choice := e.Type.(*ComplexType).Particle
	got := []string{s.Files[0].Doc, e.Doc, choice.Doc, choice.Children[0].Doc}
	want := []string{"Schema doc.", "Two documentation elements with markup inside.\n\nSecond.", "A choice.", "Anything."}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("docs mismatch (-want +got):\n%s", d)
	}
}

// TestPositions checks line:col in characters, with tabs, multi-byte
// characters and CRLF line ends.
func TestPositions(t *testing.T) {
	src := "<?xml version=\"1.0\"?>\r\n" +
		"<xs:schema xmlns:xs=\"http://www.w3.org/2001/XMLSchema\">\r\n" +
		"\t<xs:element name=\"a\"/>\r\n" +
		"<!-- é¶ --><xs:element name=\"b\"/>\t<xs:element name=\"c\"/>\r\n" +
		"</xs:schema>"
	s, err := loadFiles(map[string]string{"root.xsd": src})
	if err != nil {
		t.Fatal(err)
	}
	var got []Pos
	for _, e := range s.Elements {
		got = append(got, e.Pos)
	}
	want := []Pos{{"root.xsd", 3, 2}, {"root.xsd", 4, 12}, {"root.xsd", 4, 35}}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("positions mismatch (-want +got):\n%s", d)
	}
}

func TestNamespaces(t *testing.T) {
	const (
		tns   = "urn:t"
		other = "urn:o"
	)
	files := map[string]string{
		"root.xsd": `<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns="urn:t" xmlns:o="urn:o"
    targetNamespace="urn:t" elementFormDefault="qualified">
  <xs:include schemaLocation="chameleon.xsd"/>
  <xs:import namespace="urn:o" schemaLocation="other.xsd"/>
  <xs:import namespace="http://www.w3.org/2001/XMLSchema"/>
  <xs:element name="root" type="RootType"/>
  <xs:complexType name="RootType">
    <xs:sequence>
      <xs:element name="local" type="o:OtherType"/>
      <xs:element name="unqualified" form="unqualified" type="xs:string"/>
      <xs:element ref="o:shared"/>
      <xs:element name="cham" type="ChamType"/>
    </xs:sequence>
    <xs:attribute name="plain" type="xs:string"/>
    <xs:attribute name="qual" form="qualified" type="xs:string"/>
  </xs:complexType>
</xs:schema>`,
		"chameleon.xsd": schemaOf(`
  <xs:complexType name="ChamType">
    <xs:sequence><xs:element name="c" type="ChamSimple"/></xs:sequence>
  </xs:complexType>
  <xs:simpleType name="ChamSimple"><xs:restriction base="xs:int"/></xs:simpleType>`),
		"other.xsd": `<s:schema xmlns:s="http://www.w3.org/2001/XMLSchema" xmlns:t="urn:o" targetNamespace="urn:o"
    attributeFormDefault="qualified">
  <s:element name="shared" type="t:OtherType"/>
  <s:complexType name="OtherType">
    <s:sequence><s:element name="inner" type="s:string"/></s:sequence>
    <s:attribute name="oa" type="s:string"/>
  </s:complexType>
</s:schema>`,
	}
	s, err := loadFiles(files)
	if err != nil {
		t.Fatal(err)
	}
	rt := s.Type(QName{tns, "RootType"}).(*ComplexType)
	var got []QName
	for _, p := range rt.Particle.Children {
		e := p.Element.Decl()
		got = append(got, e.Name, e.Type.TypeQName())
	}
	for _, a := range rt.Attributes {
		got = append(got, a.Name)
	}
	ot := s.Type(QName{other, "OtherType"}).(*ComplexType)
	got = append(got, ot.Particle.Children[0].Element.Name, ot.Attributes[0].Name)
	ct := s.Type(QName{tns, "ChamType"}).(*ComplexType)
	got = append(got, ct.Particle.Children[0].Element.Name, ct.Particle.Children[0].Element.Type.TypeQName())
	want := []QName{
		{tns, "local"}, {other, "OtherType"},
		{"", "unqualified"}, {NS, "string"},
		{other, "shared"}, {other, "OtherType"},
		{tns, "cham"}, {tns, "ChamType"},
		{"", "plain"}, {tns, "qual"},
		{"", "inner"}, {other, "oa"},
		{"", "c"}, {tns, "ChamSimple"}, // the chameleon's elementFormDefault is unqualified
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("names mismatch (-want +got):\n%s", d)
	}
	type file struct {
		Path, TargetNamespace string
		Qualified             bool
	}
	var gotFiles []file
	for _, f := range s.Files {
		gotFiles = append(gotFiles, file{f.Path, f.TargetNamespace, f.ElementFormQualified})
	}
	if d := cmp.Diff([]file{{"root.xsd", tns, true}, {"chameleon.xsd", tns, false}, {"other.xsd", other, false}}, gotFiles); d != "" {
		t.Errorf("files mismatch (-want +got):\n%s", d)
	}
}

// TestLoadDir loads a directory tree with an include cycle and a file
// outside the closure that would not load.
func TestLoadDir(t *testing.T) {
	dir := filepath.Join("testdata", "includes")
	s, err := Load(dir, "root.xsd")
	if err != nil {
		t.Fatal(err)
	}
	var paths []string
	for _, f := range s.Files {
		paths = append(paths, f.Path)
	}
	if d := cmp.Diff([]string{"root.xsd", "sub/a.xsd", "common.xsd", "sub/b.xsd"}, paths); d != "" {
		t.Errorf("files mismatch (-want +got):\n%s", d)
	}
	if s.Dir != dir || s.Root != "root.xsd" {
		t.Errorf("Dir, Root = %q, %q; want %q, %q", s.Dir, s.Root, dir, "root.xsd")
	}
	inc := s.Files[1].Includes
	if len(inc) != 2 || inc[0].File != s.Files[2] || inc[1].File != s.Files[3] || inc[0].Location != "../common.xsd" {
		t.Errorf("includes of sub/a.xsd not recorded: %+v", inc)
	}
	if got, want := s.Type(q("Common")).Position(), (Pos{"common.xsd", 2, 3}); got != want {
		t.Errorf("Common at %v, want %v", got, want)
	}
	if got := len(Expand(s)); got != 1 {
		t.Errorf("Expand returned %d trees, want 1", got)
	}
}
