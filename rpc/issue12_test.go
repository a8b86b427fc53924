package rpc

import (
	"bufio"
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
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// The tests of this file reproduce, one by one, the defects of the issue
// "rpc under attack and under strain", with the bodies, the proxy, the
// lingering server and the short passwords it describes.

// webspaceAddReq carries third-party secrets the way webspace/add does:
// a name/value property and a password container.
type webspaceAddReq struct {
	Name     string `xml:"gen_setup>name"`
	Property []struct {
		Name  string `xml:"name"`
		Value string `xml:"value"`
	} `xml:"hosting>vrt_hst>property"`
	Password struct {
		Value string `xml:"value"`
		Type  string `xml:"type"`
	} `xml:"password"`
}

func newWebspaceAdd() *webspaceAddReq {
	r := &webspaceAddReq{Name: "example.com"}
	r.Property = append(r.Property, struct {
		Name  string `xml:"name"`
		Value string `xml:"value"`
	}{"ftp_login", "ftpuser"}, struct {
		Name  string `xml:"name"`
		Value string `xml:"value"`
	}{"ftp_password", "FtpS3cret!"})
	r.Password.Value, r.Password.Type = "OwnerS3cret!", "plain"
	return r
}

// TestPacketLoggingRedactsByStructure: secrets in name/value pairs and in
// password containers, in the request and in the response, never reach
// the log; the rest of the packets does.
func TestPacketLoggingRedactsByStructure(t *testing.T) {
	const resp = `<packet><webspace><add><result><status>ok</status><id>7</id>` +
		`<property><value>RespS3cret!</value><name>ftp_password</name></property>` +
		`<password><value>RespOwner!</value></password><token>Tok3n-value</token>` +
		`<guid>abc</guid></result></add></webspace></packet>`
	srv := httptest.NewServer(pleskHandler(t, resp))
	defer srv.Close()
	var logs safeBuffer
	c := mustClient(t, srv.URL, WithSecretKey(testKey), WithLogger(debugLogger(&logs)), WithPacketLogging())
	if _, err := Do[item](context.Background(), c, "", &Op{Operator: "webspace", Operation: "add", Request: newWebspaceAdd()}); err != nil {
		t.Fatal(err)
	}
	out := logs.String()
	for _, secret := range []string{"FtpS3cret!", "OwnerS3cret!", "RespS3cret!", "RespOwner!", "Tok3n-value"} {
		if strings.Contains(out, secret) {
			t.Errorf("the log shows %q:\n%s", secret, out)
		}
	}
	for _, kept := range []string{"<name>ftp_password</name><value>[REDACTED]</value>", "<value>ftpuser</value>",
		"<password><value>[REDACTED]</value>", "<type>[REDACTED]</type>", "<guid>abc</guid>", "<name>example.com</name>",
		"<value>[REDACTED]</value><name>ftp_password</name>"} {
		if !strings.Contains(out, kept) {
			t.Errorf("the log lacks %q:\n%s", kept, out)
		}
	}
}

// TestSnippetsRedactByStructure: the snippet of a body that is not a
// packet shows it, without the text of its secret elements.
func TestSnippetsRedactByStructure(t *testing.T) {
	for _, tt := range []struct {
		name, body string
		status     int
	}{
		{"HTTP 500", `Fatal: <password>Hunter2Hunter2</password> rejected`, 500},
		{"HTTP 200 text", `Fatal: <password>Hunter2Hunter2</password> rejected`, 200},
		{"HTML page", `<html><head><title>Oops</title></head><body><property><name>ftp_password</name><value>Hunter2Hunter2</value></property></body></html>`, 200},
	} {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(body("text/plain", tt.status, tt.body))
			defer srv.Close()
			_, err := Do[item](context.Background(), mustClient(t, srv.URL, WithSecretKey(testKey)), "", getOp())
			var te *TransportError
			if !errors.As(err, &te) {
				t.Fatalf("err = %v", err)
			}
			if strings.Contains(err.Error(), "Hunter2") || strings.Contains(te.Snippet, "Hunter2") {
				t.Errorf("the error shows the secret: %v", err)
			}
			if !strings.Contains(te.Snippet, "[REDACTED]") {
				t.Errorf("snippet %q: want the secret element shown redacted", te.Snippet)
			}
		})
	}
}

// TestNoScrubberOracle: with a one-letter password, or one that is a word
// of the URL, nothing is rewritten around it: the texts read as sent.
func TestNoScrubberOracle(t *testing.T) {
	for _, password := range []string{"x", "control", "e"} {
		srv := httptest.NewServer(body("text/plain", 500, "hex x509 control checksum"))
		c := mustClient(t, srv.URL, WithLogin("admin", password))
		_, err := Do[item](context.Background(), c, "", getOp())
		srv.Close()
		msg := fmt.Sprint(err)
		if strings.Contains(msg, redacted) || strings.Contains(msg, withheld) {
			t.Errorf("password %q: the message was rewritten: %s", password, msg)
		}
		for _, want := range []string{"/enterprise/control/agent.php", "hex x509 control checksum"} {
			if !strings.Contains(msg, want) {
				t.Errorf("password %q: message lacks %q: %s", password, want, msg)
			}
		}
	}
}

// TestCredentialsOutOfReflection: no reflection dump of a client reaches
// its credentials (they live in a closure), nor does any fmt verb.
func TestCredentialsOutOfReflection(t *testing.T) {
	const password, key = "Refl3ct-Passw0rd", "Refl3ct-K3y-0001"
	for _, opt := range []Option{WithLogin("admin", password), WithSecretKey(key)} {
		c := mustClient(t, "plesk.example.com", opt, WithPinnedSHA256(strings.Repeat("ab", 32)))
		var texts []string
		dump(reflect.ValueOf(c), map[uintptr]bool{}, &texts, 0)
		if len(texts) < 3 {
			t.Fatalf("the dump reached only %d strings: %v", len(texts), texts)
		}
		texts = append(texts, fmt.Sprintf("%v %+v %#v %#v %s", c, c, c, *c, c))
		for _, s := range texts {
			if strings.Contains(s, password) || strings.Contains(s, key) {
				t.Errorf("a dump of the client shows a credential: %q", s)
			}
		}
	}
}

// dump collects every string reachable from v by reflection, as a
// spew-like printer or cmp.Diff with an exporter would print them.
func dump(v reflect.Value, seen map[uintptr]bool, out *[]string, depth int) {
	if depth > 30 || !v.IsValid() {
		return
	}
	switch v.Kind() {
	case reflect.String:
		*out = append(*out, v.String())
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return
		}
		if v.Kind() == reflect.Pointer {
			if seen[v.Pointer()] {
				return
			}
			seen[v.Pointer()] = true
		}
		dump(v.Elem(), seen, out, depth+1)
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			dump(v.Field(i), seen, out, depth+1)
		}
	case reflect.Slice, reflect.Array:
		if v.Kind() == reflect.Slice && v.Type().Elem().Kind() == reflect.Uint8 {
			*out = append(*out, string(v.Bytes()))
			return
		}
		for i := 0; i < min(v.Len(), 1000); i++ {
			dump(v.Index(i), seen, out, depth+1)
		}
	case reflect.Map:
		it := v.MapRange()
		for it.Next() {
			dump(it.Key(), seen, out, depth+1)
			dump(it.Value(), seen, out, depth+1)
		}
	}
}

// TestCredentialsCheckedAtNewClient: an empty, blank or padded credential
// is refused, naming which one and never its value.
func TestCredentialsCheckedAtNewClient(t *testing.T) {
	for _, tt := range []struct {
		opt   Option
		names string
		value string
	}{
		{WithSecretKey("Padded-K3y-Value "), "secret key", "Padded-K3y-Value"},
		{WithSecretKey(""), "secret key is empty", ""},
		{WithSecretKey(" \t "), "secret key is only white space", ""},
		{WithLogin("admin", "Padded-Passw0rd "), "password begins or ends with white space", "Padded-Passw0rd"},
		{WithLogin(" admin", "Fine-Passw0rd"), "login begins or ends with white space", "Fine-Passw0rd"},
		{WithLogin("", "Fine-Passw0rd"), "login is empty", "Fine-Passw0rd"},
		{WithLogin("admin", "   "), "password is only white space", ""},
		{WithLogin("admin", "Bad\nPassw0rd"), "password holds a control character", "Passw0rd"},
	} {
		c, err := NewClient("plesk.example.com", tt.opt)
		if err == nil || c != nil {
			t.Errorf("want %q refused, got a client", tt.names)
			continue
		}
		if !strings.Contains(err.Error(), tt.names) {
			t.Errorf("err = %v, want it to say %q", err, tt.names)
		}
		if tt.value != "" && strings.Contains(err.Error(), tt.value) {
			t.Errorf("err = %v shows the credential", err)
		}
	}
}

// TestStateChangesAreNotRetried: an op that does not declare itself
// ReadOnly is never sent twice, whatever its name says
// (server/get-and-reset-counter reads and resets); a declared read is
// retried.
func TestStateChangesAreNotRetried(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		http.Error(w, "busy", http.StatusServiceUnavailable)
	}))
	defer srv.Close()
	c := mustClient(t, srv.URL, WithSecretKey(testKey), WithReadRetry(RetryPolicy{Attempts: 4, MinBackoff: time.Microsecond, MaxBackoff: time.Millisecond}))
	for _, tt := range []struct {
		op    *Op
		sends int32
	}{
		{&Op{Operator: "server", Operation: "get-and-reset-counter", Request: Empty{}}, 1},
		{&Op{Operator: "webspace", Operation: "db-servers/add", Request: Empty{}}, 1},
		{&Op{Operator: "server", Operation: "get", Request: Empty{}}, 1},
		{&Op{Operator: "server", Operation: "get", ReadOnly: true}, 4},
		{&Op{Operator: "webspace", Operation: "db-servers/list", ReadOnly: true}, 4},
	} {
		hits.Store(0)
		if _, err := Do[item](context.Background(), c, "", tt.op); !errors.Is(err, ErrHTTPStatus) {
			t.Errorf("%s: err = %v", tt.op, err)
		}
		if n := hits.Load(); n != tt.sends {
			t.Errorf("%s sent %d times, want %d", tt.op, n, tt.sends)
		}
	}
}

// TestRetryAfter: the wait a 503 asks for is honoured; a wait longer than
// the policy allows, or than the context leaves, ends the call at once.
func TestRetryAfter(t *testing.T) {
	var hits atomic.Int32
	var after atomic.Value
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if hits.Add(1) == 1 {
			w.Header().Set("Retry-After", after.Load().(string))
			http.Error(w, "busy", http.StatusServiceUnavailable)
			return
		}
		pleskHandler(t, okGet)(w, r)
	}))
	defer srv.Close()
	policy := RetryPolicy{Attempts: 3, MinBackoff: time.Microsecond, MaxBackoff: 20 * time.Second}
	c := mustClient(t, srv.URL, WithSecretKey(testKey), WithReadRetry(policy))

	// Honoured: the second try comes no sooner than a second later (a
	// lower bound only, which load cannot break).
	hits.Store(0)
	after.Store("1")
	began := time.Now()
	if _, err := Do[item](context.Background(), c, "", getOp()); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(began); d < time.Second || hits.Load() != 2 {
		t.Errorf("retried after %v with %d requests, want at least 1s and 2", d, hits.Load())
	}

	// Beyond the policy's MaxBackoff: not retried early, not waited for.
	hits.Store(0)
	after.Store("3600")
	_, err := Do[item](context.Background(), c, "", getOp())
	var te *TransportError
	if !errors.As(err, &te) || te.RetryAfter != time.Hour || hits.Load() != 1 {
		t.Errorf("err = %v (RetryAfter %v), %d requests; want the 503 at once", err, te.RetryAfter, hits.Load())
	}

	// Beyond the context's deadline: the 503, not a deadline error.
	hits.Store(0)
	after.Store("15")
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_, err = Do[item](ctx, c, "", getOp())
	if !errors.Is(err, ErrHTTPStatus) || errors.Is(err, context.DeadlineExceeded) || hits.Load() != 1 {
		t.Errorf("err = %v, %d requests; want the 503 at once", err, hits.Load())
	}

	if d := retryAfter(time.Now().Add(90*time.Second).UTC().Format(http.TimeFormat), time.Now()); d < 80*time.Second || d > 91*time.Second {
		t.Errorf("an HTTP-date Retry-After gives %v", d)
	}
	for _, v := range []string{"", "-3", "soon", "0"} {
		if d := retryAfter(v, time.Now()); d != 0 {
			t.Errorf("Retry-After %q gives %v", v, d)
		}
	}
}

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
		case <-time.After(30 * time.Second): // on main: never, without a deadline
			t.Fatal("the call did not return after </packet>")
		}
	}
}

// selfSignedCert makes a certificate for names, as a TLS server would
// present it.
func selfSignedCert(t *testing.T, cn string, names ...string) (tls.Certificate, *x509.Certificate) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(7), Subject: pkix.Name{CommonName: cn},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		KeyUsage:    x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}, BasicConstraintsValid: true, IsCA: true,
		DNSNames: names,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}, cert
}

// connectProxy is an HTTPS proxy on loopback that answers CONNECT. With
// terminate set, it ends the tunnel's TLS itself with its own certificate
// and reads what the client sends (leaked counts the requests it read).
type connectProxy struct {
	ln        net.Listener
	terminate bool
	cert      tls.Certificate
	upstream  string // if set, where every tunnel goes, whatever host it names
	tunnels   atomic.Int32
	leaked    atomic.Int32
	wg        sync.WaitGroup
	mu        sync.Mutex
	conns     []net.Conn
}

func startConnectProxy(t *testing.T, cert tls.Certificate, terminate bool) *connectProxy {
	t.Helper()
	return startConnectProxyTo(t, cert, terminate, "")
}

// startConnectProxyTo starts a proxy whose tunnels all go to upstream
// (when not empty), whatever host they name.
func startConnectProxyTo(t *testing.T, cert tls.Certificate, terminate bool, upstream string) *connectProxy {
	t.Helper()
	ln, err := tls.Listen("tcp", "127.0.0.1:0", &tls.Config{Certificates: []tls.Certificate{cert}})
	if err != nil {
		t.Fatal(err)
	}
	p := &connectProxy{ln: ln, terminate: terminate, cert: cert, upstream: upstream}
	p.wg.Add(1)
	go func() {
		defer p.wg.Done()
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			p.mu.Lock()
			p.conns = append(p.conns, conn)
			p.mu.Unlock()
			p.wg.Add(1)
			go func() {
				defer p.wg.Done()
				p.serve(conn)
			}()
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		p.mu.Lock()
		for _, c := range p.conns { // kept alive by the clients' pools
			c.Close()
		}
		p.mu.Unlock()
		p.wg.Wait()
	})
	return p
}

func (p *connectProxy) serve(conn net.Conn) {
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(20 * time.Second))
	req, err := http.ReadRequest(bufio.NewReader(conn))
	if err != nil || req.Method != http.MethodConnect {
		return
	}
	if p.terminate {
		io.WriteString(conn, "HTTP/1.1 200 Connection established\r\n\r\n")
		tc := tls.Server(conn, &tls.Config{Certificates: []tls.Certificate{p.cert}})
		if _, err := http.ReadRequest(bufio.NewReader(tc)); err == nil {
			p.leaked.Add(1)
		}
		return
	}
	to := req.Host
	if p.upstream != "" {
		to = p.upstream
	}
	up, err := net.Dial("tcp", to)
	if err != nil {
		io.WriteString(conn, "HTTP/1.1 502 Bad Gateway\r\n\r\n")
		return
	}
	defer up.Close()
	p.tunnels.Add(1)
	io.WriteString(conn, "HTTP/1.1 200 Connection established\r\n\r\n")
	done := make(chan struct{}, 2)
	p.mu.Lock()
	p.conns = append(p.conns, up)
	p.mu.Unlock()
	go func() { io.Copy(up, conn); done <- struct{}{} }()
	go func() { io.Copy(conn, up); done <- struct{}{} }()
	<-done
}

// TestTLSOptionsThroughAnHTTPSProxy: behind an https:// proxy, the Plesk
// pin alone works (on main it was checked against the proxy and failed),
// the proxy is verified by the transport's own trust, and a proxy that
// ends the tunnel's TLS with its own certificate is refused before it
// reads anything.
func TestTLSOptionsThroughAnHTTPSProxy(t *testing.T) {
	plesk, pleskCert, hits := selfSignedServer(t)
	proxyTLS, proxyCert := selfSignedCert(t, "proxy", "localhost")
	proxyPool := x509.NewCertPool()
	proxyPool.AddCert(proxyCert)

	client := func(p *connectProxy, opts ...Option) *Client {
		u := &url.URL{Scheme: "https", Host: net.JoinHostPort("localhost", fmt.Sprint(p.ln.Addr().(*net.TCPAddr).Port))}
		hc := &http.Client{Transport: &http.Transport{Proxy: http.ProxyURL(u), TLSClientConfig: &tls.Config{RootCAs: proxyPool}}}
		return mustClient(t, plesk.URL, append([]Option{WithSecretKey(testKey), WithHTTPClient(hc)}, opts...)...)
	}

	tunnel := startConnectProxy(t, proxyTLS, false)
	for _, opt := range []Option{WithPinnedSHA256(PublicKeyPin(pleskCert)), WithRootCAs(func() *x509.CertPool {
		p := x509.NewCertPool()
		p.AddCert(pleskCert)
		return p
	}())} {
		before := hits.Load()
		if _, err := Do[item](context.Background(), client(tunnel, opt), "", getOp()); err != nil {
			t.Fatalf("through the tunnel: %v", err)
		}
		if hits.Load() != before+1 {
			t.Error("the request did not reach Plesk")
		}
	}
	if tunnel.tunnels.Load() == 0 {
		t.Error("the requests did not go through the proxy")
	}

	// The proxy's trust is the transport's: without its CA, refused.
	noTrust := mustClient(t, plesk.URL, WithSecretKey(testKey), WithPinnedSHA256(PublicKeyPin(pleskCert)),
		WithHTTPClient(&http.Client{Transport: &http.Transport{Proxy: http.ProxyURL(&url.URL{Scheme: "https",
			Host: net.JoinHostPort("localhost", fmt.Sprint(tunnel.ln.Addr().(*net.TCPAddr).Port))})}}))
	if _, err := Do[item](context.Background(), noTrust, "", getOp()); !errors.Is(err, ErrConnection) {
		t.Errorf("a proxy the transport does not trust: err = %v", err)
	}

	mitm := startConnectProxy(t, proxyTLS, true)
	_, err := Do[item](context.Background(), client(mitm, WithPinnedSHA256(PublicKeyPin(pleskCert))), "", getOp())
	if !errors.Is(err, ErrPinMismatch) {
		t.Errorf("a TLS-terminating proxy: err = %v, want ErrPinMismatch", err)
	}
	if n := mitm.leaked.Load(); n != 0 {
		t.Errorf("the terminating proxy read %d requests", n)
	}
}
