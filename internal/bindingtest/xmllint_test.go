package bindingtest

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pleskgo/plesk/internal/sharedtest"
)

// needXmllint returns the path of xmllint; it skips the test when xmllint
// is missing, or fails it when sharedtest.EnvRequire is set.
func needXmllint(t *testing.T) string {
	t.Helper()
	p := findXmllint(t)
	if p == "" {
		t.Skip("skipping: xmllint is not installed (apt-get install libxml2-utils)")
	}
	return p
}

// findXmllint returns the path of xmllint, or "" when it is missing; it
// fails the test when xmllint is missing and sharedtest.EnvRequire is set.
func findXmllint(t *testing.T) string {
	t.Helper()
	p, err := exec.LookPath("xmllint")
	if err != nil {
		if os.Getenv(sharedtest.EnvRequire) != "" {
			t.Fatalf("xmllint is required (%s is set) but not on PATH", sharedtest.EnvRequire)
		}
		return ""
	}
	return p
}

// verdict is what xmllint said of one file.
type verdict struct {
	valid    bool
	messages []string // the lines about the file, without the verdict line
}

func (v verdict) String() string {
	if v.valid {
		return "valid"
	}
	return "invalid:\n\t" + strings.Join(v.messages, "\n\t")
}

// lint validates files (paths relative to dir) against schema in one run of
// xmllint and returns each file's verdict. It fails when the schema does not
// compile or a file gets no verdict.
func lint(xmllint, schema, dir string, files []string) (map[string]verdict, error) {
	res := map[string]verdict{}
	if len(files) == 0 {
		return res, nil
	}
	cmd := exec.Command(xmllint, append([]string{"--noout", "--nonet", "--schema", schema}, files...)...)
	cmd.Dir = dir
	out, _ := cmd.CombinedOutput() // the exit status only says that some file failed
	if bytes.Contains(out, []byte("failed to compile")) {
		return nil, fmt.Errorf("xmllint cannot compile %s:\n%s", schema, firstLines(string(out), 12))
	}
	seen := map[string]bool{}
	for _, line := range strings.Split(string(out), "\n") {
		switch {
		case line == "":
		case strings.HasSuffix(line, " validates"):
			f := strings.TrimSuffix(line, " validates")
			v := res[f]
			v.valid = true
			res[f] = v
			seen[f] = true
		case strings.HasSuffix(line, " fails to validate"):
			f := strings.TrimSuffix(line, " fails to validate")
			v := res[f] // record the file even when xmllint says nothing more
			res[f] = v
			seen[f] = true
		default:
			if f, _, ok := strings.Cut(line, ":"); ok {
				v := res[f]
				v.messages = append(v.messages, line)
				res[f] = v
			}
		}
	}
	for _, f := range files {
		if !seen[f] {
			return nil, fmt.Errorf("xmllint gave no verdict on %s:\n%s", f, firstLines(string(out), 12))
		}
	}
	return res, nil
}

// lintBytes writes docs (name → content) under a temporary directory and
// validates them against schema in one run of xmllint.
func lintBytes(t *testing.T, xmllint, schema string, docs map[string][]byte) map[string]verdict {
	t.Helper()
	dir := t.TempDir()
	var files []string
	for name, b := range docs {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		files = append(files, name)
	}
	res, err := lint(xmllint, schema, dir, files)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func firstLines(s string, n int) string {
	lines := strings.SplitN(s, "\n", n+1)
	if len(lines) > n {
		lines = append(lines[:n], "…")
	}
	return strings.Join(lines, "\n")
}
