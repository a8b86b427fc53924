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

// carried names, per version, the operators our schemas carry from another
// version because the published trees of the version lack them: 1.6.9.1's
// diagrams were drawn from an incomplete file set (plesk-trees/FORMAT.md),
// and these operators are unchanged in the API since 1.6.9.0.
var carried = map[string]struct {
	from      string
	operators []string
}{
	"1.6.9.1": {"1.6.9.0", []string{
		"migration", "spamfilter", "webuser", "maillist", "updater", "backup-manager", "sso",
		"user", "role", "webmail", "plan-item", "sitebuilder", "service-node", "ip-ban",
	}},
}

// TestTreesMatchPublished expands each schema set as FORMAT.md describes and
// requires the subtree of every operator of the published tree of the same
// version and root (with its path from packet) to equal ours, line for line;
// the carried operators are compared with the tree of the version they are
// carried from. Beyond the operators, the whole tree must be the published
// one: with the carried operators' subtrees taken out of ours, both trees
// are the same lines.
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
				published := readTree(t, filepath.Join(trees, version, root+".tree"))
				ops := packetOperators(published)
				if len(ops) < 20 {
					t.Fatalf("the published %s/%s.tree has only %d packet operators", version, root, len(ops))
				}
				for _, op := range ops {
					t.Run(op, func(t *testing.T) {
						compareOperator(t, op, published, ours, version+"/"+root+".tree")
					})
				}
				c := carried[version]
				var from []string
				if c.from != "" {
					from = readTree(t, filepath.Join(trees, c.from, root+".tree"))
				}
				drop := map[int]bool{}
				for _, op := range c.operators {
					if operatorBlock(published, op) != nil {
						t.Errorf("%s is carried, but the published %s/%s.tree has it", op, version, root)
						continue
					}
					if operatorBlock(from, op) == nil {
						continue // the operator has no part in this root
					}
					t.Run(op+"(carried)", func(t *testing.T) {
						compareOperator(t, op, from, ours, c.from+"/"+root+".tree")
					})
					block := operatorBlock(ours, op)
					for i, l := range block {
						if lineName(ours[l]) == op && (i == 0 || lineName(ours[block[i-1]]) != op) {
							for _, m := range block[i:] {
								drop[m] = true
							}
							break
						}
					}
				}
				var rest []string
				for i, l := range ours {
					if !drop[i] {
						rest = append(rest, l)
					}
				}
				t.Run("whole tree", func(t *testing.T) {
					for i := 0; i < len(rest) || i < len(published); i++ {
						var g, w string
						if i < len(rest) {
							g = rest[i]
						}
						if i < len(published) {
							w = published[i]
						}
						if g != w {
							t.Fatalf("beyond the carried operators, first difference at published line %d:\n\twant: %s\n\tgot:  %s", i+1, w, g)
						}
					}
				})
			})
		}
	}
}

// packetOperators returns the names of the operators of the packet element
// of a tree: the elements below packet with only compositors in between.
func packetOperators(lines []string) []string {
	var ops []string
	var path []int
	for i, line := range lines {
		d := depth(line)
		if d > len(path) {
			continue
		}
		path = append(path[:d], i)
		if d == 0 || lineName(lines[path[0]]) != "packet" || strings.HasPrefix(strings.TrimSpace(line), "(") {
			continue
		}
		compositorsOnly := true
		for _, a := range path[1:d] {
			compositorsOnly = compositorsOnly && strings.HasPrefix(strings.TrimSpace(lines[a]), "(")
		}
		if compositorsOnly {
			ops = append(ops, lineName(line))
		}
	}
	return ops
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
