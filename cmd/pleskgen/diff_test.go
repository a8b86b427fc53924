package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pleskgo/plesk/gen/diff"
)

func TestDiffExitCodes(t *testing.T) {
	s := func(v string) string { return filepath.Join("..", "..", "schemas", v) }
	broken := t.TempDir()
	if err := os.WriteFile(filepath.Join(broken, "agent_input.xsd"), []byte("<xs:schema"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		args   []string
		code   int
		stdout string // a substring of stdout
		stderr string // a substring of stderr
	}{
		{"self", []string{s("1.6.9.1"), s("1.6.9.1")}, 0, "no changes", ""},
		{"self, fail on any", []string{"-fail-on", "any", s("1.6.9.1"), s("1.6.9.1")}, 0, "no changes", ""},
		{"additions only", []string{"-fail-on", "breaking", s("1.6.8.0"), s("1.6.9.0")}, 0, "28 changes, 0 breaking", ""},
		{"additions, fail on any", []string{"-fail-on", "any", s("1.6.8.0"), s("1.6.9.0")}, 1, "28 changes", "28 changes"},
		{"breaking, no -fail-on", []string{s("1.6.7.0"), s("1.6.8.0")}, 0, "BREAKING: removed operation", ""},
		{"breaking", []string{"-fail-on", "breaking", s("1.6.7.0"), s("1.6.8.0")}, 1, "BREAKING", "20 breaking changes"},
		{"flags after the directories", []string{s("1.6.7.0"), s("1.6.8.0"), "-fail-on", "breaking"}, 1, "BREAKING", "20 breaking changes"},
		{"flags between the directories", []string{s("1.6.7.0"), "-json", s("1.6.8.0")}, 0, `"breaking": 20`, ""},
		{"one directory", []string{s("1.6.7.0")}, 2, "", "want OLD_DIR and NEW_DIR, got 1"},
		{"three directories", []string{s("1.6.7.0"), s("1.6.8.0"), s("1.6.9.0")}, 2, "", "got 3"},
		{"bad -fail-on", []string{"-fail-on", "sometimes", s("1.6.7.0"), s("1.6.8.0")}, 2, "", `-fail-on "sometimes"`},
		{"unknown flag", []string{"-frobnicate", s("1.6.7.0"), s("1.6.8.0")}, 2, "", "flag provided but not defined"},
		{"missing directory", []string{s("1.6.7.0"), s("0.0.0")}, 2, "", "agent_input.xsd"},
		{"broken schema", []string{broken, s("1.6.8.0")}, 2, "", "agent_input.xsd:"},
		{"help", []string{"-h"}, 0, "usage: pleskgen diff", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := runDiff(tt.args, &stdout, &stderr)
			if code != tt.code {
				t.Errorf("exit code %d, want %d\nstdout:\n%s\nstderr:\n%s", code, tt.code, stdout.String(), stderr.String())
			}
			if !strings.Contains(stdout.String(), tt.stdout) {
				t.Errorf("stdout lacks %q:\n%s", tt.stdout, stdout.String())
			}
			if !strings.Contains(stderr.String(), tt.stderr) {
				t.Errorf("stderr lacks %q:\n%s", tt.stderr, stderr.String())
			}
			if tt.stderr == "" && stderr.Len() > 0 {
				t.Errorf("unexpected stderr:\n%s", stderr.String())
			}
		})
	}
}

func TestDiffJSON(t *testing.T) {
	var stdout, stderr bytes.Buffer
	old, cur := filepath.Join("..", "..", "schemas", "1.6.9.0"), filepath.Join("..", "..", "schemas", "1.6.9.1")
	if code := runDiff([]string{"-json", old, cur}, &stdout, &stderr); code != 0 {
		t.Fatalf("exit code %d: %s", code, stderr.String())
	}
	var doc diff.JSON
	if err := json.Unmarshal(stdout.Bytes(), &doc); err != nil {
		t.Fatalf("%v\n%s", err, stdout.String())
	}
	if doc.Old != old || doc.New != cur || doc.Total != 29 || doc.Breaking != 16 || len(doc.Changes) != 29 {
		t.Fatalf("got %+v", doc)
	}
	var c diff.JSONChange
	for _, x := range doc.Changes {
		if x.Operator == "customer" {
			c = x
			break
		}
	}
	if c.Operator != "customer" || c.Side != "response" || c.Change != "removed" || c.Node != "element" ||
		c.Path != "customer/get/result/data/stat/webapps" || !c.Breaking || c.New != nil || c.Old == nil ||
		!strings.HasPrefix(c.Old.Pos, filepath.ToSlash(old)+"/client_output.xsd:") {
		t.Errorf("first change: %+v, old %+v", c, c.Old)
	}
}
