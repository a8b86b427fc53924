package bind_test

import (
	"maps"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/pleskgo/plesk/gen/bind"
	"github.com/pleskgo/plesk/gen/xsd"
	"github.com/pleskgo/plesk/internal/sharedtest"
)

// schemaSets are the schema sets pleskgen ships customizations for: our
// own under schemas/ and the official 1.6.6.0 set in ../shared.
func schemaSets(t *testing.T) map[string]string {
	t.Helper()
	sets := map[string]string{}
	dirs, err := filepath.Glob(filepath.Join(sharedtest.ModuleRoot(), "schemas", "*"))
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range dirs {
		if _, err := os.Stat(filepath.Join(d, "agent_input.xsd")); err == nil {
			sets["schemas/"+filepath.Base(d)] = d
		}
	}
	if len(sets) == 0 {
		t.Fatal("no schema sets under schemas/")
	}
	if d, ok := sharedtest.Find(t, "plesk-xsd", "1.6.6.0"); ok {
		sets["official 1.6.6.0"] = d
	} else {
		t.Log("the official 1.6.6.0 schemas are absent (../shared); auditing ours only")
	}
	return sets
}

func loadRoots(t testing.TB, dir string) []*xsd.Set {
	t.Helper()
	var sets []*xsd.Set
	for _, r := range []string{"agent_input.xsd", "agent_output.xsd"} {
		s, err := xsd.Load(dir, r)
		if err != nil {
			t.Fatal(err)
		}
		sets = append(sets, s)
	}
	return sets
}

// TestAudit holds every schema set to its default customizations: each
// element the schema leaves untyped is typed by an entry or stays raw XML
// with its reason. A failure lists the elements still to decide as draft
// lines for the set's customization file; run
//
//	go test ./gen/bind -run Audit -v
//
// to see them, decide each kind (empty, string, int, bool, or raw with a
// reason after '#') and add the lines to the file the failure names.
func TestAudit(t *testing.T) {
	sets := schemaSets(t)
	names := slices.Sorted(maps.Keys(sets))
	for _, name := range names {
		dir := sets[name]
		t.Run(name, func(t *testing.T) {
			sets := loadRoots(t, dir)
			f, err := bind.Default(dir, sets...)
			if err != nil {
				t.Fatal(err)
			}
			where := filepath.Join(dir, bind.FileName)
			if f == nil {
				t.Fatalf("no default customizations for %s: add %s", dir, where)
			}
			if f.Name != bind.FileName {
				where = "gen/bind/plesk/" + f.Name[len(bind.EmbeddedPrefix):] + ".txt"
			}
			b, err := bind.Resolve(f, sets...)
			if err != nil {
				t.Fatalf("%s does not resolve:\n%v", where, err)
			}
			untyped := bind.FindUntyped(sets...)
			if len(untyped) == 0 {
				t.Fatal("no untyped elements found: the walk is broken")
			}
			missing := bind.Audit(b, sets...)
			if len(missing) > 0 {
				// Decisions made for the official set are offered for the
				// same elements of ours, to review and copy.
				var known *bind.Bindings
				if official, err := bind.Open("plesk:1.6.6.0"); err == nil && f.Name != official.Name {
					known = bind.Reusable(official, sets...)
				}
				t.Errorf("%d of %d untyped elements are neither typed nor explained; add to %s:\n%s",
					len(missing), len(untyped), where, bind.Draft(missing, known))
				return
			}
			t.Logf("%s: %d untyped elements, all decided by %s", name, len(untyped), f.Name)
		})
	}
}
