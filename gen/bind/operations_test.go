package bind_test

import (
	"fmt"
	"maps"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/pleskgo/plesk/gen/bind"
	"github.com/pleskgo/plesk/gen/model"
	"github.com/pleskgo/plesk/gen/xsd"
)

// TestOperationsAudit holds every schema set to its default operation
// classification: each operation of the set has an entry, and each entry
// names an operation of the set. A failure names the operation and the
// file to add it to.
func TestOperationsAudit(t *testing.T) {
	sets := schemaSets(t)
	for _, name := range slices.Sorted(maps.Keys(sets)) {
		dir := sets[name]
		t.Run(name, func(t *testing.T) {
			roots := loadRoots(t, dir)
			o, err := bind.DefaultOperations(dir, roots...)
			if err != nil {
				t.Fatal(err)
			}
			if o == nil {
				t.Fatalf("no default operation classification for %s: add %s", dir, filepath.Join(dir, bind.OperationsFileName))
			}
			refs := operationsOf(t, dir, roots, o)
			if len(refs) < 300 {
				t.Fatalf("only %d operations in %s", len(refs), dir)
			}
			if err := o.Audit(refs, filepath.Join(dir, bind.OperationsFileName)); err != nil {
				t.Error(err)
			}
		})
	}
}

// operationsOf builds the model of a schema set and lists its operations,
// checking on the way that each carries the access its entry declares.
func operationsOf(t *testing.T, dir string, roots []*xsd.Set, o *bind.Operations) []bind.OpRef {
	t.Helper()
	var b *bind.Bindings
	if f, err := bind.Default(dir, roots...); err != nil {
		t.Fatal(err)
	} else if f != nil {
		if b, err = bind.Resolve(f, roots...); err != nil {
			t.Fatal(err)
		}
	}
	pkg, err := model.Build(roots[0], roots[1], model.Options{Package: "p", Version: "1", Bindings: b, Operations: o})
	if err != nil {
		t.Fatal(err)
	}
	var refs []bind.OpRef
	for _, op := range pkg.Operators {
		for _, op2 := range op.Operations {
			refs = append(refs, bind.OpRef{Operator: op.XMLName, Operation: op2.XMLName, Pos: op2.Source})
			if e := o.Lookup(op.XMLName, op2.XMLName); e != nil && e.Access != op2.Access {
				t.Errorf("%s/%s: model access %v, entry %v", op.XMLName, op2.XMLName, op2.Access, e.Access)
			}
		}
	}
	return refs
}

// TestTrickyOperations pins the operations whose names mislead, in every
// schema set that has them.
func TestTrickyOperations(t *testing.T) {
	tricky := map[string]bind.Access{
		"server/get":                     bind.Read,
		"server/create_session":          bind.Write,
		"server/license-retrieve-keys":   bind.Write, // fetches and installs keys
		"webspace/cform_buttons_list":    bind.Read,
		"webspace/db-servers/list":       bind.Read,
		"webspace/db-servers/add":        bind.Write,
		"service-plan/db-servers/list":   bind.Read,
		"webspace/set_traffic":           bind.Write,
		"migration/get_status":           bind.Read,
		"migration/check":                bind.Write, // may contact the source host
		"updater/check":                  bind.Write,
		"backup-manager/download-file":   bind.Write,
		"extension/call":                 bind.Write,
		"wp-instance/search-plugins":     bind.Read,
		"customer/get":                   bind.Read,
		"customer/del":                   bind.Write,
		"service-node/reread-info":       bind.Write,
		"maillist/get-status":            bind.Read,
		"reseller/cform-buttons-list":    bind.Read,
		"server/domain-restriction-list": bind.Read,
	}
	seen := map[string]bool{}
	sets := schemaSets(t)
	for _, name := range slices.Sorted(maps.Keys(sets)) {
		o, err := bind.DefaultOperations(sets[name], loadRoots(t, sets[name])...)
		if err != nil || o == nil {
			t.Fatalf("%s: %v", name, err)
		}
		for op, want := range tricky {
			operator, operation, _ := strings.Cut(op, "/")
			if e := o.Lookup(operator, operation); e != nil {
				seen[op] = true
				if e.Access != want {
					t.Errorf("%s: %s is %v, want %v", name, op, e.Access, want)
				}
			}
		}
		if e := o.Lookup("webspace", "db-servers"); e != nil {
			t.Errorf("%s: the group webspace/db-servers is classified; its operations are", name)
		}
	}
	for op := range tricky {
		if !seen[op] {
			t.Errorf("%s is in no schema set", op)
		}
	}
}

func TestParseOperations(t *testing.T) {
	src := "\ufeff# comment\n" +
		"customer/get  read   # lists customers\n" +
		"\n" +
		"webspace/db-servers/add\twrite\n" +
		"@schemas sha256:" + strings.Repeat("ab", 32) + "\n"
	o, err := bind.ParseOperations("ops.txt", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if len(o.Entries) != 2 || len(o.Digests) != 1 {
		t.Fatalf("entries %d, digests %d", len(o.Entries), len(o.Digests))
	}
	e := o.Lookup("customer", "get")
	if e == nil || e.Access != bind.Read || e.Reason != "lists customers" || e.Pos.String() != "ops.txt:2:1" {
		t.Errorf("customer/get = %+v", e)
	}
	e = o.Lookup("webspace", "db-servers/add")
	if e == nil || e.Access != bind.Write || e.Name() != "webspace/db-servers/add" {
		t.Errorf("webspace/db-servers/add = %+v", e)
	}
	if o.Lookup("webspace", "db-servers") != nil || o.Lookup("customer", "add") != nil {
		t.Error("Lookup found an operation the file does not have")
	}
	var nilOps *bind.Operations
	if nilOps.Lookup("customer", "get") != nil {
		t.Error("a nil classification has entries")
	}
}

func TestParseOperationsErrors(t *testing.T) {
	for _, tt := range []struct{ src, want string }{
		{"customer/get reed", `x.txt:1:14: unknown access "reed"; did you mean "read"?`},
		{"customer/get wirte", `x.txt:1:14: unknown access "wirte"; did you mean "write"?`},
		{"customer/get maybe", `x.txt:1:14: unknown access "maybe"; want read or write`},
		{"  customer/get", `x.txt:1:15: customer/get: no access after the operation; want read or write`},
		{"customer read", `x.txt:1:1: "customer": want OPERATOR/OPERATION, such as customer/get or webspace/db-servers/list`},
		{"/get read", `x.txt:1:1: "/get": want OPERATOR/OPERATION`},
		{"webspace//list read", `x.txt:1:10: webspace//list: "" is not an element name`},
		{"webspace/a:b read", `x.txt:1:10: webspace/a:b: "a:b" is not an element name`},
		{"customer/get read extra", `x.txt:1:19: unexpected "extra" after the access`},
		{"customer/get read\ncustomer/get write", `x.txt:2:1: duplicate entry for customer/get (first at line 1)`},
		{"@schemas md5:00", `x.txt:1:10: "md5:00" is not a digest`},
		{"@include other.txt", `x.txt:1:1: unknown directive "@include"`},
		{"customer/get read\xff", `x.txt:1:1: not UTF-8 text`},
	} {
		_, err := bind.ParseOperations("x.txt", []byte(tt.src))
		if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
			t.Errorf("%q: err = %v, want %q", tt.src, err, tt.want)
		}
	}
}

// TestOperationsAuditErrors: an unclassified operation is reported at its
// declaration with the file to add it to; an entry that names no operation
// at its line, with the closest one; past twenty unclassified operations
// the rest are counted, not listed.
func TestOperationsAuditErrors(t *testing.T) {
	o, err := bind.ParseOperations("ops.txt", []byte("customer/get read\ncustomer/ad write\n"))
	if err != nil {
		t.Fatal(err)
	}
	refs := []bind.OpRef{
		{Operator: "customer", Operation: "get", Pos: xsd.Pos{File: "in.xsd", Line: 3, Col: 5}},
		{Operator: "customer", Operation: "add", Pos: xsd.Pos{File: "in.xsd", Line: 4, Col: 5}},
	}
	want := `in.xsd:4:5: operation customer/add is not classified: add the line "customer/add read" or "customer/add write" to ops.txt` + "\n" +
		`ops.txt:2:1: customer/ad: the schema set has no such operation; did you mean customer/add?`
	if err := o.Audit(refs, "dir/operations.txt"); err == nil || err.Error() != want {
		t.Errorf("Audit:\n%v\nwant\n%s", err, want)
	}
	// No file at all: every operation is unclassified, and the message
	// names the file that would be read.
	var many []bind.OpRef
	for i := range 25 {
		many = append(many, bind.OpRef{Operator: "op", Operation: fmt.Sprint("o", i), Pos: xsd.Pos{File: "in.xsd", Line: i + 1, Col: 1}})
	}
	var none *bind.Operations
	err = none.Audit(many, "dir/operations.txt")
	lines := strings.Split(fmt.Sprint(err), "\n")
	if len(lines) != 21 || !strings.Contains(lines[0], "operation op/o0 is not classified") || !strings.HasSuffix(lines[0], "to dir/operations.txt") ||
		lines[20] != "and 5 more unclassified operations: every operation needs a line in dir/operations.txt" {
		t.Errorf("Audit without a file:\n%v", err)
	}
	// A file made for other schemas: past twenty, its stray entries are
	// counted.
	var stray strings.Builder
	for i := range 25 {
		fmt.Fprintf(&stray, "other/op%d read\n", i)
	}
	wrong, err := bind.ParseOperations("wrong.txt", []byte(stray.String()))
	if err != nil {
		t.Fatal(err)
	}
	lines = strings.Split(fmt.Sprint(wrong.Audit(refs[:1], "x")), "\n")
	if len(lines) != 22 || !strings.HasPrefix(lines[1], "wrong.txt:1:1: other/op0: the schema set has no such operation") ||
		!strings.HasPrefix(lines[21], "and 5 more entries of wrong.txt that name no operation") {
		t.Errorf("Audit of a file for other schemas:\n%s", strings.Join(lines, "\n"))
	}
	if err := o.Audit(refs[:1], "x"); err == nil || !strings.Contains(err.Error(), "customer/ad: the schema set has no such operation") {
		t.Errorf("an entry naming no operation: %v", err)
	}
}

func TestOpenOperations(t *testing.T) {
	if got := bind.EmbeddedOperations(); !slices.Equal(got, []string{"plesk:1.6.6.0"}) {
		t.Errorf("EmbeddedOperations = %q", got)
	}
	o, err := bind.OpenOperations("plesk:1.6.6.0")
	if err != nil || len(o.Digests) != 1 || o.Lookup("customer", "get") == nil {
		t.Fatalf("plesk:1.6.6.0: %v", err)
	}
	for _, spec := range []string{"plesk:9.9", "plesk:", "plesk:../plesk/1.6.6.0"} {
		if _, err := bind.OpenOperations(spec); err == nil || !strings.Contains(err.Error(), "there are plesk:1.6.6.0") {
			t.Errorf("%s: %v", spec, err)
		}
	}
	if _, err := bind.OpenOperations(filepath.Join(t.TempDir(), "nope.txt")); err == nil || !strings.HasPrefix(err.Error(), "operation classification: ") {
		t.Errorf("a missing file: %v", err)
	}
}
