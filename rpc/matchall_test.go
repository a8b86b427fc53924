package rpc

import (
	"context"
	"encoding/xml"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pleskgo/plesk/rpc/internal/xmlstruct"
)

// rawDel is a hand-made request: whatever its inner XML says is written.
type rawDel struct {
	Inner string `xml:",innerxml"`
}

// ownFilter is a hand-made filter struct of a program's own.
type ownFilter struct {
	ID   []int64  `xml:"id"`
	Name []string `xml:"name,omitempty"`
	Note string   `xml:"note,omitempty"`
}

type ownDel struct {
	Filter ownFilter `xml:"filter"`
}

type ownNested struct {
	Set struct {
		Filter *ownFilter `xml:"filter"`
		Name   string     `xml:"name"`
	} `xml:"set"`
}

// genFilter and genDel are shaped as generated types are.
type genFilter struct {
	ID       []int64  `xml:"id"`
	All      *Empty   `xml:"all"`
	Name     []string `xml:"name"`
	MatchAll bool     `xml:"-"`
	_        xmlstruct.Extra
}

func (v genFilter) MarshalXML(e *xml.Encoder, s xml.StartElement) error {
	return xmlstruct.Marshal(e, s, &v)
}

type genDel struct {
	Filter genFilter `xml:"filter"`
	_      xmlstruct.Extra
}

func (v genDel) MarshalXML(e *xml.Encoder, s xml.StartElement) error {
	return xmlstruct.Marshal(e, s, &v)
}

// countingServer counts the packets it receives and answers each
// operation with one ok result.
func countingServer(t *testing.T) (*Client, *atomic.Int32) {
	t.Helper()
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		w.Header().Set("Content-Type", "text/xml")
		_, _ = w.Write([]byte(`<packet><webspace><del><result><status>ok</status></result></del></webspace></packet>`))
	}))
	t.Cleanup(srv.Close)
	return mustClient(t, srv.URL, WithSecretKey(testKey)), &hits
}

// TestHandMadeBlankFilterRefused: a request type of a program's own, an
// inner XML <filter> or a filter struct of its own, is judged by what it
// writes. A <filter> without an element holding a value is refused on a
// state change by Do, Stream, Batch.Send and Client.Invoke, and the server
// sees nothing; a filter with a value goes out.
func TestHandMadeBlankFilterRefused(t *testing.T) {
	blank := []any{
		rawDel{"<filter/>"},
		rawDel{"<filter></filter>"},
		rawDel{"<filter> </filter>"},
		rawDel{"<filter>\n\t\r\n</filter>"},
		rawDel{"<filter><!-- c --></filter>"},
		rawDel{"<filter><?pi x?></filter>"},
		rawDel{`<filter id="1"/>`},
		rawDel{"<filter>text of its own</filter>"},
		rawDel{"<filter><id></id></filter>"},
		rawDel{"<filter><id> </id><name/></filter>"},
		rawDel{"<filter><owner><id/></owner></filter>"},
		rawDel{"<filter><![CDATA[ ]]></filter>"},
		rawDel{"<name>x</name><filter/>"},
		rawDel{"<filter>"}, // not well-formed: refused, not sent
		&ownDel{},
		&ownDel{Filter: ownFilter{ID: []int64{}, Name: []string{"", " "}}},
		func() ownNested { var v ownNested; v.Set.Filter = &ownFilter{}; return v }(),
		&genDel{},
		&genDel{Filter: genFilter{ID: []int64{}, Name: []string{"\t"}}},
		&genDel{Filter: genFilter{MatchAll: true, ID: []int64{7}}}, // ambiguous
		&genDel{Filter: genFilter{MatchAll: true, All: &Empty{}}},  // ambiguous
	}
	c, hits := countingServer(t)
	ctx := context.Background()
	for _, req := range blank {
		op := &Op{Operator: "webspace", Operation: "del", Request: req}
		check := func(how string, err error) {
			t.Helper()
			var ve *ValidationError
			if !errors.Is(err, ErrInvalidRequest) || !errors.As(err, &ve) || ve.Operator != "webspace" || ve.Operation != "del" {
				t.Errorf("%s %#v: %v; want a validation error of webspace/del", how, req, err)
			}
		}
		_, err := Do[Result](ctx, c, "", op)
		check("Do", err)
		for _, err := range Stream[Result](ctx, c, "", op) {
			check("Stream", err)
		}
		b := NewBatch(c, "")
		Add[Result](b, &Op{Operator: "customer", Operation: "get", ReadOnly: true})
		Add[Result](b, op)
		check("Batch.Send", b.Send(ctx))
		check("Client.Invoke", c.Invoke(ctx, "", &Op{Operator: "webspace", Operation: "del", Request: req}))
		var sent []*Op
		rec := InvokerFunc(func(ctx context.Context, version string, ops ...*Op) error {
			sent = append(sent, ops...)
			return nil
		})
		_, err = Do[Result](ctx, rec, "", op)
		check("Do (recording)", err)
		if len(sent) != 0 {
			t.Errorf("%#v reached the recording invoker", req)
		}
	}
	if n := hits.Load(); n != 0 {
		t.Fatalf("the server received %d packets with a blank filter", n)
	}

	for _, req := range []any{
		rawDel{"<filter><id>1</id></filter>"},
		rawDel{"<filter><!-- c --><owner><id>3</id></owner></filter>"},
		&ownDel{Filter: ownFilter{Name: []string{"example.com"}}},
		&genDel{Filter: genFilter{All: &Empty{}}}, // a flag selects
		&genDel{Filter: genFilter{MatchAll: true}},
		&genDel{Filter: genFilter{MatchAll: true, ID: []int64{}}},
	} {
		if _, err := Do[Result](ctx, c, "", &Op{Operator: "webspace", Operation: "del", Request: req}); err != nil {
			t.Errorf("%#v: %v", req, err)
		}
	}
	if n := hits.Load(); n != 6 {
		t.Errorf("the server received %d packets, want 6", n)
	}
	// A read with an empty filter reads everything: not refused.
	if _, err := Do[Result](ctx, InvokerFunc(func(ctx context.Context, v string, ops ...*Op) error {
		return DecodeResponse(strings.NewReader(`<packet><webspace><get><result><status>ok</status></result></get></webspace></packet>`), ops...)
	}), "", &Op{Operator: "webspace", Operation: "get", Request: rawDel{"<filter/>"}, ReadOnly: true}); err != nil {
		t.Errorf("a read with an empty filter: %v", err)
	}
}

// TestNilRequestOnStateChangeRefused: a nil request cannot be checked for a
// filter, so a state change refuses it; Empty{} sends an operation without
// content on purpose.
func TestNilRequestOnStateChangeRefused(t *testing.T) {
	c, hits := countingServer(t)
	ctx := context.Background()
	for _, req := range []any{nil, (*ownDel)(nil), (*genDel)(nil)} {
		_, err := Do[Result](ctx, c, "", &Op{Operator: "webspace", Operation: "del", Request: req})
		if !errors.Is(err, ErrInvalidRequest) {
			t.Errorf("Do webspace/del with %#v: %v", req, err)
		}
	}
	if n := hits.Load(); n != 0 {
		t.Fatalf("the server received %d packets", n)
	}
	if _, err := Do[Result](ctx, c, "", &Op{Operator: "webspace", Operation: "del", Request: Empty{}}); err != nil {
		t.Errorf("Empty{}: %v", err)
	}
}

// TestMatchAllOnTheWire: a filter with MatchAll set is written as an empty
// <filter>, nothing of MatchAll itself, and the packet sent is the one
// validated.
func TestMatchAllOnTheWire(t *testing.T) {
	var got strings.Builder
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b := new(strings.Builder)
		buf := make([]byte, 4096)
		for {
			n, err := r.Body.Read(buf)
			b.Write(buf[:n])
			if err != nil {
				break
			}
		}
		got.WriteString(b.String())
		w.Header().Set("Content-Type", "text/xml")
		_, _ = w.Write([]byte(`<packet><webspace><del><result><status>ok</status></result></del></webspace></packet>`))
	}))
	defer srv.Close()
	c := mustClient(t, srv.URL, WithSecretKey(testKey))
	req := &genDel{Filter: MatchAll[genFilter]()}
	if !req.Filter.MatchAll {
		t.Fatal("MatchAll did not set the field")
	}
	if _, err := Do[Result](context.Background(), c, "", &Op{Operator: "webspace", Operation: "del", Request: req}); err != nil {
		t.Fatal(err)
	}
	if want := "<webspace><del><filter></filter></del></webspace>"; !strings.Contains(got.String(), want) || strings.Contains(strings.ToLower(got.String()), "matchall") {
		t.Errorf("sent %s; want %s", got.String(), want)
	}
	if cmp.Equal(genDel{Filter: genFilter{MatchAll: true}}, genDel{}) {
		t.Error("go-cmp does not tell a match-all request from a zero one")
	}
	type flagFilter struct { // comparable, as a filter of flags and values is
		All      *Empty `xml:"all"`
		MatchAll bool   `xml:"-"`
		_        xmlstruct.Extra
	}
	if (flagFilter{MatchAll: true}) == (flagFilter{}) {
		t.Error("== does not tell a match-all filter from a zero one")
	}
	if f := MatchAll[ownFilter](); f.ID != nil || f.Name != nil || f.Note != "" {
		t.Errorf("MatchAll of a type without the field: %#v", f)
	}
}
