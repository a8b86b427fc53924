package fuzztest

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"go/ast"
	"go/format"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/pleskgo/plesk/internal/sharedtest"
	"github.com/pleskgo/plesk/rpc"
)

// The fuzz targets decode a response into the result type of the operation
// it answers, for every operation of every version package. Go instantiates
// rpc.Do[T] at compile time only, so the operations are listed in
// optable_gen_test.go, which TestOperationTable derives from each package's
// api_gen.go and keeps up to date: after `make generate` changes the
// operations, run
//
//	go test ./internal/fuzztest -run TestOperationTable -update
var update = flag.Bool("update", false, "rewrite optable_gen_test.go from generated/*/api_gen.go")

// operation is one generated operation method, as the fuzz targets call it:
// do and stream decode its results as rpc.Do and rpc.Stream do, into the
// method's own result type, and return each result as a pointer.
type operation struct {
	operator, operation string
	result              func() any // a new *T
	do                  func(ctx context.Context, inv rpc.Invoker, op *rpc.Op) ([]any, error)
	stream              func(ctx context.Context, inv rpc.Invoker, op *rpc.Op) ([]any, []error)
}

func fresh[T any]() any { return new(T) }

func do[T any](ctx context.Context, inv rpc.Invoker, op *rpc.Op) ([]any, error) {
	res, err := rpc.Do[T](ctx, inv, "", op)
	out := make([]any, len(res))
	for i := range res {
		out[i] = &res[i]
	}
	return out, err
}

func stream[T any](ctx context.Context, inv rpc.Invoker, op *rpc.Op) ([]any, []error) {
	var out []any
	var errs []error
	for v, err := range rpc.Stream[T](ctx, inv, "", op) {
		out = append(out, &v)
		errs = append(errs, err)
	}
	return out, errs
}

// tableMethod is what TestOperationTable reads from one generated method.
type tableMethod struct {
	operator, operation string
	result              string // the result type, qualified
	stream              bool
}

// readOperations returns the operations of the generated package in dir,
// sorted by operator and operation, with the result type qualified by pkg.
func readOperations(t *testing.T, dir, pkg string) []tableMethod {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, filepath.Join(dir, "api_gen.go"), nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	type opVar struct{ operator, operation string }
	vars := map[string]opVar{}
	for _, d := range f.Decls {
		gd, ok := d.(*ast.GenDecl)
		if !ok || gd.Tok != token.VAR {
			continue
		}
		for _, s := range gd.Specs {
			vs := s.(*ast.ValueSpec)
			if len(vs.Names) != 1 || len(vs.Values) != 1 {
				continue
			}
			cl, ok := vs.Values[0].(*ast.CompositeLit)
			if !ok {
				continue
			}
			var ov opVar
			for _, e := range cl.Elts {
				kv, ok := e.(*ast.KeyValueExpr)
				if !ok {
					continue
				}
				lit, ok := kv.Value.(*ast.BasicLit)
				if !ok {
					continue
				}
				s, _ := strconv.Unquote(lit.Value)
				switch kv.Key.(*ast.Ident).Name {
				case "Operator":
					ov.operator = s
				case "Operation":
					ov.operation = s
				}
			}
			if ov.operator != "" && ov.operation != "" {
				vars[vs.Names[0].Name] = ov
			}
		}
	}
	found := map[string]*tableMethod{}
	for _, d := range f.Decls {
		fd, ok := d.(*ast.FuncDecl)
		if !ok || fd.Recv == nil || fd.Body == nil || len(fd.Body.List) != 1 {
			continue
		}
		star, ok := fd.Recv.List[0].Type.(*ast.StarExpr)
		if !ok || !strings.HasSuffix(fmt.Sprint(star.X), "Operator") {
			continue
		}
		ret, ok := fd.Body.List[0].(*ast.ReturnStmt)
		if !ok || len(ret.Results) != 1 {
			continue
		}
		call, ok := ret.Results[0].(*ast.CallExpr)
		if !ok || len(call.Args) != 4 {
			continue
		}
		ix, ok := call.Fun.(*ast.IndexExpr)
		if !ok {
			continue
		}
		sel, ok := ix.X.(*ast.SelectorExpr)
		if !ok || fmt.Sprint(sel.X) != "rpcimpl" || sel.Sel.Name != "Do" && sel.Sel.Name != "Stream" {
			continue
		}
		ref, ok := call.Args[2].(*ast.UnaryExpr)
		if !ok {
			continue
		}
		ov, ok := vars[fmt.Sprint(ref.X)]
		if !ok {
			t.Fatalf("%s: %s refers to %s, which is no rpcimpl.Operation", dir, fd.Name.Name, ref.X)
		}
		var result string
		switch r := ix.Index.(type) {
		case *ast.Ident:
			result = pkg + "." + r.Name
		case *ast.SelectorExpr:
			result = fmt.Sprint(r.X) + "." + r.Sel.Name
		default:
			t.Fatalf("%s: %s: unexpected result type %T", dir, fd.Name.Name, ix.Index)
		}
		key := ov.operator + "/" + ov.operation
		m := found[key]
		if m == nil {
			m = &tableMethod{operator: ov.operator, operation: ov.operation, result: result}
			found[key] = m
		}
		if m.result != result {
			t.Fatalf("%s: %s decodes into %s and %s", dir, key, m.result, result)
		}
		if sel.Sel.Name == "Stream" {
			m.stream = true
		}
	}
	out := make([]tableMethod, 0, len(found))
	for _, m := range found {
		out = append(out, *m)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].operator != out[j].operator {
			return out[i].operator < out[j].operator
		}
		return out[i].operation < out[j].operation
	})
	return out
}

// TestOperationTable checks that optable_gen_test.go lists every operation
// method of every generated package, with its result type; with -update it
// rewrites the file.
func TestOperationTable(t *testing.T) {
	root := sharedtest.ModuleRoot()
	var b bytes.Buffer
	b.WriteString("// Code generated by TestOperationTable (go test ./internal/fuzztest -run TestOperationTable -update). DO NOT EDIT.\n\n")
	b.WriteString("package fuzztest\n\nimport (\n")
	for _, v := range versions {
		fmt.Fprintf(&b, "\t%q\n", "github.com/pleskgo/plesk/generated/"+v.name)
	}
	b.WriteString("\t\"github.com/pleskgo/plesk/rpc\"\n)\n\n")
	b.WriteString("// operations lists the operation methods of each version package.\n")
	b.WriteString("var operations = map[string][]operation{\n")
	total := 0
	for _, v := range versions {
		ms := readOperations(t, filepath.Join(root, "generated", v.name), v.name)
		if len(ms) == 0 {
			t.Fatalf("generated/%s/api_gen.go has no operation method", v.name)
		}
		total += len(ms)
		fmt.Fprintf(&b, "\t%q: {\n", v.name)
		for _, m := range ms {
			st := "nil"
			if m.stream {
				st = "stream[" + m.result + "]"
			}
			fmt.Fprintf(&b, "\t\t{%q, %q, fresh[%s], do[%s], %s},\n", m.operator, m.operation, m.result, m.result, st)
		}
		b.WriteString("\t},\n")
	}
	b.WriteString("}\n\nvar _ rpc.Raw\n")
	want, err := format.Source(b.Bytes())
	if err != nil {
		t.Fatalf("the table does not format: %v", err)
	}
	path := "optable_gen_test.go"
	if *update {
		if err := os.WriteFile(path, want, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("wrote %s: %d operations", path, total)
		return
	}
	got, err := os.ReadFile(path)
	if err != nil || !bytes.Equal(got, want) {
		t.Fatalf("%s does not list the operations of generated/*/api_gen.go (%d of them): run\n\tgo test ./internal/fuzztest -run TestOperationTable -update", path, total)
	}
	for _, v := range versions {
		if n := len(operations[v.name]); n == 0 {
			t.Errorf("no operation of %s in the table", v.name)
		}
	}
}
