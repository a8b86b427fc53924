package rpc

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"fmt"
	"io"
	"log"
	"log/slog"
	"math/big"
	mrand "math/rand/v2"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
	"unicode"
)

// The host of these tests: "exämple.com", whose punycode is
// xn--exmple-cua.com. Nothing resolves it: the tests' dialers send every
// address to a loopback server.
const (
	idnHost      = "exämple.com"
	idnHostASCII = "xn--exmple-cua.com"
)

// testCA is a certificate authority made for one test, and the server
// certificates it signs.
// makeCert signs tmpl with a new P-256 key: by parent and its parentKey, or
// by itself when parent is nil. It returns the key, the DER certificate and
// its parsed form.
func makeCert(t *testing.T, tmpl, parent *x509.Certificate, parentKey *ecdsa.PrivateKey) (*ecdsa.PrivateKey, []byte, *x509.Certificate) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	if parent == nil {
		parent, parentKey = tmpl, key
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, &key.PublicKey, parentKey)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return key, der, cert
}

type testCA struct {
	cert *x509.Certificate
	key  *ecdsa.PrivateKey
	pool *x509.CertPool
}

func newTestCA(t *testing.T, name string) *testCA {
	t.Helper()
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: name},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		KeyUsage: x509.KeyUsageCertSign, BasicConstraintsValid: true, IsCA: true,
	}
	key, _, cert := makeCert(t, tmpl, nil, nil)
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	return &testCA{cert: cert, key: key, pool: pool}
}

// issue signs a server certificate for the test host in both spellings and
// for the loopback addresses, valid from notBefore to notAfter.
func (ca *testCA) issue(t *testing.T, notBefore, notAfter time.Time) (tls.Certificate, *x509.Certificate) {
	t.Helper()
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(mrand.Int64N(1 << 60)), Subject: pkix.Name{CommonName: idnHostASCII},
		NotBefore: notBefore, NotAfter: notAfter,
		KeyUsage:    x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		DNSNames:    []string{idnHostASCII, "plesk.example.com"},
		IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback},
	}
	key, der, cert := makeCert(t, tmpl, ca.cert, ca.key)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}, cert
}

// tlsServer is a Plesk on loopback with the given certificate; hits counts
// the requests that reached it (each carried the credentials).
func tlsServer(t *testing.T, cert tls.Certificate) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	hits := new(atomic.Int32)
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		pleskHandler(t, okGet)(w, r)
	}))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // refused handshakes are the point
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{cert}}
	srv.StartTLS()
	t.Cleanup(srv.Close)
	return srv, hits
}

// resolver sends every dial to one loopback address and notes the
// addresses net/http asked for.
type resolver struct {
	to    string
	mu    sync.Mutex
	asked []string
}

func (r *resolver) dial(ctx context.Context, network, addr string) (net.Conn, error) {
	r.mu.Lock()
	r.asked = append(r.asked, addr)
	r.mu.Unlock()
	var d net.Dialer
	return d.DialContext(ctx, network, r.to)
}

func (r *resolver) dialed() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.asked...)
}

// hostSpellings returns spellings of the same host: each base name as
// given, in punycode where it has one, with each letter's case drawn at
// random (Unicode letters too), with and without a trailing dot.
func hostSpellings(rnd *mrand.Rand) []string {
	flip := func(s string) string {
		var b strings.Builder
		for _, r := range s {
			if rnd.IntN(2) == 0 {
				r = unicode.ToUpper(r)
			}
			b.WriteRune(r)
		}
		return b.String()
	}
	var out []string
	for _, base := range []string{idnHost, idnHostASCII} {
		for _, dot := range []string{"", "."} {
			out = append(out, base+dot, strings.ToUpper(base)+dot)
			for range 3 {
				out = append(out, flip(base)+dot)
			}
		}
	}
	return out
}

// TestTLSOptionsForEveryHostSpelling: the pins and the root CAs are
// Plesk's whatever the spelling of its host. For each spelling (Unicode or
// punycode, random case, trailing dot), a client whose transport trusts an
// impostor's CA (as the system roots would trust a CA-signed certificate)
// reaches the real server and is refused by the impostor before it sends
// anything. On main, a Unicode host was taken for a proxy hop, and the
// impostor received the password.
func TestTLSOptionsForEveryHostSpelling(t *testing.T) {
	now := time.Now()
	pleskCA, otherCA := newTestCA(t, "Plesk CA"), newTestCA(t, "public CA")
	pleskTLS, pleskCert := pleskCA.issue(t, now.Add(-time.Hour), now.Add(time.Hour))
	otherTLS, _ := otherCA.issue(t, now.Add(-time.Hour), now.Add(time.Hour))
	plesk, pleskHits := tlsServer(t, pleskTLS)
	impostor, impostorHits := tlsServer(t, otherTLS)

	trust := map[string]Option{
		"certificate pin": WithPinnedSHA256(CertificatePin(pleskCert)),
		"public key pin":  WithPinnedSHA256(PublicKeyPin(pleskCert)),
		"root CAs":        WithRootCAs(pleskCA.pool),
	}
	rnd := mrand.New(mrand.NewPCG(20, 20))
	for _, host := range hostSpellings(rnd) {
		for name, opt := range trust {
			for _, target := range []struct {
				srv  *httptest.Server
				hits *atomic.Int32
				real bool
			}{{plesk, pleskHits, true}, {impostor, impostorHits, false}} {
				res := &resolver{to: target.srv.Listener.Addr().String()}
				hc := &http.Client{Transport: &http.Transport{
					DialContext:     res.dial,
					TLSClientConfig: &tls.Config{RootCAs: otherCA.pool}, // the impostor's CA, as if public
				}}
				endpoint := "https://" + net.JoinHostPort(host, "8443")
				c := mustClient(t, endpoint, WithLogin(testLogin, testPassword), WithHTTPClient(hc), opt)
				before := target.hits.Load()
				_, err := Do[item](context.Background(), c, "", getOp())
				got := target.hits.Load() - before
				if len(res.dialed()) == 0 {
					t.Fatalf("%s, %s: nothing was dialed (err = %v)", host, name, err)
				}
				if target.real {
					if err != nil || got != 1 {
						t.Errorf("%s, %s, real server: err = %v after %d requests, want success", host, name, err, got)
					}
					continue
				}
				var ua x509.UnknownAuthorityError
				if err == nil || !(errors.Is(err, ErrPinMismatch) || errors.As(err, &ua)) {
					t.Errorf("%s, %s, impostor: err = %v, want a pin mismatch or an unknown authority", host, name, err)
				}
				if got != 0 {
					t.Errorf("%s, %s: %d requests reached the impostor: the password left the machine", host, name, got)
				}
				if err != nil {
					assertNoSecret(t, "error", err.Error())
				}
			}
		}
	}
}

// TestTLSOptionsForIPLiterals: an IP address in any of its spellings
// (IPv6 compressed or not, any case of its hex digits) is the endpoint's
// host too.
func TestTLSOptionsForIPLiterals(t *testing.T) {
	now := time.Now()
	pleskCA, otherCA := newTestCA(t, "Plesk CA"), newTestCA(t, "public CA")
	pleskTLS, pleskCert := pleskCA.issue(t, now.Add(-time.Hour), now.Add(time.Hour))
	otherTLS, _ := otherCA.issue(t, now.Add(-time.Hour), now.Add(time.Hour))
	plesk, pleskHits := tlsServer(t, pleskTLS)
	impostor, impostorHits := tlsServer(t, otherTLS)
	for _, host := range []string{"127.0.0.1", "::1", "0:0:0:0:0:0:0:1", "0000::0001", "[::1]", "::FFFF:127.0.0.1"} {
		for _, opt := range []Option{WithPinnedSHA256(PublicKeyPin(pleskCert)), WithRootCAs(pleskCA.pool)} {
			for _, real := range []bool{true, false} {
				srv, hits := plesk, pleskHits
				if !real {
					srv, hits = impostor, impostorHits
				}
				res := &resolver{to: srv.Listener.Addr().String()}
				hc := &http.Client{Transport: &http.Transport{DialContext: res.dial,
					TLSClientConfig: &tls.Config{RootCAs: otherCA.pool}}}
				c := mustClient(t, host, WithSecretKey(testKey), WithHTTPClient(hc), opt)
				before := hits.Load()
				_, err := Do[item](context.Background(), c, "", getOp())
				got := hits.Load() - before
				if real && (err != nil || got != 1) {
					t.Errorf("%s, real server: err = %v after %d requests", host, err, got)
				}
				if !real && (err == nil || got != 0) {
					t.Errorf("%s, impostor: err = %v after %d requests, want a refusal before sending", host, err, got)
				}
			}
		}
	}
}

// TestTLSOptionsForAUnicodeHostBehindAProxy: through an https:// proxy,
// the proxy hop is verified by the transport's trust and the tunnel by the
// pins, for a Unicode host name too.
func TestTLSOptionsForAUnicodeHostBehindAProxy(t *testing.T) {
	now := time.Now()
	pleskCA := newTestCA(t, "Plesk CA")
	pleskTLS, pleskCert := pleskCA.issue(t, now.Add(-time.Hour), now.Add(time.Hour))
	plesk, hits := tlsServer(t, pleskTLS)
	proxyTLS, proxyCert := selfSignedCert(t, "proxy", "localhost")
	proxyPool := x509.NewCertPool()
	proxyPool.AddCert(proxyCert)

	for _, terminate := range []bool{false, true} {
		p := startConnectProxyTo(t, proxyTLS, terminate, plesk.Listener.Addr().String())
		proxyURL := &url.URL{Scheme: "https", Host: net.JoinHostPort("localhost", fmt.Sprint(p.ln.Addr().(*net.TCPAddr).Port))}
		hc := &http.Client{Transport: &http.Transport{Proxy: http.ProxyURL(proxyURL), TLSClientConfig: &tls.Config{RootCAs: proxyPool}}}
		c := mustClient(t, "https://"+strings.ToUpper(idnHost)+".:8443", WithLogin(testLogin, testPassword),
			WithHTTPClient(hc), WithPinnedSHA256(PublicKeyPin(pleskCert)))
		before := hits.Load()
		_, err := Do[item](context.Background(), c, "", getOp())
		if !terminate {
			if err != nil || hits.Load() != before+1 || p.tunnels.Load() != 1 {
				t.Errorf("through the tunnel: err = %v, %d requests, %d tunnels", err, hits.Load()-before, p.tunnels.Load())
			}
			continue
		}
		if !errors.Is(err, ErrPinMismatch) {
			t.Errorf("a TLS-terminating proxy: err = %v, want ErrPinMismatch", err)
		}
		if n := p.leaked.Load(); n != 0 {
			t.Errorf("the terminating proxy read %d requests", n)
		}
	}
}

// TestTLSOptionsRefusedOnPlainHTTP: a TLS option on an http:// endpoint is
// an error naming the option, whatever else is given; without one, the
// client is made and warns.
func TestTLSOptionsRefusedOnPlainHTTP(t *testing.T) {
	pin := PublicKeyPin(selfSigned(t))
	tlsOpts := map[string]Option{
		"WithPinnedSHA256":       WithPinnedSHA256(pin),
		"WithRootCAs":            WithRootCAs(x509.NewCertPool()),
		"WithInsecureSkipVerify": WithInsecureSkipVerify(),
	}
	for _, endpoint := range []string{"http://plesk.example.com", "HTTP://plesk.example.com:8880/enterprise/control/agent.php", "http://[::1]:80"} {
		for name, opt := range tlsOpts {
			c, err := NewClient(endpoint, WithLogin(testLogin, testPassword), opt)
			if err == nil {
				t.Errorf("%s with %s: accepted (%v)", endpoint, name, c)
				continue
			}
			msg := err.Error()
			if !strings.Contains(msg, name) || !strings.Contains(msg, "plain HTTP") {
				t.Errorf("%s with %s: error %q does not name the option and the plain HTTP", endpoint, name, msg)
			}
			assertNoSecret(t, "error", msg)
		}
		if _, err := NewClient(endpoint, WithLogin(testLogin, testPassword), WithRootCAs(nil), WithPinnedSHA256(pin)); err == nil ||
			!strings.Contains(err.Error(), "WithRootCAs and WithPinnedSHA256") {
			t.Errorf("%s with two TLS options: err = %v, want one naming both", endpoint, err)
		}
		// The same options over https are fine.
		if _, err := NewClient(strings.Replace(strings.ToLower(endpoint), "http://", "https://", 1),
			WithLogin(testLogin, testPassword), WithPinnedSHA256(pin)); err != nil {
			t.Errorf("https with a pin: %v", err)
		}
	}
}

// TestPlainHTTPWarnsOnDefaultLogger: without WithLogger, the plain-HTTP
// warning reaches slog.Default; with one, that logger and not the default.
func TestPlainHTTPWarnsOnDefaultLogger(t *testing.T) {
	var def, own safeBuffer
	old := slog.Default()
	slog.SetDefault(slog.New(slog.NewTextHandler(&def, nil)))
	t.Cleanup(func() { slog.SetDefault(old) })

	mustClient(t, "http://plesk.example.com", WithLogin(testLogin, testPassword))
	if out := def.String(); !strings.Contains(out, "level=WARN") || !strings.Contains(out, "plain HTTP") ||
		!strings.Contains(out, "http://plesk.example.com:8880") {
		t.Errorf("no plain-HTTP warning on slog.Default: %q", out)
	}
	assertNoSecret(t, "log", def.String())

	n := strings.Count(def.String(), "plain HTTP")
	mustClient(t, "http://plesk.example.com", WithSecretKey(testKey), WithLogger(slog.New(slog.NewTextHandler(&own, nil))))
	if !strings.Contains(own.String(), "plain HTTP") {
		t.Errorf("no plain-HTTP warning on the client's logger: %q", own.String())
	}
	if strings.Count(def.String(), "plain HTTP") != n {
		t.Errorf("the warning went to slog.Default although a logger was given")
	}
	mustClient(t, "https://plesk.example.com", WithSecretKey(testKey))
	if strings.Count(def.String(), "plain HTTP") != n {
		t.Errorf("an https client warned of plain HTTP")
	}
	// Loopback crosses no network: tests against plesktest stay quiet.
	for _, host := range []string{"http://127.0.0.1:8880", "http://localhost", "http://[::1]:9000", "http://127.1.2.3"} {
		mustClient(t, host, WithSecretKey(testKey))
		if strings.Count(def.String(), "plain HTTP") != n {
			t.Errorf("%s: warned of plain HTTP on loopback", host)
		}
	}
	mustClient(t, "http://127.0.0.1.example.com", WithSecretKey(testKey))
	if strings.Count(def.String(), "plain HTTP") != n+1 {
		t.Errorf("a host name that only starts like a loopback address was not warned about")
	}
}

// TestPinnedCertificateDatesNotChecked: a pinned certificate is accepted
// outside its validity dates (expired, not yet valid), as WithPinnedSHA256
// documents, while the same certificate verified through its CA is refused
// for its dates, so the dates are the only difference.
func TestPinnedCertificateDatesNotChecked(t *testing.T) {
	now := time.Now()
	ca := newTestCA(t, "Plesk CA")
	for _, period := range []struct {
		name      string
		from, til time.Time
	}{
		{"expired", now.Add(-48 * time.Hour), now.Add(-24 * time.Hour)},
		{"not yet valid", now.Add(24 * time.Hour), now.Add(48 * time.Hour)},
	} {
		cert, leaf := ca.issue(t, period.from, period.til)
		srv, hits := tlsServer(t, cert)
		for _, pin := range []string{CertificatePin(leaf), PublicKeyPin(leaf)} {
			c := mustClient(t, srv.URL, WithSecretKey(testKey), WithPinnedSHA256(pin))
			before := hits.Load()
			if _, err := Do[item](context.Background(), c, "", getOp()); err != nil || hits.Load() != before+1 {
				t.Errorf("%s certificate, pinned: err = %v, want success", period.name, err)
			}
		}
		c := mustClient(t, srv.URL, WithSecretKey(testKey), WithRootCAs(ca.pool))
		before := hits.Load()
		_, err := Do[item](context.Background(), c, "", getOp())
		var ce x509.CertificateInvalidError
		if !errors.As(err, &ce) || ce.Reason != x509.Expired || hits.Load() != before {
			t.Errorf("%s certificate through its CA: err = %v, want an x509 validity error before sending", period.name, err)
		}
	}
}

// TestRoutePerRequest: the route is decided for each request. With a
// Proxy function that sends every other request through an https://
// proxy, concurrent calls to a Unicode host all reach Plesk under its pin,
// both ways; and a request the client did not make (no route noted) gets
// Plesk's TLS even on the proxy hop, so it fails closed.
func TestRoutePerRequest(t *testing.T) {
	now := time.Now()
	pleskCA := newTestCA(t, "Plesk CA")
	pleskTLS, pleskCert := pleskCA.issue(t, now.Add(-time.Hour), now.Add(time.Hour))
	plesk, hits := tlsServer(t, pleskTLS)
	proxyTLS, proxyCert := selfSignedCert(t, "proxy", "localhost")
	proxyPool := x509.NewCertPool()
	proxyPool.AddCert(proxyCert)
	p := startConnectProxyTo(t, proxyTLS, false, plesk.Listener.Addr().String())
	proxyAddr := p.ln.Addr().String()
	proxyURL := &url.URL{Scheme: "https", Host: net.JoinHostPort("localhost", fmt.Sprint(p.ln.Addr().(*net.TCPAddr).Port))}

	var n, direct atomic.Int32
	tr := &http.Transport{
		Proxy: func(*http.Request) (*url.URL, error) {
			if n.Add(1)%2 == 0 {
				return proxyURL, nil
			}
			return nil, nil
		},
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			to := proxyAddr
			if !strings.HasPrefix(addr, "localhost:") {
				direct.Add(1)
				to = plesk.Listener.Addr().String()
			}
			var d net.Dialer
			return d.DialContext(ctx, network, to)
		},
		DisableKeepAlives: true, // a new dial, and route, for every request
		TLSClientConfig:   &tls.Config{RootCAs: proxyPool},
	}
	c := mustClient(t, "https://"+idnHost+":8443", WithSecretKey(testKey), WithHTTPClient(&http.Client{Transport: tr}),
		WithPinnedSHA256(PublicKeyPin(pleskCert)))
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 4 {
				if _, err := Do[item](context.Background(), c, "", getOp()); err != nil {
					t.Error(err)
				}
			}
		}()
	}
	wg.Wait()
	if hits.Load() != 32 || p.tunnels.Load() == 0 || direct.Load() == 0 {
		t.Errorf("%d requests reached Plesk, %d through the proxy, %d dialed directly; want 32 and both ways",
			hits.Load(), p.tunnels.Load(), direct.Load())
	}

	// A request without the client's route: the proxy hop is taken for
	// Plesk's connection, and the proxy's certificate fails the pin.
	tr.Proxy = func(*http.Request) (*url.URL, error) { return proxyURL, nil }
	c = mustClient(t, "https://"+idnHost+":8443", WithSecretKey(testKey), WithHTTPClient(&http.Client{Transport: tr}),
		WithPinnedSHA256(PublicKeyPin(pleskCert)))
	req, err := http.NewRequest(http.MethodPost, c.URL(), strings.NewReader("<packet/>"))
	if err != nil {
		t.Fatal(err)
	}
	before := hits.Load()
	resp, err := c.hc.Do(req)
	if err == nil {
		resp.Body.Close()
	}
	if !errors.Is(err, ErrPinMismatch) || hits.Load() != before {
		t.Errorf("an unrouted request: err = %v, want ErrPinMismatch before anything is sent", err)
	}
	if _, err := Do[item](context.Background(), c, "", getOp()); err != nil {
		t.Errorf("the same client's own request through the proxy: %v", err)
	}
}
