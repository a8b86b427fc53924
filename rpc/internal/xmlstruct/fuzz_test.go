package xmlstruct

import (
	"bytes"
	"encoding/xml"
	"errors"
	"reflect"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pleskgo/plesk/internal/xmltest"
)

var ignoreRootName = cmp.FilterPath(func(p cmp.Path) bool {
	return len(p) <= 3 && p.Last().String() == ".XMLName"
}, cmp.Ignore())

// FuzzCodec decodes any well-formed element into each of the shapes
// generated code has (result, ops, limit, amount, filter) and checks what
// holds by construction: decoding succeeds; the value marshals to the
// canonical form of the input; what it marshals to decodes into an equal
// value with the same deviations and marshals to the same bytes; and once
// Strip has removed the bookkeeping, the value marshals to what decodes
// with no deviation at all.
func FuzzCodec(f *testing.F) {
	for _, s := range []string{
		`<result owner="3"><status>ok</status><id>7</id><filter><id>1</id><id>2</id></filter><limit><name>a</name><value>1</value></limit><size unit="MB">5</size></result>`,
		`<result x="1" owner="me"><status>ok</status><status>again</status><id>abc</id><webapps/><limit><name>a</name><value></value></limit></result>`,
		`<result><id>7</id><status>ok</status>stray<filter><name>n</name><id>1</id><name>m</name></filter><size unit="GB">lots<x/>more</size></result>`,
		`<ops><del><id>1</id></del><add><name>a</name><value>2</value></add><n>x</n><what>?</what><n>3</n></ops>`,
		`<ops xmlns:p="urn:p" p:a="1"><p:n>1</p:n><x xmlns="urn:x" b="2"><y p:c="3" c="4"/></x><![CDATA[t]]><!-- c --></ops>`,
		"<result>\n <status> ok </status>\n <id> 1 </id>\n <filter/>\n <size unit=\"&#9;\">\n 5 \n</size>\n</result>",
	} {
		f.Add([]byte(s))
	}
	types := []func() any{
		func() any { return new(result) }, func() any { return new(ops) }, func() any { return new(limit) },
		func() any { return new(amount) }, func() any { return new(filter) },
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		want, err := xmltest.Canonical(data)
		if err != nil {
			return
		}
		if err := wellFormed(string(data)); err != nil {
			// What encoding/xml lets through and XML forbids: the codec
			// refuses it, or writes back what is well-formed.
			for _, nt := range types {
				v := nt()
				err := xml.Unmarshal(data, v)
				if err == nil {
					if out, err := xml.Marshal(v); err != nil || wellFormed(string(out)) != nil {
						t.Fatalf("%T: %s (not well-formed: %v) decodes and is written back as %s (%v)", v, data, wellFormed(string(data)), out, err)
					}
					continue
				}
				if !errors.As(err, new(*NotWellFormedError)) {
					t.Fatalf("%T: %s refused with %T %v, not a *NotWellFormedError", v, data, err, err)
				}
			}
			return
		}
		for _, nt := range types {
			v := nt()
			if err := xml.Unmarshal(data, v); err != nil {
				t.Fatalf("%T: a well-formed element does not decode: %v", v, err)
			}
			out, err := xml.Marshal(v)
			if err != nil {
				t.Fatalf("%T: a decoded value does not marshal: %v", v, err)
			}
			if err := wellFormed(string(out)); err != nil {
				t.Fatalf("%T: written back not well-formed (%v):\nin:  %s\nout: %s", v, err, data, out)
			}
			if got, err := xmltest.Canonical(out); err != nil || !slices.Equal(got, want) {
				t.Fatalf("%T: no exact round trip (%v):\nin:   %s\nout:  %s\nwant: %s\ngot:  %s", v, err, data, out, want, got)
			}
			w := nt()
			if err := xml.Unmarshal(out, w); err != nil {
				t.Fatalf("%T: what a decoded value marshals to does not decode: %v\n%s", v, err, out)
			}
			if diff := cmp.Diff(v, w, ignoreRootName); diff != "" {
				t.Fatalf("%T: decoded again, the value differs (-first +second):\n%s\n%s", v, diff, out)
			}
			if diff := cmp.Diff(walkAll(v), walkAll(w)); diff != "" {
				t.Fatalf("%T: decoded again, the deviations differ (-first +second):\n%s\n%s", v, diff, out)
			}
			if out2, err := xml.Marshal(w); err != nil || !bytes.Equal(out, out2) {
				t.Fatalf("%T: no fixed point (%v):\nfirst:  %s\nsecond: %s", v, err, out, out2)
			}
			Strip(w, false)
			if d := walkAll(w); len(d) != 0 {
				t.Fatalf("%T: deviations after Strip: %+v", v, d)
			}
			typed, err := xml.Marshal(w)
			if err != nil {
				t.Fatalf("%T: a stripped value does not marshal: %v", v, err)
			}
			s := reflect.New(reflect.TypeOf(w).Elem()).Interface()
			if err := xml.Unmarshal(typed, s); err != nil {
				t.Fatalf("%T: a stripped value marshals to what does not decode: %v\n%s", v, err, typed)
			}
			if d := walkAll(s); len(d) != 0 {
				t.Fatalf("%T: a stripped value marshals to what deviates: %+v\n%s", v, d, typed)
			}
		}
	})
}
