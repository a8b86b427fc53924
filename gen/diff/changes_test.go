package diff_test

import (
	"bufio"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pleskgo/plesk/gen"
	"github.com/pleskgo/plesk/gen/diff"
	"github.com/pleskgo/plesk/internal/sharedtest"
)

// operators are the packet children CHANGES.txt follows; our schemas
// describe every operator, and the others' changes are left out here
// (TestConsecutiveVersionsMatchTrees holds every operator to the trees).
var operators = []string{"migration", "database", "db_server", "customer", "webspace"}

// TestConsecutiveVersionsMatchChanges compares each pair of consecutive
// versions under schemas/ and requires the changes to be exactly the
// entries of plesk-trees/CHANGES.txt for our operators (their own sections,
// and the packet-root lines about them).
func TestConsecutiveVersionsMatchChanges(t *testing.T) {
	changes := readChanges(t, filepath.Join(sharedtest.Dir(t, "plesk-trees"), "CHANGES.txt"))
	versions := schemaVersions(t)
	total := 0
	for i := 1; i < len(versions); i++ {
		oldV, newV := versions[i-1], versions[i]
		t.Run(oldV+".."+newV, func(t *testing.T) {
			want := changes[oldV+" -> "+newV]
			// CHANGES.txt records the carried operators' absence from the
			// 1.6.9.1 trees as removals; ours has them unchanged (see carried).
			if c := carried[newV]; c.from == oldV {
				want = slices.DeleteFunc(want, func(e string) bool { return slices.Contains(c.operators, entryGroup(e)) })
			}
			var got []string
			for _, c := range compareDirs(t, oldV, newV) {
				if !c.StructureChanged() {
					continue // enumerations are not in the trees
				}
				if !slices.Contains(operators, c.Group) {
					continue // CHANGES.txt follows only these operators
				}
				got = append(got, entry(c.Side, c.Group, changeLine(c)))
				if want := breakingByRule(c); c.Breaking != want {
					t.Errorf("%s %s: breaking %v (%s), want %v", c.Side, c.Line(), c.Breaking, c.Reason, want)
				}
			}
			slices.Sort(want)
			slices.Sort(got)
			if d := cmp.Diff(want, got); d != "" {
				t.Errorf("changes %s -> %s (-CHANGES.txt +ours):\n%s", oldV, newV, d)
			}
			total += len(got)
		})
	}
	if total == 0 {
		t.Error("no change at all between consecutive versions: the comparison sees nothing")
	}
}

// breakingByRule is the rule, as it applies to the changes between
// our versions that change no enumeration: for requests a removed
// operation or element, or a newly required element (one with minOccurs ≥ 1
// that is not an alternative of a choice); for responses a removed element.
func breakingByRule(c diff.Change) bool {
	switch c.Kind {
	case diff.Removed:
		return true
	case diff.Added:
		innermost := strings.TrimSpace(c.New.Via[strings.LastIndex(c.New.Via, ">")+1:])
		return c.Side == diff.Request && c.New.Occurs.Min > 0 && !strings.HasPrefix(innermost, "(choice)")
	}
	return c.Side == diff.Request && c.Old.Occurs.Min == 0 && c.New.Occurs.Min > 0
}

// TestSelfCompare compares every version with itself: no change.
func TestSelfCompare(t *testing.T) {
	for _, v := range schemaVersions(t) {
		if got := compareDirs(t, v, v); len(got) != 0 {
			t.Errorf("%s compared with itself: %d changes, first %s", v, len(got), got[0].Line())
		}
	}
}

func compareDirs(t *testing.T, oldV, newV string) []diff.Change {
	t.Helper()
	dir := filepath.Join(sharedtest.ModuleRoot(), "schemas")
	old, err := gen.Load(filepath.Join(dir, oldV), nil)
	if err != nil {
		t.Fatal(err)
	}
	cur, err := gen.Load(filepath.Join(dir, newV), nil)
	if err != nil {
		t.Fatal(err)
	}
	return diff.CompareSets(old, cur)
}

// changeLine is c.Line(), without the compositor chain for an operator
// itself: CHANGES.txt gives it in the packet-root lines only.
func changeLine(c diff.Change) string {
	l := c.Line()
	if !strings.Contains(c.Path, "/") && c.Kind != diff.Changed {
		l, _, _ = strings.Cut(l, "  via ")
	}
	return l
}

func entry(side diff.Side, group, line string) string {
	return side.String() + " [" + group + "] " + line
}

func entryGroup(e string) string {
	_, rest, _ := strings.Cut(e, "[")
	g, _, _ := strings.Cut(rest, "]")
	return g
}

var (
	headerRE     = regexp.MustCompile(`^(\S+ -> \S+)  (agent_input|agent_output)  \[([^\]]+)\]$`)
	packetRootRE = regexp.MustCompile(`^([-+~]) packet/([^/ :]+)(: |  )(.*)$`)
)

// readChanges returns the entries of CHANGES.txt that concern our
// operators, by "OLD -> NEW", each as entry() writes it. A packet-root line
// about one of them ("- packet/migration  [1..1] type=T  via …") is the
// same fact as the operator section's line ("- migration  [1..1] type=T"):
// both become one entry without the chain.
func readChanges(t *testing.T, path string) map[string][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out := map[string][]string{}
	seen := map[string]bool{}
	var pair, group string
	var side diff.Side
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if strings.TrimSpace(line) == "" {
			continue
		}
		if m := headerRE.FindStringSubmatch(line); m != nil {
			pair, group, side = m[1], m[3], diff.Request
			if m[2] == "agent_output" {
				side = diff.Response
			}
			continue
		}
		if !strings.HasPrefix(line, "  ") || pair == "" {
			t.Fatalf("%s:%d: unexpected line %q", path, n, line)
		}
		l, g := strings.TrimSpace(line), group
		if group == "packet-root" {
			m := packetRootRE.FindStringSubmatch(l)
			if m == nil {
				t.Fatalf("%s:%d: packet-root line without packet/NAME: %q", path, n, line)
			}
			g = m[2]
			l = m[1] + " " + m[2] + m[3] + m[4]
			if m[1] != "~" {
				l, _, _ = strings.Cut(l, "  via ")
			}
		}
		if !slices.Contains(operators, g) {
			continue
		}
		e := entry(side, g, l)
		if !seen[pair+e] {
			seen[pair+e] = true
			out[pair] = append(out[pair], e)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if len(out) == 0 {
		t.Fatalf("%s: no entries for our operators", path)
	}
	return out
}

// schemaVersions lists the version directories under schemas/, oldest first.
func schemaVersions(t *testing.T) []string {
	t.Helper()
	dir := filepath.Join(sharedtest.ModuleRoot(), "schemas")
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var vs []string
	for _, e := range entries {
		if _, err := os.Stat(filepath.Join(dir, e.Name(), "agent_input.xsd")); e.IsDir() && err == nil {
			vs = append(vs, e.Name())
		}
	}
	slices.SortFunc(vs, compareVersions)
	if len(vs) < 2 {
		t.Fatalf("want at least two versions under %s, have %v", dir, vs)
	}
	return vs
}

// compareVersions orders dotted versions numerically.
func compareVersions(a, b string) int {
	as, bs := strings.Split(a, "."), strings.Split(b, ".")
	for i := 0; i < len(as) && i < len(bs); i++ {
		if c := cmpNum(as[i], bs[i]); c != 0 {
			return c
		}
	}
	return len(as) - len(bs)
}

func cmpNum(a, b string) int {
	if len(a) != len(b) {
		return len(a) - len(b)
	}
	return strings.Compare(a, b)
}
