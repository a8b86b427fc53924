package golang_test

import (
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pleskgo/plesk/gen"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// TestGolden generates each testdata/<case>/ schema set and compares the
// output with the committed *_gen.go files; a case with error.txt must fail
// with exactly that message instead. A case's bindings.txt applies by
// default; flags.txt may turn it off or name another file (see caseFlags).
// Run with -update to rewrite them.
func TestGolden(t *testing.T) {
	dirs, err := filepath.Glob("testdata/*")
	if err != nil {
		t.Fatal(err)
	}
	var compile []string
	for _, dir := range dirs {
		name := filepath.Base(dir)
		t.Run(name, func(t *testing.T) {
			// A case with schema.xsd tests types alone; one with the
			// packet roots, the operators too.
			opts := gen.Options{SchemaDir: dir, Roots: []string{"schema.xsd"}, Package: name, Version: "1.0", TypesOnly: true}
			if _, err := os.Stat(filepath.Join(dir, "agent_input.xsd")); err == nil {
				opts.Roots, opts.TypesOnly = gen.DefaultRoots, false
			}
			caseFlags(t, dir, &opts)
			files, err := gen.Generate(opts)
			errFile := filepath.Join(dir, "error.txt")
			if wantErr, rerr := os.ReadFile(errFile); rerr == nil || (*update && err != nil) {
				if err == nil {
					t.Fatalf("generated without error; want %q", wantErr)
				}
				if *update {
					writeGolden(t, errFile, []byte(err.Error()+"\n"))
					return
				}
				if diff := cmp.Diff(strings.TrimSpace(string(wantErr)), err.Error()); diff != "" {
					t.Errorf("error message (-want +got):\n%s", diff)
				}
				return
			}
			if err != nil {
				t.Fatalf("generate: %v", err)
			}
			old, _ := filepath.Glob(filepath.Join(dir, "*_gen.go"))
			got := map[string]bool{}
			for _, f := range files {
				got[f.Name] = true
				p := filepath.Join(dir, f.Name)
				if *update {
					writeGolden(t, p, f.Content)
					continue
				}
				want, err := os.ReadFile(p)
				if err != nil {
					t.Errorf("%s: missing golden file (run go test -update)", p)
					continue
				}
				if diff := cmp.Diff(string(want), string(f.Content)); diff != "" {
					t.Errorf("%s (-want +got):\n%s", p, diff)
				}
			}
			for _, p := range old {
				if !got[filepath.Base(p)] {
					if *update {
						os.Remove(p)
					} else {
						t.Errorf("%s: golden file no longer generated", p)
					}
				}
			}
			compile = append(compile, "./"+filepath.ToSlash(dir))
		})
	}
	if len(compile) == 0 || t.Failed() || testing.Short() {
		return
	}
	// ./... skips testdata: build and vet each golden package by its path.
	cmd := exec.Command("go", append([]string{"vet"}, compile...)...)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go vet of the golden packages: %v\n%s", err, out)
	}
}

// caseFlags applies the pleskgen flags a case's flags.txt holds (only
// those about binding customizations, the operation classification and
// the operators to keep); a case without one runs with the defaults, which
// apply its bindings.txt and operations.txt if it has them.
func caseFlags(t *testing.T, dir string, opts *gen.Options) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "flags.txt"))
	if err != nil {
		return
	}
	args := strings.Fields(string(b))
	for i := 0; i < len(args); i++ {
		switch {
		case args[i] == "-no-bindings":
			opts.NoBindings = true
		case args[i] == "-bindings" && i+1 < len(args):
			i++
			opts.Bindings = filepath.Join(dir, args[i])
		case args[i] == "-operations" && i+1 < len(args):
			i++
			opts.Operations = filepath.Join(dir, args[i])
		case args[i] == "-operators" && i+1 < len(args):
			i++
			opts.Operators = strings.Split(args[i], ",")
		default:
			t.Fatalf("%s/flags.txt: unsupported flag %q", dir, args[i])
		}
	}
}

func writeGolden(t *testing.T, path string, b []byte) {
	t.Helper()
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
}
