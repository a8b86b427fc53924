package fuzztest

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pleskgo/plesk/generated/plesk1660"
	"github.com/pleskgo/plesk/generated/plesk1670"
	"github.com/pleskgo/plesk/generated/plesk1680"
	"github.com/pleskgo/plesk/generated/plesk1690"
	"github.com/pleskgo/plesk/generated/plesk1691"
	"github.com/pleskgo/plesk/internal/xmltest"
	"github.com/pleskgo/plesk/rpc"
)

// validator is what every generated packet and item has.
type validator interface{ Validate() error }

// version is one generated package, as the fuzz targets see it.
type version struct {
	name     string
	response func() any       // a new *ResponsePacket
	request  func() validator // a new *RequestPacket
	// nested are constructors of types inside packets that decode any
	// element too: the one-of items of both packets and the header of
	// every result.
	nested []func() any
}

func newOf[T any]() any { return new(T) }

func newValidator[T any, PT interface {
	*T
	validator
}]() validator {
	return PT(new(T))
}

var versions = []version{
	{"plesk1660", newOf[plesk1660.ResponsePacket], newValidator[plesk1660.RequestPacket],
		[]func() any{newOf[plesk1660.ResponsePacketItem], newOf[plesk1660.RequestPacketItem], newOf[plesk1660.Result]}},
	{"plesk1670", newOf[plesk1670.ResponsePacket], newValidator[plesk1670.RequestPacket],
		[]func() any{newOf[plesk1670.ResponsePacketItem], newOf[plesk1670.RequestPacketItem], newOf[plesk1670.Result]}},
	{"plesk1680", newOf[plesk1680.ResponsePacket], newValidator[plesk1680.RequestPacket],
		[]func() any{newOf[plesk1680.ResponsePacketItem], newOf[plesk1680.RequestPacketItem], newOf[plesk1680.Result]}},
	{"plesk1690", newOf[plesk1690.ResponsePacket], newValidator[plesk1690.RequestPacket],
		[]func() any{newOf[plesk1690.ResponsePacketItem], newOf[plesk1690.RequestPacketItem], newOf[plesk1690.Result]}},
	{"plesk1691", newOf[plesk1691.ResponsePacket], newValidator[plesk1691.RequestPacket],
		[]func() any{newOf[plesk1691.ResponsePacketItem], newOf[plesk1691.RequestPacketItem], newOf[plesk1691.Result]}},
}

// opIndex is operations by version and operator/operation.
var opIndex = func() map[string]map[string]operation {
	m := map[string]map[string]operation{}
	for v, ops := range operations {
		m[v] = map[string]operation{}
		for _, o := range ops {
			m[v][o.operator+"/"+o.operation] = o
		}
	}
	return m
}()

// lookup returns the operation of version v at operator/operation.
func lookup(v string, operator, operation string) (operation, bool) {
	o, ok := opIndex[v][operator+"/"+operation]
	return o, ok
}

// operationPath returns the operator and operation of the first operation
// of a packet, as far as they can be read: the first two levels of
// elements under the root, and a third one when the first two name a group
// (webspace/db-servers/add) of version v.
func operationPath(v string, data []byte) (operator, operation string) {
	d := xml.NewDecoder(bytes.NewReader(data))
	var names []string
	depth := 0
	for len(names) < 4 {
		tok, err := d.RawToken()
		if err != nil {
			break
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if depth == len(names) {
				names = append(names, t.Name.Local)
			}
			depth++
		case xml.EndElement:
			depth--
			if depth < len(names)-1 {
				depth = -1 // the first branch ended: stop
			}
		}
		if depth < 0 {
			break
		}
	}
	for len(names) < 4 {
		names = append(names, "x")
	}
	operator, operation = names[1], names[2]
	if _, ok := lookup(v, operator, operation); !ok {
		if _, ok := lookup(v, operator, operation+"/"+names[3]); ok {
			operation += "/" + names[3]
		}
	}
	return operator, operation
}

// answer returns an Invoker that answers every op with data, as a server
// would, and counts its calls.
func answer(data []byte, calls *int) rpc.Invoker {
	return rpc.InvokerFunc(func(ctx context.Context, version string, ops ...*rpc.Op) error {
		*calls++
		return rpc.DecodeResponse(bytes.NewReader(data), ops...)
	})
}

// decodeTyped answers the packet's first operation with data through the
// rpc runtime, into the result type the generated method of that operation
// of version v decodes into (rpc.Result for an unknown operation), with Do
// and with Stream. Every result it gets must be a fixed point of the codec
// (see checkFixedPoint).
func decodeTyped(t *testing.T, v string, data []byte) (typed bool) {
	operator, operation := operationPath(v, data)
	// A hand-made op counts as changing state, where a nil request is
	// refused: Empty{} sends the operation without content.
	op := &rpc.Op{Operator: operator, Operation: operation, Request: rpc.Empty{}}
	ctx := context.Background()
	o, ok := lookup(v, operator, operation)
	if !ok {
		// An operation v does not have: the headers alone.
		calls := 0
		rpc.Do[rpc.Result](ctx, answer(data, &calls), "", op)
		return false
	}
	calls := 0
	res, _ := o.do(ctx, answer(data, &calls), op)
	if calls != 1 {
		t.Fatalf("%s %s/%s: Do called the invoker %d times", v, operator, operation, calls)
	}
	for i, r := range res {
		checkFixedPoint(t, v+" "+operator+"/"+operation+" Do result "+strconv.Itoa(i), r)
	}
	if o.stream != nil {
		res, _ := o.stream(ctx, answer(data, &calls), op)
		for i, r := range res {
			checkFixedPoint(t, v+" "+operator+"/"+operation+" Stream result "+strconv.Itoa(i), r)
		}
	}
	return true
}

// sameName leaves out the XMLName of the value compared itself: a packet
// writes its root as <packet>, in no namespace, whatever it was decoded
// from (see xmltest.Canonical). Names inside are compared.
var sameName = cmp.FilterPath(func(p cmp.Path) bool {
	return len(p) <= 3 && p.Last().String() == ".XMLName"
}, cmp.Ignore())

// checkFixedPoint checks what holds for any decoded value p (a pointer):
// rpc.Deviations does not panic; p marshals; what it marshals to decodes
// into a value equal to p (by cmp, which sees the typed fields) with the
// same deviations, which marshals to the same bytes again.
func checkFixedPoint(t *testing.T, what string, p any) {
	t.Helper()
	devs := rpc.Deviations(p)
	out, err := xml.Marshal(p)
	if err != nil {
		t.Fatalf("%s: a decoded %T does not marshal: %v", what, p, err)
	}
	p2 := reflect.New(reflect.TypeOf(p).Elem()).Interface()
	if err := xml.Unmarshal(out, p2); err != nil {
		t.Fatalf("%s: what a %T marshals to does not decode: %v\n%s", what, p, err, out)
	}
	if diff := cmp.Diff(p, p2, sameName); diff != "" {
		t.Fatalf("%s: a %T decoded from what it marshals to differs (-before +after):\n%s\nmarshalled: %s", what, p, diff, out)
	}
	if diff := cmp.Diff(devs, rpc.Deviations(p2)); diff != "" {
		t.Fatalf("%s: a %T decoded from what it marshals to deviates differently (-before +after):\n%s\nmarshalled: %s", what, p, diff, out)
	}
	out2, err := xml.Marshal(p2)
	if err != nil {
		t.Fatalf("%s: the second marshal of a %T fails: %v", what, p, err)
	}
	if !bytes.Equal(out, out2) {
		t.Fatalf("%s: decode and marshal of a %T is no fixed point:\nfirst:  %s\nsecond: %s", what, p, out, out2)
	}
}

// FuzzResponsePacket decodes arbitrary bytes into the ResponsePacket of
// every version and, through the rpc runtime with Do and Stream, into the
// result type of the operation the packet answers, for every operation of
// every version. Nothing may panic. A packet or result that decodes
// validates without panicking and is a fixed point from then on (see
// checkFixedPoint).
func FuzzResponsePacket(f *testing.F) {
	addSeeds(f, "response")
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, v := range versions {
			decodeTyped(t, v.name, data)
			p := v.response()
			if err := xml.Unmarshal(data, p); err != nil {
				continue
			}
			p.(validator).Validate()
			checkFixedPoint(t, v.name+" ResponsePacket", p)
		}
	})
}

// operationValue is one operation of a decoded request packet.
type operationValue struct {
	operator, operation string
	request             any // a pointer to the generated request type
}

// requestOperations returns the operations of a decoded RequestPacket of
// version v that v has a method for: the alternative set in each one-of
// item of the packet (the operator), in each of its items (the operation),
// and in each item of a group (webspace/db-servers/add).
func requestOperations(v string, p any) []operationValue {
	var out []operationValue
	var walk func(rv reflect.Value, path []string)
	walk = func(rv reflect.Value, path []string) {
		for rv.Kind() == reflect.Pointer {
			if rv.IsNil() {
				return
			}
			rv = rv.Elem()
		}
		if rv.Kind() != reflect.Struct || len(path) > 3 {
			return
		}
		each := func(name string, fv reflect.Value) {
			p := append(path[:len(path):len(path)], name)
			if len(p) >= 2 {
				if _, ok := lookup(v, p[0], strings.Join(p[1:], "/")); ok {
					out = append(out, operationValue{p[0], strings.Join(p[1:], "/"), fv.Interface()})
					return
				}
			}
			walk(fv, p)
		}
		rt := rv.Type()
		for i := range rt.NumField() {
			sf := rt.Field(i)
			if !sf.IsExported() {
				continue
			}
			tag := sf.Tag.Get("xml")
			name, opts, _ := strings.Cut(tag, ",")
			fv := rv.Field(i)
			switch {
			case opts == "any" && fv.Kind() == reflect.Slice:
				for k := range fv.Len() {
					item := fv.Index(k)
					if item.Kind() != reflect.Struct {
						continue
					}
					for j := range item.NumField() {
						alt := item.Field(j)
						if item.Type().Field(j).IsExported() && alt.Kind() == reflect.Pointer && !alt.IsNil() {
							altName, _, _ := strings.Cut(item.Type().Field(j).Tag.Get("xml"), ",")
							each(altName, alt)
						}
					}
				}
			case name != "" && opts == "" && fv.Kind() == reflect.Pointer && !fv.IsNil():
				each(name, fv)
			}
		}
	}
	walk(reflect.ValueOf(p), nil)
	return out
}

// FuzzValidate decodes arbitrary bytes into the RequestPacket of every
// version and validates the packet and each of its operations, through the
// runtime as every generated method does: nothing may panic; an operation
// whose Validate fails, or which holds content its schema does not declare
// or values that did not type, is refused with an rpc.ErrInvalidRequest
// before the invoker is called; one that is sent holds no such content,
// and the packet the runtime writes for it decodes back into an equal
// request. A packet that validates still validates after a round trip.
func FuzzValidate(f *testing.F) {
	addSeeds(f, "request")
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, v := range versions {
			p := v.request()
			if err := xml.Unmarshal(data, p); err != nil {
				continue
			}
			for _, ov := range requestOperations(v.name, p) {
				checkRequest(t, v, ov)
			}
			if p.Validate() != nil {
				continue
			}
			out, err := xml.Marshal(p)
			if err != nil {
				t.Fatalf("%s: a valid RequestPacket does not marshal: %v", v.name, err)
			}
			p2 := v.request()
			if err := xml.Unmarshal(out, p2); err != nil {
				t.Fatalf("%s: a valid RequestPacket marshals to what does not decode: %v\n%s", v.name, err, out)
			}
			if err := p2.Validate(); err != nil {
				t.Fatalf("%s: a valid RequestPacket is invalid after a round trip: %v\nin:  %s\nout: %s", v.name, err, data, out)
			}
		}
	})
}

// checkRequest sends one decoded operation through rpc.Do with an invoker
// that writes the packet as a client would and decodes it back.
func checkRequest(t *testing.T, v version, ov operationValue) (sent bool) {
	what := v.name + " " + ov.operator + "/" + ov.operation
	invalid := false
	if val, ok := ov.request.(validator); ok {
		invalid = val.Validate() != nil
	}
	var undeclared []rpc.Deviation
	for _, d := range rpc.Deviations(ov.request) {
		if d.Kind != rpc.Missing {
			undeclared = append(undeclared, d)
		}
	}
	calls := 0
	inv := rpc.InvokerFunc(func(ctx context.Context, version string, ops ...*rpc.Op) error {
		calls++
		var b bytes.Buffer
		if err := rpc.EncodeRequest(&b, version, ops...); err != nil {
			t.Fatalf("%s: a request that passed validation does not encode: %v", what, err)
		}
		p := v.request()
		if err := xml.Unmarshal(b.Bytes(), p); err != nil {
			t.Fatalf("%s: the packet written for a valid request does not decode: %v\n%s", what, err, b.Bytes())
		}
		back := requestOperations(v.name, p)
		if len(back) != 1 || back[0].operator != ov.operator || back[0].operation != ov.operation {
			t.Fatalf("%s: the packet written for it holds other operations: %+v\n%s", what, back, b.Bytes())
		}
		if diff := cmp.Diff(ov.request, back[0].request, sameName); diff != "" {
			t.Fatalf("%s: the request decoded from the packet written for it differs (-sent +decoded):\n%s\n%s", what, diff, b.Bytes())
		}
		return errors.New("not sent")
	})
	_, err := rpc.Do[rpc.Result](context.Background(), inv, "", &rpc.Op{Operator: ov.operator, Operation: ov.operation, Request: ov.request})
	switch {
	case calls > 0 && invalid:
		t.Fatalf("%s: sent, though its Validate fails", what)
	case calls > 0 && len(undeclared) > 0:
		t.Fatalf("%s: sent, though it deviates: %v", what, undeclared)
	case calls == 0 && !errors.Is(err, rpc.ErrInvalidRequest):
		t.Fatalf("%s: not sent, but the error is no ErrInvalidRequest: %v", what, err)
	case (invalid || len(undeclared) > 0) && calls == 0 && err == nil:
		t.Fatalf("%s: refused without an error", what)
	}
	return calls > 0
}

// FuzzRoundTrip decodes any input that encoding/xml reads as one
// well-formed element into the packets of every version, their one-of
// items, the result header and the result type of the packet's first
// operation, and checks that the codec is exact: what each marshals to has
// the canonical form of the input (see xmltest.Canonical), and is a fixed point
// from then on (see checkFixedPoint). Decoding, Validate and rpc.Deviations
// never panic.
func FuzzRoundTrip(f *testing.F) {
	addSeeds(f, "")
	f.Fuzz(func(t *testing.T, data []byte) {
		want, err := xmltest.Canonical(data)
		if err != nil {
			return
		}
		for _, v := range versions {
			types := []func() any{v.response, func() any { return v.request() }}
			types = append(types, v.nested...)
			operator, operation := operationPath(v.name, data)
			if o, ok := lookup(v.name, operator, operation); ok {
				types = append(types, o.result)
			}
			for _, nt := range types {
				p := nt()
				if err := xml.Unmarshal(data, p); err != nil {
					t.Fatalf("%s: a well-formed element does not decode into %T: %v", v.name, p, err)
				}
				if val, ok := p.(validator); ok {
					val.Validate()
				}
				out, err := xml.Marshal(p)
				if err != nil {
					t.Fatalf("%s: a decoded %T does not marshal: %v", v.name, p, err)
				}
				got, err := xmltest.Canonical(out)
				if err != nil {
					t.Fatalf("%s: a decoded %T marshals to what is no element: %v\n%s", v.name, p, err, out)
				}
				if !slices.Equal(got, want) {
					t.Fatalf("%s: a %T does not round-trip exactly:\nin:   %s\nout:  %s\nwant: %s\ngot:  %s", v.name, p, data, out, want, got)
				}
				checkFixedPoint(t, v.name, p)
			}
		}
	})
}
