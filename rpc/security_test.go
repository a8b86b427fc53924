package rpc

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"fmt"
	"io"
	"log"
	"log/slog"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// selfSignedServer starts an HTTPS server with a self-signed certificate
// for the given names (none: 127.0.0.1), as Plesk has out of the box. hits
// counts the requests that reached the handler: a request that reached it
// carried the credentials.
func selfSignedServer(t *testing.T, names ...string) (srv *httptest.Server, cert *x509.Certificate, hits *atomic.Int32) {
	t.Helper()
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(42),
		Subject:               pkix.Name{CommonName: "Plesk"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
		DNSNames:              names,
	}
	if len(names) == 0 {
		tmpl.IPAddresses = []net.IP{net.IPv4(127, 0, 0, 1)}
	}
	key, der, cert := makeCert(t, tmpl, nil, nil)
	hits = new(atomic.Int32)
	srv = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		pleskHandler(t, okGet)(w, r)
	}))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // refused handshakes are the point
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}}
	srv.StartTLS()
	t.Cleanup(srv.Close)
	return srv, cert, hits
}

// TestTLSVerification: verification is on unless switched off. Against a
// self-signed certificate, a client without its pin or CA fails before
// anything is sent, and is not retried; the pin, or the certificate as CA,
// lets it through; a pin of another certificate, or a CA for another name,
// does not.
func TestTLSVerification(t *testing.T) {
	srv, cert, hits := selfSignedServer(t)
	_, otherCert, _ := selfSignedServer(t)
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	named, namedCert, namedHits := selfSignedServer(t, "plesk.example.com")
	namedPool := x509.NewCertPool()
	namedPool.AddCert(namedCert)

	tests := []struct {
		name string
		srv  *httptest.Server
		hits *atomic.Int32
		opts []Option
		want func(error) bool
		says string
	}{
		{"default: the system roots", srv, hits, nil, func(err error) bool {
			var ua x509.UnknownAuthorityError
			return errors.Is(err, ErrConnection) && errors.As(err, &ua)
		}, "certificate signed by unknown authority"},
		{"a CA pool without it", srv, hits, []Option{WithRootCAs(x509.NewCertPool())}, func(err error) bool {
			var ua x509.UnknownAuthorityError
			return errors.As(err, &ua)
		}, "certificate signed by unknown authority"},
		{"the pin of another certificate", srv, hits, []Option{WithPinnedSHA256(CertificatePin(otherCert), PublicKeyPin(otherCert))}, func(err error) bool {
			return errors.Is(err, ErrPinMismatch) && errors.Is(err, ErrConnection)
		}, PublicKeyPin(cert)},
		{"its CA, but for another host name", named, namedHits, []Option{WithRootCAs(namedPool)}, func(err error) bool {
			var he x509.HostnameError
			return errors.As(err, &he)
		}, "127.0.0.1"},
		{"its certificate pinned", srv, hits, []Option{WithPinnedSHA256(CertificatePin(cert))}, nil, ""},
		{"its public key pinned", srv, hits, []Option{WithPinnedSHA256(PublicKeyPin(cert))}, nil, ""},
		{"its certificate as the CA", srv, hits, []Option{WithRootCAs(pool)}, nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := tt.hits.Load()
			var logs safeBuffer
			opts := append([]Option{WithLogin(testLogin, testPassword), WithLogger(debugLogger(&logs)),
				WithReadRetry(RetryPolicy{Attempts: 3, MinBackoff: time.Microsecond})}, tt.opts...)
			c := mustClient(t, tt.srv.URL, opts...)
			_, err := Do[item](context.Background(), c, "", getOp())
			got := tt.hits.Load() - before
			if tt.want == nil {
				if err != nil || got != 1 {
					t.Fatalf("err = %v after %d requests, want success", err, got)
				}
				return
			}
			if !tt.want(err) || !strings.Contains(err.Error(), tt.says) {
				t.Errorf("err = %v, want one saying %q", err, tt.says)
			}
			if got != 0 {
				t.Errorf("%d requests reached the server: the credentials left the machine", got)
			}
			if strings.Contains(logs.String(), "retrying") {
				t.Errorf("a refused certificate was retried:\n%s", logs.String())
			}
			assertNoSecret(t, "error", err.Error())
		})
	}
}

// TestInsecureSwitch: WithInsecureSkipVerify reaches a self-signed server,
// and says on the client's logger, at Warn, that verification is off.
func TestInsecureSwitch(t *testing.T) {
	srv, _, hits := selfSignedServer(t)
	var logs safeBuffer
	warn := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelWarn}))
	c := mustClient(t, srv.URL, WithLogin(testLogin, testPassword), WithInsecureSkipVerify(), WithLogger(warn))
	if _, err := Do[item](context.Background(), c, "", getOp()); err != nil || hits.Load() != 1 {
		t.Fatalf("err = %v after %d requests", err, hits.Load())
	}
	out := logs.String()
	if !strings.Contains(out, "level=WARN") || !strings.Contains(out, "TLS certificate verification is OFF") || !strings.Contains(out, srv.URL) {
		t.Errorf("no warning naming the endpoint: %q", out)
	}
	if n := strings.Count(out, "level=WARN"); n != 1 {
		t.Errorf("%d warnings, want 1 (at NewClient):\n%s", n, out)
	}
	assertNoSecret(t, "log", out)
}

// TestCredentialsInNoPanic: the panics the package raises and the values a
// runtime panic would print hold no credentials, and credentials that
// net/http refuses (a newline in a password) are refused without quoting
// them.
func TestCredentialsInNoPanic(t *testing.T) {
	srv := httptest.NewServer(pleskHandler(t, okGet))
	defer srv.Close()
	catch := func(f func()) (msg string) {
		defer func() {
			if r := recover(); r != nil {
				msg = fmt.Sprint(r)
			}
		}()
		f()
		return ""
	}
	for _, auth := range []Option{WithLogin(testLogin, testPassword), WithSecretKey(testKey)} {
		c := mustClient(t, srv.URL, auth)
		b := NewBatch(c, "")
		Add[item](b, getOp())
		if err := b.Send(context.Background()); err != nil {
			t.Fatal(err)
		}
		var late *Pending[item]
		if msg := catch(func() { late = Add[item](b, getOp()) }); msg != "" {
			t.Errorf("Add on a sent batch panicked: %s", msg)
			assertNoSecret(t, "panic", msg)
		} else if _, err := late.Results(); !errors.Is(err, ErrBatchSent) {
			t.Errorf("an op added to a sent batch: err = %v, want ErrBatchSent", err)
		} else {
			assertNoSecret(t, "error", err.Error())
		}
		// What panic(v) prints for the client, the value that holds the
		// credentials: the runtime prints a Stringer by its method, a struct
		// by its fields, and the credentials sit behind a pointer.
		for _, v := range []any{c, *c, &c} {
			msg := catch(func() { panic(v) })
			assertNoSecret(t, "panic value", msg)
			assertNoSecret(t, "panic value", fmt.Sprintf("%v %+v %#v", v, v, v))
		}
	}
	for _, pw := range []string{"line\nbreak-" + testPassword, "nul\x00-" + testPassword, "cr\r\n-" + testPassword} {
		c, err := NewClient(srv.URL, WithLogin(testLogin, pw))
		if err != nil {
			assertNoSecret(t, "NewClient error", err.Error())
			continue
		}
		msg := catch(func() { _, err = Do[item](context.Background(), c, "", getOp()) })
		assertNoSecret(t, "panic", msg)
		if err == nil {
			t.Errorf("a password with %q was sent", pw[:4])
			continue
		}
		assertNoSecret(t, "error", err.Error())
	}
}

// TestStateChangingNeverRetried: with retries on, a packet holding any
// operation that may change state is sent once, whatever the failure;
// the same failures are retried for reads (the check that the test would
// see a retry).
func TestStateChangingNeverRetried(t *testing.T) {
	failures := []struct {
		name string
		fail func(w http.ResponseWriter, r *http.Request)
	}{
		{"503", func(w http.ResponseWriter, r *http.Request) { unavailable(w) }},
		{"502", func(w http.ResponseWriter, r *http.Request) { http.Error(w, "bad gateway", http.StatusBadGateway) }},
		{"504", func(w http.ResponseWriter, r *http.Request) { http.Error(w, "timeout", http.StatusGatewayTimeout) }},
		{"429", func(w http.ResponseWriter, r *http.Request) { http.Error(w, "slow down", http.StatusTooManyRequests) }},
		{"connection dropped before the response", func(w http.ResponseWriter, r *http.Request) {
			io.Copy(io.Discard, r.Body)
			conn, _, err := w.(http.Hijacker).Hijack()
			if err == nil {
				conn.Close()
			}
		}},
		{"body cut before any result", func(w http.ResponseWriter, r *http.Request) {
			io.WriteString(w, `<?xml version="1.0" encoding="UTF-8"?><packet version="1.6.9.1">`)
		}},
		{"connection dropped in the body", func(w http.ResponseWriter, r *http.Request) {
			conn, buf, err := w.(http.Hijacker).Hijack()
			if err != nil {
				return
			}
			fmt.Fprintf(buf, "HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nContent-Length: 1000\r\n\r\n<packet><customer>")
			buf.Flush()
			conn.Close()
		}},
	}
	// What an op does is its ReadOnly, never its name: a hand-made op
	// named like a read changes state until it says otherwise.
	writes := [][]*Op{
		{{Operator: "customer", Operation: "add", Request: Empty{}}},
		{{Operator: "webspace", Operation: "del", Request: Empty{}}},
		{{Operator: "webspace", Operation: "switch-subscription", Request: Empty{}}},
		{{Operator: "migration", Operation: "start", Request: Empty{}}},
		{{Operator: "database", Operation: "set-db-user", Request: Empty{}}},
		{{Operator: "webspace", Operation: "db-servers/add", Request: Empty{}}},
		{{Operator: "customer", Operation: "get", Request: Empty{}}},
		{{Operator: "customer", Operation: "get", ReadOnly: true}, {Operator: "customer", Operation: "add", Request: Empty{}}},
	}
	reads := [][]*Op{
		{{Operator: "customer", Operation: "get", ReadOnly: true}},
		{{Operator: "migration", Operation: "get_status", ReadOnly: true}},
		{{Operator: "webspace", Operation: "db-servers/list", ReadOnly: true}},
		{{Operator: "customer", Operation: "add", ReadOnly: true}}, // declared so: believed
	}
	for _, f := range failures {
		for _, ops := range append(writes, reads...) {
			var names []string
			read := true
			for _, op := range ops {
				names = append(names, op.String())
				read = read && op.ReadOnly
			}
			t.Run(f.name+"/"+strings.Join(names, "+"), func(t *testing.T) {
				var hits atomic.Int32
				srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					hits.Add(1)
					f.fail(w, r)
				}))
				defer srv.Close()
				c := mustClient(t, srv.URL, WithSecretKey(testKey),
					WithReadRetry(RetryPolicy{Attempts: 4, MinBackoff: time.Microsecond, MaxBackoff: time.Microsecond}))
				b := NewBatch(c, "")
				for _, op := range ops {
					Add[item](b, op)
				}
				err := b.Send(context.Background())
				if !errors.Is(err, ErrTransport) {
					t.Fatalf("err = %v, want a transport failure", err)
				}
				want := int32(1)
				if read {
					want = 4
				}
				if got := hits.Load(); got != want {
					t.Errorf("sent %d times, want %d", got, want)
				}
			})
		}
	}
}
