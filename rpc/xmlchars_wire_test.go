package rpc

import (
	"context"
	"encoding/xml"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
)

type passwdReq struct {
	Passwd string `xml:"gen_info>passwd"`
}

// Over loopback, by Do, Stream and Batch: a password XML cannot carry
// never reaches the server; one with CR, TAB and LF arrives byte for byte.
func TestRequestCharsOverLoopback(t *testing.T) {
	var calls atomic.Int32
	var got atomic.Value
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		body, _ := io.ReadAll(r.Body)
		var p struct {
			Passwd string `xml:"customer>set>gen_info>passwd"`
		}
		if err := xml.Unmarshal(body, &p); err != nil {
			t.Errorf("the server cannot read %s: %v", body, err)
		}
		got.Store(p.Passwd)
		w.Header().Set("Content-Type", "text/xml")
		io.WriteString(w, `<packet><customer><set><result><status>ok</status></result></set></customer></packet>`)
	}))
	defer srv.Close()
	c := mustClient(t, srv.URL, WithSecretKey(testKey))
	ctx := context.Background()
	op := func(pw string) *Op {
		return &Op{Operator: "customer", Operation: "set", Request: &passwdReq{Passwd: pw}}
	}
	bad := "se\tcr\x7f\xed\xa0\x80et"
	paths := map[string]func() error{
		"Do": func() error { _, err := Do[struct{}](ctx, c, "", op(bad)); return err },
		"Stream": func() error {
			for _, err := range Stream[struct{}](ctx, c, "", op(bad)) {
				return err
			}
			return nil
		},
		"Batch":  func() error { b := NewBatch(c, ""); Add[struct{}](b, op(bad)); return b.Send(ctx) },
		"Invoke": func() error { return c.Invoke(ctx, "", op(bad)) },
	}
	for via, call := range paths {
		err := call()
		var ve *ValidationError
		if !errors.As(err, &ve) || ve.Path != "gen_info/passwd" || ve.Problem == "" {
			t.Errorf("%s: err = %v, want a *ValidationError at gen_info/passwd", via, err)
		}
	}
	if n := calls.Load(); n != 0 {
		t.Fatalf("%d requests reached the server", n)
	}
	good := "a\rb\tc\r\nd \n<&>\"'\uFFFD"
	if _, err := Do[struct{}](ctx, c, "", op(good)); err != nil {
		t.Fatal(err)
	}
	if s, _ := got.Load().(string); s != good {
		t.Errorf("the server got %q, want %q", s, good)
	}
}
