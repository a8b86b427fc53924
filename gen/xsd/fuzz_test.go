package xsd

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"
	"testing/fstest"

	"github.com/pleskgo/plesk/internal/sharedtest"
)

// fuzzFS is the file system FuzzLoadCorpus loads from: the official schemas of
// ../shared/plesk-xsd/1.6.6.0 (when present) and the mutation include,
// beside the fuzzed root.xsd. A fuzzed root that keeps an xs:include of
// an official file thus reaches real schema text.
func fuzzFS(f *testing.F) (fstest.MapFS, [][]byte) {
	fsys := fstest.MapFS{"b.xsd": &fstest.MapFile{Data: []byte(mutationInclude)}}
	var seeds [][]byte
	dir, ok := sharedtest.Find(f, "plesk-xsd", corpusVersion)
	if !ok {
		return fsys, nil
	}
	files, err := filepath.Glob(filepath.Join(dir, "*.xsd"))
	if err != nil || len(files) == 0 {
		f.Fatalf("no schema files in %s: %v", dir, err)
	}
	for _, p := range files {
		data, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		fsys[filepath.Base(p)] = &fstest.MapFile{Data: data}
		seeds = append(seeds, data)
	}
	return fsys, seeds
}

// FuzzLoadCorpus loads arbitrary text as root.xsd, seeded with each official
// schema file (FuzzLoad starts from the mutation seed), then expands and prints the
// trees of what loaded. Whatever the text, Load returns (no panic, no
// hang) and every problem it reports is an *Error positioned in a file at
// a line and column.
func FuzzLoadCorpus(f *testing.F) {
	fsys, seeds := fuzzFS(f)
	for _, s := range seeds {
		f.Add(s)
	}
	f.Add([]byte(mutationSeed))
	f.Add([]byte(schemaOf(`<xs:include schemaLocation="root.xsd"/><xs:element name="r" type="B"/><xs:include schemaLocation="b.xsd"/>`)))
	f.Add([]byte(schemaOf(`<xs:complexType name="T"><xs:sequence><xs:element name="t" type="T"/></xs:sequence></xs:complexType><xs:element name="r" type="T"/>`)))
	f.Add([]byte(schemaOf(`<xs:redefine schemaLocation="b.xsd"/>`)))
	f.Add([]byte(`<!DOCTYPE x [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;">]><x>&b;</x>`))
	f.Add([]byte("\xef\xbb\xbf<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><xs:schema xmlns:xs=\"http://www.w3.org/2001/XMLSchema\"/>"))

	f.Fuzz(func(t *testing.T, data []byte) {
		m := make(fstest.MapFS, len(fsys)+1)
		for k, v := range fsys {
			m[k] = v
		}
		m["root.xsd"] = &fstest.MapFile{Data: data}
		s, err := LoadFS(m, "root.xsd")
		if err != nil {
			if s != nil {
				t.Errorf("Load returned a Set with the error %v", err)
			}
			checkPositioned(t, err)
			return
		}
		if err := WriteTree(io.Discard, Expand(s)); err != nil {
			t.Errorf("WriteTree: %v", err)
		}
	})
}

// checkPositioned fails t unless err is an *Error, or several joined,
// each with a file, a line and a column.
func checkPositioned(t *testing.T, err error) {
	t.Helper()
	errs := []error{err}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		errs = j.Unwrap()
	}
	for _, e := range errs {
		var xe *Error
		if !errors.As(e, &xe) {
			t.Errorf("error %q (%T) is not an *xsd.Error", e, e)
			continue
		}
		if xe.Pos.File == "" || xe.Pos.Line < 1 || xe.Pos.Col < 1 {
			t.Errorf("error %q has no position (Pos %+v)", e, xe.Pos)
		}
	}
}
