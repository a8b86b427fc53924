package bindingtest

import (
	"context"
	"encoding/xml"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/pleskgo/plesk/rpc"
)

// TestZeroFilterNeverSent calls every operation method of every version
// package with a zero-value request through a recording invoker. An
// operation that changes state and selects its objects with a <filter> must
// refuse a zero filter that would be written without a value (an empty
// <filter/>, or only empty elements) before anything is sent, with an
// *rpc.ValidationError satisfying rpc.ErrInvalidRequest; the same request
// added to a typed batch must fail the batch, unsent. Whatever else a zero
// request does, it never sends an empty filter on a state change.
func TestZeroFilterNeverSent(t *testing.T) {
	for _, b := range bindings {
		t.Run(b.pkg, func(t *testing.T) {
			inv := &fakeInvoker{}
			client := reflect.ValueOf(b.newCli(inv))
			guarded, methods := 0, 0
			isRead := func(operator, operation string) bool {
				read, err := b.isRead(operator, operation)
				if err != nil {
					t.Fatal(err)
				}
				return read
			}
			for i := range client.Elem().NumField() {
				if !client.Elem().Type().Field(i).IsExported() {
					continue
				}
				operator := client.Elem().Field(i)
				for j := range operator.NumMethod() {
					m, name := operator.Method(j), operator.Type().Method(j).Name
					if m.Type().NumIn() != 2 || m.Type().In(1).Kind() != reflect.Pointer || strings.HasPrefix(name, "Stream") {
						continue
					}
					methods++
					req := reflect.New(m.Type().In(1).Elem())
					hasFilter := topFilter(req.Elem().Type())
					sent := len(inv.packets)
					out := m.Call([]reflect.Value{reflect.ValueOf(context.Background()), req})
					err, _ := out[len(out)-1].Interface().(error)
					var ve *rpc.ValidationError
					switch {
					case errors.As(err, &ve) && isGuard(ve):
						guarded++
						if !errors.Is(err, rpc.ErrInvalidRequest) || len(inv.packets) != sent {
							t.Errorf("%s.%s: refused (%v) but sent %d packets or not an ErrInvalidRequest", operator.Type().Elem().Name(), name, err, len(inv.packets)-sent)
						}
						if isRead(ve.Operator, ve.Operation) || !hasFilter {
							t.Errorf("%s.%s: the guard refused %s/%s, a read or an operation without a filter", operator.Type().Elem().Name(), name, ve.Operator, ve.Operation)
						}
						batchRefuses(t, client, operator.Type().Elem().Name(), name, req, inv)
					case len(inv.packets) > sent:
						// Sent: then every filter of a state change selects
						// by a value (a zero request can hold a number, 0).
						operatorName, operation, inner := firstOperation(t, inv.last())
						read := isRead(operatorName, operation) || isRead(operatorName, operation+"/"+inner)
						if p := blankFilter(inv.last()); p != "" && !read {
							t.Errorf("%s.%s sent %s/%s with a filter without a value (%s):\n%s", operator.Type().Elem().Name(), name, operatorName, operation, p, inv.last())
						}
					case errors.As(err, &ve):
						// Refused for another reason: the guard runs first, so
						// the filter held a value; nothing was sent.
						if len(inv.packets) != sent {
							t.Errorf("%s.%s: refused (%v) but sent", operator.Type().Elem().Name(), name, err)
						}
					default:
						t.Errorf("%s.%s: %v", operator.Type().Elem().Name(), name, err)
					}
				}
			}
			// The five operators of our schemas have at least 20 such
			// operations in every version.
			if guarded < 20 {
				t.Errorf("%d of %d methods refused a zero filter; want at least 20", guarded, methods)
			}
			t.Logf("%s: %d of %d operation methods refuse the zero filter", b.pkg, guarded, methods)
		})
	}
}

// batchRefuses adds the zero request of the method to a typed batch and
// checks that Send fails with a validation error and sends nothing.
func batchRefuses(t *testing.T, client reflect.Value, operator, method string, req reflect.Value, inv *fakeInvoker) {
	t.Helper()
	batch := client.MethodByName("Batch").Call(nil)[0]
	field := strings.TrimSuffix(operator, "Operator")
	add := batch.Elem().FieldByName(field).MethodByName(method)
	if !add.IsValid() {
		t.Errorf("Batch.%s has no method %s", field, method)
		return
	}
	add.Call([]reflect.Value{req})
	sent := len(inv.packets)
	err, _ := batch.MethodByName("Send").Call([]reflect.Value{reflect.ValueOf(context.Background())})[0].Interface().(error)
	if !errors.Is(err, rpc.ErrInvalidRequest) || len(inv.packets) != sent {
		t.Errorf("Batch.%s.%s with a zero filter: Send = %v, %d packets sent", field, method, err, len(inv.packets)-sent)
	}
}

// topFilter reports whether a request type has a <filter> element of its
// own (value or pointer), as the guard sees a zero request.
func topFilter(t reflect.Type) bool {
	for i := range t.NumField() {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("xml"), ",")
		if name == "filter" {
			return true
		}
	}
	return false
}

// firstOperation returns the operator and operation of the first
// operation of a request packet, and the operation's first child (the
// operation, when the first is a group such as db-servers).
func firstOperation(t *testing.T, packet []byte) (string, string, string) {
	t.Helper()
	d := xml.NewDecoder(strings.NewReader(string(packet)))
	var names []string
	for len(names) < 4 {
		tok, err := d.Token()
		if err != nil {
			break
		}
		if se, ok := tok.(xml.StartElement); ok {
			names = append(names, se.Name.Local)
		}
	}
	if len(names) < 3 {
		t.Fatalf("no operation in %s", packet)
	}
	names = append(names, "")
	return names[1], names[2], names[3]
}

// isGuard reports whether a validation error is the match-all guard's: an
// empty or absent <filter>.
func isGuard(ve *rpc.ValidationError) bool {
	return strings.HasSuffix(ve.Path, "filter") && strings.Contains(ve.Problem, "which Plesk") &&
		strings.Contains(ve.Problem, "every object")
}

// blankFilter returns the name path of the first <filter> in a packet that
// holds no character data other than white space, at any depth: what
// Plesk may read as "every object". It is the test's own reading of the
// wire, independent of the runtime's.
func blankFilter(packet []byte) string {
	d := xml.NewDecoder(strings.NewReader(string(packet)))
	var names []string
	var text []bool // per open element: non-blank text inside it
	for {
		tok, err := d.Token()
		if err != nil {
			return ""
		}
		switch t := tok.(type) {
		case xml.StartElement:
			names = append(names, t.Name.Local)
			text = append(text, false)
		case xml.CharData:
			if strings.TrimSpace(string(t)) != "" {
				for i := range text {
					text[i] = true
				}
			}
		case xml.EndElement:
			n := len(names) - 1
			if names[n] == "filter" && !text[n] {
				return strings.Join(names, "/")
			}
			names, text = names[:n], text[:n]
		}
	}
}
