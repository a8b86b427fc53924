package bindingtest

import (
	"context"
	"errors"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/pleskgo/plesk/rpc"
)

// TestBlankFilterNeverSent is the property behind the match-all guard: for
// every operation method of every version package whose request has a
// <filter>, filters filled with content that writes no value (nil and empty
// slices, empty strings, white space, empty nested elements, in random
// combinations from a fixed seed) are never sent on an operation that
// changes state: not by the method, not in a typed batch, not through
// rpc.Do or rpc.Stream with the same request, neither to a recording
// invoker nor to an HTTP server, which counts every delivery.
func TestBlankFilterNeverSent(t *testing.T) {
	var hits atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		http.Error(w, "no packet should arrive", http.StatusTeapot)
	}))
	defer srv.Close()
	hc, err := rpc.NewClient(srv.URL, rpc.WithSecretKey("0123456789abcdef-test-key"))
	if err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(20, 1))
	const tries = 4
	for _, b := range bindings {
		t.Run(b.pkg, func(t *testing.T) {
			isRead := func(operator, operation string) bool {
				read, err := b.isRead(operator, operation)
				if err != nil {
					t.Fatal(err)
				}
				return read
			}
			inv := &fakeInvoker{}
			rec := reflect.ValueOf(b.newCli(inv))
			wire := reflect.ValueOf(b.newCli(hc))
			guarded := 0
			for i := range rec.Elem().NumField() {
				if !rec.Elem().Type().Field(i).IsExported() {
					continue
				}
				operator := rec.Elem().Field(i)
				opName := operator.Type().Elem().Name()
				for j := range operator.NumMethod() {
					m, name := operator.Method(j), operator.Type().Method(j).Name
					if m.Type().NumIn() != 2 || m.Type().In(1).Kind() != reflect.Pointer || strings.HasPrefix(name, "Stream") {
						continue
					}
					reqType := m.Type().In(1).Elem()
					if !topFilter(reqType) {
						continue
					}
					changes := false
					for k := range tries {
						req := reflect.New(reqType)
						if !blankTopFilter(req.Elem(), r) {
							break // the filter holds a value whatever is left out (a number)
						}
						sent := len(inv.packets)
						out := m.Call([]reflect.Value{reflect.ValueOf(context.Background()), req})
						err, _ := out[len(out)-1].Interface().(error)
						var ve *rpc.ValidationError
						if len(inv.packets) > sent {
							operatorName, operation, inner := firstOperation(t, inv.last())
							if !isRead(operatorName, operation) && !isRead(operatorName, operation+"/"+inner) {
								t.Errorf("%s.%s sent a blank filter:\n%s", opName, name, inv.last())
							}
							break
						}
						if !errors.As(err, &ve) {
							t.Errorf("%s.%s: %v; want a validation error or a read", opName, name, err)
							break
						}
						if isRead(ve.Operator, ve.Operation) {
							break // a read refused by its Validate: not the guard's business
						}
						changes = true
						if !isGuard(ve) || !errors.Is(err, rpc.ErrInvalidRequest) {
							t.Errorf("%s.%s: refused by %v; want the match-all guard first", opName, name, err)
							continue
						}
						batchRefuses(t, rec, opName, name, req, inv)
						op := &rpc.Op{Operator: ve.Operator, Operation: ve.Operation, Request: req.Interface()}
						if _, err := rpc.Do[rpc.Result](context.Background(), inv, b.protocol, op); !errors.Is(err, rpc.ErrInvalidRequest) {
							t.Errorf("rpc.Do %s: %v", op, err)
						}
						for _, err := range rpc.Stream[rpc.Result](context.Background(), inv, b.protocol, op) {
							if !errors.Is(err, rpc.ErrInvalidRequest) {
								t.Errorf("rpc.Stream %s: %v", op, err)
							}
						}
						if len(inv.packets) != sent {
							t.Errorf("%s.%s: a blank filter reached the recording invoker", opName, name)
						}
						if k == 0 { // over HTTP: single and batched
							wm := wire.Elem().FieldByName(rec.Elem().Type().Field(i).Name).MethodByName(name)
							out := wm.Call([]reflect.Value{reflect.ValueOf(context.Background()), req})
							if err, _ := out[len(out)-1].Interface().(error); !errors.Is(err, rpc.ErrInvalidRequest) {
								t.Errorf("%s.%s over HTTP: %v", opName, name, err)
							}
							batchRefuses(t, wire, opName, name, req, inv)
						}
					}
					if changes {
						guarded++
					}
				}
			}
			if guarded < 40 {
				t.Errorf("%d state-changing methods with a filter were tried; want at least 40", guarded)
			}
			t.Logf("%s: %d state-changing operations refused blank filters", b.pkg, guarded)
		})
	}
	if n := hits.Load(); n != 0 {
		t.Errorf("the HTTP server received %d packets; a blank filter must never leave the machine", n)
	}
}

// blankTopFilter fills the <filter> of the request v (a struct) with random
// content that writes no value. It reports false when the filter cannot be
// blank (a required number or flag).
func blankTopFilter(v reflect.Value, r *rand.Rand) bool {
	for i := range v.NumField() {
		name, _, _ := strings.Cut(v.Type().Field(i).Tag.Get("xml"), ",")
		if name != "filter" {
			continue
		}
		f := v.Field(i)
		if f.Kind() == reflect.Pointer {
			f.Set(reflect.New(f.Type().Elem()))
			f = f.Elem()
		}
		return f.Kind() == reflect.Struct && blank(f, r, 0)
	}
	return false
}

var blankStrings = []string{"", " ", "\t\n ", "\r\n", "   \t"}

// blank fills the struct v with content that writes no value: nil or empty
// slices, empty or white-space strings, nil pointers, empty nested
// elements. It reports false when some field must write a value.
func blank(v reflect.Value, r *rand.Rand, depth int) bool {
	if depth > 6 {
		return false
	}
	for i := range v.NumField() {
		sf := v.Type().Field(i)
		if !sf.IsExported() || sf.Name == "MatchAll" || sf.Tag.Get("xml") == "-" {
			continue
		}
		if !blankValue(v.Field(i), r, depth) {
			return false
		}
	}
	return true
}

func blankValue(f reflect.Value, r *rand.Rand, depth int) bool {
	switch f.Kind() {
	case reflect.String:
		f.SetString(blankStrings[r.IntN(len(blankStrings))])
		return true
	case reflect.Pointer:
		if r.IntN(2) == 0 {
			return true // nil: not written
		}
		p := reflect.New(f.Type().Elem())
		if (p.Elem().Kind() == reflect.String || generated(p.Elem().Type())) && blankValue(p.Elem(), r, depth+1) && !isFlag(p.Elem()) {
			f.Set(p)
		}
		return true
	case reflect.Slice:
		switch r.IntN(3) {
		case 0:
			return true // nil
		case 1:
			f.Set(reflect.MakeSlice(f.Type(), 0, 0))
			return true
		}
		e := f.Type().Elem()
		if e.Kind() != reflect.String && !generated(e) {
			f.Set(reflect.MakeSlice(f.Type(), 0, 0))
			return true
		}
		s := reflect.MakeSlice(f.Type(), 1+r.IntN(3), 3)
		for k := range s.Len() {
			if !blankValue(s.Index(k), r, depth+1) || isFlag(s.Index(k)) {
				f.Set(reflect.MakeSlice(f.Type(), 0, 0))
				return true
			}
		}
		f.Set(s)
		return true
	case reflect.Struct:
		if isFlag(f) || !generated(f.Type()) {
			return false // a required flag is a value; other types are not known here
		}
		return blank(f, r, depth+1)
	}
	return false // a number or a boolean writes a value
}

// isFlag reports an element that means something by being there.
func isFlag(v reflect.Value) bool { return v.Type() == reflect.TypeFor[rpc.Empty]() }

// generated reports a struct type of a version package.
func generated(t reflect.Type) bool {
	return t.Kind() == reflect.Struct && strings.HasPrefix(t.PkgPath(), "github.com/pleskgo/plesk/generated/")
}
