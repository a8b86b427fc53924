package gen_test

import (
	"errors"
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"testing/fstest"

	"github.com/pleskgo/plesk/gen/golang"
	"github.com/pleskgo/plesk/gen/model"
	"github.com/pleskgo/plesk/gen/xsd"
)

// typeChecker type-checks generated packages. The source importer reads
// the packages they import (the standard library, rpc) once and keeps them.
type typeChecker struct {
	mu   sync.Mutex
	fset *token.FileSet
	imp  types.Importer
}

func newTypeChecker() *typeChecker {
	fset := token.NewFileSet()
	return &typeChecker{fset: fset, imp: importer.ForCompiler(fset, "source", nil)}
}

// check parses and type-checks files as one package.
func (c *typeChecker) check(files []golang.File) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	var parsed []*ast.File
	for _, f := range files {
		if !strings.HasSuffix(f.Name, ".go") {
			continue
		}
		af, err := parser.ParseFile(c.fset, f.Name, f.Content, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		parsed = append(parsed, af)
	}
	var errs []error
	conf := types.Config{Importer: c.imp, Error: func(err error) { errs = append(errs, err) }}
	conf.Check("example.com/generated", c.fset, parsed, nil)
	return errors.Join(errs...)
}

// FuzzGenerate runs the generator on an arbitrary schema.xsd, seeded with
// the schemas of gen/golang's golden cases and of TestHostileSchemas (the
// small ones). Whatever the text, the generator returns; when it accepts
// a schema, what it emits must type-check: every name it invents is a Go
// identifier, no two clash, no type contains itself.
func FuzzGenerate(f *testing.F) {
	golden, _ := filepath.Glob("golang/testdata/*/schema.xsd")
	for _, p := range golden {
		data, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	for _, tc := range hostileSchemas() {
		if root := tc.files["schema.xsd"]; len(root) < 4096 && len(tc.files) == 1 {
			f.Add([]byte(root))
		}
	}
	tc := newTypeChecker()
	f.Fuzz(func(t *testing.T, data []byte) {
		set, err := xsd.LoadFS(fstest.MapFS{"schema.xsd": &fstest.MapFile{Data: data}}, "schema.xsd")
		if err != nil {
			return
		}
		pkg, err := model.Build(set, nil, model.Options{Package: "generated", Version: "1.0"})
		if err != nil {
			return
		}
		files, err := golang.Emit(pkg)
		if err != nil {
			t.Fatalf("Emit fails on a model Build accepted: %v", err)
		}
		if err := tc.check(files); err != nil {
			var src strings.Builder
			for _, f := range files {
				src.Write(f.Content)
			}
			t.Fatalf("the generated code does not type-check: %v\n%s", err, src.String())
		}
	})
}
