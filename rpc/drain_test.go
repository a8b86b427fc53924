package rpc

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
)

// TestDrainAfterPacket: what follows </packet> decides whether the
// connection is kept. A body that has ended with the packet (known length,
// or a short tail sent at once) leaves the connection to the next call; a
// body that lingers after </packet> is abandoned, the call returns, and
// the next call opens a new connection.
func TestDrainAfterPacket(t *testing.T) {
	cases := []struct {
		name  string
		write func(w http.ResponseWriter, r *http.Request)
		conns int // for three calls
	}{
		{"known length", func(w http.ResponseWriter, r *http.Request) {
			io.WriteString(w, okGet)
		}, 1},
		{"chunked, with a short tail", func(w http.ResponseWriter, r *http.Request) {
			io.WriteString(w, okGet)
			w.(http.Flusher).Flush()
			io.WriteString(w, "\n  \n")
		}, 1},
		{"lingering after the packet", func(w http.ResponseWriter, r *http.Request) {
			io.WriteString(w, okGet)
			w.(http.Flusher).Flush()
			<-r.Context().Done() // until the client gives up on the body
		}, 3},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var conns atomic.Int32
			srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				io.Copy(io.Discard, r.Body)
				w.Header().Set("Content-Type", "text/xml")
				tc.write(w, r)
			}))
			srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
				if s == http.StateNew {
					conns.Add(1)
				}
			}
			srv.Start()
			defer srv.Close()
			c, err := NewClient(srv.URL, WithLogin(testLogin, testPassword))
			if err != nil {
				t.Fatal(err)
			}
			for range 3 {
				res, err := Do[benchResult](context.Background(), c, "1.6.9.1", benchOp())
				if err != nil || len(res) != 1 {
					t.Fatal(res, err)
				}
			}
			if n := conns.Load(); int(n) != tc.conns {
				t.Errorf("%d connections for three calls, want %d", n, tc.conns)
			}
		})
	}
}
