package rpc

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
)

// verdictResult is a hand-written result type with a status field, as
// generated result types have.
type verdictResult struct {
	Status string `xml:"status"`
	ID     string `xml:"id"`
}

// The contradictory headers of issue "Safe and exact bindings", and the
// plain ones, with the verdict each must get.
var verdictShapes = []struct {
	name   string
	result string
	ok     bool
	says   string // in the error; "" for none
	code   int
}{
	{"ok", `<status>ok</status><id>1</id>`, true, "", 0},
	{"error", `<status>error</status><errcode>1013</errcode><errtext>no such</errtext><id>1</id>`, false, "error 1013: no such", 1013},
	{"error, then ok", `<status>error</status><status>ok</status><id>1</id>`, false, `2 <status> elements ("error", then "ok")`, 0},
	{"ok, then error", `<status>ok</status><status>error</status><id>1</id>`, false, `2 <status> elements ("ok", then "error")`, 0},
	{"ok beside an errcode", `<status>ok</status><errcode>1013</errcode><id>1</id>`, false, "status ok beside errcode 1013", 1013},
	{"no status", `<id>1</id>`, false, "the result has no <status>", 0},
	{"unknown status", `<status>maybe</status><id>1</id>`, false, `unknown status "maybe"`, 0},
	{"errcode not a number", `<status>error</status><errcode>12x</errcode><id>1</id>`, false, `errcode "12x" is not a number`, 0},
	// Only Plesk's vocabulary (no namespace) is a header.
	{"status in another namespace", `<s:status xmlns:s="urn:other">ok</s:status><id>1</id>`, false,
		`no <status> of Plesk's (<s:status> in namespace "urn:other"`, 0},
	{"status in a default namespace", `<status xmlns="urn:other">ok</status><id>1</id>`, false,
		`no <status> of Plesk's (<status> in namespace "urn:other"`, 0},
	{"foreign status beside Plesk's error", `<status>error</status><s:status xmlns:s="urn:other">ok</s:status><errcode>1013</errcode><errtext>no such</errtext><id>1</id>`, false, "error 1013: no such", 1013},
	{"foreign errcode beside ok", `<status>ok</status><e:errcode xmlns:e="urn:e">1013</e:errcode><id>1</id>`, true, "", 0},
}

func verdictServer(t *testing.T, result string, ops int) *httptest.Server {
	body := "<packet><customer>" + strings.Repeat("<get><result>"+result+"</result></get>", ops) + "</customer></packet>"
	return httptest.NewServer(pleskHandler(t, body))
}

func checkVerdict(t *testing.T, via string, ok bool, says string, code int, res []verdictResult, err error) {
	t.Helper()
	if ok {
		if err != nil || len(res) != 1 || res[0].Status != "ok" {
			t.Errorf("%s: %+v, %v; want one result with status ok and no error", via, res, err)
		}
		return
	}
	var pe *Error
	if !errors.As(err, &pe) || !strings.Contains(err.Error(), says) {
		t.Errorf("%s: err = %v, want an *Error saying %q", via, err, says)
		return
	}
	if pe.Code != code {
		t.Errorf("%s: Code = %d, want %d", via, pe.Code, code)
	}
	for _, r := range res {
		if r.Status != "error" {
			t.Errorf("%s: the value says status %q, the error says it failed", via, r.Status)
		}
	}
}

// TestOneVerdictPerResult pins the verdict of each header shape over HTTP,
// through Do, Stream and a Batch: the error and the decoded status never
// disagree, and the error says what was contradictory.
func TestOneVerdictPerResult(t *testing.T) {
	for _, tt := range verdictShapes {
		t.Run(tt.name, func(t *testing.T) {
			srv := verdictServer(t, tt.result, 1)
			defer srv.Close()
			c := mustClient(t, srv.URL, WithSecretKey(testKey))

			res, err := Do[verdictResult](context.Background(), c, "", getOp())
			checkVerdict(t, "Do", tt.ok, tt.says, tt.code, res, err)
			if tt.name == "no status" && len(res) != 0 {
				t.Errorf("Do kept %d values of a result without status", len(res))
			}

			var streamed []verdictResult
			var serr error
			for v, err := range Stream[verdictResult](context.Background(), c, "", getOp()) {
				streamed = append(streamed, v)
				serr = errors.Join(serr, err)
			}
			checkVerdict(t, "Stream", tt.ok, tt.says, tt.code, streamed, serr)
			if len(streamed) != 1 {
				t.Errorf("Stream yielded %d pairs", len(streamed))
			}

			srv2 := verdictServer(t, tt.result, 2)
			defer srv2.Close()
			b := NewBatch(mustClient(t, srv2.URL, WithSecretKey(testKey)), "")
			p1 := Add[verdictResult](b, getOp())
			p2 := Add[verdictResult](b, getOp())
			if err := b.Send(context.Background()); err != nil {
				t.Fatal(err)
			}
			for _, p := range []*Pending[verdictResult]{p1, p2} {
				res, err := p.Results()
				checkVerdict(t, "Batch", tt.ok, tt.says, tt.code, res, err)
			}
		})
	}
}

// TestStatusFieldKinds: the verdict reaches a status field of a named
// string type and of a pointer to one; a type without one is left alone.
func TestStatusFieldKinds(t *testing.T) {
	type status string
	type named struct {
		Status status `xml:"status"`
	}
	type pointer struct {
		S *status `xml:"status"`
	}
	type none struct {
		ID string `xml:"id"`
	}
	inv := answer(`<packet><customer><get><result><status>ok</status><status>ok</status></result></get></customer></packet>`)
	n, err := Do[named](context.Background(), inv, "", getOp())
	if err == nil || len(n) != 1 || n[0].Status != "error" {
		t.Errorf("named: %+v, %v", n, err)
	}
	p, err := Do[pointer](context.Background(), inv, "", getOp())
	if err == nil || len(p) != 1 || p[0].S == nil || *p[0].S != "error" {
		t.Errorf("pointer: %+v, %v", p, err)
	}
	if _, err := Do[none](context.Background(), inv, "", getOp()); err == nil {
		t.Error("none: no error")
	}
}

// answer is an invoker that answers every packet with body.
func answer(body string) Invoker {
	return InvokerFunc(func(ctx context.Context, version string, ops ...*Op) error {
		return DecodeResponse(strings.NewReader(body), ops...)
	})
}

// validatingReq is a request type that checks itself.
type validatingReq struct {
	Name *string `xml:"name"`
	err  error
}

func (r *validatingReq) Validate() error { return r.err }

// TestValidationBeforeSending: a request whose Validate fails never
// reaches the invoker, through Do, Stream, a Batch or Client.Invoke; the
// error is one *ValidationError type matching ErrInvalidRequest.
func TestValidationBeforeSending(t *testing.T) {
	var invoked atomic.Int32
	inv := InvokerFunc(func(ctx context.Context, version string, ops ...*Op) error {
		invoked.Add(1)
		return DecodeResponse(strings.NewReader(okGet), ops...)
	})
	bad := &Op{Operator: "webspace", Operation: "del", Request: &validatingReq{
		err: &ValidationError{Path: "filter", Problem: "selects every object"}}}
	plain := &Op{Operator: "webspace", Operation: "set", Request: &validatingReq{err: errors.New("gen_setup/name: too long")}}
	good := &Op{Operator: "customer", Operation: "get", Request: &validatingReq{}, ReadOnly: true}

	check := func(via string, err error, want string) {
		t.Helper()
		var ve *ValidationError
		if !errors.Is(err, ErrInvalidRequest) || !errors.As(err, &ve) || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: err = %v, want a *ValidationError saying %q", via, err, want)
		}
	}
	_, err := Do[item](context.Background(), inv, "", bad)
	check("Do", err, "webspace/del: filter: selects every object")
	_, err = Do[item](context.Background(), inv, "", plain)
	check("Do, plain error", err, "webspace/set: gen_setup/name: too long")
	for _, err := range Stream[item](context.Background(), inv, "", bad) {
		check("Stream", err, "webspace/del: filter: selects every object")
	}
	b := NewBatch(inv, "")
	pg := Add[item](b, good)
	pb := Add[item](b, bad)
	err = b.Send(context.Background())
	check("Batch", err, "webspace/del: filter: selects every object")
	if _, err := pg.Results(); err == nil {
		t.Error("the valid op of a refused batch reports success")
	}
	if _, err := pb.Results(); !errors.Is(err, ErrInvalidRequest) {
		t.Errorf("Pending.Results: %v", err)
	}
	if n := invoked.Load(); n != 0 {
		t.Errorf("the invoker was called %d times", n)
	}

	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { hits.Add(1) }))
	defer srv.Close()
	c := mustClient(t, srv.URL, WithSecretKey(testKey))
	check("Client.Invoke", c.Invoke(context.Background(), "", bad), "webspace/del: filter")
	check("Client.Invoke, bad name", c.Invoke(context.Background(), "", &Op{Operator: "web space", Operation: "get"}), "invalid operator name")
	if hits.Load() != 0 {
		t.Error("Client.Invoke sent an invalid request")
	}

	if _, err := Do[item](context.Background(), inv, "", good); err != nil || invoked.Load() != 1 {
		t.Errorf("a valid request: %v, %d calls", err, invoked.Load())
	}
	ve := &ValidationError{Operator: "webspace", Operation: "del", Path: "filter", Problem: "x"}
	if ve.Error() != "webspace/del: filter: x" || !errors.Is(ve, ErrInvalidRequest) || errors.Is(ve, ErrNotFound) {
		t.Errorf("ValidationError: %q", ve)
	}
}
