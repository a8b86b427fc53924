package plesktest

import (
	"bytes"
	"context"
	"crypto/x509"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"time"

	"github.com/pleskgo/plesk/rpc"
	"github.com/pleskgo/plesk/rpc/plesktest/internal/fakeproto"
)

// AdminLogin is the login of the Plesk administrator. The administrator
// owns every object no reseller or customer owns, and the administrator's
// IP pool holds every IP address of the server.
const AdminLogin = "admin"

// DefaultAdminPassword is the administrator's password unless
// WithAdminPassword sets another.
const DefaultAdminPassword = "plesktest-admin-password"

// MaxRequestSize is the largest request body the fake reads; a larger one
// gets HTTP 413.
const MaxRequestSize = 16 << 20

// Server is a fake Plesk XML API endpoint on a loopback port, in the manner
// of httptest.Server. It holds its objects in memory and answers packets of
// the protocol versions in Versions. Its methods are safe for concurrent
// use; each packet is handled atomically.
type Server struct {
	// URL is the base URL of the server, "http://127.0.0.1:port" or
	// "https://127.0.0.1:port", which rpc.NewClient accepts as it is (the
	// XML API lives at rpc.DefaultPath under it).
	URL string

	hs        *httptest.Server
	closing   chan struct{}
	closeOnce sync.Once
	cfg       config

	handlers handlerTable // Handle
	replay   *replayer    // NewReplayServer

	mu       sync.Mutex
	queue    []Fault // FailNext
	requests int
	st       state
}

type config struct {
	adminPassword string
	keys          map[string]bool
	versions      []string
	faults        []Fault
	migrationStep int
	errs          []string
}

// Option configures a Server.
type Option func(*config)

// WithAdminPassword sets the administrator's password (the login is
// AdminLogin).
func WithAdminPassword(password string) Option {
	return func(c *config) { c.adminPassword = password }
}

// WithSecretKey makes the server accept key in the KEY header, as the
// administrator's secret key. It may be given several times.
func WithSecretKey(key string) Option {
	return func(c *config) {
		if key == "" {
			c.errs = append(c.errs, "WithSecretKey needs a key")
			return
		}
		c.keys[key] = true
	}
}

// WithVersions limits the protocol versions the server accepts to the
// given ones, a subset of Versions; other versions get error 1005.
func WithVersions(versions ...string) Option {
	return func(c *config) {
		var keep []string
		for _, k := range knownVersions {
			for _, v := range versions {
				if v == k {
					keep = append(keep, v)
				}
			}
		}
		for _, v := range versions {
			if _, ok := protocolOf(v); !ok {
				c.errs = append(c.errs, fmt.Sprintf("WithVersions: no bindings for protocol %q (have %s)", v, strings.Join(Versions(), ", ")))
			}
		}
		c.versions = keep
	}
}

// WithFault injects f into every request; see Fault.
func WithFault(f Fault) Option {
	return func(c *config) { c.faults = append(c.faults, f) }
}

// WithMigrationStep sets how many objects a running migration moves per
// get_status call (1 unless set). Progress is counted in calls, never in
// time, so tests see the same sequence on every run.
func WithMigrationStep(n int) Option {
	return func(c *config) {
		if n < 1 {
			c.errs = append(c.errs, "WithMigrationStep needs a positive step")
			return
		}
		c.migrationStep = n
	}
}

// NewServer starts a fake Plesk on plain HTTP. Close it when done.
// Invalid options panic, as httptest does when it cannot listen.
func NewServer(opts ...Option) *Server {
	s := newServer(opts)
	s.hs.Start()
	s.URL = s.hs.URL
	return s
}

// NewTLSServer starts a fake Plesk on HTTPS with a certificate of its own,
// valid for 127.0.0.1: trust it with Certificate or CertPool
// (rpc.WithRootCAs, rpc.WithPinnedSHA256), or use Client. Close it when
// done.
func NewTLSServer(opts ...Option) *Server {
	s := newServer(opts)
	s.hs.StartTLS()
	s.URL = s.hs.URL
	return s
}

func newServer(opts []Option) *Server {
	cfg := config{
		adminPassword: DefaultAdminPassword,
		keys:          map[string]bool{},
		versions:      Versions(),
		migrationStep: 1,
	}
	for _, o := range opts {
		o(&cfg)
	}
	if len(cfg.versions) == 0 {
		cfg.errs = append(cfg.errs, "no protocol version enabled")
	}
	if len(cfg.errs) > 0 {
		panic("plesktest: " + strings.Join(cfg.errs, "; "))
	}
	s := &Server{closing: make(chan struct{}), cfg: cfg}
	s.st.init()
	s.hs = httptest.NewUnstartedServer(http.HandlerFunc(s.serveHTTP))
	return s
}

// Close shuts the server down and waits for the requests in flight, which
// an injected latency does not hold up.
func (s *Server) Close() {
	s.closeOnce.Do(func() {
		close(s.closing)
		s.hs.Close()
	})
}

// Client returns an *http.Client that trusts the server's certificate, for
// rpc.WithHTTPClient. For a TLS server prefer rpc.WithRootCAs(s.CertPool()),
// which keeps rpc's own transport settings.
func (s *Server) Client() *http.Client { return s.hs.Client() }

// Certificate returns the server's TLS certificate, nil on plain HTTP; pin
// it with rpc.WithPinnedSHA256(rpc.CertificatePin(s.Certificate())).
func (s *Server) Certificate() *x509.Certificate { return s.hs.Certificate() }

// CertPool returns a pool holding only the server's certificate, for
// rpc.WithRootCAs; nil on plain HTTP.
func (s *Server) CertPool() *x509.CertPool {
	c := s.Certificate()
	if c == nil {
		return nil
	}
	p := x509.NewCertPool()
	p.AddCert(c)
	return p
}

// Endpoint returns the full URL of the XML API, URL + rpc.DefaultPath.
func (s *Server) Endpoint() string { return s.URL + rpc.DefaultPath }

// FailNext queues faults for the next requests, one fault per request, in
// order, after any fault set with WithFault.
func (s *Server) FailNext(faults ...Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.queue = append(s.queue, faults...)
}

// Requests returns the number of requests that reached the XML API path,
// faulted ones included.
func (s *Server) Requests() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.requests
}

func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != rpc.DefaultPath {
		http.NotFound(w, r)
		return
	}
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, "405 method not allowed", http.StatusMethodNotAllowed)
		return
	}
	s.mu.Lock()
	s.requests++
	faults := append([]Fault(nil), s.cfg.faults...)
	if len(s.queue) > 0 {
		faults = append(faults, s.queue[0])
		s.queue = s.queue[1:]
	}
	s.mu.Unlock()

	truncate := false
	for _, f := range faults {
		switch f.kind {
		case faultLatency:
			if !s.wait(r, f.delay) {
				// The client gave up or the server is closing: break the
				// connection rather than answer 200 with an empty body.
				panic(http.ErrAbortHandler)
			}
		case faultHTML:
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(f.status)
			_, _ = io.WriteString(w, htmlPage)
			return
		case faultStatus:
			http.Error(w, fmt.Sprintf("%d %s", f.status, http.StatusText(f.status)), f.status)
			return
		case faultDrop:
			if hj, ok := w.(http.Hijacker); ok {
				if conn, _, err := hj.Hijack(); err == nil {
					_ = conn.Close()
					return
				}
			}
			panic(http.ErrAbortHandler) // HTTP/2: abort the stream
		case faultTruncate:
			truncate = true
		}
	}

	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxRequestSize))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			http.Error(w, "413 request too large", http.StatusRequestEntityTooLarge)
		}
		return
	}
	status, out := http.StatusOK, []byte(nil)
	if s.replay != nil {
		status, out = s.replay.answer(body)
	} else {
		out = s.answer(r.Context(), r.Header, body)
	}
	if truncate {
		out = out[:len(out)/2]
	}
	w.Header().Set("Content-Type", "text/xml")
	w.Header().Set("Content-Length", fmt.Sprint(len(out)))
	w.WriteHeader(status)
	_, _ = w.Write(out)
}

// wait sleeps for d, or less if the client goes away or the server closes;
// it reports whether to go on.
func (s *Server) wait(r *http.Request, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-r.Context().Done():
		return false
	case <-s.closing:
		return false
	}
}

// System error codes and texts the fake answers with before it looks at the
// operations of a packet.
const (
	codeAuth         = 1001
	codeVersion      = 1005
	codeParse        = 1014
	codeKey          = 11003
	textAuth         = "Authentication failed: wrong login or password."
	textKey          = "Secret key validation failed."
	textVersion      = "XML API protocol version not supported."
	textParsePrefix  = "Parser error: Request is invalid. "
	textNoCredential = "Authentication failed: no HTTP_AUTH_LOGIN and HTTP_AUTH_PASSWD, nor KEY header."
)

// answer checks a request as Plesk does, in Plesk's order (credentials,
// protocol version, schema), then runs its operations.
func (s *Server) answer(ctx context.Context, h http.Header, body []byte) []byte {
	user, code, text := s.authenticate(h)
	if code != 0 {
		return systemError(code, text)
	}
	version, ok := s.version(body)
	if !ok {
		return systemError(codeVersion, textVersion)
	}
	if out, ok := s.answerHandled(ctx, user, version, body); ok {
		return out
	}
	return s.answerBuiltin(user, version, body)
}

// checkBuiltin checks a packet against the schema of its version, and
// returns the system error that answers it, or nil when it is valid.
func (s *Server) checkBuiltin(version string, body []byte) []byte {
	proto, _ := protocolOf(version)
	if v := proto.checkRequest(body); v != nil {
		return systemError(codeParse, textParsePrefix+v.Error())
	}
	return nil
}

// answerBuiltin checks a packet against the schema of its version and runs
// its operations on the fake's own objects.
func (s *Server) answerBuiltin(user, version string, body []byte) []byte {
	if out := s.checkBuiltin(version, body); out != nil {
		return out
	}
	proto, _ := protocolOf(version)
	// The operators the fake implements have the same structure in every
	// version it speaks: run the packet with the fake's own 1.6.9.1 types.
	var p fakeproto.RequestPacket
	if err := xml.Unmarshal(body, &p); err != nil {
		return systemError(codeParse, textParsePrefix+err.Error())
	}
	s.mu.Lock()
	resp := s.st.run(&s.cfg, user, version, &p)
	s.mu.Unlock()
	out := marshalPacket(resp)
	if version != fakeproto.ProtocolVersion {
		out = convertPacket(out, proto.response())
	}
	return out
}

// authenticate returns the login the request acts as, or a system error.
// A KEY header wins over a login and password, as in Plesk.
func (s *Server) authenticate(h http.Header) (user string, code int, text string) {
	if key := h.Get("KEY"); key != "" {
		if s.cfg.keys[key] {
			return AdminLogin, 0, ""
		}
		return "", codeKey, textKey
	}
	login, pass := h.Get("HTTP_AUTH_LOGIN"), h.Get("HTTP_AUTH_PASSWD")
	if login == "" && pass == "" {
		return "", codeAuth, textNoCredential
	}
	if login == AdminLogin && pass == s.cfg.adminPassword {
		return AdminLogin, 0, ""
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if r := s.st.resellerByLogin(login); r != nil && r.Password != "" && r.Password == pass {
		return r.Login, 0, ""
	}
	return "", codeAuth, textAuth
}

// version reads the version attribute of the packet and resolves it. A
// body whose root cannot be read gets the newest version, and the schema
// check reports what is wrong with it.
func (s *Server) version(body []byte) (string, bool) {
	d := xml.NewDecoder(bytes.NewReader(body))
	attr := ""
	for {
		tok, err := d.RawToken()
		if err != nil {
			break
		}
		if se, ok := tok.(xml.StartElement); ok {
			for _, a := range se.Attr {
				if a.Name.Local == "version" && a.Name.Space == "" {
					attr = a.Value
				}
			}
			break
		}
	}
	return resolveVersion(attr, s.cfg.versions)
}

func systemError(code int, text string) []byte {
	c := uint64(code)
	return marshalPacket(&fakeproto.ResponsePacket{System: &fakeproto.Result{
		Status: fakeproto.ResultStatusError, ErrCode: &c, ErrText: &text,
	}})
}

func marshalPacket(p *fakeproto.ResponsePacket) []byte {
	out, err := xml.Marshal(p)
	if err != nil {
		// The fake built p itself: a failure is a bug in the fake.
		panic("plesktest: cannot marshal a response: " + err.Error())
	}
	return append([]byte(xml.Header), out...)
}
