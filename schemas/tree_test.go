package schemas_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pleskgo/plesk/gen/xsd"
	"github.com/pleskgo/plesk/internal/sharedtest"
)

// operators are the packet children our schemas describe, per root. The
// published trees carry many more; only these subtrees are compared.
var operators = map[string][]string{
	"agent_input":  {"migration", "database", "db_server", "customer", "webspace"},
	"agent_output": {"migration", "database", "db_server", "customer", "webspace", "system"},
}

// treeSubstitutes names, per version, operators compared with another
// version's published tree: 1.6.9.1's diagrams lost the migration operator
// (files missing from the set behind them; see plesk-trees/FORMAT.md), and
// it is unchanged since 1.6.9.0.
var treeSubstitutes = map[string]map[string]string{
	"1.6.9.1": {"migration": "1.6.9.0"},
}

// TestTreesMatchPublished expands each schema set as FORMAT.md describes and
// requires the subtree of every operator (with its path from packet) to equal,
// line for line, the one in the published tree of the same version and root.
func TestTreesMatchPublished(t *testing.T) {
	trees := sharedtest.Dir(t, "plesk-trees")
	for _, version := range schemaVersions(t) {
		for _, root := range []string{"agent_input", "agent_output"} {
			t.Run(version+"/"+root, func(t *testing.T) {
				set, err := xsd.Load(version, root+".xsd")
				if err != nil {
					t.Fatalf("load %s/%s.xsd: %v", version, root, err)
				}
				var buf bytes.Buffer
				if err := xsd.WriteTree(&buf, xsd.Expand(set)); err != nil {
					t.Fatalf("write tree: %v", err)
				}
				ours := treeLines(buf.String())
				published := map[string][]string{}
				for _, op := range operators[root] {
					from := version
					if v, ok := treeSubstitutes[version][op]; ok {
						from = v
					}
					if published[from] == nil {
						published[from] = readTree(t, filepath.Join(trees, from, root+".tree"))
					}
					t.Run(op, func(t *testing.T) {
						compareOperator(t, op, published[from], ours, from+"/"+root+".tree")
					})
				}
			})
		}
	}
}

// compareOperator reports the first line where the operator's block in got
// differs from the one in want, by line number in each tree. A block is the
// path from packet down to the operator, then the operator's subtree.
func compareOperator(t *testing.T, op string, want, got []string, wantName string) {
	t.Helper()
	w := operatorBlock(want, op)
	if w == nil {
		t.Fatalf("%s has no packet operator %q", wantName, op)
	}
	g := operatorBlock(got, op)
	if g == nil {
		t.Fatalf("our tree has no packet operator %q", op)
	}
	for i := 0; i < len(w) || i < len(g); i++ {
		wl, gl, wn, gn := "(end of subtree)", "(end of subtree)", -1, -1
		if i < len(w) {
			wn = w[i]
			wl = want[wn]
		}
		if i < len(g) {
			gn = g[i]
			gl = got[gn]
		}
		if wl != gl {
			t.Fatalf("%s: first difference at %s line %d, our line %d\n\twant: %s\n\tgot:  %s",
				op, wantName, wn+1, gn+1, wl, gl)
		}
	}
}

// operatorBlock returns the line indexes of the block of the element named op
// that is an operator of the packet: the ancestors from the global packet
// element (compositors only in between), the operator line, and its subtree.
// It returns nil if there is no such operator.
func operatorBlock(lines []string, op string) []int {
	var path []int // path[d] is the index of the current line at depth d
	for i, line := range lines {
		d := depth(line)
		if d > len(path) {
			continue // malformed indentation; the line comparison shows it
		}
		path = append(path[:d], i)
		if d == 0 || lineName(line) != op || lineName(lines[path[0]]) != "packet" {
			continue
		}
		compositorsOnly := true
		for _, a := range path[1:d] {
			compositorsOnly = compositorsOnly && strings.HasPrefix(strings.TrimSpace(lines[a]), "(")
		}
		if !compositorsOnly {
			continue
		}
		block := append([]int(nil), path...)
		for j := i + 1; j < len(lines) && depth(lines[j]) > d; j++ {
			block = append(block, j)
		}
		return block
	}
	return nil
}

func depth(line string) int {
	return (len(line) - len(strings.TrimLeft(line, " "))) / 2
}

func lineName(line string) string {
	name, _, _ := strings.Cut(strings.TrimSpace(line), " ")
	return name
}

func treeLines(s string) []string {
	return strings.Split(strings.TrimRight(s, "\n"), "\n")
}

func readTree(t *testing.T, path string) []string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return treeLines(string(data))
}

// schemaVersions lists the version directories under schemas/.
func schemaVersions(t *testing.T) []string {
	t.Helper()
	entries, err := os.ReadDir(".")
	if err != nil {
		t.Fatal(err)
	}
	var versions []string
	for _, e := range entries {
		if e.IsDir() && fileExists(filepath.Join(e.Name(), "agent_input.xsd")) {
			versions = append(versions, e.Name())
		}
	}
	if len(versions) == 0 {
		t.Fatal("no schema version directories under schemas/")
	}
	return versions
}

func fileExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}
