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
		var out, stderr bytes.Buffer
		if code := run([]string{"tree", "-schemas", xsdDir, "-roots", root + ".xsd"}, &out, &stderr); code != 0 {
			t.Fatalf("%s: exit %d: %s", root, code, stderr.String())
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
	var out, stderr bytes.Buffer
	if code := run([]string{"tree", "-schemas", "../../gen/golang/testdata/packet"}, &out, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
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
		code int
		want string
	}{
		{[]string{"-schemas", "x"}, 2, "pleskgen generate: missing -out, -package (-schemas, -out and -package are required)\nusage: pleskgen generate"},
		{[]string{"-schemas", "../../gen/golang/testdata/err_unknown_type", "-roots", "schema.xsd", "-out", t.TempDir(), "-package", "p", "-version", "1.6.9.1"},
			1, `../../gen/golang/testdata/err_unknown_type/schema.xsd:6:9: element "owner": unknown type "ownerType"`},
		{[]string{"-schemas", "../../gen/golang/testdata/err_duplicate", "-roots", "schema.xsd", "-out", t.TempDir(), "-package", "p", "-version", "1.6.9.1"},
			1, `../../gen/golang/testdata/err_duplicate/other.xsd:3:3: duplicate complexType "T" (first defined at ../../gen/golang/testdata/err_duplicate/schema.xsd:4:3)`},
		{[]string{"-rename", "novalue", "-schemas", "x", "-out", "y", "-package", "p"}, 2, "want xsdName=GoName"},
		{[]string{"tree"}, 2, "pleskgen tree: -schemas is required\nusage: pleskgen tree"},
		{[]string{"tree", "-schemas", "x", "extra"}, 2, `pleskgen tree: unexpected argument "extra"`},
		{[]string{"frobnicate"}, 2, `pleskgen: unknown command "frobnicate"`},
		{nil, 2, "pleskgen: no command given"},
		{[]string{"help", "frobnicate"}, 2, `pleskgen help: unknown command "frobnicate" (commands: generate, tree, diff, version, help)`},
		{[]string{"version", "x"}, 2, `pleskgen version: unexpected argument "x"`},
	}
	for _, tt := range tests {
		var stdout, stderr bytes.Buffer
		code := run(tt.args, &stdout, &stderr)
		if code != tt.code || !strings.Contains(stderr.String(), tt.want) {
			t.Errorf("run(%q) = %d, stderr:\n%s\nwant %d and stderr containing %q", tt.args, code, stderr.String(), tt.code, tt.want)
		}
		if stdout.Len() > 0 {
			t.Errorf("run(%q) wrote to stdout:\n%s", tt.args, stdout.String())
		}
	}
}

func TestRunRename(t *testing.T) {
	out := t.TempDir()
	var stdout, stderr bytes.Buffer
	code := run([]string{"-schemas", "../../gen/golang/testdata/err_clash", "-roots", "schema.xsd", "-out", out, "-package", "p", "-version", "1.6.9.1", "-rename", "ipAddress=IPAddressV6", "-types-only"}, &stdout, &stderr)
	if code != 0 {
		t.Fatalf("the -rename the clash error suggests did not resolve it: exit %d: %s", code, stderr.String())
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
