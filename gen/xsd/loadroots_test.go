package xsd

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/pleskgo/plesk/internal/sharedtest"
)

// treeOrError is what a test compares between LoadRoots and Load: the
// expanded tree of the Set, or the error text.
func treeOrError(t *testing.T, s *Set, err error) string {
	t.Helper()
	if err != nil {
		if s != nil {
			t.Errorf("a Set returned with the error %v", err)
		}
		return "error: " + err.Error()
	}
	if s == nil {
		t.Fatal("no Set and no error")
	}
	var b bytes.Buffer
	if err := WriteTree(&b, Expand(s)); err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("dir %s root %s\n%s", s.Dir, s.Root, b.String())
}

// checkLoadRoots asserts that LoadRoots gives, root by root, what Load
// gives alone.
func checkLoadRoots(t *testing.T, dir string, roots []string) {
	t.Helper()
	sets, errs := LoadRoots(dir, roots)
	if len(sets) != len(roots) || len(errs) != len(roots) {
		t.Fatalf("LoadRoots returned %d sets and %d errors for %d roots", len(sets), len(errs), len(roots))
	}
	for i, root := range roots {
		s, err := Load(dir, root)
		want := treeOrError(t, s, err)
		if got := treeOrError(t, sets[i], errs[i]); got != want {
			t.Errorf("root %s: LoadRoots differs from Load:\n%s", root, firstDifference([]byte(want), []byte(got)))
		}
	}
}

func TestLoadRootsCorpus(t *testing.T) {
	checkLoadRoots(t, sharedtest.Dir(t, "plesk-xsd", corpusVersion), corpusRoots)
}

// TestLoadRootsShared covers files that several roots reach: a good one,
// a malformed one and a missing one, each reported for every root that
// reaches it, as Load reports it.
func TestLoadRootsShared(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"common.xsd": schemaOf(`<xs:simpleType name="id"><xs:restriction base="xs:int"/></xs:simpleType>`),
		"broken.xsd": schemaHeader + "\n<xs:element name=\"x\">\n</xs:schema>\n",
		"in.xsd": schemaOf(`<xs:include schemaLocation="common.xsd"/>
<xs:element name="in" type="id"/>`),
		"out.xsd": schemaOf(`<xs:include schemaLocation="common.xsd"/>
<xs:element name="out" type="id"/>`),
		"bad1.xsd": schemaOf(`<xs:include schemaLocation="common.xsd"/>
<xs:include schemaLocation="broken.xsd"/>
<xs:include schemaLocation="missing.xsd"/>`),
		"bad2.xsd": schemaOf(`<xs:include schemaLocation="broken.xsd"/>
<xs:include schemaLocation="missing.xsd"/>
<xs:element name="b" type="nosuch"/>`),
	}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, roots := range [][]string{
		{"in.xsd", "out.xsd"},
		{"in.xsd", "in.xsd"},
		{"bad1.xsd", "bad2.xsd"},
		{"out.xsd", "bad2.xsd", "absent.xsd"},
		{"common.xsd"},
		{},
	} {
		t.Run(fmt.Sprint(roots), func(t *testing.T) { checkLoadRoots(t, dir, roots) })
	}
	_, errs := LoadRoots(dir, []string{"bad1.xsd", "bad2.xsd"})
	for i, err := range errs {
		if err == nil {
			t.Errorf("root %d: no error for the broken and missing includes", i)
		}
	}
}
