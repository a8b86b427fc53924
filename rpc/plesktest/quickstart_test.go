package plesktest_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/pleskgo/plesk/internal/sharedtest"
)

// TestQuickstartCompiles builds the program of the README's quick start in a
// module of its own that requires this one, as a reader would after go get.
func TestQuickstartCompiles(t *testing.T) {
	if testing.Short() {
		t.Skip("skipping: builds a program")
	}
	root := sharedtest.ModuleRoot()
	doc, err := os.ReadFile(filepath.Join(root, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile("(?s)```go\n(package main\n.*?)```").FindSubmatch(doc)
	if m == nil {
		t.Fatal("README.md has no ```go block with package main")
	}
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("skipping: no go command")
	}
	dir := t.TempDir()
	mod := "module example.com/plesk-migrate\n\ngo 1.24\n\nrequire github.com/pleskgo/plesk v0.0.0\n\nreplace github.com/pleskgo/plesk => " + root + "\n"
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte(mod), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "main.go"), m[1], 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(goBin, "vet", ".")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOPROXY=off", "GOWORK=off")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go vet of the quick start program: %v\n%s", err, out)
	}
}
