package rpc

import (
	"context"
	"crypto/x509"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
)

// TestPinnedHTTP2: with the TLS options, which take over the dial of the
// Plesk server, the client still speaks HTTP/2 where the server offers it.
func TestPinnedHTTP2(t *testing.T) {
	var proto atomic.Int32
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		proto.Store(int32(r.ProtoMajor))
		pleskHandler(t, okGet)(w, r)
	}))
	srv.EnableHTTP2 = true
	srv.StartTLS()
	defer srv.Close()
	cert := srv.Certificate()
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	for _, opt := range []Option{WithPinnedSHA256(CertificatePin(cert)), WithRootCAs(pool)} {
		proto.Store(0)
		if _, err := Do[item](context.Background(), mustClient(t, srv.URL, WithSecretKey(testKey), opt), "", getOp()); err != nil {
			t.Fatal(err)
		}
		if p := proto.Load(); p != 2 {
			t.Errorf("HTTP/%d, want HTTP/2", p)
		}
	}
}
