package gen_test

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/pleskgo/plesk/gen"
	"github.com/pleskgo/plesk/internal/sharedtest"
)

// moduleTemp makes a directory inside the module, so that packages
// generated into it build against this module's runtime, and removes it
// when the test ends. It is under gen/testdata, which ./... patterns skip,
// so one left by an interrupted run breaks no build. It returns the
// directory and its import path.
func moduleTemp(t *testing.T, pattern string) (string, string) {
	t.Helper()
	if testing.Short() {
		t.Skip("builds generated packages; skipped with -short")
	}
	dir, err := os.MkdirTemp(filepath.Join(sharedtest.ModuleRoot(), "gen", "testdata"), pattern)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	return dir, "github.com/pleskgo/plesk/gen/testdata/" + filepath.Base(dir)
}

// goTest runs go test on the packages under dir.
func goTest(t *testing.T, dir string) {
	t.Helper()
	cmd := exec.Command("go", "test", "-count=1", "-v", "./...")
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("go test in %s: %v\n%s", dir, err, out)
	}
	t.Logf("%s", out)
}

// TestClassificationDecides generates testdata/readonly twice, with its
// operations.txt (customer/get read, customer/del write) and with
// flipped.txt (the other way round), and shows that the file alone decides
// the generated descriptors and, through them, the runtime: which call
// WithReadRetry sends again after a 503, and which empty filter the guard
// refuses before anything is sent.
func TestClassificationDecides(t *testing.T) {
	dir, path := moduleTemp(t, "tmp-classification-")
	for _, v := range []struct{ pkg, operations string }{
		{"asdefault", ""},
		{"flipped", filepath.Join("testdata", "readonly", "flipped.txt")},
	} {
		_, err := gen.Run(gen.Options{SchemaDir: filepath.Join("testdata", "readonly"), OutDir: filepath.Join(dir, v.pkg),
			Package: v.pkg, Version: "1.6.9.1", Operations: v.operations})
		if err != nil {
			t.Fatal(err)
		}
	}
	readOnly := func(pkg, op string) bool {
		b, err := os.ReadFile(filepath.Join(dir, pkg, "api_gen.go"))
		if err != nil {
			t.Fatal(err)
		}
		_, rest, _ := strings.Cut(string(b), "var opCustomer"+op+" = rpcimpl.Operation{")
		desc, _, _ := strings.Cut(rest, "}")
		return strings.Contains(desc, "ReadOnly:  true")
	}
	if !readOnly("asdefault", "Get") || readOnly("asdefault", "Del") || readOnly("flipped", "Get") || !readOnly("flipped", "Del") {
		t.Fatalf("descriptors: asdefault Get %v Del %v, flipped Get %v Del %v; want true false false true",
			readOnly("asdefault", "Get"), readOnly("asdefault", "Del"), readOnly("flipped", "Get"), readOnly("flipped", "Del"))
	}
	test := fmt.Sprintf(`package check

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pleskgo/plesk/rpc"
	%[1]q
	%[2]q
)

func TestDecisions(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		http.Error(w, "busy", http.StatusServiceUnavailable)
	}))
	defer srv.Close()
	c, err := rpc.NewClient(srv.URL, rpc.WithSecretKey("k"),
		rpc.WithReadRetry(rpc.RetryPolicy{Attempts: 3, MinBackoff: time.Microsecond, MaxBackoff: time.Microsecond}))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	a, f := asdefault.New(c).Customer, flipped.New(c).Customer
	for _, tt := range []struct {
		name    string
		call    func() error
		sends   int32 // 0: refused by the guard
	}{
		{"default get by id", func() error { _, err := a.Get(ctx, &asdefault.CustomerGet{Filter: asdefault.Filter{ID: []int64{1}}}); return err }, 3},
		{"default del by id", func() error { _, err := a.Del(ctx, &asdefault.CustomerDel{Filter: asdefault.Filter{ID: []int64{1}}}); return err }, 1},
		{"default get, empty filter", func() error { _, err := a.Get(ctx, &asdefault.CustomerGet{}); return err }, 3},
		{"default del, empty filter", func() error { _, err := a.Del(ctx, &asdefault.CustomerDel{}); return err }, 0},
		{"flipped get by id", func() error { _, err := f.Get(ctx, &flipped.CustomerGet{Filter: flipped.Filter{ID: []int64{1}}}); return err }, 1},
		{"flipped del by id", func() error { _, err := f.Del(ctx, &flipped.CustomerDel{Filter: flipped.Filter{ID: []int64{1}}}); return err }, 3},
		{"flipped get, empty filter", func() error { _, err := f.Get(ctx, &flipped.CustomerGet{}); return err }, 0},
		{"flipped del, empty filter", func() error { _, err := f.Del(ctx, &flipped.CustomerDel{}); return err }, 3},
	} {
		hits.Store(0)
		err := tt.call()
		if n := hits.Load(); n != tt.sends {
			t.Errorf("%%s: sent %%d times, want %%d (err %%v)", tt.name, n, tt.sends, err)
		}
		var ve *rpc.ValidationError
		refused := errors.As(err, &ve) && errors.Is(err, rpc.ErrInvalidRequest)
		if refused != (tt.sends == 0) {
			t.Errorf("%%s: err = %%v; refused by the guard: %%v, want %%v", tt.name, err, refused, tt.sends == 0)
		}
		if tt.sends > 0 && !errors.Is(err, rpc.ErrHTTPStatus) {
			t.Errorf("%%s: err = %%v, want the 503", tt.name, err)
		}
	}
}
`, path+"/asdefault", path+"/flipped")
	if err := os.MkdirAll(filepath.Join(dir, "check"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "check", "check_test.go"), []byte(test), 0o644); err != nil {
		t.Fatal(err)
	}
	goTest(t, dir)
}

// seedOperators are the operators of the design card's five-schema shape.
var seedOperators = []string{"migration", "database", "customer", "webspace"}

// TestOperatorSubset generates schemas/1.6.9.1 with the four seed
// operators only and checks that the package compiles, that its client
// holds exactly those operators, and that every sample packet of theirs
// (../shared) decodes into it as into the full plesk1691: the same
// encoding back, the same deviations (none where the full package has
// none), request and response side.
func TestOperatorSubset(t *testing.T) {
	samples := []string{}
	for _, c := range []string{"plesk-samples", "plesk-external"} {
		if d, ok := sharedtest.Find(t, c); ok {
			samples = append(samples, d)
		}
	}
	if len(samples) == 0 {
		t.Skip("no sample packets (../shared/plesk-samples, ../shared/plesk-external)")
	}
	dir, path := moduleTemp(t, "tmp-subset-")
	schemas := filepath.Join(sharedtest.ModuleRoot(), "schemas", "1.6.9.1")
	if _, err := gen.Run(gen.Options{SchemaDir: schemas, OutDir: filepath.Join(dir, "sub"), Package: "sub", Operators: seedOperators}); err != nil {
		t.Fatal(err)
	}
	if got := clientOperators(t, filepath.Join(dir, "sub", "api_gen.go")); !slices.Equal(got, []string{"Customer", "Webspace", "Migration", "Database"}) {
		t.Errorf("the client's operators are %q", got)
	}
	test := fmt.Sprintf(`package check

import (
	"bufio"
	"bytes"
	"context"
	"encoding/xml"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/pleskgo/plesk/generated/plesk1691"
	"github.com/pleskgo/plesk/rpc"
	%[1]q
)

var operators = map[string]bool{%[2]s}

func TestSamplesAsWithTheFullPackage(t *testing.T) {
	checked, others := 0, 0
	for _, dir := range %[3]s {
		index, err := os.ReadFile(filepath.Join(dir, "INDEX.tsv"))
		if err != nil {
			t.Fatal(err)
		}
		col := map[string]int{}
		sc := bufio.NewScanner(bytes.NewReader(index))
		for first := true; sc.Scan(); first = false {
			cols := strings.Split(sc.Text(), "\t")
			if first {
				for i, c := range cols {
					col[c] = i
				}
				continue
			}
			file, operator, kind := cols[col["file"]], cols[col["operator"]], cols[col["kind"]]
			data, err := os.ReadFile(filepath.Join(dir, file))
			if err != nil {
				t.Fatal(err)
			}
			var subV, fullV any = &sub.RequestPacket{}, &plesk1691.RequestPacket{}
			if kind == "response" {
				subV, fullV = &sub.ResponsePacket{}, &plesk1691.ResponsePacket{}
			}
			subErr, fullErr := xml.Unmarshal(data, subV), xml.Unmarshal(data, fullV)
			if !operators[operator] {
				// Another operator's packet keeps everything, as content
				// the subset does not declare.
				if subErr == nil && fullErr == nil && len(rpc.Deviations(subV)) > len(rpc.Deviations(fullV)) {
					others++
				}
				continue
			}
			checked++
			if (subErr == nil) != (fullErr == nil) {
				t.Errorf("%%s: decoding: subset %%v, full %%v", file, subErr, fullErr)
				continue
			}
			if subErr != nil {
				continue
			}
			subOut, err1 := xml.Marshal(subV)
			fullOut, err2 := xml.Marshal(fullV)
			if err1 != nil || err2 != nil || !bytes.Equal(subOut, fullOut) {
				t.Errorf("%%s: encoding differs (%%v, %%v):\nsubset %%s\nfull   %%s", file, err1, err2, subOut, fullOut)
			}
			if sd, fd := rpc.Deviations(subV), rpc.Deviations(fullV); !reflect.DeepEqual(sd, fd) {
				t.Errorf("%%s: deviations differ:\nsubset %%v\nfull   %%v", file, sd, fd)
			}
		}
	}
	if checked < 40 || others == 0 {
		t.Errorf("checked %%d samples of the four operators and %%d of others; want at least 40 and some", checked, others)
	}
	t.Logf("%%d samples of the four operators decode as with the full package; %%d of other operators keep theirs as undeclared content", checked, others)
}

// TestZeroRequestsAsWithTheFullPackage calls every operation method of
// the subset and of the full package with a zero request through an
// invoker that records what it is given: the guard and validation decide
// alike (the same error, or the same op sent, read-only alike).
func TestZeroRequestsAsWithTheFullPackage(t *testing.T) {
	record := func(sent *[]string) rpc.Invoker {
		return rpc.InvokerFunc(func(ctx context.Context, version string, ops ...*rpc.Op) error {
			for _, op := range ops {
				*sent = append(*sent, fmt.Sprintf("%%s read-only=%%v", op, op.ReadOnly))
			}
			return nil
		})
	}
	var subSent, fullSent []string
	subCli := reflect.ValueOf(sub.New(record(&subSent))).Elem()
	fullCli := reflect.ValueOf(plesk1691.New(record(&fullSent))).Elem()
	methods, refused := 0, 0
	for i := range subCli.NumField() {
		name := subCli.Type().Field(i).Name
		if !subCli.Type().Field(i).IsExported() {
			continue
		}
		so, fo := subCli.Field(i), fullCli.FieldByName(name)
		if !fo.IsValid() || so.NumMethod() != fo.NumMethod() {
			t.Fatalf("operator %%s: %%d methods in the subset, the full package has %%v", name, so.NumMethod(), fo)
		}
		for j := range so.NumMethod() {
			mname := so.Type().Method(j).Name
			sm, fm := so.Method(j), fo.MethodByName(mname)
			if sm.Type().NumIn() != 2 || sm.Type().In(1).Kind() != reflect.Pointer || strings.HasPrefix(mname, "Stream") {
				continue
			}
			methods++
			subSent, fullSent = nil, nil
			sErr := sm.Call([]reflect.Value{reflect.ValueOf(context.Background()), reflect.New(sm.Type().In(1).Elem())})[1].Interface()
			fErr := fm.Call([]reflect.Value{reflect.ValueOf(context.Background()), reflect.New(fm.Type().In(1).Elem())})[1].Interface()
			if fmt.Sprint(sErr) != fmt.Sprint(fErr) || !reflect.DeepEqual(subSent, fullSent) {
				t.Errorf("%%s.%%s: subset %%v, sent %%q; full %%v, sent %%q", name, mname, sErr, subSent, fErr, fullSent)
			}
			if sErr != nil && strings.Contains(fmt.Sprint(sErr), "selects nothing explicitly") {
				refused++
			}
		}
	}
	if methods < 40 || refused == 0 {
		t.Errorf("%%d methods compared, %%d refused by the guard; want at least 40 and some", methods, refused)
	}
	t.Logf("%%d operation methods decide a zero request as the full package does; the guard refuses %%d", methods, refused)
}
`, path+"/sub", quotedSet(seedOperators), goStrings(samples))
	if err := os.MkdirAll(filepath.Join(dir, "check"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "check", "check_test.go"), []byte(test), 0o644); err != nil {
		t.Fatal(err)
	}
	goTest(t, dir)
}

// clientOperators returns the names of the Client's operator fields in an
// api_gen.go.
func clientOperators(t *testing.T, file string) []string {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), file, nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	ast.Inspect(f, func(n ast.Node) bool {
		ts, ok := n.(*ast.TypeSpec)
		if !ok || ts.Name.Name != "Client" {
			return true
		}
		for _, fd := range ts.Type.(*ast.StructType).Fields.List {
			if star, ok := fd.Type.(*ast.StarExpr); ok {
				if id, ok := star.X.(*ast.Ident); ok && strings.HasSuffix(id.Name, "Operator") {
					for _, n := range fd.Names {
						out = append(out, n.Name)
					}
				}
			}
		}
		return false
	})
	return out
}

func quotedSet(names []string) string {
	var b strings.Builder
	for _, n := range names {
		fmt.Fprintf(&b, "%q: true, ", n)
	}
	return b.String()
}

func goStrings(s []string) string {
	var b strings.Builder
	b.WriteString("[]string{")
	for _, v := range s {
		fmt.Fprintf(&b, "%q, ", v)
	}
	b.WriteString("}")
	return b.String()
}
