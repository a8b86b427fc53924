package rpc

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// Response bodies the client must survive: a huge errtext, a declared
// legacy charset, a server that keeps the connection open after </packet>.

// TestHugeErrtext: an 8 MB errtext does not become an 8 MB error.
func TestHugeErrtext(t *testing.T) {
	huge := strings.Repeat("lol ", 2<<20)
	srv := httptest.NewServer(pleskHandler(t, `<packet><customer><get><result><status>error</status><errcode>1013</errcode><errtext>`+
		huge+`</errtext></result></get></customer></packet>`))
	defer srv.Close()
	_, err := Do[Result](context.Background(), mustClient(t, srv.URL, WithSecretKey(testKey)), "", getOp())
	if !errors.Is(err, ErrNotFound) {
		t.Fatalf("err = %.200v", err)
	}
	if n := len(err.Error()); n > 2*DefaultMaxErrorText {
		t.Errorf("the error is %d bytes", n)
	}
	if !strings.Contains(err.Error(), fmt.Sprintf("(%d bytes cut)", len(huge)-DefaultMaxErrorText)) {
		t.Errorf("the error does not say how much was cut: %.2000s", err)
	}
}

// TestDeclaredCharsets: a response in ISO-8859-1 or windows-1251 (even one
// of pure ASCII) decodes; an unknown charset fails naming it.
func TestDeclaredCharsets(t *testing.T) {
	packet := func(enc, name string) string {
		return `<?xml version="1.0" encoding="` + enc + `"?>` + "\n" +
			`<packet><customer><get><result><status>ok</status><id>1</id><data><gen_info><name>` + name +
			`</name></gen_info></data></result></get></customer></packet>`
	}
	for _, tt := range []struct {
		enc, raw, want string
	}{
		{"ISO-8859-1", "Caf\xe9 M\xfcller", "Café Müller"},
		{"iso-8859-1", "plain", "plain"},
		{"windows-1251", "\xcf\xf0\xe8\xe2\xe5\xf2", "Привет"},
		{"windows-1251", "ascii only", "ascii only"},
		{"KOI8-R", "\xf0\xd2\xc9\xd7\xc5\xd4", "Привет"},
		{"UTF-8", "Café", "Café"},
	} {
		srv := httptest.NewServer(pleskHandler(t, packet(tt.enc, tt.raw)))
		res, err := Do[item](context.Background(), mustClient(t, srv.URL, WithSecretKey(testKey)), "", getOp())
		srv.Close()
		if err != nil || len(res) != 1 || res[0].Name != tt.want {
			t.Errorf("%s: %+v, %v; want name %q", tt.enc, res, err, tt.want)
		}
	}
	srv := httptest.NewServer(pleskHandler(t, packet("x-klingon", "plain")))
	defer srv.Close()
	_, err := Do[item](context.Background(), mustClient(t, srv.URL, WithSecretKey(testKey)), "", getOp())
	if !errors.Is(err, ErrNotXML) || !strings.Contains(err.Error(), `encoding "x-klingon"`) {
		t.Errorf("err = %v, want ErrNotXML naming the charset", err)
	}
}

// TestReturnAtPacketEnd: a server that sends the whole packet and then
// keeps the body open (it never ends) does not hold the call; the
// connection is closed, not leaked.
func TestReturnAtPacketEnd(t *testing.T) {
	release := make(chan struct{})
	var handlers sync.WaitGroup
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		handlers.Add(1)
		defer handlers.Done()
		w.Header().Set("Content-Type", "text/xml")
		io.WriteString(w, okGet)
		w.(http.Flusher).Flush()
		select { // the last chunk never comes (until the test ends)
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	defer close(release)
	c := mustClient(t, srv.URL, WithSecretKey(testKey))
	for _, call := range []func() error{
		func() error { _, err := Do[item](context.Background(), c, "", getOp()); return err },
		func() error {
			for _, err := range Stream[item](context.Background(), c, "", getOp()) {
				if err != nil {
					return err
				}
			}
			return nil
		},
	} {
		done := make(chan error, 1)
		go func() { done <- call() }()
		select {
		case err := <-done:
			if err != nil {
				t.Error(err)
			}
		case <-time.After(30 * time.Second): // without a read deadline, never
			t.Fatal("the call did not return after </packet>")
		}
	}
}
