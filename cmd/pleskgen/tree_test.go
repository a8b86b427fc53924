package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pleskgo/plesk/internal/sharedtest"
)

// TestTreeCommand checks `pleskgen tree` against the published trees: the
// official 1.6.6.0 set, one root at a time, must print them byte for byte.
func TestTreeCommand(t *testing.T) {
	xsdDir := sharedtest.Dir(t, "plesk-xsd", "1.6.6.0")
	trees := sharedtest.Dir(t, "plesk-trees", "1.6.6.0")
	for _, root := range []string{"agent_input", "agent_output"} {
		var out bytes.Buffer
		if err := runTree([]string{"-schemas", xsdDir, "-roots", root + ".xsd"}, &out); err != nil {
			t.Fatalf("%s: %v", root, err)
		}
		want, err := os.ReadFile(filepath.Join(trees, root+".tree"))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(out.Bytes(), want) {
			t.Errorf("%s: pleskgen tree differs from the published tree (%d bytes, want %d)", root, out.Len(), len(want))
		}
	}
}

func TestTreeCommandBothRoots(t *testing.T) {
	var out bytes.Buffer
	if err := runTree([]string{"-schemas", "../../gen/golang/testdata/packet"}, &out); err != nil {
		t.Fatal(err)
	}
	s := out.String()
	for _, want := range []string{"# agent_input.xsd\npacket [1..1] anon\n", "\n# agent_output.xsd\npacket [1..1] anon\n", "switch-subscription [1..1] anon"} {
		if !strings.Contains(s, want) {
			t.Errorf("output lacks %q:\n%s", want, s)
		}
	}
}

func TestRunErrors(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"-schemas", "x"}, "-schemas, -out and -package are required"},
		{[]string{"-schemas", "../../gen/golang/testdata/err_unknown_type", "-roots", "schema.xsd", "-out", t.TempDir(), "-package", "p"},
			`schema.xsd:6:9: element "owner": unknown type "ownerType"`},
		{[]string{"-schemas", "../../gen/golang/testdata/err_duplicate", "-roots", "schema.xsd", "-out", t.TempDir(), "-package", "p"},
			`other.xsd:3:3: duplicate complexType "T" (first defined at schema.xsd:4:3)`},
		{[]string{"-rename", "novalue", "-schemas", "x", "-out", "y", "-package", "p"}, "want xsdName=GoName"},
		{[]string{"tree"}, "-schemas is required"},
	}
	for _, tt := range tests {
		err := run(tt.args)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("run(%q) = %v, want an error containing %q", tt.args, err, tt.want)
		}
	}
}

func TestRunRename(t *testing.T) {
	out := t.TempDir()
	err := run([]string{"-schemas", "../../gen/golang/testdata/err_clash", "-roots", "schema.xsd", "-out", out, "-package", "p", "-rename", "ipAddress=IPAddressV6"})
	if err != nil {
		t.Fatalf("the -rename the clash error suggests did not resolve it: %v", err)
	}
	b, err := os.ReadFile(filepath.Join(out, "schema_gen.go"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"type IPAddress struct", "type IPAddressV6 struct"} {
		if !bytes.Contains(b, []byte(want)) {
			t.Errorf("generated code lacks %q", want)
		}
	}
}
