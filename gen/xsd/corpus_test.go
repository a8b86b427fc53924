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
	w := strings.Split(string(want), "\n")
	g := strings.Split(string(got), "\n")
	i := 0
	for i < len(w) && i < len(g) && w[i] == g[i] {
		i++
	}
	var b strings.Builder
	fmt.Fprintf(&b, "first difference at line %d (want %d lines, got %d)\n", i+1, len(w), len(g))
	from := max(0, i-3)
	for j := from; j < i; j++ {
		fmt.Fprintf(&b, "    %5d  %s\n", j+1, w[j])
	}
	for j := i; j < min(i+4, len(w)); j++ {
		fmt.Fprintf(&b, "  - %5d  %s\n", j+1, w[j])
	}
	for j := i; j < min(i+4, len(g)); j++ {
		fmt.Fprintf(&b, "  + %5d  %s\n", j+1, g[j])
	}
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
