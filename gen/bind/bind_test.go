package bind_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"

	"github.com/pleskgo/plesk/gen/bind"
	"github.com/pleskgo/plesk/gen/xsd"
	"github.com/pleskgo/plesk/internal/sharedtest"
)

func TestParse(t *testing.T) {
	src := "\ufeff# comment\n" +
		"\n" +
		"packet/a/b   empty\r\n" +
		"\ttype:T/c/d\tint   # an id\n" +
		"packet/x raw #  holds a plug-in's XML  \n" +
		"@schemas sha256:" + strings.Repeat("0a", 32) + "\n" +
		"packet/y bool#no blank needed\n"
	f, err := bind.Parse("f.txt", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	type entry struct {
		Line, Col int
		Path      string
		TypeName  string
		Steps     []string
		StepCols  []int
		Kind      string
		KindCol   int
		Reason    string
	}
	var got []entry
	for _, e := range f.Entries {
		if e.Pos.File != "f.txt" || e.KindPos.Line != e.Pos.Line {
			t.Errorf("%s: positions %v, %v", e.Path, e.Pos, e.KindPos)
		}
		got = append(got, entry{e.Pos.Line, e.Pos.Col, e.Path, e.TypeName, e.Steps, e.StepCols, e.Kind.String(), e.KindPos.Col, e.Reason})
	}
	want := []entry{
		{3, 1, "packet/a/b", "", []string{"packet", "a", "b"}, []int{1, 8, 10}, "empty", 14, ""},
		{4, 2, "type:T/c/d", "T", []string{"c", "d"}, []int{9, 11}, "int", 13, "an id"},
		{5, 1, "packet/x", "", []string{"packet", "x"}, []int{1, 8}, "raw", 10, "holds a plug-in's XML"},
		{7, 1, "packet/y", "", []string{"packet", "y"}, []int{1, 8}, "bool", 10, "no blank needed"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("entries (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"sha256:" + strings.Repeat("0a", 32)}, f.Digests); diff != "" {
		t.Errorf("digests (-want +got):\n%s", diff)
	}
}

func TestParseErrors(t *testing.T) {
	for _, c := range []struct{ src, want string }{
		{"packet/a", "f:1:9: packet/a: no kind after the path; want one of empty, string, int, bool, raw"},
		{"packet/a  strng", `f:1:11: unknown kind "strng"; did you mean "string"?`},
		{"packet/a  flag", `f:1:11: unknown kind "flag"; want one of empty, string, int, bool, raw`},
		{"packet/a  raw", "f:1:11: packet/a: raw needs a reason: say after '#' why the element holds arbitrary XML"},
		{"packet/a  raw  #   ", "f:1:11: packet/a: raw needs a reason: say after '#' why the element holds arbitrary XML"},
		{"packet/a  int 64", `f:1:15: unexpected "64" after the kind (a reason starts with '#')`},
		{"/packet/a int", "f:1:1: /packet/a: a leading '/' (paths start at a global element, such as packet)"},
		{"packet//a int", "f:1:8: packet//a: an empty step"},
		{"packet/a/ int", "f:1:10: packet/a/: an empty step"},
		{"packet/a[1] int", `f:1:8: packet/a[1]: "a[1]" is not an element name`},
		{"type:/a int", "f:1:1: type:/a: no type name after type:"},
		{"type:T int", "f:1:1: type:T: a type path names an element inside the type: type:T/child"},
		{"type:T/x/y:z int", `f:1:10: type:T/x/y:z: "y:z" is not an element name`},
		{"@schemas", "f:1:1: @schemas wants one digest, sha256:HEX"},
		{"@schemas md5:00", `f:1:10: "md5:00" is not a digest; want sha256: and 64 lowercase hex digits`},
		{"@include other.txt", `f:1:1: unknown directive "@include" (the only one is @schemas)`},
		{"a/b int\n\na/b string", "f:3:1: duplicate entry for a/b (first at line 1)"},
		{"a/b int\n\xff\xfe", "f:2:1: not UTF-8 text"},
		{strings.Repeat("a", 5000) + " int", "f:1:1: line longer than 4096 bytes"},
		// Every error is reported, in file order.
		{"a/b flag\nc/d\n", "f:1:5: unknown kind \"flag\"; want one of empty, string, int, bool, raw\nf:2:4: c/d: no kind after the path; want one of empty, string, int, bool, raw"},
	} {
		f, err := bind.Parse("f", []byte(c.src))
		if err == nil {
			t.Errorf("%q: parsed (%d entries); want error %q", c.src, len(f.Entries), c.want)
			continue
		}
		if err.Error() != c.want {
			t.Errorf("%q:\n got %s\nwant %s", c.src, err, c.want)
		}
	}
}

// miniSchemas is a request and a response closure sharing common.xsd.
var miniSchemas = fstest.MapFS{
	"common.xsd": {Data: []byte(`<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">
  <xs:complexType name="filterType">
    <xs:choice>
      <xs:element name="id" maxOccurs="unbounded"/>
      <xs:element name="name" type="xs:string" maxOccurs="unbounded"/>
    </xs:choice>
  </xs:complexType>
  <xs:complexType name="resultType">
    <xs:sequence>
      <xs:element name="status" type="xs:string"/>
      <xs:element name="filter-id" type="xs:anySimpleType" minOccurs="0"/>
    </xs:sequence>
  </xs:complexType>
</xs:schema>`)},
	"in.xsd": {Data: []byte(`<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">
  <xs:include schemaLocation="common.xsd"/>
  <xs:element name="packet">
    <xs:complexType>
      <xs:choice maxOccurs="unbounded">
        <xs:element name="webspace">
          <xs:complexType>
            <xs:choice>
              <xs:element name="switch">
                <xs:complexType>
                  <xs:sequence>
                    <xs:element name="filter" type="filterType"/>
                    <xs:element name="no-plan" minOccurs="0"/>
                  </xs:sequence>
                </xs:complexType>
              </xs:element>
              <xs:element name="get_fs"/>
              <xs:element name="del">
                <xs:complexType>
                  <xs:sequence><xs:element name="filter" type="filterType"/></xs:sequence>
                </xs:complexType>
              </xs:element>
            </xs:choice>
          </xs:complexType>
        </xs:element>
      </xs:choice>
    </xs:complexType>
  </xs:element>
</xs:schema>`)},
	"out.xsd": {Data: []byte(`<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">
  <xs:include schemaLocation="common.xsd"/>
  <xs:element name="packet">
    <xs:complexType>
      <xs:choice maxOccurs="unbounded">
        <xs:element name="webspace">
          <xs:complexType>
            <xs:choice>
              <xs:element name="switch">
                <xs:complexType>
                  <xs:sequence><xs:element name="result" type="resultType"/></xs:sequence>
                </xs:complexType>
              </xs:element>
              <xs:element name="get_fs">
                <xs:complexType>
                  <xs:sequence><xs:element name="result" type="resultType"/></xs:sequence>
                </xs:complexType>
              </xs:element>
            </xs:choice>
          </xs:complexType>
        </xs:element>
      </xs:choice>
    </xs:complexType>
  </xs:element>
</xs:schema>`)},
}

func miniSets(t testing.TB) []*xsd.Set {
	t.Helper()
	var sets []*xsd.Set
	for _, r := range []string{"in.xsd", "out.xsd"} {
		s, err := xsd.LoadFS(miniSchemas, r)
		if err != nil {
			t.Fatal(err)
		}
		sets = append(sets, s)
	}
	return sets
}

// decl finds the declaration a path names in set, walking the model the
// way a reader of the schema would, independently of the package.
func decl(t *testing.T, s *xsd.Set, path ...string) *xsd.Element {
	t.Helper()
	d := s.Element(xsd.QName{Local: path[0]})
	for _, name := range path[1:] {
		var next *xsd.Element
		var find func(p *xsd.Particle)
		find = func(p *xsd.Particle) {
			if p == nil || next != nil {
				return
			}
			if p.Kind == xsd.ParticleElement && p.Element.Decl().Name.Local == name {
				next = p.Element.Decl()
			}
			for _, c := range p.Children {
				find(c)
			}
		}
		find(d.Type.(*xsd.ComplexType).ContentParticle())
		if next == nil {
			t.Fatalf("test schema has no %s", strings.Join(path, "/"))
		}
		d = next
	}
	return d
}

func TestResolve(t *testing.T) {
	sets := miniSets(t)
	in, out := sets[0], sets[1]
	f, err := bind.Parse("b.txt", []byte(`
packet/webspace/switch/no-plan  empty
packet/webspace/get_fs          empty   # request only: typed in the response
type:filterType/id              int
type:resultType/filter-id       string
`))
	if err != nil {
		t.Fatal(err)
	}
	b, err := bind.Resolve(f, sets...)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		set  *xsd.Set
		path []string
		want bind.Kind // 0: not customized
	}{
		{in, []string{"packet", "webspace", "switch", "no-plan"}, bind.Empty},
		{in, []string{"packet", "webspace", "get_fs"}, bind.Empty},
		{out, []string{"packet", "webspace", "get_fs"}, 0},
		{in, []string{"packet", "webspace", "switch", "filter", "id"}, bind.Int},
		// The same declaration through another path, and in the other closure.
		{in, []string{"packet", "webspace", "del", "filter", "id"}, bind.Int},
		{out, []string{"packet", "webspace", "switch", "result", "filter-id"}, bind.String},
		{out, []string{"packet", "webspace", "get_fs", "result", "filter-id"}, bind.String},
		{in, []string{"packet", "webspace", "switch", "filter", "name"}, 0},
	} {
		bd, ok := b.Lookup(decl(t, c.set, c.path...))
		switch {
		case c.want == 0 && ok:
			t.Errorf("%s (%s): customized as %s, want not", strings.Join(c.path, "/"), c.set.Root, bd.Kind)
		case c.want != 0 && !ok:
			t.Errorf("%s (%s): not customized, want %s", strings.Join(c.path, "/"), c.set.Root, c.want)
		case ok && bd.Kind != c.want:
			t.Errorf("%s (%s): %s, want %s", strings.Join(c.path, "/"), c.set.Root, bd.Kind, c.want)
		}
	}
	if bd, _ := b.Lookup(decl(t, in, "packet", "webspace", "get_fs")); bd.Reason != "request only: typed in the response" || bd.Entry.Pos.Line != 3 {
		t.Errorf("get_fs binding: reason %q, line %d", bd.Reason, bd.Entry.Pos.Line)
	}
	if b.Len() != 4 {
		t.Errorf("Len = %d, want 4", b.Len())
	}
	var none *bind.Bindings
	if _, ok := none.Lookup(decl(t, in, "packet")); ok || none.Len() != 0 {
		t.Error("a nil Bindings customizes something")
	}
}

func TestResolveErrors(t *testing.T) {
	sets := miniSets(t)
	for _, c := range []struct{ src, want string }{
		{"packet/webspace/switch/no_plan empty",
			`b:1:24: packet/webspace/switch/no_plan: packet/webspace/switch has no child element "no_plan" in in.xsd; did you mean "no-plan"?`},
		{"packet/webspace/switch/xyzzy-frobnicate empty",
			`b:1:24: packet/webspace/switch/xyzzy-frobnicate: packet/webspace/switch has no child element "xyzzy-frobnicate" in in.xsd (it has filter, no-plan)`},
		{"packet/webspace/get_fs/x empty",
			`b:1:24: packet/webspace/get_fs/x: packet/webspace/get_fs has no child element "x" in out.xsd (it has result)`},
		{"packet/webspace/switch/no-plan/x empty",
			`b:1:32: packet/webspace/switch/no-plan/x: packet/webspace/switch/no-plan has no child elements in in.xsd`},
		{"pakket/webspace string",
			`b:1:1: pakket/webspace: no global element "pakket" in in.xsd or out.xsd; did you mean "packet"?`},
		{"type:filtertype/id int",
			`b:1:1: type:filtertype/id: no complexType "filtertype" in in.xsd or out.xsd; did you mean "filterType"?`},
		{"type:filterType/ids int",
			`b:1:17: type:filterType/ids: type:filterType has no child element "ids" in in.xsd or out.xsd; did you mean "id"?`},
		{"packet/webspace/switch/filter/name string",
			"b:1:1: packet/webspace/switch/filter/name is already typed by the schema (type string, common.xsd:5:7); customizations are only for untyped elements"},
		{"packet/webspace/switch/filter empty",
			"b:1:1: packet/webspace/switch/filter is already typed by the schema (type filterType, in.xsd:12:21); customizations are only for untyped elements"},
		{"type:filterType/id int\npacket/webspace/del/filter/id string",
			"b:2:1: packet/webspace/del/filter/id names the same element (common.xsd:4:7) as type:filterType/id at line 1"},
	} {
		f, err := bind.Parse("b", []byte(c.src))
		if err != nil {
			t.Fatalf("%q: %v", c.src, err)
		}
		_, err = bind.Resolve(f, sets...)
		if err == nil {
			t.Errorf("%q resolved; want %s", c.src, c.want)
			continue
		}
		if err.Error() != c.want {
			t.Errorf("%q:\n got %s\nwant %s", c.src, err, c.want)
		}
	}
}

func TestAuditDraft(t *testing.T) {
	sets := miniSets(t)
	var got []string
	for _, u := range bind.FindUntyped(sets...) {
		got = append(got, u.Path+" "+u.Schema+" "+u.Root)
	}
	want := []string{
		"packet/webspace/switch/filter/id anyType in.xsd",
		"packet/webspace/switch/no-plan anyType in.xsd",
		"packet/webspace/get_fs anyType in.xsd",
		"packet/webspace/switch/result/filter-id anySimpleType out.xsd",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("untyped (-want +got):\n%s", diff)
	}
	f, err := bind.Parse("b", []byte("packet/webspace/switch/no-plan empty\n"))
	if err != nil {
		t.Fatal(err)
	}
	b, err := bind.Resolve(f, sets...)
	if err != nil {
		t.Fatal(err)
	}
	missing := bind.Audit(b, sets...)
	if len(missing) != 3 {
		t.Fatalf("audit: %d missing, want 3", len(missing))
	}
	if missing[0].Paths != 2 {
		t.Errorf("filter/id is reached by %d paths, want 2 (switch and del)", missing[0].Paths)
	}
	draft := bind.Draft(missing, nil)
	wantDraft := `packet/webspace/get_fs                   ?  # anyType, in.xsd:17:15
packet/webspace/switch/filter/id         ?  # anyType, common.xsd:4:7, reached by 2 paths
packet/webspace/switch/result/filter-id  ?  # anySimpleType, common.xsd:11:7, reached by 2 paths
`
	if diff := cmp.Diff(wantDraft, draft); diff != "" {
		t.Errorf("draft (-want +got):\n%s", diff)
	}
	// A draft is not a decision: it does not parse until each ? is decided.
	if _, err := bind.Parse("draft", []byte(draft)); err == nil {
		t.Error("the draft parsed with its ? kinds")
	}
	decided := strings.ReplaceAll(draft, " ?  #", " string  #")
	f, err = bind.Parse("draft", []byte("packet/webspace/switch/no-plan empty\n"+decided))
	if err != nil {
		t.Fatal(err)
	}
	if b, err = bind.Resolve(f, sets...); err != nil {
		t.Fatal(err)
	}
	if m := bind.Audit(b, sets...); len(m) != 0 {
		t.Errorf("after deciding the draft, %d still missing", len(m))
	}

	// Decisions made for another schema set are offered where they fit;
	// the entries that do not resolve here are dropped.
	other, err := bind.Parse("other.txt", []byte(`
type:filterType/id  int  # an object id
packet/server/reboot  empty
packet/webspace/get_fs/result  string
`))
	if err != nil {
		t.Fatal(err)
	}
	known := bind.Reusable(other, sets...)
	if known.Len() != 1 {
		t.Fatalf("Reusable kept %d declarations, want 1", known.Len())
	}
	wantDraft = `type:filterType/id                       int  # an object id (as in other.txt)
packet/webspace/get_fs                   ?    # anyType, in.xsd:17:15
packet/webspace/switch/result/filter-id  ?    # anySimpleType, common.xsd:11:7, reached by 2 paths
`
	if diff := cmp.Diff(wantDraft, bind.Draft(missing, known)); diff != "" {
		t.Errorf("draft with known decisions (-want +got):\n%s", diff)
	}
}

func TestEmbedded(t *testing.T) {
	names := bind.Embedded()
	if len(names) == 0 {
		t.Fatal("no shipped customizations")
	}
	for _, n := range names {
		f, err := bind.Open(n)
		if err != nil {
			t.Fatal(err)
		}
		if f.Name != n || len(f.Digests) == 0 || len(f.Entries) == 0 {
			t.Errorf("%s: name %q, %d digests, %d entries", n, f.Name, len(f.Digests), len(f.Entries))
		}
	}
	for _, spec := range []string{"plesk:9.9.9.9", "plesk:../bind", "plesk:"} {
		if _, err := bind.Open(spec); err == nil || !strings.Contains(err.Error(), "plesk:1.6.6.0") {
			t.Errorf("Open(%q) = %v; want an error listing the shipped ones", spec, err)
		}
	}
	if _, err := bind.Open(filepath.Join(t.TempDir(), "absent.txt")); err == nil || !strings.Contains(err.Error(), "absent.txt") {
		t.Errorf("Open of a missing file: %v", err)
	}
}

func copyDir(t *testing.T, from, to string, edit func(name string, b []byte) []byte) {
	t.Helper()
	entries, err := os.ReadDir(from)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(from, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(to, e.Name()), edit(e.Name(), b), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func TestDefault(t *testing.T) {
	official := sharedtest.Dir(t, "plesk-xsd", "1.6.6.0")
	f, err := bind.Default(official, loadRoots(t, official)...)
	if err != nil || f == nil || f.Name != "plesk:1.6.6.0" {
		t.Fatalf("official set: %v, %v; want plesk:1.6.6.0", f, err)
	}
	// CRLF line ends do not change the digest.
	crlf := t.TempDir()
	copyDir(t, official, crlf, func(_ string, b []byte) []byte {
		return []byte(strings.ReplaceAll(strings.ReplaceAll(string(b), "\r\n", "\n"), "\n", "\r\n"))
	})
	if f, err := bind.Default(crlf, loadRoots(t, crlf)...); err != nil || f == nil || f.Name != "plesk:1.6.6.0" {
		t.Errorf("official set with CRLF: %v, %v; want plesk:1.6.6.0", f, err)
	}
	// An edited schema set is no longer Plesk's: nothing applies.
	edited := t.TempDir()
	copyDir(t, official, edited, func(name string, b []byte) []byte {
		if name == "webspace.xsd" {
			return append(b, "\n<!-- edited -->\n"...)
		}
		return b
	})
	if f, err := bind.Default(edited, loadRoots(t, edited)...); err != nil || f != nil {
		t.Errorf("edited set: %v, %v; want none", f, err)
	}
	// bindings.txt beside the schemas wins, named relative to the directory.
	if err := os.WriteFile(filepath.Join(edited, bind.FileName), []byte("packet/webspace/switch-subscription/no-plan empty\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	f, err = bind.Default(edited, loadRoots(t, edited)...)
	if err != nil || f == nil || f.Name != bind.FileName || len(f.Entries) != 1 {
		t.Fatalf("beside file: %v, %v", f, err)
	}
	// Sets loaded from an fs.FS have no directory to digest.
	if d, err := bind.Digest(miniSets(t)...); d != "" || err != nil {
		t.Errorf("Digest of fs.FS sets = %q, %v", d, err)
	}
}

// FuzzParse holds Parse and Resolve to their contract on any input: no
// panic; an error is one positioned line per problem; a parsed entry has a
// kind, steps for each column, and a reason when raw.
func FuzzParse(f *testing.F) {
	for _, n := range bind.Embedded() {
		b, err := os.ReadFile(filepath.Join("plesk", strings.TrimPrefix(n, bind.EmbeddedPrefix)+".txt"))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte("packet/webspace/switch/no-plan empty\ntype:filterType/id int # ids\n"))
	f.Add([]byte("packet/a raw\n/x int\n@schemas sha256:00\n"))
	f.Add([]byte("type:resultType/filter-id string\npacket/webspace/get_fs/x empty\n"))
	sets := miniSets(f)
	posRE := regexp.MustCompile(`^f:\d+:\d+: .`)
	f.Fuzz(func(t *testing.T, src []byte) {
		file, err := bind.Parse("f", src)
		if err != nil {
			for _, line := range strings.Split(err.Error(), "\n") {
				if !posRE.MatchString(line) {
					t.Fatalf("unpositioned error line %q", line)
				}
			}
			return
		}
		for _, e := range file.Entries {
			if e.Kind < bind.Empty || e.Kind > bind.Raw || len(e.Steps) == 0 || len(e.Steps) != len(e.StepCols) {
				t.Fatalf("bad entry %+v", e)
			}
			if e.Kind == bind.Raw && e.Reason == "" {
				t.Fatalf("raw entry without a reason: %+v", e)
			}
		}
		if _, err := bind.Resolve(file, sets...); err != nil {
			for _, line := range strings.Split(err.Error(), "\n") {
				if !posRE.MatchString(line) {
					t.Fatalf("unpositioned resolve error line %q", line)
				}
			}
		}
	})
}

// BenchmarkDefaultResolve is what customizations add to a run on the
// official set: the digest that picks the shipped file, parsing and
// resolving it.
func BenchmarkDefaultResolve(b *testing.B) {
	dir := sharedtest.Dir(b, "plesk-xsd", "1.6.6.0")
	sets := loadRoots(b, dir)
	for b.Loop() {
		f, err := bind.Default(dir, sets...)
		if err != nil || f == nil {
			b.Fatal(f, err)
		}
		if _, err := bind.Resolve(f, sets...); err != nil {
			b.Fatal(err)
		}
	}
}
