package xsd

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/pleskgo/plesk/internal/sharedtest"
)

// corpusVersion is the protocol version whose official XSDs and published
// trees are compared.
const corpusVersion = "1.6.6.0"

var corpusRoots = []string{"agent_input.xsd", "agent_output.xsd"}

// TestCorpusTrees expands the official schemas and compares the result with
// the published element trees byte for byte.
func TestCorpusTrees(t *testing.T) {
	dir := sharedtest.Dir(t, "plesk-xsd", corpusVersion)
	trees := sharedtest.Dir(t, "plesk-trees", corpusVersion)
	for _, root := range corpusRoots {
		t.Run(root, func(t *testing.T) {
			s, err := Load(dir, root)
			if err != nil {
				t.Fatalf("Load: %v", err)
			}
			var got bytes.Buffer
			if err := WriteTree(&got, Expand(s)); err != nil {
				t.Fatal(err)
			}
			wantFile := filepath.Join(trees, strings.TrimSuffix(root, ".xsd")+".tree")
			want, err := os.ReadFile(wantFile)
			if err != nil {
				t.Fatal(err)
			}
			if d := firstDifference(want, got.Bytes()); d != "" {
				t.Errorf("Expand+WriteTree of %s differs from %s:\n%s", root, wantFile, d)
			}
		})
	}
}

// firstDifference describes the first line where two texts differ, with a
// few lines of context; "" when they are equal.
func firstDifference(want, got []byte) string {
	if bytes.Equal(want, got) {
		return ""
	}
	lines := func(b []byte) []string {
		if len(b) == 0 {
			return nil
		}
		return strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
	}
	w, g := lines(want), lines(got)
	i := 0
	for i < len(w) && i < len(g) && w[i] == g[i] {
		i++
	}
	if i == len(w) && i == len(g) {
		return fmt.Sprintf("the texts differ only in their final newline (want %d bytes, got %d)", len(want), len(got))
	}
	var b strings.Builder
	fmt.Fprintf(&b, "first difference at line %d (want %d lines, got %d)\n", i+1, len(w), len(g))
	for j := max(0, i-3); j < i; j++ {
		fmt.Fprintf(&b, "    %5d  %s\n", j+1, w[j])
	}
	show := func(sign string, l []string) {
		if i >= len(l) {
			fmt.Fprintf(&b, "  %s        (end of text)\n", sign)
		}
		for j := i; j < min(i+4, len(l)); j++ {
			fmt.Fprintf(&b, "  %s %5d  %s\n", sign, j+1, l[j])
		}
	}
	show("-", w)
	show("+", g)
	return b.String()
}

// BenchmarkLoadCorpus loads both roots of the official schemas.
func BenchmarkLoadCorpus(b *testing.B) {
	dir := sharedtest.Dir(b, "plesk-xsd", corpusVersion)
	b.ReportAllocs()
	for b.Loop() {
		for _, root := range corpusRoots {
			if _, err := Load(dir, root); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkTokenizeCorpus is the floor BenchmarkLoadCorpus is measured
// against: reading every file of the official schemas and running an
// encoding/xml Token loop over it once.
func BenchmarkTokenizeCorpus(b *testing.B) {
	dir := sharedtest.Dir(b, "plesk-xsd", corpusVersion)
	files, err := filepath.Glob(filepath.Join(dir, "*.xsd"))
	if err != nil || len(files) == 0 {
		b.Fatalf("no schema files in %s: %v", dir, err)
	}
	b.ReportAllocs()
	for b.Loop() {
		for _, f := range files {
			data, err := os.ReadFile(f)
			if err != nil {
				b.Fatal(err)
			}
			d := xml.NewDecoder(bytes.NewReader(data))
			for {
				if _, err := d.Token(); err == io.EOF {
					break
				} else if err != nil {
					b.Fatal(err)
				}
			}
		}
	}
}

// BenchmarkExpandCorpus expands and prints both trees of the official
// schemas.
func BenchmarkExpandCorpus(b *testing.B) {
	dir := sharedtest.Dir(b, "plesk-xsd", corpusVersion)
	var sets []*Set
	for _, root := range corpusRoots {
		s, err := Load(dir, root)
		if err != nil {
			b.Fatal(err)
		}
		sets = append(sets, s)
	}
	b.ReportAllocs()
	for b.Loop() {
		for _, s := range sets {
			if err := WriteTree(io.Discard, Expand(s)); err != nil {
				b.Fatal(err)
			}
		}
	}
}

func TestFirstDifference(t *testing.T) {
	tests := []struct{ want, got, diff string }{
		{"a\nb\n", "a\nb\n", ""},
		{"a\nb\nc\nd\ne\nf\ng\n", "a\nb\nc\nd\nX\nf\ng\n", `first difference at line 5 (want 7 lines, got 7)
        2  b
        3  c
        4  d
  -     5  e
  -     6  f
  -     7  g
  +     5  X
  +     6  f
  +     7  g
`},
		{"a\n", "a\nb\n", `first difference at line 2 (want 1 lines, got 2)
        1  a
  -        (end of text)
  +     2  b
`},
		{"a\n", "a", "the texts differ only in their final newline (want 2 bytes, got 1)"},
	}
	for _, tt := range tests {
		if d := cmp.Diff(tt.diff, firstDifference([]byte(tt.want), []byte(tt.got))); d != "" {
			t.Errorf("firstDifference(%q, %q) mismatch (-want +got):\n%s", tt.want, tt.got, d)
		}
	}
}
