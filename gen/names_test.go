package gen_test

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/pleskgo/plesk/gen"
	"github.com/pleskgo/plesk/gen/naming"
	"github.com/pleskgo/plesk/internal/sharedtest"
)

// TestGeneratedNames walks every package of generated/ and the bindings of
// the official 1.6.6.0 schema set with go/ast and fails on any exported
// identifier that breaks the naming scheme of gen/naming: an initialism
// spelled otherwise than the table has it, a stutter, a disambiguating
// digit or "_", errcode/errtext named otherwise than ErrCode/ErrText, or a
// field named like its struct.
func TestGeneratedNames(t *testing.T) {
	dirs, err := filepath.Glob(filepath.Join("..", "generated", "*"))
	if err != nil {
		t.Fatal(err)
	}
	// The golden case written for the scheme follows it too.
	dirs = append(dirs, filepath.Join("golang", "testdata", "scheme"))
	for _, dir := range dirs {
		t.Run(filepath.Base(dir), func(t *testing.T) {
			reportNames(t, dir)
		})
	}
	t.Run("official-1.6.6.0", func(t *testing.T) {
		schemas := sharedtest.Dir(t, "plesk-xsd", "1.6.6.0")
		out := filepath.Join(t.TempDir(), "plesk1660")
		if _, err := gen.Run(gen.Options{SchemaDir: schemas, OutDir: out, Package: "plesk1660"}); err != nil {
			t.Fatalf("generate: %v", err)
		}
		reportNames(t, out)
	})
}

func reportNames(t *testing.T, dir string) {
	t.Helper()
	problems, err := nameProblems(dir)
	if err != nil {
		t.Fatal(err)
	}
	const most = 60
	for i, p := range problems {
		if i == most {
			t.Errorf("... and %d more", len(problems)-most)
			break
		}
		t.Error(p)
	}
}

// nameProblems parses the Go files of dir and lists every naming problem,
// each with its file:line.
func nameProblems(dir string) ([]string, error) {
	fset := token.NewFileSet()
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		return nil, err
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("%s: no Go files", dir)
	}
	var out []string
	add := func(pos token.Pos, format string, args ...any) {
		p := fset.Position(pos)
		out = append(out, fmt.Sprintf("%s:%d: %s", filepath.Base(p.Filename), p.Line, fmt.Sprintf(format, args...)))
	}
	lint := func(id *ast.Ident) {
		if !id.IsExported() {
			return
		}
		for _, p := range naming.Lint(id.Name) {
			add(id.Pos(), "%s", p)
		}
	}
	for _, file := range files {
		f, err := parser.ParseFile(fset, file, nil, parser.SkipObjectResolution)
		if err != nil {
			return nil, err
		}
		for _, d := range f.Decls {
			switch d := d.(type) {
			case *ast.FuncDecl:
				lint(d.Name)
			case *ast.GenDecl:
				for _, s := range d.Specs {
					switch s := s.(type) {
					case *ast.TypeSpec:
						lint(s.Name)
						if naming.EndsInDigit(s.Name.Name) {
							add(s.Pos(), "type %s ends in a disambiguating digit", s.Name.Name)
						}
						if st, ok := s.Type.(*ast.StructType); ok {
							checkFields(s.Name.Name, st, lint, add)
						}
					case *ast.ValueSpec:
						checkConsts(s, lint, add)
					}
				}
			}
		}
	}
	sort.Strings(out)
	return out, nil
}

func checkFields(typeName string, st *ast.StructType, lint func(*ast.Ident), add func(token.Pos, string, ...any)) {
	for _, fl := range st.Fields.List {
		xmlName := ""
		if fl.Tag != nil {
			if tag, err := strconv.Unquote(fl.Tag.Value); err == nil {
				xmlName, _, _ = strings.Cut(reflect.StructTag(tag).Get("xml"), ",")
				if i := strings.LastIndexByte(xmlName, ' '); i >= 0 { // "namespace local"
					xmlName = xmlName[i+1:]
				}
			}
		}
		for _, id := range fl.Names {
			lint(id)
			name := id.Name
			switch strings.ToLower(xmlName) {
			case "errcode", "errtext":
				if want := naming.Exported(xmlName); name != want {
					add(id.Pos(), "field %s.%s for <%s> must be %s", typeName, name, xmlName, want)
				}
			}
			if naming.EndsInDigit(name) && (xmlName == "" || name != naming.Field(xmlName)) {
				add(id.Pos(), "field %s.%s ends in a disambiguating digit", typeName, name)
			}
			if id.IsExported() && name == typeName {
				add(id.Pos(), "field %s.%s repeats its struct's name", typeName, name)
			}
		}
	}
}

// checkConsts checks the constants of a declaration; an enumeration
// constant may end in a digit when its value does.
func checkConsts(s *ast.ValueSpec, lint func(*ast.Ident), add func(token.Pos, string, ...any)) {
	typ, _ := s.Type.(*ast.Ident)
	for i, id := range s.Names {
		value, isEnum := "", false
		if typ != nil && i < len(s.Values) {
			if lit, ok := s.Values[i].(*ast.BasicLit); ok && lit.Kind == token.STRING {
				v, err := strconv.Unquote(lit.Value)
				value, isEnum = v, err == nil
			}
		}
		// The one stutter kept: a value that is its type's last word
		// again (BooleanWithDefault "default").
		if !(isEnum && id.Name == naming.EnumConst(typ.Name, value) && naming.Join(typ.Name, value) == typ.Name+naming.RepeatSuffix) {
			lint(id)
		}
		if !naming.EndsInDigit(id.Name) || !id.IsExported() {
			continue
		}
		if typ != nil && i < len(s.Values) {
			if lit, ok := s.Values[i].(*ast.BasicLit); ok && lit.Kind == token.STRING {
				v, err := strconv.Unquote(lit.Value)
				if err == nil && (id.Name == naming.EnumConst(typ.Name, v) || id.Name == naming.EnumConstSymbols(typ.Name, v)) {
					continue
				}
			}
		}
		add(id.Pos(), "constant %s ends in a disambiguating digit", id.Name)
	}
}

// TestNameProblemsCatches runs the checker on a package written to break
// every rule, so that TestGeneratedNames cannot pass by checking nothing.
func TestNameProblemsCatches(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "bad.go"), `package bad

type IPTypeType string

type Port string

const (
	ResultStatusOk Port = "ok"
	Level2 Port = "level"
	Port8080 Port = "8080"
)

type DatabaseServerResultType2 struct {
	Errcode int    `+"`xml:\"errcode\"`"+`
	ErrText string `+"`xml:\"errtext\"`"+`
	SbSiteUuid string `+"`xml:\"sb-site-uuid\"`"+`
	Name2 string `+"`xml:\"name\"`"+`
	L15 string `+"`xml:\"l15\"`"+`
	DatabaseServerResultType2 string
}

type Ui struct{ Www, AsciiName, IPv4 string }

func (Ui) GetAps() {}

type X_2 struct{}
`)
	got, err := nameProblems(dir)
	if err != nil {
		t.Fatal(err)
	}
	joined := strings.Join(got, "\n")
	for _, want := range []string{
		`IPTypeType: "Type" stutters`,
		`ResultStatusOk: "Ok" should be "OK"`,
		"constant Level2 ends in a disambiguating digit",
		"type DatabaseServerResultType2 ends in a disambiguating digit",
		`Errcode: "Errcode" should be "ErrCode"`,
		"field DatabaseServerResultType2.Errcode for <errcode> must be ErrCode",
		`SbSiteUuid: "Uuid" should be "UUID"`,
		"field DatabaseServerResultType2.Name2 ends in a disambiguating digit",
		"field DatabaseServerResultType2.DatabaseServerResultType2 repeats its struct's name",
		`Ui: "Ui" should be "UI"`,
		`Www: "Www" should be "WWW"`,
		`AsciiName: "Ascii" should be "ASCII"`,
		`GetAps: "Aps" should be "APS"`,
		`X_2: "_2" is a disambiguating suffix`,
	} {
		if !strings.Contains(joined, want) {
			t.Errorf("checker missed %q; it reported:\n%s", want, joined)
		}
	}
	for _, fine := range []string{"Port8080", "L15", "IPv4", "ErrText"} {
		for _, p := range got {
			if strings.Contains(p, " "+fine+" ") || strings.Contains(p, "."+fine+" ") || strings.Contains(p, ": "+fine+":") {
				t.Errorf("checker flagged %s, which follows the rules: %s", fine, p)
			}
		}
	}
}

// TestRenameResolvesClashes checks that each -rename entry a clash error
// suggests does resolve it: a field, an attribute and an anonymous type.
func TestRenameResolvesClashes(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "schema.xsd"), xsdDoc(
		`<xs:element name="root"><xs:complexType><xs:sequence>`+
			`<xs:element name="ip-address" type="xs:string"/><xs:element name="ip_address" type="xs:string"/>`+
			`<xs:element name="item"><xs:complexType><xs:sequence><xs:element name="v" type="xs:string"/></xs:sequence></xs:complexType></xs:element>`+
			`</xs:sequence><xs:attribute name="v" type="xs:string"/></xs:complexType></xs:element>`+"\n"+
			`<xs:complexType name="RootItem"><xs:sequence><xs:element name="w" type="xs:string"/></xs:sequence></xs:complexType>`+"\n"+
			`<xs:element name="other" type="RootItem"/>`))
	opts := gen.Options{SchemaDir: dir, Roots: []string{"schema.xsd"}, Package: "p", Version: "1.0", TypesOnly: true}
	_, err := gen.Generate(opts)
	if want := "-rename root.ip_address=OtherName"; err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("error %v does not suggest %s", err, want)
	}
	// Fields are named before types: with the field resolved, the type
	// clash shows.
	opts.Rename = map[string]string{"root.ip_address": "IPAddressAlt"}
	_, err = gen.Generate(opts)
	if want := "-rename root/item=OtherName"; err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("error %v does not suggest %s", err, want)
	}
	opts.Rename = map[string]string{"root.ip_address": "IPAddressAlt", "root/item": "RootEntry", "root.@v": "VAttribute"}
	files, err := gen.Generate(opts)
	if err != nil {
		t.Fatalf("the suggested -rename entries did not resolve the clashes: %v", err)
	}
	var all strings.Builder
	for _, f := range files {
		all.Write(f.Content)
	}
	for _, want := range []string{"IPAddressAlt +string +`xml:\"ip_address\"`", "Item +RootEntry", "VAttribute +\\*string", "type RootItem struct"} {
		if !regexp.MustCompile(want).MatchString(all.String()) {
			t.Errorf("generated code lacks %q:\n%s", want, all.String())
		}
	}
}
