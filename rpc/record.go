package rpc

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"sync"
)

// RecordingHeader is the first line of a recording WithRecorder writes.
// A reader refuses a recording of another version.
const RecordingHeader = "pleskgo-recording v1"

// WithRecorder records each exchange of the client with the server to w,
// in the recording format below, so that a test can replay it offline
// (plesktest.NewReplayServer): a team with one staging Plesk records a
// session once and runs its tests without the server.
//
// What is recorded is redacted as the packet log of WithPacketLogging is,
// by the same code: the text of password, key, secret, token and similar
// elements, the values of sensitive name/value pairs and such attributes
// become [REDACTED], in requests and responses alike, so the third-party
// secrets a packet carries (a new customer's password, a migration
// source's password) never reach the file. The client's own credentials
// travel in HTTP headers, which are never recorded; a packet that still
// holds one of them (a server echoing it outside a secret element) is
// recorded as a line saying it was withheld, not as its text.
//
// The format is line-oriented text, stable within a version:
//
//	pleskgo-recording v1
//	request "<packet version=\"1.6.9.1\"><customer><get>…</get></customer></packet>"
//	response 200 "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<packet>…</packet>"
//
// The first line is RecordingHeader. Each exchange is a request line and
// the response line that follows it: the keyword, for a response the HTTP
// status, then the packet as a Go double-quoted string (strconv.Quote),
// so that one packet is one line whatever it holds. Empty lines and lines
// starting with # are comments. Exchanges that got no response (a
// connection that failed) are not recorded. The response is read whole
// (up to the client's size limit) before the client decodes it.
//
// Writes to w are serialized; a failed write fails the call that made it
// with a *TransportError, since an incomplete recording would replay
// wrongly. Share one w among clients only if it serializes writes itself.
func WithRecorder(w io.Writer) Option {
	return func(o *options) {
		if w == nil {
			o.errs = append(o.errs, errors.New("rpc: WithRecorder needs a writer"))
			return
		}
		o.recorder = w
	}
}

// Exchange is one recorded request and its response, as ReadRecording
// returns them. Both packets are redacted.
type Exchange struct {
	Request  []byte
	Status   int // the HTTP status of the response
	Response []byte
}

// ReadRecording reads a recording WithRecorder wrote. An error names the
// line that is wrong.
func ReadRecording(r io.Reader) ([]Exchange, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<30)
	var out []Exchange
	line := 0
	header := false
	pending := false // a request line waits for its response
	for sc.Scan() {
		line++
		text := strings.TrimRight(sc.Text(), "\r")
		if !header {
			if text != RecordingHeader {
				return nil, fmt.Errorf("rpc: recording line 1: want %q, got %q", RecordingHeader, clipShown(liveCredentials(), text, 60))
			}
			header = true
			continue
		}
		if strings.TrimSpace(text) == "" || strings.HasPrefix(text, "#") {
			continue
		}
		keyword, rest, _ := strings.Cut(text, " ")
		switch keyword {
		case "request":
			if pending {
				return nil, fmt.Errorf("rpc: recording line %d: a request follows a request without its response", line)
			}
			p, err := strconv.Unquote(rest)
			if err != nil {
				return nil, fmt.Errorf("rpc: recording line %d: the request is not a quoted string: %v", line, err)
			}
			out = append(out, Exchange{Request: []byte(p)})
			pending = true
		case "response":
			if !pending {
				return nil, fmt.Errorf("rpc: recording line %d: a response without a request", line)
			}
			status, quoted, _ := strings.Cut(rest, " ")
			code, err := strconv.Atoi(status)
			if err != nil || code < 100 || code > 999 {
				return nil, fmt.Errorf("rpc: recording line %d: %q is not an HTTP status", line, clipShown(liveCredentials(), status, 20))
			}
			p, err := strconv.Unquote(quoted)
			if err != nil {
				return nil, fmt.Errorf("rpc: recording line %d: the response is not a quoted string: %v", line, err)
			}
			out[len(out)-1].Status, out[len(out)-1].Response = code, []byte(p)
			pending = false
		default:
			return nil, fmt.Errorf("rpc: recording line %d: unknown keyword %q (want request or response)", line, clipShown(liveCredentials(), keyword, 30))
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("rpc: reading the recording: %w", err)
	}
	if !header {
		return nil, errors.New("rpc: the recording is empty (no " + RecordingHeader + " line)")
	}
	if pending {
		return nil, fmt.Errorf("rpc: recording ends with a request without its response (line %d)", line)
	}
	return out, nil
}

var (
	xmlDecl      = regexp.MustCompile(`^\s*(\xef\xbb\xbf)?\s*<\?xml[^?]*\?>`)
	spaceBetween = regexp.MustCompile(`>\s+<`)
)

// RequestKey returns the form of a request packet a replay matches on:
// redacted as a recording is, without the XML declaration, white space
// between tags dropped. The key of a request as the client sends it
// equals the key of its recorded copy.
func RequestKey(packet []byte) string {
	p := redactXML(packet)
	p = xmlDecl.ReplaceAll(p, nil)
	p = spaceBetween.ReplaceAll(p, []byte("><"))
	return string(bytes.TrimSpace(p))
}

// recorder writes the exchanges of one client.
type recorder struct {
	mu      sync.Mutex
	w       io.Writer
	started bool
	holds   func(string) bool // the client's credentials
	maxSize int64
}

// recordingClient returns a copy of hc whose transport records each
// exchange.
func recordingClient(hc *http.Client, w io.Writer, holds func(string) bool, maxSize int64) *http.Client {
	cp := *hc
	next := cp.Transport
	if next == nil {
		next = http.DefaultTransport
	}
	cp.Transport = &recordingTransport{next: next, rec: &recorder{w: w, holds: holds, maxSize: maxSize}}
	return &cp
}

type recordingTransport struct {
	next http.RoundTripper
	rec  *recorder
}

func (t *recordingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	var body []byte
	if req.Body != nil && req.GetBody != nil {
		rc, err := req.GetBody()
		if err != nil {
			return nil, err
		}
		body, err = io.ReadAll(rc)
		rc.Close()
		if err != nil {
			return nil, err
		}
	}
	resp, err := t.next.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	// Read the response whole (one byte past the limit, so the client
	// still sees a body that is too large), then hand it on.
	got, rerr := io.ReadAll(io.LimitReader(resp.Body, t.rec.maxSize+1))
	rest := resp.Body
	resp.Body = struct {
		io.Reader
		io.Closer
	}{io.MultiReader(bytes.NewReader(got), rest), rest}
	if rerr != nil {
		// A broken body: the client reports it; nothing to record.
		return resp, nil
	}
	if err := t.rec.record(body, resp.StatusCode, got); err != nil {
		resp.Body.Close()
		return nil, err
	}
	return resp, nil
}

// withheldPacket stands for a packet that held a credential of the client.
const withheldPacket = "[packet withheld: it holds a credential of this client]"

func (r *recorder) record(request []byte, status int, response []byte) error {
	clean := func(p []byte) string {
		s := string(redactXML(p))
		if r.holds(s) {
			return withheldPacket
		}
		return s
	}
	var b strings.Builder
	b.WriteString("request ")
	b.WriteString(strconv.Quote(clean(request)))
	fmt.Fprintf(&b, "\nresponse %d ", status)
	b.WriteString(strconv.Quote(clean(response)))
	b.WriteString("\n")
	r.mu.Lock()
	defer r.mu.Unlock()
	text := b.String()
	if !r.started {
		text = RecordingHeader + "\n" + text
		r.started = true
	}
	if _, err := io.WriteString(r.w, text); err != nil {
		return &TransportError{Kind: ErrConnection, Detail: "writing the recording failed (WithRecorder)", Err: err}
	}
	return nil
}
