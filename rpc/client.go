package rpc

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// DefaultPath is the path of the XML API on a Plesk server.
const DefaultPath = "/enterprise/control/agent.php"

// DefaultMaxResponseSize is the response size limit unless
// WithMaxResponseSize says otherwise: generous, since Plesk has no
// pagination and a get of every subscription arrives in one body.
const DefaultMaxResponseSize = 256 << 20

// proxyHint is added to authentication failures with login and password.
const proxyHint = "if a proxy sits in front of Plesk, it may drop headers with underscores " +
	"such as HTTP_AUTH_LOGIN and HTTP_AUTH_PASSWD (nginx: underscores_in_headers on), or use WithSecretKey"

// Client sends packets to one Plesk server. It is safe for concurrent use.
// Deadlines and cancellation come from the context of each call; the
// client sets no timeout of its own.
type Client struct {
	url string
	hc  *http.Client
	// auth sets the authentication headers of a request. The credentials
	// live only in its closure: no field holds them, so neither fmt nor a
	// reflection dump of the client (cmp, spew) can reach them.
	auth       func(http.Header)
	holds      sentry       // finds the password or key in texts, kept in closures too
	byLogin    bool         // login and password rather than a secret key
	log        *slog.Logger // nil: no logging
	logPackets bool
	maxSize    int64
	limits     Limits
	retry      *RetryPolicy
	routed     bool // hc's TLS dial reads each request's route
}

// contentType is shared by all requests: net/http only reads header values.
var contentType = []string{"text/xml; charset=UTF-8"}

// Option configures a Client.
type Option func(*options)

type options struct {
	login         string
	password, key secret
	hasLogin      bool
	hasKey        bool
	hc            *http.Client
	roots         *x509.CertPool
	pins          [][]byte
	insecure      bool
	tlsOpts       []string // the TLS options given, by name, for the error on http://
	maxSize       int64
	logger        *slog.Logger
	logPackets    bool
	retry         *RetryPolicy
	limits        Limits
	recorder      io.Writer // WithRecorder, see record.go
	errs          []error
}

// WithLogin authenticates with a Plesk login and password
// (HTTP_AUTH_LOGIN and HTTP_AUTH_PASSWD headers). Both are sent as given:
// NewClient refuses an empty one, one of only white space, and one with
// white space around it (HTTP/1.1 would strip it in transit, HTTP/2 would
// not), naming which, never showing its value.
func WithLogin(login, password string) Option {
	return func(o *options) {
		o.login, o.password, o.hasLogin = login, secret(password), true
		if err := checkCredential("login", login); err != nil {
			o.errs = append(o.errs, err)
		}
		if err := checkCredential("password", password); err != nil {
			o.errs = append(o.errs, err)
		}
	}
}

// WithSecretKey authenticates with a secret key (KEY header), available
// since protocol 1.6.6.0. A key is bound to the IP address it was created
// for; a wrong key gives a system error 11003. It is checked as WithLogin
// checks its credentials.
func WithSecretKey(key string) Option {
	return func(o *options) {
		o.key, o.hasKey = secret(key), true
		if err := checkCredential("secret key", key); err != nil {
			o.errs = append(o.errs, err)
		}
	}
}

// checkCredential refuses a credential that cannot arrive as given. The
// error names the credential, never its value.
func checkCredential(what, v string) error {
	switch t := strings.TrimSpace(v); {
	case v == "":
		return fmt.Errorf("rpc: the %s is empty", what)
	case t == "":
		return fmt.Errorf("rpc: the %s is only white space", what)
	case t != v:
		return fmt.Errorf("rpc: the %s begins or ends with white space, which HTTP/1.1 strips in transit: remove it", what)
	}
	for _, r := range v {
		if r < ' ' || r == 0x7f {
			return fmt.Errorf("rpc: the %s holds a control character, which no HTTP header can carry", what)
		}
	}
	return nil
}

// WithHTTPClient sends requests with a copy of hc, for its transport,
// proxy or timeouts. Redirects are never followed, whatever
// hc.CheckRedirect says: the credentials travel in headers that net/http
// would forward to another host. The TLS options below need hc.Transport
// to be nil or an *http.Transport without a DialTLSContext of its own (it
// is cloned, not modified).
//
// The TLS options (WithPinnedSHA256, WithRootCAs, WithInsecureSkipVerify)
// apply to the Plesk server only, never to the connection to an https://
// proxy: that one is verified by the transport's own TLSClientConfig (its
// RootCAs, or the system roots when it has none), as net/http would
// without this package. To trust a proxy's private CA, put it in
// hc.Transport.(*http.Transport).TLSClientConfig.RootCAs; to pin Plesk's
// certificate behind the proxy, use WithPinnedSHA256 as without one.
func WithHTTPClient(hc *http.Client) Option {
	return func(o *options) { o.hc = hc }
}

// WithRootCAs verifies the server certificate against pool instead of the
// system roots, for the host name of the endpoint however it is spelt
// (Unicode or punycode, any case, with or without a trailing dot). Like
// every TLS option, it is an error at NewClient on an http:// endpoint.
func WithRootCAs(pool *x509.CertPool) Option {
	return func(o *options) { o.roots = pool; o.tlsOpt("WithRootCAs") }
}

// WithPinnedSHA256 accepts the server if its certificate, or the public key
// of its certificate, has one of the given SHA-256 digests, and skips the
// verification of the chain and host name. It is the safe answer to
// Plesk's self-signed certificates. A pin is hex (colons allowed, as openssl
// prints fingerprints) or base64; see CertificatePin and PublicKeyPin. The
// pins apply to the connection to the endpoint however its host is spelt,
// and are an error at NewClient on an http:// endpoint.
//
// The validity dates of a pinned certificate are not checked: an expired
// or not yet valid certificate whose digest, or whose key's digest, is
// pinned is accepted. The pin is the whole trust decision. Plesk's
// self-signed certificate is often left to expire, and its dates are
// written by the holder of the very key the pin names, so they prove
// nothing a matching digest has not proved already, while a check would
// make the client fail on the day the certificate expires or whenever the
// client's clock is wrong. To stop trusting a certificate, remove its pin.
func WithPinnedSHA256(pins ...string) Option {
	return func(o *options) {
		o.tlsOpt("WithPinnedSHA256")
		if len(pins) == 0 {
			o.errs = append(o.errs, errors.New("rpc: WithPinnedSHA256 needs at least one pin"))
		}
		for _, p := range pins {
			b, err := parsePin(p)
			if err != nil {
				o.errs = append(o.errs, err)
				continue
			}
			o.pins = append(o.pins, b)
		}
	}
}

// WithInsecureSkipVerify turns off the verification of the server
// certificate. Anyone on the network path can then read the credentials.
// NewClient logs a warning (to slog.Default if no logger is set). Prefer
// WithPinnedSHA256. On an http:// endpoint it is an error at NewClient,
// as every TLS option is.
func WithInsecureSkipVerify() Option {
	return func(o *options) { o.insecure = true; o.tlsOpt("WithInsecureSkipVerify") }
}

// tlsOpt notes a TLS option, once.
func (o *options) tlsOpt(name string) {
	if !slices.Contains(o.tlsOpts, name) {
		o.tlsOpts = append(o.tlsOpts, name)
	}
}

// WithMaxResponseSize limits the response body to n bytes; a larger body
// fails with ErrTooLarge. The default is DefaultMaxResponseSize.
func WithMaxResponseSize(n int64) Option {
	return func(o *options) {
		o.maxSize = n
		if n <= 0 {
			o.errs = append(o.errs, errors.New("rpc: WithMaxResponseSize needs a positive size"))
		}
	}
}

// WithLogger logs each call at Debug level (operations, status, size,
// duration), retries and warnings. The client's credentials never reach
// the logger: they are only ever written into the request headers, which
// are not logged.
func WithLogger(l *slog.Logger) Option {
	return func(o *options) { o.logger = l }
}

// WithPacketLogging also logs request and response packets at Debug level,
// with every secret value replaced by [REDACTED], found by the structure
// of the packet: the text of password, passwd, key, secret, token and
// similar elements and of the elements inside them (<password><value>),
// the value of a name/value pair whose name is such a word
// (<property><name>ftp_password</name><value>), and such attributes. Only
// the first 64 KiB of a response are logged.
func WithPacketLogging() Option {
	return func(o *options) { o.logPackets = true }
}

// RetryPolicy retries a packet whose operations all read state (by
// Op.ReadOnly, which generated operations take from their schema set's
// classification), when
// the transport failed before any result arrived: connection errors, a
// truncated body, HTTP 429, 502, 503 and 504. Nothing that may change
// state is ever retried, and a Plesk error is an answer, not a failure.
//
// A Retry-After header on a 429 or 503 (seconds or an HTTP date) sets the
// wait before the next try, instead of the backoff. When it asks for more
// than MaxBackoff, or for more than the context's deadline leaves, the
// call fails at once with that response's error rather than retrying
// early.
type RetryPolicy struct {
	Attempts   int           // tries in all, the first included; 0 means 3
	MinBackoff time.Duration // wait before the second try; 0 means 250ms
	MaxBackoff time.Duration // the wait doubles up to this; 0 means 5s
	// IsRead decides which operations read; nil means each Op's ReadOnly.
	IsRead func(operator, operation string) bool
}

// WithReadRetry turns on retries of read-only packets, see RetryPolicy.
// The waits respect the context.
func WithReadRetry(p RetryPolicy) Option {
	return func(o *options) { o.retry = &p }
}

// NewClient returns a client for the Plesk server at host: "host",
// "host:port" or a URL. The scheme defaults to https, the port to 8443
// (8880 for http) and the path to DefaultPath. Exactly one of WithLogin and
// WithSecretKey is required.
//
// An http:// endpoint sends the credentials in clear text: NewClient warns
// at Warn level, on the WithLogger logger or else on slog.Default (not for
// a loopback host, which crosses no network), and
// refuses the TLS options (WithPinnedSHA256, WithRootCAs,
// WithInsecureSkipVerify), which would be silently ignored there.
func NewClient(host string, opts ...Option) (*Client, error) {
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	u, err := parseEndpoint(host)
	if err != nil {
		o.errs = append(o.errs, err)
	}
	switch {
	case o.hasLogin && o.hasKey:
		o.errs = append(o.errs, errors.New("rpc: use either WithLogin or WithSecretKey, not both"))
	case !o.hasLogin && !o.hasKey:
		o.errs = append(o.errs, errors.New("rpc: no credentials: use WithLogin or WithSecretKey"))
	}
	if u != nil && u.Scheme == "http" && len(o.tlsOpts) > 0 {
		o.errs = append(o.errs, fmt.Errorf("rpc: %s configures TLS, but the endpoint %s is plain HTTP, "+
			"where the credentials would cross the network in clear text: use https:// or leave out the TLS options",
			strings.Join(o.tlsOpts, " and "), u.Scheme+"://"+u.Host))
	}
	if o.insecure && len(o.pins) > 0 {
		o.errs = append(o.errs, errors.New("rpc: WithInsecureSkipVerify and WithPinnedSHA256 contradict each other"))
	}
	c := &Client{
		logPackets: o.logPackets,
		maxSize:    DefaultMaxResponseSize,
		limits:     o.limits.withDefaults(),
		retry:      o.retry,
		log:        o.logger,
		byLogin:    o.hasLogin,
		holds:      credentialFinder(string(o.password), string(o.key)),
	}
	if o.maxSize > 0 {
		c.maxSize = o.maxSize
	}
	trackCredentials(c)
	// Set as written: Go would canonicalize HTTP_AUTH_LOGIN to Http_auth_login.
	if o.hasKey {
		key := []string{string(o.key)}
		c.auth = func(h http.Header) { h["KEY"] = key }
	} else {
		login, passwd := []string{o.login}, []string{string(o.password)}
		c.auth = func(h http.Header) { h["HTTP_AUTH_LOGIN"], h["HTTP_AUTH_PASSWD"] = login, passwd }
	}
	var tlsErr error
	c.hc, c.routed, tlsErr = o.httpClient()
	if tlsErr != nil {
		o.errs = append(o.errs, tlsErr)
	}
	if o.recorder != nil && c.hc != nil {
		c.hc = recordingClient(c.hc, o.recorder, c.holds.has, c.maxSize)
	}
	if len(o.errs) > 0 {
		return nil, errors.Join(o.errs...)
	}
	c.url = u.String()
	warn := c.log
	if warn == nil {
		warn = slog.Default()
	}
	if o.insecure {
		warn.Warn("rpc: TLS certificate verification is OFF (WithInsecureSkipVerify): anyone on the network path can read the Plesk credentials; prefer WithPinnedSHA256",
			"url", c.url)
	}
	if u.Scheme == "http" && !isLoopback(u.Hostname()) {
		warn.Warn("rpc: plain HTTP: the Plesk credentials cross the network in clear text", "url", c.url)
	}
	return c, nil
}

func parseEndpoint(host string) (*url.URL, error) {
	host = strings.TrimSpace(host)
	if host == "" {
		return nil, errors.New("rpc: empty host")
	}
	if !strings.Contains(host, "://") {
		if ip := net.ParseIP(host); ip != nil && strings.Contains(host, ":") {
			host = "[" + host + "]" // a bare IPv6 address
		}
		host = "https://" + host
	}
	u, err := url.Parse(host)
	if err != nil {
		// The parse error repeats the input, which might hold a password.
		return nil, errors.New("rpc: the host is not a valid host name, host:port or URL")
	}
	if u.User != nil {
		return nil, errors.New("rpc: credentials in the URL are not supported: use WithLogin or WithSecretKey")
	}
	if u.Scheme != "https" && u.Scheme != "http" {
		return nil, fmt.Errorf("rpc: unsupported scheme %q: use https or http", u.Scheme)
	}
	if u.Hostname() == "" {
		return nil, errors.New("rpc: the URL has no host")
	}
	if u.Port() == "" {
		port := "8443"
		if u.Scheme == "http" {
			port = "8880"
		}
		u.Host = net.JoinHostPort(u.Hostname(), port)
	}
	if u.Path == "" || u.Path == "/" {
		u.Path = DefaultPath
	}
	u.RawQuery, u.Fragment = "", ""
	return u, nil
}

// httpClient builds the HTTP client of NewClient; routed reports the TLS
// dial of its own, which needs each request's route (see route).
func (o *options) httpClient() (hc *http.Client, routed bool, err error) {
	hc = &http.Client{}
	if o.hc != nil {
		*hc = *o.hc
	}
	// Never follow redirects: a 3xx becomes an error that names its target.
	hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

	custom := o.roots != nil || len(o.pins) > 0 || o.insecure
	var tr *http.Transport
	switch t := hc.Transport.(type) {
	case nil:
		tr = http.DefaultTransport.(*http.Transport).Clone()
	case *http.Transport:
		if !custom {
			return hc, false, nil
		}
		//lint:ignore SA1019 DialTLS is deprecated but still honoured by net/http, so it must be refused too
		if t.DialTLSContext != nil || t.DialTLS != nil {
			return nil, false, errors.New("rpc: the TLS options cannot be combined with a Transport that has its own DialTLSContext")
		}
		tr = t.Clone()
	default:
		if custom {
			return nil, false, errors.New("rpc: the TLS options need the HTTP client's Transport to be nil or an *http.Transport")
		}
		return hc, false, nil
	}
	// proxyCfg is the trust of any https:// proxy: the transport's own.
	proxyCfg := tr.TLSClientConfig
	if proxyCfg == nil {
		proxyCfg = &tls.Config{MinVersion: tls.VersionTLS12}
	}
	proxyCfg = proxyCfg.Clone()
	cfg := proxyCfg.Clone()
	if !custom {
		tr.TLSClientConfig = cfg
		hc.Transport = tr
		return hc, false, nil
	}
	if o.roots != nil {
		cfg.RootCAs = o.roots
	}
	if len(o.pins) > 0 {
		cfg.InsecureSkipVerify = true // replaced by the pin check
		cfg.VerifyConnection = verifyPins(o.pins)
	}
	if o.insecure {
		cfg.InsecureSkipVerify = true
	}
	// net/http uses TLSClientConfig for the TLS of the Plesk server inside
	// a CONNECT tunnel, but also for the first hop to an https:// proxy.
	// The first hop goes through DialTLSContext instead. Which connection
	// a dial is for is not read from its address (a host has many
	// spellings: Unicode or punycode, case, a trailing dot): net/http calls
	// DialTLSContext for an https:// target only when the request goes to
	// it directly, and for the proxy when the request has an https://
	// proxy. So the Proxy function, asked for each request, notes in the
	// request's route (its context reaches the dial) whether it chose a
	// proxy; a dial with no such note is Plesk's.
	tr.TLSClientConfig = cfg
	if proxy := tr.Proxy; proxy != nil {
		tr.Proxy = func(req *http.Request) (*url.URL, error) {
			p, err := proxy(req)
			if r, ok := req.Context().Value(routeKey{}).(*route); ok {
				r.proxied.Store(p != nil)
			}
			return p, err
		}
	}
	dial := tr.DialContext
	if dial == nil {
		dial = (&net.Dialer{Timeout: 30 * time.Second, KeepAlive: 30 * time.Second}).DialContext
	}
	tr.DialTLSContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
		host, _, err := net.SplitHostPort(addr)
		if err != nil {
			return nil, err
		}
		var c *tls.Config
		if r, ok := ctx.Value(routeKey{}).(*route); !ok || !r.proxied.Load() {
			c = tr.TLSClientConfig.Clone() // Plesk's, with the protocols net/http added (h2)
		} else {
			c = proxyCfg.Clone()
			c.NextProtos = nil // a proxy is spoken to in HTTP/1.1 (CONNECT)
		}
		if c.ServerName == "" {
			c.ServerName = host
		}
		conn, err := dial(ctx, network, addr)
		if err != nil {
			return nil, err
		}
		if d := tr.TLSHandshakeTimeout; d > 0 {
			var cancel context.CancelFunc
			ctx, cancel = context.WithTimeout(ctx, d)
			defer cancel()
		}
		tc := tls.Client(conn, c)
		if err := tc.HandshakeContext(ctx); err != nil {
			conn.Close()
			return nil, err
		}
		return tc, nil
	}
	hc.Transport = tr
	return hc, true, nil
}

// routeKey is the context key of a request's *route.
type routeKey struct{}

// route is what the transport decided for one request: whether it goes
// through a proxy. A dial net/http makes for the request carries the
// request's context values, and so the route.
type route struct{ proxied atomic.Bool }

// URL returns the endpoint the client posts to.
func (c *Client) URL() string { return c.url }

// String describes the client without its credentials.
func (c *Client) String() string {
	auth := "secret key"
	if c.byLogin {
		auth = "login and password"
	}
	return "rpc.Client(" + c.url + ", " + auth + ")"
}

// GoString is String: %#v must not print the credentials either.
func (c *Client) GoString() string { return c.String() }

var bufPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// Invoke sends one packet with ops and feeds each op its results while the
// response is read. See Invoker.
func (c *Client) Invoke(ctx context.Context, version string, ops ...*Op) error {
	// Do, Stream and Batch have validated their ops already (once is
	// enough: validation walks the whole request); the others are checked
	// here, for callers of Invoke itself.
	for _, op := range ops {
		if op == nil || !op.validated {
			// Validate copies: validation keeps the encoded requests on
			// the ops it checked, and the caller's ops are not ours to
			// change. A copy feeds the same results.
			checked := make([]*Op, len(ops))
			for i, op := range ops {
				if op != nil {
					c := *op
					c.validated, c.body = false, nil
					checked[i] = &c
				}
			}
			if err := validateOps(checked); err != nil {
				return err
			}
			ops = checked
			break
		}
	}
	buf := bufPool.Get().(*bytes.Buffer)
	buf.Reset()
	defer func() {
		if buf.Cap() <= 1<<20 { // do not keep the buffer of a huge packet
			bufPool.Put(buf)
		}
	}()
	if err := EncodeRequest(buf, version, ops...); err != nil {
		return err
	}
	retry := c.retry != nil && c.retry.allRead(ops)
	for attempt := 1; ; attempt++ {
		delivered, err := c.roundTrip(ctx, buf.Bytes(), ops, attempt)
		if err == nil || !retry || delivered || attempt >= c.retry.attempts() || !retryable(err) || ctx.Err() != nil {
			return err
		}
		wait := c.retry.backoff(attempt)
		var te *TransportError
		if errors.As(err, &te) && te.RetryAfter > 0 {
			if te.RetryAfter > c.retry.maxBackoff() {
				return err // the server asks for a longer pause than the policy allows
			}
			wait = te.RetryAfter
		}
		if dl, ok := ctx.Deadline(); ok && time.Until(dl) < wait {
			return err // no time left for another try
		}
		if c.log != nil {
			c.log.LogAttrs(ctx, slog.LevelWarn, "rpc: retrying read-only packet",
				slog.Int("attempt", attempt+1), slog.Duration("backoff", wait), slog.String("error", err.Error()))
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return err
		case <-t.C:
		}
	}
}

// roundTrip posts one packet and decodes the response into ops.
func (c *Client) roundTrip(ctx context.Context, packet []byte, ops []*Op, attempt int) (delivered bool, err error) {
	debug := c.log != nil && c.log.Enabled(ctx, slog.LevelDebug)
	var began time.Time
	if debug {
		began = time.Now()
		names := make([]string, len(ops))
		for i, op := range ops {
			names[i] = op.String()
		}
		c.log.LogAttrs(ctx, slog.LevelDebug, "rpc: request", slog.String("url", c.url),
			slog.String("ops", strings.Join(names, ",")), slog.Int("bytes", len(packet)), slog.Int("attempt", attempt))
		if c.logPackets {
			c.log.LogAttrs(ctx, slog.LevelDebug, "rpc: request packet", slog.String("packet", c.logText(packet, false)))
		}
	}
	// The request's own context: canceled to stop draining a body that
	// lingers after </packet>.
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	resp, err := c.send(ctx, packet)
	if err != nil {
		if debug {
			c.log.LogAttrs(ctx, slog.LevelDebug, "rpc: response", slog.String("error", err.Error()))
		}
		return false, err
	}
	type body struct {
		lim limitReader
		src trackReader
	}
	b := &body{lim: limitReader{r: resp.Body, limit: c.maxSize, left: c.maxSize}}
	b.src.r = &b.lim
	lr, src := &b.lim, &b.src
	var logged *cappedBuffer
	if debug && c.logPackets {
		logged = &cappedBuffer{max: 64 << 10}
		src.r = io.TeeReader(lr, logged)
	}

	// The first bytes tell an HTML page or plain text from a packet, and
	// are kept for error messages.
	w := getWire(src, src, c.limits, c.holds)
	head := w.head()
	var firstBuf [1024]byte
	first := firstBuf[:copy(firstBuf[:], head)]
	// (A body cut inside the byte order mark is left to the decoder.)
	if t := bytes.TrimLeft(bytes.TrimPrefix(first, []byte("\xef\xbb\xbf")), " \t\r\n"); len(t) > 0 && t[0] != '<' &&
		!(len(first) < 3 && bytes.HasPrefix([]byte("\xef\xbb\xbf"), first)) {
		w.release()
		err = c.transportError(resp, &TransportError{Kind: ErrNotXML,
			Detail: fmt.Sprintf("HTTP %d with a body that is text, not XML", resp.StatusCode)}, first)
	} else if looksHTML(first) {
		page := append([]byte(nil), head...)
		w.release()
		more, _ := io.ReadAll(io.LimitReader(src, 16<<10))
		err = c.transportError(resp, &TransportError{Kind: ErrNotXML,
			Detail: fmt.Sprintf("HTTP %d with an HTML page instead of a Plesk packet", resp.StatusCode)},
			append(page, more...))
	} else {
		delivered, err = w.decode(ops)
		err = c.finishError(ctx, resp, err, first)
	}
	if err == nil && !src.eof {
		// Unless the body has already ended (the read that brought
		// </packet> also said io.EOF, as net/http says it with the last
		// bytes of a body of known length): then there is nothing to
		// drain, and no timer to arm.
		drainBody(resp.Body, cancel)
	}
	resp.Body.Close()
	if debug {
		attrs := []slog.Attr{slog.Int("status", resp.StatusCode), slog.Int64("bytes", c.maxSize-lr.left),
			slog.Duration("duration", time.Since(began))}
		if err != nil {
			attrs = append(attrs, slog.String("error", err.Error()))
		}
		c.log.LogAttrs(ctx, slog.LevelDebug, "rpc: response", attrs...)
		if logged != nil {
			c.log.LogAttrs(ctx, slog.LevelDebug, "rpc: response packet",
				slog.String("packet", c.logText(logged.Bytes(), logged.cut)), slog.Bool("cut", logged.cut))
		}
	}
	return delivered, err
}

// send posts packet and returns a response with status 200.
func (c *Client) send(ctx context.Context, packet []byte) (*http.Response, error) {
	if c.routed {
		ctx = context.WithValue(ctx, routeKey{}, new(route))
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.url, bytes.NewReader(packet))
	if err != nil {
		return nil, err
	}
	req.Header["Content-Type"] = contentType
	c.auth(req.Header)
	resp, err := c.hc.Do(req)
	if err != nil {
		te := &TransportError{Kind: ErrConnection, Detail: "sending the request failed", Err: err}
		if ctx.Err() != nil {
			te.Detail = "request canceled"
		}
		return nil, c.transportError(nil, te, nil)
	}
	if resp.StatusCode != http.StatusOK {
		defer resp.Body.Close()
		page, _ := io.ReadAll(io.LimitReader(resp.Body, 16<<10))
		te := &TransportError{Kind: ErrHTTPStatus, Detail: "HTTP " + resp.Status}
		if loc := resp.Header.Get("Location"); loc != "" && resp.StatusCode/100 == 3 {
			te.Detail += fmt.Sprintf(", redirect to %q not followed (the credentials go to this URL only)", c.holds.safeText(loc, 2048))
		}
		if (resp.StatusCode == http.StatusUnauthorized || resp.StatusCode == http.StatusForbidden) && c.byLogin {
			te.Detail += "; " + proxyHint
		}
		if resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusServiceUnavailable {
			te.RetryAfter = retryAfter(resp.Header.Get("Retry-After"), time.Now())
		}
		return nil, c.transportError(resp, te, page)
	}
	return resp, nil
}

// finishError completes the error of a decoded response.
func (c *Client) finishError(ctx context.Context, resp *http.Response, err error, first []byte) error {
	if err == nil {
		return nil
	}
	var pe *Error
	if errors.As(err, &pe) && pe.Operator == SystemOperator && c.byLogin && (pe.Code == 1001 || pe.Code == 1029) {
		pe.hint = proxyHint
	}
	var te *TransportError
	if !errors.As(err, &te) {
		return err
	}
	if te.Kind == ErrConnection && ctx.Err() != nil {
		te.Detail = fmt.Sprintf("request canceled after %d bytes of the response", te.Read)
		te.Err = ctx.Err()
	}
	return c.transportError(resp, te, first)
}

// Post sends a hand-written packet and returns the raw response body. It
// checks the HTTP status and the size limit, nothing else; it is the escape
// hatch for packets no binding covers. It is never retried.
func (c *Client) Post(ctx context.Context, packet []byte) ([]byte, error) {
	debug := c.log != nil && c.log.Enabled(ctx, slog.LevelDebug)
	if debug && c.logPackets {
		c.log.LogAttrs(ctx, slog.LevelDebug, "rpc: request packet", slog.String("packet", c.logText(packet, false)))
	}
	resp, err := c.send(ctx, packet)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	tr := &trackReader{r: &limitReader{r: resp.Body, limit: c.maxSize, left: c.maxSize}}
	body, err := io.ReadAll(tr)
	if err != nil {
		te := &TransportError{Kind: ErrConnection, Read: tr.n,
			Detail: fmt.Sprintf("the connection broke after %d bytes of the response", tr.n), Err: err}
		var tl *tooLargeError
		if errors.As(err, &tl) {
			te.Kind, te.Err = ErrTooLarge, nil
			te.Detail = fmt.Sprintf("the body exceeds the limit of %d bytes (see WithMaxResponseSize)", tl.limit)
		} else if ctx.Err() != nil {
			te.Detail = fmt.Sprintf("request canceled after %d bytes of the response", tr.n)
			te.Err = ctx.Err()
		}
		return nil, c.transportError(resp, te, nil)
	}
	if debug && c.logPackets {
		c.log.LogAttrs(ctx, slog.LevelDebug, "rpc: response packet", slog.String("packet", c.logText(body, false)))
	}
	return body, nil
}

// cappedBuffer keeps the first max bytes written to it.
type cappedBuffer struct {
	bytes.Buffer
	max int
	cut bool
}

func (b *cappedBuffer) Write(p []byte) (int, error) {
	if room := b.max - b.Len(); room < len(p) {
		b.cut = true
		b.Buffer.Write(p[:max(room, 0)])
		return len(p), nil
	}
	return b.Buffer.Write(p)
}

func looksHTML(b []byte) bool {
	b = bytes.TrimLeft(bytes.TrimPrefix(b, []byte("\xef\xbb\xbf")), " \t\r\n")
	n := min(len(b), 14)
	p := strings.ToLower(string(b[:n]))
	return strings.HasPrefix(p, "<!doctype html") || strings.HasPrefix(p, "<html")
}

// Draining after </packet>: what follows the packet is read, so that the
// connection can be reused, only if it comes at once and is short.
const (
	drainMax     = 64 << 10
	drainTimeout = 50 * time.Millisecond
)

// drainBody reads what is left of a body after </packet>, at most
// drainMax bytes for at most drainTimeout; past either bound cancel ends
// the request, which closes the connection. A call never waits longer for
// a body whose answer has arrived.
func drainBody(body io.Reader, cancel context.CancelFunc) {
	t := time.AfterFunc(drainTimeout, cancel)
	n, err := io.Copy(io.Discard, io.LimitReader(body, drainMax+1))
	if !t.Stop() || err != nil || n > drainMax {
		cancel()
	}
}

// retryAfter reads a Retry-After header: seconds, or an HTTP date; 0 when
// absent or unreadable.
func retryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if n, err := strconv.ParseInt(v, 10, 64); err == nil {
		if n <= 0 {
			return 0
		}
		return time.Duration(min(n, int64(24*time.Hour/time.Second))) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil && t.After(now) {
		return t.Sub(now)
	}
	return 0
}

// retryable reports transport failures worth another try.
func retryable(err error) bool {
	var te *TransportError
	if !errors.As(err, &te) || errors.Is(err, ErrPinMismatch) || errors.Is(err, context.Canceled) ||
		errors.Is(err, context.DeadlineExceeded) {
		return false
	}
	var cve *tls.CertificateVerificationError
	if errors.As(err, &cve) {
		return false
	}
	switch te.Kind {
	case ErrConnection, ErrTruncated:
		return true
	case ErrHTTPStatus:
		switch te.StatusCode {
		case http.StatusTooManyRequests, http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
			return true
		}
	}
	return false
}

func (p *RetryPolicy) attempts() int {
	if p.Attempts <= 0 {
		return 3
	}
	return p.Attempts
}

func (p *RetryPolicy) allRead(ops []*Op) bool {
	for _, op := range ops {
		read := op.ReadOnly
		if p.IsRead != nil {
			read = p.IsRead(op.Operator, op.Operation)
		}
		if !read {
			return false
		}
	}
	return true
}

// backoff returns the wait after the given failed attempt: doubling from
// MinBackoff up to MaxBackoff, with jitter in its upper half.
func (p *RetryPolicy) maxBackoff() time.Duration {
	if p.MaxBackoff <= 0 {
		return 5 * time.Second
	}
	return p.MaxBackoff
}

func (p *RetryPolicy) backoff(attempt int) time.Duration {
	lo, hi := p.MinBackoff, p.maxBackoff()
	if lo <= 0 {
		lo = 250 * time.Millisecond
	}
	d := lo
	for i := 1; i < attempt && d < hi; i++ {
		d *= 2
	}
	d = min(d, hi)
	return d/2 + time.Duration(rand.Int64N(int64(d/2)+1))
}

// isLoopback reports a host that names this machine's loopback interface
// (localhost, 127.0.0.0/8, ::1): plain HTTP to it crosses no network, as
// in tests against plesktest, and is not warned about.
func isLoopback(host string) bool {
	if strings.EqualFold(strings.TrimSuffix(host, "."), "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
