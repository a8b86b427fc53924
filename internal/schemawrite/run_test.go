package main

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pleskgo/plesk/internal/sharedtest"
)

// TestCommittedSchemasAreWritten runs schemawrite on a copy of schemas/ and
// requires the files it writes to be the committed ones, byte for byte, and
// to leave the hand-written files alone: the program and its product stay
// in step.
func TestCommittedSchemasAreWritten(t *testing.T) {
	shared := filepath.Dir(sharedtest.Dir(t, "plesk-trees"))
	schemas := filepath.Join(sharedtest.ModuleRoot(), "schemas")
	tmp := t.TempDir()
	var versions []string
	entries, err := os.ReadDir(schemas)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{}
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		versions = append(versions, e.Name())
		files, err := os.ReadDir(filepath.Join(schemas, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(filepath.Join(tmp, e.Name()), 0o755); err != nil {
			t.Fatal(err)
		}
		for _, f := range files {
			rel := filepath.Join(e.Name(), f.Name())
			data, err := os.ReadFile(filepath.Join(schemas, rel))
			if err != nil {
				t.Fatal(err)
			}
			want[rel] = string(data)
			// Hand-written files are the input; ours are left out, so the
			// run must write them anew.
			if !strings.Contains(string(data), marker) && f.Name() != "agent_input.xsd" && f.Name() != "agent_output.xsd" {
				if err := os.WriteFile(filepath.Join(tmp, rel), data, 0o644); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	if len(versions) < 5 {
		t.Fatalf("only %d versions under schemas/", len(versions))
	}
	if err := run(shared, tmp, versions, io.Discard); err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, v := range versions {
		files, err := os.ReadDir(filepath.Join(tmp, v))
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range files {
			data, err := os.ReadFile(filepath.Join(tmp, v, f.Name()))
			if err != nil {
				t.Fatal(err)
			}
			got[filepath.Join(v, f.Name())] = string(data)
		}
	}
	for f, w := range want {
		g, ok := got[f]
		switch {
		case !ok:
			t.Errorf("%s is committed but not written", f)
		case g != w:
			t.Errorf("%s differs from what schemawrite writes: run go run ./internal/schemawrite", f)
		}
	}
	for f := range got {
		if _, ok := want[f]; !ok {
			t.Errorf("schemawrite writes %s, which is not committed", f)
		}
	}
}
