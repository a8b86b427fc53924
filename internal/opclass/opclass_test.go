package opclass

import (
	"bufio"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pleskgo/plesk/internal/sharedtest"
)

// treeOps returns the operations of the request tree of one version: the
// element children of each operator element under packet, and the
// children of those that are groups in the table, as "group/child".
func treeOps(t *testing.T, path string) map[string]bool {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	ops := map[string]bool{}
	var stack []string // element or compositor names by depth
	inPacket := false
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if strings.TrimSpace(line) == "" {
			continue
		}
		depth := (len(line) - len(strings.TrimLeft(line, " "))) / 2
		name := strings.Fields(line)[0]
		if depth == 0 {
			inPacket = name == "packet"
			stack = stack[:0]
			continue
		}
		if !inPacket {
			continue
		}
		stack = append(stack[:min(depth-1, len(stack))], name)
		if strings.HasPrefix(name, "(") || strings.HasPrefix(name, "@") {
			continue
		}
		var elems []string
		for _, s := range stack {
			if !strings.HasPrefix(s, "(") && !strings.HasPrefix(s, "@") {
				elems = append(elems, s)
			}
		}
		if len(elems) == 0 || elems[0] == "request-settings" {
			continue
		}
		switch len(elems) {
		case 2:
			ops[elems[0]+"/"+elems[1]] = true
		case 3:
			if isGroup(elems[0], elems[1]) {
				ops[elems[0]+"/"+elems[1]+"/"+elems[2]] = true
			}
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return ops
}

// isGroup reports an operation the table lists as a group, with entries
// below it.
func isGroup(operator, operation string) bool {
	for _, e := range table {
		if e.Operator == operator && strings.HasPrefix(e.Operation, operation+"/") {
			return true
		}
	}
	return false
}

// TestTableCoversTheTrees reads the request tree of every published
// version (1.6.6.0's was computed from the official XSDs) and fails on an
// operation the table does not classify, and on an entry no tree has.
func TestTableCoversTheTrees(t *testing.T) {
	dir := sharedtest.Dir(t, "plesk-trees")
	files, err := filepath.Glob(filepath.Join(dir, "*", "agent_input.tree"))
	if err != nil || len(files) < 5 {
		t.Fatalf("want the request trees of 5 versions in %s, found %d (%v)", dir, len(files), err)
	}
	inSomeTree := map[string]bool{}
	for _, f := range files {
		ops := treeOps(t, f)
		if len(ops) < 200 {
			t.Fatalf("%s: only %d operations read, the parse is broken", f, len(ops))
		}
		for op := range ops {
			inSomeTree[op] = true
			operator, operation, _ := strings.Cut(op, "/")
			if _, ok := Lookup(operator, operation); !ok {
				t.Errorf("%s: %s is not classified", filepath.Base(filepath.Dir(f)), op)
			}
		}
	}
	seen := map[string]bool{}
	for _, e := range table {
		k := e.Operator + "/" + e.Operation
		if seen[k] {
			t.Errorf("%s listed twice", k)
		}
		seen[k] = true
		if !inSomeTree[k] && k != "server/get-and-reset-counter" {
			t.Errorf("%s is in the table but in no request tree", k)
		}
	}
}

// TestTrickyOperations pins the operations whose names mislead.
func TestTrickyOperations(t *testing.T) {
	for _, tt := range []struct {
		operator, operation string
		read                bool
	}{
		{"server", "get-and-reset-counter", false}, // reads and resets
		{"server", "get", true},
		{"server", "get_protos", true},
		{"server", "create_session", false},
		{"server", "license-retrieve-keys", false}, // fetches and installs keys
		{"server", "domain-restriction-list", true},
		{"webspace", "cform_buttons_list", true},
		{"site", "cform_buttons_list", true},
		{"reseller", "cform-buttons-list", true},
		{"webspace", "db-servers/list", true},
		{"webspace", "db-servers/add", false},
		{"webspace", "db-servers/remove", false},
		{"webspace", "db-servers", false}, // a group: what it does depends on the child
		{"service-plan", "db-servers/list", true},
		{"service-plan", "db-servers", false},
		{"webspace", "get-changed", true},
		{"webspace", "set_traffic", false},
		{"maillist", "get-status", true},
		{"log-rotation", "get-status", true},
		{"service-node", "list", true},
		{"service-node", "reread-info", false},
		{"migration", "get_status", true},
		{"migration", "check", false},
		{"updater", "check", false},
		{"spamfilter", "check", false},
		{"backup-manager", "download-file", false},
		{"extension", "call", false},
		{"wp-instance", "search-plugins", true},
		{"mail", "update", false},
		{"customer", "get", true},
		{"customer", "del", false},
		{"customer", "getaway", false}, // unknown
		{"nosuch", "get", false},       // unknown
		{"webspace", "", false},
	} {
		if got := IsRead(tt.operator, tt.operation); got != tt.read {
			t.Errorf("IsRead(%q, %q) = %v, want %v", tt.operator, tt.operation, got, tt.read)
		}
	}
}

func TestAllIsSortedAndComplete(t *testing.T) {
	all := All()
	if len(all) != len(table) {
		t.Fatalf("All has %d entries, the table %d", len(all), len(table))
	}
	reads := 0
	for i, e := range all {
		if i > 0 && (all[i-1].Operator > e.Operator || all[i-1].Operator == e.Operator && all[i-1].Operation >= e.Operation) {
			t.Errorf("not sorted at %d: %v after %v", i, e, all[i-1])
		}
		if e.Class == Read {
			reads++
			if e.Class.String() != "read" {
				t.Error(e.Class)
			}
		}
	}
	if reads == 0 || reads == len(all) {
		t.Errorf("%d of %d operations read", reads, len(all))
	}
}
