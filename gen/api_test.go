package gen_test

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/pleskgo/plesk/gen/model"
)

// TestGeneratedAPIShape walks every package of generated/ with go/ast and
// fails where the API breaks its promises to a reader: bookkeeping
// exported on a struct (Unknown, UnknownAttrs, XMLOrder, DecodeErr, an
// error field) instead of the one blank rpcimpl.Extra; an operation or
// batch method whose body is more than three statements; a request-side
// field kept as raw XML that is neither the schema's own wildcard nor
// explained by a binding customization.
func TestGeneratedAPIShape(t *testing.T) {
	dirs, err := filepath.Glob(filepath.Join("..", "generated", "*"))
	if err != nil {
		t.Fatal(err)
	}
	if len(dirs) < 5 {
		t.Fatalf("only %d generated packages", len(dirs))
	}
	for _, dir := range dirs {
		t.Run(filepath.Base(dir), func(t *testing.T) {
			problems, stats, err := apiProblems(dir)
			if err != nil {
				t.Fatal(err)
			}
			for i, p := range problems {
				if i == 40 {
					t.Errorf("... and %d more", len(problems)-40)
					break
				}
				t.Error(p)
			}
			t.Logf("%s: %d structs, %d operation and batch methods, %d request-side types", filepath.Base(dir), stats.structs, stats.methods, stats.request)
			if stats.structs < 100 || stats.methods < 100 {
				t.Errorf("checked only %d structs and %d methods", stats.structs, stats.methods)
			}
		})
	}
}

type apiStats struct{ structs, methods, request int }

var bookkeeping = map[string]bool{"Unknown": true, "UnknownAttrs": true, "XMLOrder": true, "DecodeErr": true}

func apiProblems(dir string) ([]string, apiStats, error) {
	var st apiStats
	fset := token.NewFileSet()
	pkgs, err := parser.ParseDir(fset, dir, nil, parser.ParseComments)
	if err != nil {
		return nil, st, err
	}
	var problems []string
	add := func(pos token.Pos, format string, args ...any) {
		p := fset.Position(pos)
		problems = append(problems, fmt.Sprintf("%s:%d: %s", filepath.Base(p.Filename), p.Line, fmt.Sprintf(format, args...)))
	}
	structs := map[string]*ast.StructType{}
	aliases := map[string]string{}
	for _, pkg := range pkgs {
		for _, f := range pkg.Files {
			for _, decl := range f.Decls {
				switch d := decl.(type) {
				case *ast.GenDecl:
					for _, spec := range d.Specs {
						ts, ok := spec.(*ast.TypeSpec)
						if !ok {
							continue
						}
						if ts.Assign.IsValid() {
							if id, ok := ts.Type.(*ast.Ident); ok {
								aliases[ts.Name.Name] = id.Name
							}
							continue
						}
						s, ok := ts.Type.(*ast.StructType)
						if !ok {
							continue
						}
						structs[ts.Name.Name] = s
						checkBookkeeping(ts.Name.Name, s, add)
						st.structs++
					}
				case *ast.FuncDecl:
					if d.Recv == nil || len(d.Recv.List) != 1 {
						continue
					}
					recv := receiverName(d.Recv.List[0].Type)
					if !strings.HasSuffix(recv, "Operator") && !strings.HasSuffix(recv, "Batch") {
						continue
					}
					st.methods++
					if n := len(d.Body.List); n > 3 {
						add(d.Pos(), "%s.%s has %d statements; an operation method is one call into the runtime", recv, d.Name.Name, n)
					}
				}
			}
		}
	}
	// The request side: every struct reachable from RequestPacket.
	seen := map[string]bool{}
	var visit func(name string)
	visit = func(name string) {
		for aliases[name] != "" {
			name = aliases[name]
		}
		s, ok := structs[name]
		if !ok || seen[name] {
			return
		}
		seen[name] = true
		st.request++
		for _, f := range s.Fields.List {
			typ := typeString(f.Type)
			if strings.Contains(typ, "rpc.Raw") && !strings.Contains(tagOf(f), ",any") {
				doc := f.Doc.Text()
				if !strings.Contains(doc, model.RawNote) || strings.Contains(doc, "no binding customization types it") {
					add(f.Pos(), "%s.%s is raw XML on the request side with no reason from a binding customization", name, fieldName(f))
				}
			}
			visit(strings.TrimLeft(typ, "*[]"))
		}
	}
	visit("RequestPacket")
	if !seen["RequestPacket"] {
		problems = append(problems, "no RequestPacket struct")
	}
	sort.Strings(problems)
	return problems, st, nil
}

// checkBookkeeping fails a struct that exports what only lossless decoding
// needs, or lacks the one blank field that keeps it.
func checkBookkeeping(name string, s *ast.StructType, add func(token.Pos, string, ...any)) {
	extra := 0
	handle := strings.HasSuffix(name, "Operator") || strings.HasSuffix(name, "Batch") || name == "Client"
	for _, f := range s.Fields.List {
		typ := typeString(f.Type)
		if typ == "rpcimpl.Extra" {
			extra++
			if len(f.Names) != 1 || f.Names[0].Name != "_" {
				add(f.Pos(), "%s keeps its bookkeeping in a named field; it must be the blank _ rpcimpl.Extra", name)
			}
			continue
		}
		for _, n := range f.Names {
			if n.IsExported() && (bookkeeping[n.Name] && !strings.Contains(tagOf(f), `xml:"`+strings.ToLower(n.Name)) || typ == "error") {
				add(f.Pos(), "%s exports bookkeeping: field %s %s", name, n.Name, typ)
			}
		}
	}
	if !handle && extra != 1 {
		add(s.Pos(), "%s has %d rpcimpl.Extra fields, want exactly one", name, extra)
	}
}

func receiverName(e ast.Expr) string {
	if s, ok := e.(*ast.StarExpr); ok {
		e = s.X
	}
	if id, ok := e.(*ast.Ident); ok {
		return id.Name
	}
	return ""
}

func typeString(e ast.Expr) string {
	switch t := e.(type) {
	case *ast.Ident:
		return t.Name
	case *ast.StarExpr:
		return "*" + typeString(t.X)
	case *ast.ArrayType:
		return "[]" + typeString(t.Elt)
	case *ast.SelectorExpr:
		return typeString(t.X) + "." + t.Sel.Name
	}
	return fmt.Sprintf("%T", e)
}

func tagOf(f *ast.Field) string {
	if f.Tag == nil {
		return ""
	}
	return f.Tag.Value
}

func fieldName(f *ast.Field) string {
	if len(f.Names) == 0 {
		return typeString(f.Type)
	}
	return f.Names[0].Name
}

// TestAPIProblemsCatches feeds the checker a package that breaks each rule,
// so that TestGeneratedAPIShape cannot pass by checking nothing.
func TestAPIProblemsCatches(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "bad.go"), `package bad

import (
	"encoding/xml"

	"github.com/pleskgo/plesk/rpc"
	"github.com/pleskgo/plesk/rpc/rpcimpl"
)

type RequestPacket struct {
	Webspace *WebspaceDel `+"`xml:\"webspace\"`"+`
	_        rpcimpl.Extra
}

type WebspaceDel struct {
	NoPlan       *rpc.Raw   `+"`xml:\"no-plan\"`"+`
	Unknown      []rpc.Raw  `+"`xml:\",any\"`"+`
	UnknownAttrs []xml.Attr `+"`xml:\",any,attr\"`"+`
	DecodeErr    error
}

type WebspaceOperator struct{}

func (o *WebspaceOperator) Del() error {
	a := 1
	b := a
	_ = b
	return nil
}
`)
	problems, _, err := apiProblems(dir)
	if err != nil {
		t.Fatal(err)
	}
	joined := strings.Join(problems, "\n")
	for _, want := range []string{
		"WebspaceDel exports bookkeeping: field Unknown",
		"WebspaceDel exports bookkeeping: field UnknownAttrs",
		"WebspaceDel exports bookkeeping: field DecodeErr error",
		"WebspaceDel has 0 rpcimpl.Extra fields",
		"WebspaceOperator.Del has 4 statements",
		"WebspaceDel.NoPlan is raw XML on the request side",
	} {
		if !strings.Contains(joined, want) {
			t.Errorf("checker missed %q; it reported:\n%s", want, joined)
		}
	}
}
