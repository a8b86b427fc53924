// Package modtest prepares throwaway Go modules for tests that run the go
// command on code depending on this module (the README's examples, a
// generated package, a downstream module's go generate).
//
// Such a test must pass on a brand-new machine: an empty module cache, the
// Go module proxy reachable, no checksum server. So a throwaway module
//
//   - carries the checksums it needs: this module's own go.sum, copied;
//   - uses only modules this module itself requires, and finds them in the
//     module cache, where Prepare put them with `go mod download` run in this
//     module, the way its own build fetches them (through GOPROXY, verified
//     against go.sum);
//   - runs the go command with GOPROXY=off and GOSUMDB=off, so that nothing
//     else is fetched and no checksum database is asked.
//
// `go mod download` is needed beyond what `go test ./...` fetched: go mod
// tidy considers every build tag and the tests of dependencies, so it reads
// modules (golang.org/x/sys through go-internal) that a build on this
// machine never compiles.
package modtest

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"

	"github.com/pleskgo/plesk/internal/sharedtest"
)

// Path is the module path of this repository.
const Path = "github.com/pleskgo/plesk"

var download struct {
	once sync.Once
	out  []byte
	err  error
}

// Prepare makes sure every module this module requires is in the module
// cache (once per test binary) and returns the environment for go commands
// run in a throwaway module: offline, with no checksum database, no
// workspace and the local toolchain. It skips the test when there is no go
// command.
func Prepare(tb testing.TB) []string {
	tb.Helper()
	goBin, err := exec.LookPath("go")
	if err != nil {
		tb.Skip("skipping: no go command in PATH")
	}
	download.once.Do(func() {
		cmd := exec.Command(goBin, "mod", "download")
		cmd.Dir = sharedtest.ModuleRoot()
		cmd.Env = append(os.Environ(), "GOWORK=off", "GOFLAGS=-mod=readonly")
		download.out, download.err = cmd.CombinedOutput()
	})
	if download.err != nil {
		tb.Fatalf("go mod download in %s (fetching this module's own requirements through GOPROXY): %v\n%s",
			sharedtest.ModuleRoot(), download.err, download.out)
	}
	return Env()
}

// Offline is what Prepare's environment sets, as KEY=VALUE: modules from
// the cache only, no checksum database, no workspace, the local toolchain;
// -mod=mod lets the go command complete a throwaway go.mod from the cache.
var Offline = []string{
	"GOFLAGS=-mod=mod",
	"GOPROXY=off",
	"GOSUMDB=off",
	"GOWORK=off",
	"GOTOOLCHAIN=local",
}

// Env is the process environment with Offline applied.
func Env() []string {
	return append(os.Environ(), Offline...)
}

// WriteModule writes dir/go.mod for a module named module that requires
// this one through a replace directive pointing at this checkout, and
// copies this module's go.sum beside it.
func WriteModule(tb testing.TB, dir, module string) {
	tb.Helper()
	root := sharedtest.ModuleRoot()
	goMod := fmt.Sprintf("module %s\n\ngo 1.24\n\nrequire %s v0.0.0\n\nreplace %s => %s\n", module, Path, Path, root)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		tb.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte(goMod), 0o644); err != nil {
		tb.Fatal(err)
	}
	if err := CopySum(dir); err != nil {
		tb.Fatal(err)
	}
}

// CopySum copies this module's go.sum into dir.
func CopySum(dir string) error {
	sum, err := os.ReadFile(filepath.Join(sharedtest.ModuleRoot(), "go.sum"))
	if err != nil {
		return fmt.Errorf("reading this module's go.sum: %w", err)
	}
	return os.WriteFile(filepath.Join(dir, "go.sum"), sum, 0o644)
}
