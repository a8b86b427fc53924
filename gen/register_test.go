package gen_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pleskgo/plesk/gen"
)

// TestRegistersOnlyWholeSchema shows that a package generated from a
// whole schema set registers its packets with rpcimpl at init, and one
// generated with only some operators registers as Partial (its version is
// named, its packets not offered), so that rpc/plesktest never checks a
// version's packets against part of its schema; selecting every operator
// by name is the whole schema again.
func TestRegistersOnlyWholeSchema(t *testing.T) {
	schemas := filepath.Join("golang", "testdata", "packet")
	for _, c := range []struct {
		operators []string
		register  bool
	}{
		{nil, true},
		{[]string{"webspace"}, false},
		{[]string{"migration"}, false},
		{[]string{"webspace", "migration"}, true},
	} {
		out := t.TempDir()
		if _, err := gen.Run(gen.Options{SchemaDir: schemas, OutDir: out, Package: "p", Version: "1.6.9.1", Operators: c.operators}); err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(filepath.Join(out, "api_gen.go"))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(b), "rpcimpl.RegisterProtocol(") {
			t.Errorf("operators %q: the package does not register its version", c.operators)
		}
		if got := !strings.Contains(string(b), "Partial:"); got != c.register {
			t.Errorf("operators %q: registers its packets = %v, want %v", c.operators, got, c.register)
		}
	}
}
