package gen_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/pleskgo/plesk/gen"
	"github.com/pleskgo/plesk/gen/golang"
)

// xsdDoc wraps body in an xs:schema element; the body starts on line 2.
func xsdDoc(body string) string {
	return `<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" elementFormDefault="qualified">` + "\n" +
		body + "\n</xs:schema>\n"
}

// hostileCase is one schema set that tries to break the generator.
type hostileCase struct {
	name  string
	files map[string]string // schema.xsd is the root (or agent_input.xsd when present)
	// wantErr matches the whole message, which must start with a
	// file:line:col position; empty for a schema set that generates.
	wantErr string
	// want are patterns the generated Go must match (each at least once);
	// count, when set, says how many times.
	want  []string
	count map[string]int
	// big cases are not compiled (compiling them takes longer than
	// generating them).
	big bool
}

func hostileSchemas() []hostileCase {
	deep := func(n int, open, close string) string {
		return strings.Repeat(open, n) + strings.Repeat(close, n)
	}
	var chain, derive, enum, enumLine strings.Builder
	for i := range 10000 {
		fmt.Fprintf(&chain, "<xs:complexType name=\"T%d\"><xs:sequence><xs:element name=\"e\" type=\"T%d\" minOccurs=\"0\"/></xs:sequence></xs:complexType>\n", i, i+1)
	}
	chain.WriteString(`<xs:complexType name="T10000"/><xs:element name="root" type="T0"/>`)
	derive.WriteString("<xs:complexType name=\"E0\"><xs:sequence><xs:element name=\"e0\" type=\"xs:string\"/></xs:sequence></xs:complexType>\n")
	for i := 1; i <= 10000; i++ {
		fmt.Fprintf(&derive, "<xs:complexType name=\"E%d\"><xs:complexContent><xs:extension base=\"E%d\"><xs:sequence>"+
			"<xs:element name=\"e%d\" type=\"xs:string\" minOccurs=\"0\"/></xs:sequence></xs:extension></xs:complexContent></xs:complexType>\n", i, i-1, i)
	}
	derive.WriteString(`<xs:element name="root" type="E10000"/>`)
	for i := range 100000 {
		fmt.Fprintf(&enum, "<xs:enumeration value=\"value-%d\"/>\n", i)
		fmt.Fprintf(&enumLine, `<xs:enumeration value="value-%d"/>`, i)
	}
	elem := func(name, typ string) string { return fmt.Sprintf(`<xs:element name=%q type=%q/>`, name, typ) }
	root := func(children ...string) string {
		return `<xs:element name="root"><xs:complexType><xs:sequence>` + strings.Join(children, "") +
			`</xs:sequence></xs:complexType></xs:element>`
	}

	return []hostileCase{
		// Include cycles: XSD allows them; each file is loaded once.
		{name: "files that include each other and themselves", files: map[string]string{
			"schema.xsd": xsdDoc(`<xs:include schemaLocation="a.xsd"/>` + "\n" + `<xs:include schemaLocation="schema.xsd"/>` + "\n" + root(elem("a", "A"))),
			"a.xsd":      xsdDoc(`<xs:include schemaLocation="schema.xsd"/><xs:include schemaLocation="a.xsd"/>` + "\n" + `<xs:complexType name="A"><xs:sequence><xs:element name="x" type="xs:string"/></xs:sequence></xs:complexType>`),
		}, count: map[string]int{`(?m)^type A struct`: 1}},

		// Self-referencing types: fine when the recursion can stop.
		{name: "type containing itself optionally", files: map[string]string{"schema.xsd": xsdDoc(
			`<xs:complexType name="T"><xs:sequence><xs:element name="t" type="T" minOccurs="0"/><xs:element name="v" type="xs:string"/></xs:sequence></xs:complexType>` + "\n" + root(elem("t", "T")))},
			want: []string{`T +\*T +` + "`xml:\"t\"`"}},
		{name: "type containing a list of itself", files: map[string]string{"schema.xsd": xsdDoc(
			`<xs:complexType name="T"><xs:sequence><xs:element name="t" type="T" maxOccurs="unbounded"/></xs:sequence></xs:complexType>` + "\n" + root(elem("t", "T")))},
			want: []string{`T +\[\]T +` + "`xml:\"t\" xsd:\"required\"`"}},
		{name: "type containing itself in a choice", files: map[string]string{"schema.xsd": xsdDoc(
			`<xs:complexType name="T"><xs:choice><xs:element name="t" type="T"/><xs:element name="leaf" type="xs:string"/></xs:choice></xs:complexType>` + "\n" + root(elem("t", "T")))},
			want: []string{`T +\*T +` + "`xml:\"t\"`"}},
		{name: "element containing itself optionally by reference", files: map[string]string{"schema.xsd": xsdDoc(
			`<xs:element name="node"><xs:complexType><xs:sequence><xs:element ref="node" minOccurs="0" maxOccurs="unbounded"/></xs:sequence><xs:attribute name="id" type="xs:string"/></xs:complexType></xs:element>`)},
			want: []string{`Node +\[\]Node +` + "`xml:\"node\"`"}},
		// ... and an error when no finite document matches.
		{name: "type requiring itself", files: map[string]string{"schema.xsd": xsdDoc(
			`<xs:complexType name="T"><xs:sequence><xs:element name="t" type="T"/></xs:sequence></xs:complexType>` + "\n" + root(elem("t", "T")))},
			wantErr: `schema.xsd:2:39: element "t": type T requires itself (T -> T): no finite document matches it; make an element of the cycle optional (minOccurs="0")`},
		{name: "types requiring each other", files: map[string]string{"schema.xsd": xsdDoc(
			`<xs:complexType name="A"><xs:sequence><xs:element name="b" type="B"/></xs:sequence></xs:complexType>` + "\n" +
				`<xs:complexType name="B"><xs:sequence><xs:element name="a" type="A"/></xs:sequence></xs:complexType>` + "\n" + root(elem("a", "A")))},
			wantErr: `schema.xsd:2:39: element "b": type A requires itself (A -> B -> A): no finite document matches it; make an element of the cycle optional (minOccurs="0")`},
		{name: "element requiring itself by reference", files: map[string]string{"schema.xsd": xsdDoc(
			`<xs:element name="node"><xs:complexType><xs:sequence><xs:element ref="node"/></xs:sequence></xs:complexType></xs:element>`)},
			wantErr: `schema.xsd:2:54: element "node": type Node requires itself (Node -> Node): no finite document matches it; make an element of the cycle optional (minOccurs="0")`},
		{name: "type extending itself", files: map[string]string{"schema.xsd": xsdDoc(
			`<xs:complexType name="T"><xs:complexContent><xs:extension base="T"/></xs:complexContent></xs:complexType>` + "\n" + root(elem("t", "T")))},
			wantErr: `schema.xsd:2:1: complexType "T": circular derivation T -> T`},
		{name: "group containing itself", files: map[string]string{"schema.xsd": xsdDoc(
			`<xs:group name="G"><xs:sequence><xs:group ref="G"/></xs:sequence></xs:group>` + "\n" +
				`<xs:element name="root"><xs:complexType><xs:group ref="G"/></xs:complexType></xs:element>`)},
			wantErr: `schema.xsd:2:1: group "G": circular reference G -> G`},

		// 10,000-deep nesting.
		{name: "10,000 nested sequences", files: map[string]string{"schema.xsd": xsdDoc(
			`<xs:element name="root"><xs:complexType>` + deep(10000, "<xs:sequence>", "</xs:sequence>") + `</xs:complexType></xs:element>`)},
			wantErr: `schema.xsd:2:13002: elements nested deeper than 1000 levels`},
		{name: "10,000 nested anonymous elements", files: map[string]string{"schema.xsd": xsdDoc(
			deep(10000, `<xs:element name="e"><xs:complexType><xs:sequence>`, `</xs:sequence></xs:complexType></xs:element>`))},
			wantErr: `schema.xsd:2:16651: elements nested deeper than 1000 levels`},
		{name: "10,000 types each holding the next", files: map[string]string{"schema.xsd": xsdDoc(chain.String())},
			count: map[string]int{`(?m)^type T\d+ struct`: 10000}, big: true},
		{name: "10,000 types each extending the last", files: map[string]string{"schema.xsd": xsdDoc(derive.String())},
			wantErr: `schema.xsd:10002:1: complexType "E10000": derivation chain deeper than 64 levels`},

		// Huge enumerations.
		{name: "100,000 enumeration values", files: map[string]string{"schema.xsd": xsdDoc(
			`<xs:simpleType name="S"><xs:restriction base="xs:string">` + "\n" + enum.String() + `</xs:restriction></xs:simpleType>` + root(elem("s", "S")))},
			count: map[string]int{`(?m)^\tSValue\d+ +S = "value-\d+"$`: 100000}, big: true},

		// Names that collide after Go naming.
		{name: "types whose names collide", files: map[string]string{"schema.xsd": xsdDoc(
			`<xs:complexType name="foo_bar"><xs:sequence>` + elem("a", "xs:string") + `</xs:sequence></xs:complexType>` + "\n" +
				`<xs:complexType name="foo-bar"><xs:sequence>` + elem("b", "xs:string") + `</xs:sequence></xs:complexType>` + "\n" +
				root(elem("x", "foo_bar"), elem("y", "foo-bar")))},
			wantErr: `schema.xsd:3:1: type "foo-bar" becomes Go type FooBar, already used by type "foo_bar" at schema.xsd:2:1; resolve it with -rename foo-bar=OtherName`},
		{name: "elements whose names collide", files: map[string]string{"schema.xsd": xsdDoc(
			root(elem("ip-address", "xs:string"), elem("ip_address", "xs:string"), elem("IPAddress", "xs:string")) +
				`<xs:element name="other"><xs:complexType><xs:sequence>` + elem("v", "xs:string") + `</xs:sequence><xs:attribute name="v" type="xs:string"/></xs:complexType></xs:element>`)},
			wantErr: "schema.xsd:2:102: element \"ip_address\" becomes field IPAddress, already used by element \"ip-address\" at schema.xsd:2:54; resolve it with -rename root.ip_address=OtherName\n" +
				"schema.xsd:2:150: element \"IPAddress\" becomes field IPAddress, already used by element \"ip-address\" at schema.xsd:2:54; resolve it with -rename root.IPAddress=OtherName"},
		{name: "an attribute named like an element", files: map[string]string{"schema.xsd": xsdDoc(
			`<xs:element name="other"><xs:complexType><xs:sequence>` + elem("v", "xs:string") + `</xs:sequence><xs:attribute name="v" type="xs:string"/></xs:complexType></xs:element>`)},
			want: []string{"V +string +`xml:\"v\"`", "VAttr +\\*string +`xml:\"v,attr\"`"}},
		{name: "elements named like the fields and methods generated beside them", files: map[string]string{"schema.xsd": xsdDoc(
			root(elem("XMLName", "xs:string"), elem("x-m-l-order", "xs:string"), elem("unknown", "xs:string"), elem("unknown-attrs", "xs:string"),
				elem("validate", "xs:string"), elem("MarshalXML", "xs:string"), elem("unmarshal-xml", "xs:string"), elem("string", "xs:string")))},
			want: []string{"XMLName +xml.Name +`xml:\"root\"`", "XMLName_ +string +`xml:\"XMLName\"`", "XMLOrder +string +`xml:\"x-m-l-order\"`",
				"Unknown +string +`xml:\"unknown\"`", "UnknownAttrs +string +`xml:\"unknown-attrs\"`",
				"Validate_ +string", "MarshalXML_ +string", "UnmarshalXML_ +string", "String_ +string"}},
		{name: "types named like the package's own identifiers", files: map[string]string{"schema.xsd": xsdDoc(
			`<xs:complexType name="client"><xs:sequence>` + elem("a", "xs:string") + `</xs:sequence></xs:complexType>` + "\n" +
				`<xs:complexType name="new"><xs:sequence>` + elem("b", "xs:string") + `</xs:sequence></xs:complexType>` + "\n" +
				`<xs:complexType name="protocol-version"><xs:sequence>` + elem("c", "xs:string") + `</xs:sequence></xs:complexType>` + "\n" +
				root(elem("c", "client"), elem("n", "new"), elem("p", "protocol-version")))},
			wantErr: `schema.xsd:2:1: type "client" becomes Go type Client, already used by a name the generator defines itself; resolve it with -rename client=OtherName` + "\n" +
				`schema.xsd:3:1: type "new" becomes Go type New, already used by a name the generator defines itself; resolve it with -rename new=OtherName` + "\n" +
				`schema.xsd:4:1: type "protocol-version" becomes Go type ProtocolVersion, already used by a name the generator defines itself; resolve it with -rename protocol-version=OtherName`},
		{name: "names without a Go letter to start with", files: map[string]string{"schema.xsd": xsdDoc(
			root(elem("_", "xs:string"), elem("_1", "xs:string"), elem("1st", "xs:string"), elem("日本", "xs:string"), elem("élan", "xs:string")))},
			want: []string{"X +string +`xml:\"_\"`", "X1 +string +`xml:\"_1\"`", "X1st +string +`xml:\"1st\"`", "X日本 +string +`xml:\"日本\"`", "Élan +string +`xml:\"élan\"`"}},
		{name: "enumeration values that collide or repeat", files: map[string]string{"schema.xsd": xsdDoc(
			`<xs:simpleType name="S"><xs:restriction base="xs:string">` +
				`<xs:enumeration value="a-b"/><xs:enumeration value="a_b"/><xs:enumeration value="A B"/><xs:enumeration value=""/>` +
				`<xs:enumeration value="+"/><xs:enumeration value="-"/><xs:enumeration value="1"/><xs:enumeration value="a-b"/>` +
				`</xs:restriction></xs:simpleType>` + "\n" + root(elem("s", "S")))},
			want:  []string{`SAB +S = "a-b"`, `SAUnderscoreB +S = "a_b"`, `SASpaceB +S = "A B"`, `SEmpty +S = ""`, `SPlus +S = "\+"`, `SMinus +S = "-"`, `S1 +S = "1"`},
			count: map[string]int{`= "a-b"`: 1}},

		// Unsupported constructs.
		{name: "xs:redefine", files: map[string]string{"schema.xsd": xsdDoc(`<xs:redefine schemaLocation="a.xsd"/>`), "a.xsd": xsdDoc("")},
			wantErr: `schema.xsd:2:1: xs:redefine is not supported`},
		{name: "xs:override", files: map[string]string{"schema.xsd": xsdDoc(`<xs:override schemaLocation="a.xsd"/>`), "a.xsd": xsdDoc("")},
			wantErr: `schema.xsd:2:1: xs:override is not supported`},
		{name: "xs:assert", files: map[string]string{"schema.xsd": xsdDoc(
			`<xs:element name="root"><xs:complexType><xs:sequence/><xs:assert test="true()"/></xs:complexType></xs:element>`)},
			wantErr: `schema.xsd:2:55: unexpected xs:assert in xs:complexType`},
		{name: "xs:openContent", files: map[string]string{"schema.xsd": xsdDoc(
			`<xs:element name="root"><xs:complexType><xs:openContent><xs:any/></xs:openContent><xs:sequence/></xs:complexType></xs:element>`)},
			wantErr: `schema.xsd:2:41: unexpected xs:openContent in xs:complexType`},
		// A substitution group is kept, not typed: the members of an
		// abstract head are kept as written, as undeclared content.
		{name: "substitution group", files: map[string]string{"schema.xsd": xsdDoc(
			`<xs:element name="head" abstract="true" type="xs:string"/><xs:element name="member" substitutionGroup="head" type="xs:string"/>` + "\n" +
				`<xs:element name="root"><xs:complexType><xs:sequence><xs:element ref="head" minOccurs="0"/></xs:sequence></xs:complexType></xs:element>`)},
			want: []string{"Head +\\*string +`xml:\"head\"`", "_ +rpcimpl.Extra"}},
	}
}

// TestHostileSchemas runs the generator on schema sets built to break it.
// Each either fails with a positioned message, or generates Go that has
// the expected declarations and compiles.
func TestHostileSchemas(t *testing.T) {
	root := moduleRoot(t)
	tmp := t.TempDir()
	overlay := map[string]string{} // module path of a virtual file -> its content on disk
	var pkgs []string
	for i, tc := range hostileSchemas() {
		t.Run(tc.name, func(t *testing.T) {
			files, err := generateFiles(t, tc.files)
			if tc.wantErr != "" {
				if err == nil {
					t.Fatalf("generated without error; want %q", tc.wantErr)
				}
				if err.Error() != tc.wantErr {
					t.Fatalf("error\n got: %s\nwant: %s", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("generate: %v", err)
			}
			var all strings.Builder
			for _, f := range files {
				all.Write(f.Content)
			}
			for _, w := range tc.want {
				if !regexp.MustCompile(w).MatchString(all.String()) {
					t.Errorf("the generated code lacks %s", w)
				}
			}
			for w, n := range tc.count {
				if got := len(regexp.MustCompile(w).FindAllStringIndex(all.String(), -1)); got != n {
					t.Errorf("%d matches of %s, want %d", got, w, n)
				}
			}
			if tc.big || t.Failed() {
				return
			}
			pkg := fmt.Sprintf("hostile%02d", i)
			dir := filepath.Join(tmp, pkg)
			if err := os.Mkdir(dir, 0o755); err != nil {
				t.Fatal(err)
			}
			for _, f := range files {
				p := filepath.Join(dir, f.Name)
				if err := os.WriteFile(p, f.Content, 0o644); err != nil {
					t.Fatal(err)
				}
				overlay[filepath.Join(root, "gen", "testdata", "hostile", pkg, f.Name)] = p
			}
			pkgs = append(pkgs, "./gen/testdata/hostile/"+pkg)
		})
	}
	if len(pkgs) == 0 {
		t.Fatal("nothing to compile")
	}
	// Compile what generated, as packages of this module that exist only
	// in an overlay.
	data, err := json.Marshal(map[string]any{"Replace": overlay})
	if err != nil {
		t.Fatal(err)
	}
	ov := filepath.Join(t.TempDir(), "overlay.json")
	if err := os.WriteFile(ov, data, 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("go", append([]string{"build", "-overlay", ov}, pkgs...)...)
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("the generated code does not compile: %v\n%s", err, out)
	}
}

// TestHugeSchemaOnOneLine is a 100,000-value enumeration written on one
// line, as a minifier leaves a schema.
func TestHugeSchemaOnOneLine(t *testing.T) {
	var enum strings.Builder
	for i := range 100000 {
		fmt.Fprintf(&enum, `<xs:enumeration value="value-%d"/>`, i)
	}
	files, err := generateFiles(t, map[string]string{"schema.xsd": xsdDoc(
		`<xs:simpleType name="S"><xs:restriction base="xs:string">` + enum.String() + `</xs:restriction></xs:simpleType><xs:element name="s" type="S"/>`)})
	if err != nil || len(files) == 0 {
		t.Fatalf("generate: %d files, %v", len(files), err)
	}
}

// generateFiles writes files to a temporary schema directory and generates
// a package from its root.
func generateFiles(t *testing.T, files map[string]string) ([]golang.File, error) {
	t.Helper()
	dir := t.TempDir()
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	out, err := gen.Generate(gen.Options{SchemaDir: dir, Roots: []string{"schema.xsd"}, Package: "hostile", Version: "1.0", TypesOnly: true})
	if err != nil {
		// Errors name the files as dir/schema.xsd: keep the file name only.
		err = errors.New(strings.ReplaceAll(err.Error(), dir+string(filepath.Separator), ""))
	}
	return out, err
}
