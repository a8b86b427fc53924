package plesktest_test

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/pleskgo/plesk/internal/modtest"
	"github.com/pleskgo/plesk/internal/sharedtest"
)

// readmePrelude wraps a README snippet that is not a whole program: the
// snippet is the body of a function that has a context, credentials and an
// error result to return, in a package that imports what snippets use.
const readmePrelude = `package main

import (
	"context"
	"errors"
	"fmt"
	"log"
	"os"

	"github.com/pleskgo/plesk/generated/plesk1660"
	"github.com/pleskgo/plesk/generated/plesk1691"
	"github.com/pleskgo/plesk/rpc"
	"github.com/pleskgo/plesk/rpc/plesktest"
)

var (
	_ = errors.Is
	_ = fmt.Println
	_ = log.Printf
	_ = os.Open
	_ = plesk1660.ProtocolVersion
	_ = plesk1691.ProtocolVersion
	_ = rpc.Ptr[int]
	_ = plesktest.NewServer
)

// api is what the snippets after the first one call, srv the fake of
// those after the first one that starts it.
var (
	api                  = plesk1691.New(nil)
	srv *plesktest.Server // never started: the snippets are only compiled
)

func main() {}
`

// TestReadmeExamplesCompile builds every Go example of the README in a
// module of its own that requires this one, as a reader would after go get:
// the quick start as the program it is, every other snippet as the body of
// a function.
func TestReadmeExamplesCompile(t *testing.T) {
	if testing.Short() {
		t.Skip("skipping: builds programs")
	}
	root := sharedtest.ModuleRoot()
	doc, err := os.ReadFile(filepath.Join(root, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	blocks := regexp.MustCompile("(?s)```go\n(.*?)```").FindAllSubmatch(doc, -1)
	var mains, snippets []string
	for _, b := range blocks {
		if strings.HasPrefix(string(b[1]), "package main\n") {
			mains = append(mains, string(b[1]))
		} else {
			snippets = append(snippets, string(b[1]))
		}
	}
	if len(mains) != 1 || len(snippets) < 4 {
		t.Fatalf("README.md has %d programs and %d snippets; want the quick start and the examples of Calling Plesk", len(mains), len(snippets))
	}
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("skipping: no go command")
	}
	env := modtest.Prepare(t)
	dir := t.TempDir()
	modtest.WriteModule(t, dir, "example.com/readme")
	write := func(name, content string) {
		t.Helper()
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("quickstart/main.go", mains[0])
	var b strings.Builder
	b.WriteString(readmePrelude)
	for i, s := range snippets {
		fmt.Fprintf(&b, "\nfunc snippet%d(ctx context.Context, password, pin string) (err error) {\n\t{\n%s\n\t}\n\treturn err\n}\n", i, s)
	}
	write("snippets/main.go", b.String())
	cmd := exec.Command(goBin, "vet", "./...")
	cmd.Dir = dir
	cmd.Env = env
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go vet of the README's examples: %v\n%s\n%s", err, out, numbered(b.String()))
	}
}

func numbered(s string) string {
	var b strings.Builder
	for i, line := range strings.Split(s, "\n") {
		fmt.Fprintf(&b, "%4d %s\n", i+1, line)
	}
	return b.String()
}
