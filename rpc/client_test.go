package rpc

import (
	"bytes"
	"context"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"log"
	"log/slog"
	"math/big"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

const (
	testLogin    = "admin"
	testPassword = "pa55-W\u00f6rd&<x>"
	testKey      = "0f3c1a2b-KEY-9d8e7f6a"
)

// okGet is the answer to one customer/get.
const okGet = `<?xml version="1.0" encoding="UTF-8"?>
<packet version="1.6.9.1"><customer><get><result><status>ok</status><filter-id>1</filter-id><id>1</id>` +
	`<data><gen_info><name>one</name></gen_info></data></result></get></customer></packet>`

// getOp is customer/get as a generated method sends it: declared read-only.
func getOp() *Op { return &Op{Operator: "customer", Operation: "get", ReadOnly: true} }

// safeBuffer is a bytes.Buffer for a logger written from several goroutines.
type safeBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *safeBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *safeBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func debugLogger(w io.Writer) *slog.Logger {
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

// authorized checks the credentials the way Plesk does.
func authorized(r *http.Request) bool {
	if k := r.Header.Get("KEY"); k != "" {
		return k == testKey
	}
	return r.Header.Get("HTTP_AUTH_LOGIN") == testLogin && r.Header.Get("HTTP_AUTH_PASSWD") == testPassword
}

// pleskHandler answers authorized requests with resp and others with the
// system error Plesk sends.
func pleskHandler(t *testing.T, resp string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost || r.URL.Path != DefaultPath {
			t.Errorf("request %s %s", r.Method, r.URL.Path)
		}
		if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/xml") {
			t.Errorf("Content-Type %q", ct)
		}
		w.Header().Set("Content-Type", "text/xml")
		if !authorized(r) {
			code := 1001
			if r.Header.Get("KEY") != "" {
				code = 11003
			}
			fmt.Fprintf(w, `<packet><system><status>error</status><errcode>%d</errcode><errtext>Authentication failed</errtext></system></packet>`, code)
			return
		}
		io.WriteString(w, resp)
	}
}

func mustClient(t *testing.T, url string, opts ...Option) *Client {
	t.Helper()
	c, err := NewClient(url, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestAuthModes(t *testing.T) {
	srv := httptest.NewServer(pleskHandler(t, okGet))
	defer srv.Close()
	tests := []struct {
		name    string
		opt     Option
		wantErr error
		hint    bool
	}{
		{"login", WithLogin(testLogin, testPassword), nil, false},
		{"secret key", WithSecretKey(testKey), nil, false},
		{"wrong password", WithLogin(testLogin, "nope"), ErrAuth, true},
		{"wrong key", WithSecretKey("nope"), ErrAuth, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := mustClient(t, srv.URL, tt.opt)
			got, err := Do[item](context.Background(), c, "1.6.9.1", getOp())
			if tt.wantErr == nil {
				if err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff([]item{{Status: "ok", FilterID: "1", ID: 1, Name: "one"}}, got); diff != "" {
					t.Errorf("(-want +got):\n%s", diff)
				}
				return
			}
			var pe *Error
			if !errors.Is(err, tt.wantErr) || !errors.As(err, &pe) || pe.Operator != SystemOperator {
				t.Fatalf("err = %v, want system %v", err, tt.wantErr)
			}
			if got := strings.Contains(err.Error(), "underscores"); got != tt.hint {
				t.Errorf("proxy hint in %q: %v, want %v", err, got, tt.hint)
			}
		})
	}
}

func TestAuthHeadersAsWritten(t *testing.T) {
	// Plesk's PHP reads the headers case-insensitively, but proxies and old
	// servers have been seen to care: they go out exactly as documented.
	var raw string
	srv := httptest.NewServer(pleskHandler(t, okGet))
	defer srv.Close()
	c := mustClient(t, srv.URL, WithLogin(testLogin, testPassword))
	c.hc.Transport = roundTripFunc(func(r *http.Request) (*http.Response, error) {
		var names []string
		for k := range r.Header {
			names = append(names, k)
		}
		raw = strings.Join(names, ",")
		return http.DefaultTransport.RoundTrip(r)
	})
	if _, err := Do[item](context.Background(), c, "", getOp()); err != nil {
		t.Fatal(err)
	}
	for _, h := range []string{"HTTP_AUTH_LOGIN", "HTTP_AUTH_PASSWD"} {
		if !strings.Contains(raw, h) {
			t.Errorf("headers %s lack %s", raw, h)
		}
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func TestVersionAndBatchOverHTTP(t *testing.T) {
	var got []byte
	resp := `<packet version="1.6.7.0">
<customer><get><result><status>ok</status><id>1</id></result></get></customer>
<webspace><get><result><status>ok</status><id>2</id></result><result><status>ok</status><id>3</id></result></get></webspace>
<customer><del><result><status>error</status><errcode>1013</errcode><errtext>client does not exist</errtext><filter-id>x</filter-id></result></del></customer>
</packet>`
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got, _ = io.ReadAll(r.Body)
		pleskHandler(t, resp)(w, r)
	}))
	defer srv.Close()
	c := mustClient(t, srv.URL, WithSecretKey(testKey))
	b := NewBatch(c, "1.6.7.0")
	p1 := Add[Result](b, &Op{Operator: "customer", Operation: "get", Request: &filterReq{}, ReadOnly: true})
	p2 := Add[Result](b, &Op{Operator: "webspace", Operation: "get", ReadOnly: true})
	p3 := Add[Result](b, &Op{Operator: "customer", Operation: "del", Request: Empty{}})
	if err := b.Send(context.Background()); err != nil {
		t.Fatal(err)
	}
	want := xml.Header + `<packet version="1.6.7.0"><customer><get><filter></filter></get></customer>` +
		`<webspace><get></get></webspace><customer><del></del></customer></packet>`
	if diff := cmp.Diff(want, string(got)); diff != "" {
		t.Errorf("request (-want +got):\n%s", diff)
	}
	r1, err1 := p1.Results()
	r2, err2 := p2.Results()
	r3, err3 := p3.Results()
	if err1 != nil || err2 != nil || !errors.Is(err3, ErrNotFound) {
		t.Errorf("errors: %v / %v / %v", err1, err2, err3)
	}
	ids := func(rs []Result) (s []string) {
		for _, r := range rs {
			s = append(s, r.ID)
		}
		return s
	}
	if diff := cmp.Diff([][]string{{"1"}, {"2", "3"}, {""}}, [][]string{ids(r1), ids(r2), ids(r3)}); diff != "" {
		t.Errorf("results (-want +got):\n%s", diff)
	}
}

func TestTLS(t *testing.T) {
	srv := httptest.NewUnstartedServer(pleskHandler(t, okGet))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the refused handshakes are expected
	srv.StartTLS()
	defer srv.Close()
	cert := srv.Certificate()
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	otherCert := selfSigned(t)

	tests := []struct {
		name     string
		opts     []Option
		wantErr  error
		wantWarn bool
	}{
		{"system roots refuse the test CA", nil, ErrConnection, false},
		{"CA pool", []Option{WithRootCAs(pool)}, nil, false},
		{"caller's http.Client", []Option{WithHTTPClient(srv.Client())}, nil, false},
		{"certificate pin", []Option{WithPinnedSHA256(CertificatePin(cert))}, nil, false},
		{"certificate pin, plain hex", []Option{WithPinnedSHA256(strings.ToLower(strings.ReplaceAll(CertificatePin(cert), ":", "")))}, nil, false},
		{"public key pin", []Option{WithPinnedSHA256("sha256/" + PublicKeyPin(cert))}, nil, false},
		{"one of several pins", []Option{WithPinnedSHA256(CertificatePin(otherCert), PublicKeyPin(cert))}, nil, false},
		{"wrong pin", []Option{WithPinnedSHA256(CertificatePin(otherCert), PublicKeyPin(otherCert))}, ErrPinMismatch, false},
		{"pin beats the system roots and a wrong CA pool", []Option{WithRootCAs(x509.NewCertPool()), WithPinnedSHA256(PublicKeyPin(cert))}, nil, false},
		{"insecure", []Option{WithInsecureSkipVerify()}, nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var logs safeBuffer
			opts := append([]Option{WithSecretKey(testKey), WithLogger(debugLogger(&logs)),
				WithReadRetry(RetryPolicy{MinBackoff: time.Microsecond})}, tt.opts...)
			c := mustClient(t, srv.URL, opts...)
			_, err := Do[item](context.Background(), c, "", getOp())
			switch {
			case tt.wantErr == nil && err != nil:
				t.Fatal(err)
			case tt.wantErr != nil && !errors.Is(err, tt.wantErr):
				t.Fatalf("err = %v, want %v", err, tt.wantErr)
			}
			if tt.wantErr == ErrPinMismatch && !strings.Contains(err.Error(), PublicKeyPin(cert)) {
				t.Errorf("pin error %q does not say what the server offered", err)
			}
			if got := strings.Contains(logs.String(), "verification is OFF"); got != tt.wantWarn {
				t.Errorf("insecure warning logged: %v, want %v\n%s", got, tt.wantWarn, logs.String())
			}
			if strings.Contains(logs.String(), "retrying") {
				t.Errorf("a TLS failure was retried:\n%s", logs.String())
			}
		})
	}
}

// selfSigned makes a certificate other than httptest's, for a wrong pin.
func selfSigned(t *testing.T) *x509.Certificate {
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "plesk.example.com"},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
	}
	_, _, cert := makeCert(t, tmpl, nil, nil)
	return cert
}

func TestInsecureWarnsOnDefaultLogger(t *testing.T) {
	var logs safeBuffer
	old := slog.Default()
	slog.SetDefault(slog.New(slog.NewTextHandler(&logs, nil)))
	defer slog.SetDefault(old)
	mustClient(t, "plesk.example.com", WithSecretKey(testKey), WithInsecureSkipVerify())
	if !strings.Contains(logs.String(), "level=WARN") || !strings.Contains(logs.String(), "WithInsecureSkipVerify") {
		t.Errorf("no warning on slog.Default: %q", logs.String())
	}
}

func TestNewClient(t *testing.T) {
	tests := []struct {
		host string
		want string
	}{
		{"plesk.example.com", "https://plesk.example.com:8443/enterprise/control/agent.php"},
		{"plesk.example.com:443", "https://plesk.example.com:443/enterprise/control/agent.php"},
		{"10.0.0.1", "https://10.0.0.1:8443/enterprise/control/agent.php"},
		{"::1", "https://[::1]:8443/enterprise/control/agent.php"},
		{"[::1]:9443", "https://[::1]:9443/enterprise/control/agent.php"},
		{"https://plesk.example.com", "https://plesk.example.com:8443/enterprise/control/agent.php"},
		{"http://plesk.example.com", "http://plesk.example.com:8880/enterprise/control/agent.php"},
		{"https://proxy.example.com/plesk/agent.php", "https://proxy.example.com:8443/plesk/agent.php"},
		{"https://plesk.example.com:8443/", "https://plesk.example.com:8443/enterprise/control/agent.php"},
	}
	for _, tt := range tests {
		c, err := NewClient(tt.host, WithSecretKey(testKey))
		if err != nil {
			t.Errorf("NewClient(%q): %v", tt.host, err)
			continue
		}
		if c.URL() != tt.want {
			t.Errorf("NewClient(%q).URL() = %q, want %q", tt.host, c.URL(), tt.want)
		}
	}
	bad := []struct {
		host string
		opts []Option
	}{
		{"", []Option{WithSecretKey(testKey)}},
		{"ftp://plesk.example.com", []Option{WithSecretKey(testKey)}},
		{"https://admin:" + testPassword + "@plesk.example.com", []Option{WithSecretKey(testKey)}},
		{"https://admin:%zz" + testKey + "@plesk.example.com", []Option{WithLogin(testLogin, testPassword)}},
		{"plesk.example.com", nil},
		{"plesk.example.com", []Option{WithSecretKey(testKey), WithLogin(testLogin, testPassword)}},
		{"plesk.example.com", []Option{WithLogin(testLogin, "")}},
		{"plesk.example.com", []Option{WithSecretKey(testKey), WithPinnedSHA256("nope")}},
		{"plesk.example.com", []Option{WithSecretKey(testKey), WithPinnedSHA256()}},
		{"plesk.example.com", []Option{WithSecretKey(testKey), WithMaxResponseSize(0)}},
		{"plesk.example.com", []Option{WithSecretKey(testKey), WithInsecureSkipVerify(), WithPinnedSHA256(strings.Repeat("ab", 32))}},
		{"plesk.example.com", []Option{WithSecretKey(testKey), WithRootCAs(x509.NewCertPool()),
			WithHTTPClient(&http.Client{Transport: roundTripFunc(nil)})}},
	}
	for _, tt := range bad {
		_, err := NewClient(tt.host, tt.opts...)
		if err == nil {
			t.Errorf("NewClient(%q) succeeded", tt.host)
			continue
		}
		assertNoSecret(t, "NewClient error", err.Error())
	}
}

// transportCase is a server misbehaving in one way.
type transportCase struct {
	name    string
	handler http.HandlerFunc
	opts    []Option
	kind    error
	status  int
	says    []string // the message mentions these
}

func transportCases(t *testing.T) []transportCase {
	html := func(status int, title string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.WriteHeader(status)
			fmt.Fprintf(w, "<!DOCTYPE html>\n<html><head><title>%s</title></head><body><h1>%s</h1>"+
				"<p>login %s, password %s, key %s</p></body></html>",
				title, title, r.Header.Get("HTTP_AUTH_LOGIN"), r.Header.Get("HTTP_AUTH_PASSWD"), r.Header.Get("KEY"))
		}
	}
	return []transportCase{
		{name: "502 with an HTML page", handler: html(502, "502 Bad Gateway"),
			kind: ErrHTTPStatus, status: 502, says: []string{"502 Bad Gateway", "text/html"}},
		{name: "401 behind a proxy", handler: html(401, "401 Authorization Required"),
			kind: ErrHTTPStatus, status: 401, says: []string{"401", "underscores", "HTTP_AUTH_LOGIN"}},
		{name: "redirect is not followed", handler: func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path != DefaultPath {
				t.Errorf("the redirect was followed to %s", r.URL)
			}
			http.Redirect(w, r, "/login_up.php", http.StatusFound)
		}, kind: ErrHTTPStatus, status: 302, says: []string{"302", "/login_up.php", "not followed"}},
		{name: "200 with an HTML login page", handler: html(200, "Plesk Obsidian"),
			kind: ErrNotXML, status: 200, says: []string{"HTML", `title "Plesk Obsidian"`}},
		{name: "200 with plain text", handler: func(w http.ResponseWriter, r *http.Request) {
			io.WriteString(w, "PHP Fatal error: something broke for "+r.Header.Get("HTTP_AUTH_PASSWD")+r.Header.Get("KEY"))
		}, kind: ErrNotXML, status: 200, says: []string{"text, not XML", "body starts \"[text withheld: it holds a credential of this client]\""}},
		{name: "200 with another XML document", handler: func(w http.ResponseWriter, r *http.Request) {
			io.WriteString(w, `<?xml version="1.0"?><error>maintenance</error>`)
		}, kind: ErrUnexpectedResponse, status: 200, says: []string{"<error>", "maintenance"}},
		{name: "truncated XML", handler: func(w http.ResponseWriter, r *http.Request) {
			io.WriteString(w, okGet[:len(okGet)-40])
		}, kind: ErrTruncated, status: 200, says: []string{"ended after", "customer/get"}},
		{name: "over the size limit", handler: func(w http.ResponseWriter, r *http.Request) {
			io.WriteString(w, okGet)
		}, opts: []Option{WithMaxResponseSize(100)}, kind: ErrTooLarge, status: 200, says: []string{"100 bytes", "WithMaxResponseSize"}},
		{name: "dropped connection", handler: func(w http.ResponseWriter, r *http.Request) {
			conn, buf, err := w.(http.Hijacker).Hijack()
			if err != nil {
				t.Error(err)
				return
			}
			fmt.Fprintf(buf, "HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nContent-Length: %d\r\n\r\n%s", len(okGet), okGet[:120])
			buf.Flush()
			conn.Close()
		}, kind: ErrConnection, status: 200, says: []string{"after 120 bytes", "unexpected EOF"}},
		{name: "connection closed before any response", handler: func(w http.ResponseWriter, r *http.Request) {
			conn, _, _ := w.(http.Hijacker).Hijack()
			conn.Close()
		}, kind: ErrConnection, says: []string{"sending the request failed", "EOF"}},
	}
}

func TestTransportFailures(t *testing.T) {
	for _, tt := range transportCases(t) {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(tt.handler)
			defer srv.Close()
			c := mustClient(t, srv.URL, append([]Option{WithLogin(testLogin, testPassword)}, tt.opts...)...)
			_, err := Do[item](context.Background(), c, "", getOp())
			t.Log(err)
			var te *TransportError
			if !errors.Is(err, tt.kind) || !errors.Is(err, ErrTransport) || !errors.As(err, &te) {
				t.Fatalf("err = %v, want %v", err, tt.kind)
			}
			if te.StatusCode != tt.status {
				t.Errorf("StatusCode = %d, want %d", te.StatusCode, tt.status)
			}
			for _, s := range tt.says {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("message %q lacks %q", err, s)
				}
			}
			if !strings.Contains(err.Error(), srv.URL) {
				t.Errorf("message %q does not name the URL", err)
			}
			assertNoSecret(t, "error", err.Error())
		})
	}
}

func TestConnectionRefused(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL
	srv.Close()
	c := mustClient(t, url, WithSecretKey(testKey))
	_, err := Do[item](context.Background(), c, "", getOp())
	if !errors.Is(err, ErrConnection) {
		t.Fatalf("err = %v, want ErrConnection", err)
	}
}

// TestCancelMidBody cancels while the server is still sending results: the
// stream ends with an error satisfying context.Canceled, nothing hangs.
func TestCancelMidBody(t *testing.T) {
	release := make(chan struct{})
	defer close(release)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		io.WriteString(w, `<packet><webspace><get>`)
		for i := range 3 {
			fmt.Fprintf(w, `<result><status>ok</status><id>%d</id></result>`, i)
		}
		w.(http.Flusher).Flush()
		select { // the rest never comes
		case <-r.Context().Done():
		case <-release:
		}
	}))
	defer srv.Close()
	c := mustClient(t, srv.URL, WithSecretKey(testKey), WithReadRetry(RetryPolicy{MinBackoff: time.Microsecond}))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var n int
	var last error
	for _, err := range Stream[item](ctx, c, "", &Op{Operator: "webspace", Operation: "get", ReadOnly: true}) {
		if err != nil {
			last = err
			continue
		}
		n++
		cancel()
	}
	if n != 3 {
		t.Errorf("%d results before the cancellation, want 3", n)
	}
	if !errors.Is(last, context.Canceled) || !errors.Is(last, ErrConnection) {
		t.Errorf("last error %v, want context.Canceled", last)
	}
}

// TestCancelBeforeResponse cancels while the server holds the response.
func TestCancelBeforeResponse(t *testing.T) {
	arrived := make(chan struct{})
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		close(arrived)
		select {
		case <-r.Context().Done():
		case <-release:
		}
	}))
	defer srv.Close()
	defer close(release)
	c := mustClient(t, srv.URL, WithSecretKey(testKey))
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		<-arrived
		cancel()
	}()
	_, err := Do[item](ctx, c, "", getOp())
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
}

func TestReadRetry(t *testing.T) {
	tests := []struct {
		name      string
		op        *Op
		fail      int // requests that fail before the server answers
		failWith  func(w http.ResponseWriter)
		wantHits  int32
		wantError error
	}{
		{"read retried through 503s", getOp(), 2, unavailable, 3, nil},
		{"read gives up after Attempts", getOp(), 5, unavailable, 3, ErrHTTPStatus},
		{"write never retried", &Op{Operator: "customer", Operation: "add", Request: Empty{}}, 1, unavailable, 1, ErrHTTPStatus},
		{"read not retried after results arrived", getOp(), 1, func(w http.ResponseWriter) {
			io.WriteString(w, okGet[:len(okGet)-30])
		}, 1, ErrTruncated},
		{"read retried on a truncated body before any result", getOp(), 1, func(w http.ResponseWriter) {
			io.WriteString(w, okGet[:60])
		}, 2, nil},
		{"404 is not retried", getOp(), 1, func(w http.ResponseWriter) { http.NotFound(w, nil) }, 1, ErrHTTPStatus},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var hits atomic.Int32
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if int(hits.Add(1)) <= tt.fail {
					tt.failWith(w)
					return
				}
				io.WriteString(w, strings.ReplaceAll(okGet, "<get>", "<"+tt.op.Operation+">"))
			}))
			defer srv.Close()
			c := mustClient(t, srv.URL, WithSecretKey(testKey),
				WithReadRetry(RetryPolicy{Attempts: 3, MinBackoff: time.Microsecond, MaxBackoff: time.Millisecond}))
			_, err := Do[item](context.Background(), c, "", tt.op)
			if tt.wantError == nil && err != nil || tt.wantError != nil && !errors.Is(err, tt.wantError) {
				t.Errorf("err = %v, want %v", err, tt.wantError)
			}
			if got := hits.Load(); got != tt.wantHits {
				t.Errorf("%d requests, want %d", got, tt.wantHits)
			}
		})
	}
}

func unavailable(w http.ResponseWriter) {
	http.Error(w, "try later", http.StatusServiceUnavailable)
}

func TestRetryRespectsContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		cancel() // canceled during the first attempt: no second one
		unavailable(w)
	}))
	defer srv.Close()
	c := mustClient(t, srv.URL, WithSecretKey(testKey), WithReadRetry(RetryPolicy{Attempts: 5, MinBackoff: time.Hour}))
	_, err := Do[item](ctx, c, "", getOp())
	if err == nil || hits.Load() != 1 {
		t.Errorf("err = %v after %d requests", err, hits.Load())
	}
}

func TestBackoff(t *testing.T) {
	p := RetryPolicy{MinBackoff: 100 * time.Millisecond, MaxBackoff: time.Second}
	for attempt, want := range map[int]time.Duration{1: 100 * time.Millisecond, 2: 200 * time.Millisecond, 4: 800 * time.Millisecond, 9: time.Second} {
		for range 20 {
			if d := p.backoff(attempt); d < want/2 || d > want {
				t.Errorf("backoff(%d) = %v, want within [%v, %v]", attempt, d, want/2, want)
			}
		}
	}
}

func TestPost(t *testing.T) {
	srv := httptest.NewServer(pleskHandler(t, okGet))
	defer srv.Close()
	c := mustClient(t, srv.URL, WithLogin(testLogin, testPassword))
	got, err := c.Post(context.Background(), []byte(`<packet><customer><get/></customer></packet>`))
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != okGet {
		t.Errorf("Post = %q", got)
	}
	small := mustClient(t, srv.URL, WithLogin(testLogin, testPassword), WithMaxResponseSize(10))
	if _, err := small.Post(context.Background(), []byte(`<packet/>`)); !errors.Is(err, ErrTooLarge) {
		t.Errorf("err = %v, want ErrTooLarge", err)
	}
}

func TestConcurrentUse(t *testing.T) {
	srv := httptest.NewServer(pleskHandler(t, okGet))
	defer srv.Close()
	c := mustClient(t, srv.URL, WithSecretKey(testKey), WithLogger(debugLogger(io.Discard)), WithPacketLogging())
	op := getOp() // one Op shared by every goroutine
	var wg sync.WaitGroup
	for range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 10 {
				if res, err := Do[item](context.Background(), c, "", op); err != nil || len(res) != 1 {
					t.Errorf("Do = %v, %v", res, err)
				}
			}
		}()
	}
	wg.Wait()
}

func TestLogging(t *testing.T) {
	srv := httptest.NewServer(pleskHandler(t, okGet))
	defer srv.Close()
	var logs safeBuffer
	c := mustClient(t, srv.URL, WithLogin(testLogin, testPassword), WithLogger(debugLogger(&logs)), WithPacketLogging())
	type addReq struct {
		Login  string `xml:"gen_info>login"`
		Passwd string `xml:"gen_info>passwd"`
	}
	op := &Op{Operator: "customer", Operation: "get", Request: &addReq{Login: "bob", Passwd: "hunter2"}, ReadOnly: true}
	if _, err := Do[item](context.Background(), c, "1.6.9.1", op); err != nil {
		t.Fatal(err)
	}
	out := logs.String()
	for _, s := range []string{"rpc: request", "ops=customer/get", "rpc: response", "status=200", "<login>bob</login>",
		"<passwd>[REDACTED]</passwd>", "rpc: response packet", "<name>one</name>"} {
		if !strings.Contains(out, s) {
			t.Errorf("log lacks %q:\n%s", s, out)
		}
	}
	if strings.Contains(out, "hunter2") {
		t.Errorf("log shows a request password:\n%s", out)
	}
}

// secretForms are the ways the test credentials could leak.
var secretForms = []string{testPassword, testKey, "pa55-W", "W\u00f6rd&amp;", "KEY-9d8e"}

func assertNoSecret(t *testing.T, what, s string) {
	t.Helper()
	for _, f := range secretForms {
		if strings.Contains(s, f) {
			t.Errorf("%s shows a secret (%q): %s", what, f, s)
		}
	}
}

// TestSecretsNeverLeak runs every failure this package reports with a known
// password and key, against a server that echoes them back wherever it can,
// and scans each error (in every fmt form) and each log line.
func TestSecretsNeverLeak(t *testing.T) {
	echo := func(r *http.Request) string {
		return r.Header.Get("HTTP_AUTH_PASSWD") + r.Header.Get("KEY")
	}
	escaped := func(s string) string {
		var b strings.Builder
		xml.EscapeText(&b, []byte(s))
		return b.String()
	}
	cases := transportCases(t)
	cases = append(cases,
		transportCase{name: "system error echoing the credentials", handler: func(w http.ResponseWriter, r *http.Request) {
			fmt.Fprintf(w, `<packet><system><status>error</status><errcode>1001</errcode><errtext>bad %s</errtext></system></packet>`, escaped(echo(r)))
		}},
		transportCase{name: "result error echoing the credentials", handler: func(w http.ResponseWriter, r *http.Request) {
			fmt.Fprintf(w, `<packet><customer><get><result><status>error</status><errcode>1014</errcode><errtext>Element 'x': '%s' is invalid</errtext></result></get></customer></packet>`, escaped(echo(r)))
		}},
		transportCase{name: "undecodable result echoing the credentials", handler: func(w http.ResponseWriter, r *http.Request) {
			fmt.Fprintf(w, `<packet><customer><get><result><status>ok</status><id>%s</id></result></get></customer></packet>`, escaped(echo(r)))
		}},
		transportCase{name: "undecodable password element", handler: func(w http.ResponseWriter, r *http.Request) {
			fmt.Fprintf(w, `<packet><customer><get><result><status>ok</status><password>%s</password><id>x</id></result></get></customer></packet>`, escaped(echo(r)))
		}},
		transportCase{name: "response packet echoing the credentials", handler: func(w http.ResponseWriter, r *http.Request) {
			fmt.Fprintf(w, `<packet><customer><get><result><status>ok</status><id>1</id><data><gen_info><name>%s</name></gen_info></data></result></get></customer></packet>`, escaped(echo(r)))
		}},
		transportCase{name: "retried failures", handler: func(w http.ResponseWriter, r *http.Request) {
			http.Error(w, "unavailable for "+echo(r), http.StatusServiceUnavailable)
		}},
	)
	var logs safeBuffer
	var texts []string
	for _, auth := range []Option{WithLogin(testLogin, testPassword), WithSecretKey(testKey)} {
		for _, tt := range cases {
			srv := httptest.NewServer(tt.handler)
			opts := append([]Option{auth, WithLogger(debugLogger(&logs)), WithPacketLogging(),
				WithReadRetry(RetryPolicy{Attempts: 2, MinBackoff: time.Microsecond})}, tt.opts...)
			c := mustClient(t, srv.URL, opts...)
			texts = append(texts, fmt.Sprint(c), fmt.Sprintf("%+v", c), fmt.Sprintf("%#v", c), fmt.Sprintf("%#v", *c))
			type req struct {
				Password string `xml:"password"`
			}
			op := &Op{Operator: "customer", Operation: "get", Request: &req{Password: testPassword}, ReadOnly: true}
			_, err := Do[item](context.Background(), c, "", op)
			for v, err := range Stream[item](context.Background(), c, "", op) {
				_ = v // the results are the caller's data, not messages
				if err != nil {
					texts = append(texts, err.Error(), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", err))
				}
			}
			if err != nil {
				texts = append(texts, err.Error(), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", err))
				for u := errors.Unwrap(err); u != nil; u = errors.Unwrap(u) {
					texts = append(texts, u.Error())
				}
				var te *TransportError
				if errors.As(err, &te) {
					texts = append(texts, fmt.Sprintf("%#v", *te))
				}
				var pe *Error
				if errors.As(err, &pe) {
					texts = append(texts, fmt.Sprintf("%#v", *pe))
				}
				var de *DecodeError
				if errors.As(err, &de) {
					texts = append(texts, fmt.Sprintf("%#v", *de))
				}
			}
			raw, err := c.Post(context.Background(), []byte("<packet><x><password>"+escaped(testPassword)+"</password></x></packet>"))
			_ = raw // the raw body is the caller's: it may hold anything
			if err != nil {
				texts = append(texts, err.Error(), fmt.Sprintf("%#v", err))
			}
			srv.Close()
		}
	}
	if len(texts) < 50 || !strings.Contains(logs.String(), "rpc: response packet") {
		t.Fatalf("the scan saw too little: %d texts", len(texts))
	}
	for _, s := range texts {
		assertNoSecret(t, "error or value", s)
	}
	for _, line := range strings.Split(logs.String(), "\n") {
		assertNoSecret(t, "log line", line)
	}
}
