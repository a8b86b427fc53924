package rpc

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"github.com/pleskgo/plesk/rpc/internal/xmlstruct"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// checkGoroutines records the number of goroutines and returns a check
// that they are back to it: polled for a while, since a closed
// connection's goroutines end a moment after Close returns.
func checkGoroutines(t *testing.T) func() {
	t.Helper()
	base := runtime.NumGoroutine()
	return func() {
		t.Helper()
		deadline := time.Now().Add(5 * time.Second)
		for runtime.NumGoroutine() > base && time.Now().Before(deadline) {
			time.Sleep(10 * time.Millisecond)
		}
		if n := runtime.NumGoroutine(); n > base {
			buf := make([]byte, 1<<20)
			t.Errorf("%d goroutines, %d before:\n%s", n, base, buf[:runtime.Stack(buf, true)])
		}
	}
}

// liveHeap measures the live heap (HeapAlloc right after runtime.GC)
// while a response body is read: every step bytes of it, and at the end.
// Garbage the collector has not reached yet is not counted, so the figure
// is what the decoder holds, whatever the load of the machine.
type liveHeap struct {
	step       int64
	base, peak uint64
}

func (h *liveHeap) start() {
	var ms runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&ms)
	h.base, h.peak = ms.HeapAlloc, 0
}

func (h *liveHeap) sample() {
	var ms runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&ms)
	if ms.HeapAlloc > h.base && ms.HeapAlloc-h.base > h.peak {
		h.peak = ms.HeapAlloc - h.base
	}
}

// client returns an HTTP client whose response bodies sample h.
func (h *liveHeap) client() *http.Client {
	return &http.Client{Transport: &sampledTransport{base: http.DefaultTransport.(*http.Transport).Clone(), h: h}}
}

type sampledTransport struct {
	base *http.Transport
	h    *liveHeap
}

func (t *sampledTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := t.base.RoundTrip(r)
	if err == nil {
		resp.Body = &sampledBody{ReadCloser: resp.Body, h: t.h, next: t.h.step}
	}
	return resp, err
}

type sampledBody struct {
	io.ReadCloser
	h       *liveHeap
	n, next int64
}

func (b *sampledBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	if b.n += int64(n); b.n >= b.next {
		b.next += b.h.step
		b.h.sample()
	}
	return n, err
}

const billionLaughs = `<?xml version="1.0"?>
<!DOCTYPE packet [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<packet><customer><get><result><status>ok</status><errtext>&lol9;</errtext></result></get></customer></packet>`

// body answers every request with the same bytes.
func body(contentType string, status int, b string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", contentType)
		w.WriteHeader(status)
		io.WriteString(w, b)
	}
}

// TestHostileResponses sends the client bodies that are not a Plesk packet
// in one way or another: each fails with the error that says so, nothing
// panics, and no goroutine outlives the call.
func TestHostileResponses(t *testing.T) {
	tests := []struct {
		name    string
		handler http.HandlerFunc
		kind    error
		says    string
	}{
		{"empty body", body("text/xml", 200, ""), ErrTruncated, "the body is empty"},
		{"only white space", body("text/xml", 200, " \r\n\t "), ErrTruncated, "the body ended after 5 bytes, before </packet>"},
		{"HTML page", body("text/html", 200, "<!DOCTYPE html>\n<html><head><title>Maintenance</title></head><body>back soon</body></html>"),
			ErrNotXML, `HTTP 200 with an HTML page instead of a Plesk packet (Content-Type "text/html", title "Maintenance")`},
		{"HTML page without a doctype", body("text/xml", 200, "<html><body>Fatal error</body></html>"),
			ErrNotXML, "HTML page instead of a Plesk packet"},
		{"HTML error page with status 500", body("text/html", 500, "<html><head><title>500 Internal Server Error</title></head></html>"),
			ErrHTTPStatus, `HTTP 500 Internal Server Error (Content-Type "text/html", title "500 Internal Server Error")`},
		{"DOCTYPE with entity definitions (billion laughs)", body("text/xml", 200, billionLaughs),
			ErrNotXML, "the body holds a DOCTYPE or other <!…> directive, which a Plesk packet never has"},
		{"DOCTYPE with an external entity", body("text/xml", 200, `<!DOCTYPE packet [<!ENTITY x SYSTEM "file:///etc/passwd">]><packet>&x;</packet>`),
			ErrNotXML, "DOCTYPE"},
		{"entity that is not defined", body("text/xml", 200, `<packet><customer><get><result><status>&lol9;</status></result></get></customer></packet>`),
			ErrNotXML, "malformed XML at line 1: invalid character entity &lol9;"},
		{"invalid UTF-8 in text", body("text/xml", 200, "<packet><customer><get><result><status>ok</status><errtext>\xff\xfe</errtext></result></get></customer></packet>"),
			ErrNotXML, "malformed XML at line 1: invalid UTF-8"},
		{"invalid UTF-8 in a name", body("text/xml", 200, "<packet><customer><get><result><st\xc3\x28tus>ok</st\xc3\x28tus></result></get></customer></packet>"),
			ErrNotXML, "malformed XML at line 1: invalid XML name"},
		{"invalid UTF-8 in an attribute", body("text/xml", 200, "<packet version=\"\xed\xa0\x80\"><customer><get/></customer></packet>"),
			ErrNotXML, "malformed XML at line 1: invalid UTF-8"},
		{"UTF-16", body("text/xml", 200, "\xfe\xff\x00<\x00p\x00a\x00c\x00k\x00e\x00t\x00/\x00>"),
			ErrNotXML, "HTTP 200 with a body that is text, not XML"},
		{"an unknown encoding declared", body("text/xml", 200, `<?xml version="1.0" encoding="x-martian"?><packet><customer><get/></customer></packet>`),
			ErrNotXML, `declares encoding "x-martian", which this client cannot decode`},
		{"100,000 nested elements", body("text/xml", 200, "<packet><customer><get><result>"+strings.Repeat("<a>", 100000)),
			ErrTooLarge, "elements nested deeper than 256 levels (Limits.MaxDepth)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			done := checkGoroutines(t)
			srv := httptest.NewServer(tt.handler)
			c := mustClient(t, srv.URL, WithLogin(testLogin, testPassword))
			_, err := Do[fuzzResult](context.Background(), c, "", getOp())
			var ser []error
			for _, err := range Stream[fuzzResult](context.Background(), c, "", getOp()) {
				ser = append(ser, err)
			}
			srv.Close()
			if !errors.Is(err, tt.kind) || !strings.Contains(err.Error(), tt.says) {
				t.Errorf("Do: %v\nwant %v saying %q", err, tt.kind, tt.says)
			}
			if len(ser) != 1 || !errors.Is(ser[0], tt.kind) {
				t.Errorf("Stream yields %v, want one %v", ser, tt.kind)
			}
			done()
		})
	}
}

// TestHungServers: a server that stops answering is stopped by the
// context, before the headers, in the middle of the body or while it
// dribbles the body a byte at a time, for Do, Stream, Batch and Post.
func TestHungServers(t *testing.T) {
	release := make(chan struct{})
	hang := func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-release:
		}
	}
	tests := []struct {
		name    string
		handler http.HandlerFunc
	}{
		{"before the headers", func(w http.ResponseWriter, r *http.Request) {
			io.Copy(io.Discard, r.Body)
			hang(w, r)
		}},
		{"after the headers", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/xml")
			w.WriteHeader(200)
			w.(http.Flusher).Flush()
			hang(w, r)
		}},
		{"in the middle of a result", func(w http.ResponseWriter, r *http.Request) {
			io.WriteString(w, `<packet><customer><get><result><status>ok</status><id>1</id></result><result><status>o`)
			w.(http.Flusher).Flush()
			hang(w, r)
		}},
		{"dribbling a byte at a time", func(w http.ResponseWriter, r *http.Request) {
			for _, c := range []byte(`<packet><customer><get>` + strings.Repeat(" ", 1<<20)) {
				if _, err := w.Write([]byte{c}); err != nil {
					return
				}
				w.(http.Flusher).Flush()
				select {
				case <-r.Context().Done():
					return
				case <-release:
					return
				case <-time.After(time.Millisecond):
				}
			}
		}},
	}
	defer close(release)
	calls := map[string]func(ctx context.Context, c *Client) error{
		"Do": func(ctx context.Context, c *Client) error {
			_, err := Do[fuzzResult](ctx, c, "", getOp())
			return err
		},
		"Stream": func(ctx context.Context, c *Client) error {
			var last error
			for _, err := range Stream[fuzzResult](ctx, c, "", getOp()) {
				last = err
			}
			return last
		},
		"Batch": func(ctx context.Context, c *Client) error {
			b := NewBatch(c, "")
			Add[fuzzResult](b, getOp())
			Add[fuzzResult](b, &Op{Operator: "customer", Operation: "get", ReadOnly: true})
			return b.Send(ctx)
		},
		"Post": func(ctx context.Context, c *Client) error {
			_, err := c.Post(ctx, []byte("<packet/>"))
			return err
		},
	}
	for _, tt := range tests {
		for name, call := range calls {
			t.Run(tt.name+"/"+name, func(t *testing.T) {
				done := checkGoroutines(t)
				srv := httptest.NewServer(tt.handler)
				c := mustClient(t, srv.URL, WithSecretKey(testKey),
					WithReadRetry(RetryPolicy{MinBackoff: time.Millisecond, MaxBackoff: time.Millisecond}))
				ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
				err := call(ctx, c)
				cancel()
				srv.Close()
				if !errors.Is(err, context.DeadlineExceeded) || !errors.Is(err, ErrConnection) {
					t.Errorf("err = %v, want context.DeadlineExceeded and ErrConnection", err)
				}
				done()
			})
		}
	}
}

// endless serves a body that never ends (2 GB, declared in Content-Length):
// head, then body repeated until the client goes away.
func endless(head, body string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "text/xml")
		w.Header().Set("Content-Length", fmt.Sprint(2<<30))
		chunk := []byte(strings.Repeat(body, max(1, (64<<10)/len(body))))
		if _, err := io.WriteString(w, head); err != nil {
			return
		}
		for n := len(head); n < 2<<30; n += len(chunk) {
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
	}
}

// TestEndlessResponses: a body of 2 GB is stopped by the size limit, in
// whatever shape it comes, with memory bounded by the limit, not by the
// body; and results streamed from it take no more memory than one result.
// The heap is the live heap, measured after a collection every 4 MiB of
// the body (see liveHeap), against bounds several times what it measures
// on a quiet machine: no figure depends on when the collector runs.
func TestEndlessResponses(t *testing.T) {
	if testing.Short() {
		t.Skip("reads a few hundred MB over loopback")
	}
	const limit = 8 << 20
	result := `<result><status>ok</status><filter-id>1</filter-id><id>1</id><data><gen_info><name>example.com</name></gen_info></data></result>` + "\n"
	stream := func(ctx context.Context, c *Client) (int, error) {
		n := 0
		for _, err := range Stream[fuzzResult](ctx, c, "", &Op{Operator: "webspace", Operation: "get", ReadOnly: true}) {
			if err != nil {
				return n, err
			}
			n++
		}
		return n, nil
	}
	do := func(ctx context.Context, c *Client) (int, error) {
		res, err := Do[fuzzResult](ctx, c, "", &Op{Operator: "webspace", Operation: "get", ReadOnly: true})
		return len(res), err
	}
	post := func(ctx context.Context, c *Client) (int, error) {
		_, err := c.Post(ctx, []byte("<packet/>"))
		return 0, err
	}
	tests := []struct {
		name     string
		handler  http.HandlerFunc
		limit    int64 // 0: the default
		call     func(context.Context, *Client) (int, error)
		kind     error
		says     string
		maxHeap  uint64
		minCalls int // results delivered before the failure, at least
	}{
		{name: "results, streamed", handler: endless(`<packet><webspace><get>`, result), call: stream,
			kind: ErrTooLarge, says: "the body exceeds the limit of 8388608 bytes", maxHeap: 8 << 20, minCalls: 50000},
		{name: "results, streamed, default limit", handler: endless(`<packet><webspace><get>`, result), limit: -1, call: stream,
			kind: ErrTooLarge, says: "the body exceeds the limit of 268435456 bytes", maxHeap: 8 << 20, minCalls: 1000000},
		{name: "results, collected", handler: endless(`<packet><webspace><get>`, result), call: do,
			kind: ErrTooLarge, says: "limit of 8388608 bytes", maxHeap: 20 * limit},
		{name: "one endless text", handler: endless(`<packet><webspace><get><result><status>ok</status><errtext>`, "lol "), call: do,
			kind: ErrTooLarge, says: "limit of 8388608 bytes", maxHeap: 64 << 20},
		{name: "one endless attribute value", handler: endless(`<packet version="`, "1.6.9.1 "), call: do,
			kind: ErrTooLarge, says: "limit of 8388608 bytes", maxHeap: 64 << 20},
		{name: "one endless name", handler: endless(`<packet`, "packet"), call: do,
			kind: ErrTooLarge, says: "limit of 8388608 bytes", maxHeap: 64 << 20},
		{name: "one endless comment", handler: endless(`<packet><!--`, "lol "), call: do,
			kind: ErrTooLarge, says: "limit of 8388608 bytes", maxHeap: 64 << 20},
		{name: "white space before the root", handler: endless(``, " \r\n"), call: do,
			kind: ErrTooLarge, says: "limit of 8388608 bytes", maxHeap: 64 << 20},
		{name: "endless nesting", handler: endless(`<packet><webspace><get><result>`, "<data>"), call: do,
			kind: ErrTooLarge, says: "elements nested deeper than 256 levels (Limits.MaxDepth)", maxHeap: 8 << 20},
		{name: "raw Post", handler: endless(`<packet>`, "lol "), call: post,
			kind: ErrTooLarge, says: "limit of 8388608 bytes", maxHeap: 64 << 20},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			done := checkGoroutines(t)
			srv := httptest.NewServer(tt.handler)
			defer srv.Close()
			heap := &liveHeap{step: 4 << 20}
			opts := []Option{WithSecretKey(testKey), WithHTTPClient(heap.client())}
			if tt.limit == 0 {
				opts = append(opts, WithMaxResponseSize(limit))
			}
			c := mustClient(t, srv.URL, opts...)
			heap.start()
			n, err := tt.call(context.Background(), c)
			heap.sample()
			peak := heap.peak
			t.Logf("%d results, peak heap %.1f MiB: %v", n, float64(peak)/(1<<20), err)
			if !errors.Is(err, tt.kind) || !strings.Contains(err.Error(), tt.says) {
				t.Errorf("err = %v\nwant %v saying %q", err, tt.kind, tt.says)
			}
			if n < tt.minCalls {
				t.Errorf("%d results before the limit, want at least %d", n, tt.minCalls)
			}
			if peak > tt.maxHeap {
				t.Errorf("the heap grew by %d MiB, want at most %d MiB", peak>>20, tt.maxHeap>>20)
			}
			srv.Close()
			done()
		})
	}
}

// operationsOf returns the operations a response packet answers, in order:
// operator and operation, "group/operation" for one nested in a group.
func operationsOf(t *testing.T, data []byte) []*Op {
	t.Helper()
	type elem struct {
		XMLName  xml.Name
		Children []elem `xml:",any"`
	}
	var p elem
	if err := xml.Unmarshal(data, &p); err != nil {
		t.Fatalf("sample: %v", err)
	}
	var ops []*Op
	for _, operator := range p.Children {
		if operator.XMLName.Local == SystemOperator {
			ops = append(ops, getOp())
			continue
		}
		for _, op := range operator.Children {
			grouped := len(op.Children) > 0
			for _, c := range op.Children {
				grouped = grouped && c.XMLName.Local != "result" && len(c.Children) > 0 && c.Children[0].XMLName.Local == "result"
			}
			if !grouped {
				ops = append(ops, emptyOp(operator.XMLName.Local, op.XMLName.Local))
				continue
			}
			for _, c := range op.Children {
				ops = append(ops, emptyOp(operator.XMLName.Local, op.XMLName.Local+"/"+c.XMLName.Local))
			}
		}
	}
	return ops
}

// TestTruncatedAtEveryByte cuts every response sample (and a few of ours)
// after each of its bytes and sends each prefix through a client: every
// prefix that ends before </packet> fails with ErrTruncated, except that a
// packet-level <system> error read whole is reported as itself.
func TestTruncatedAtEveryByte(t *testing.T) {
	samples := readSampleFiles(t, "response")
	samples = append(samples,
		sampleFile{file: "okGet", data: []byte(okGet)},
		sampleFile{file: "non-ASCII", data: []byte("<packet><customer><get><result><status>ok</status><id>1</id><data><gen_info><name>Müller 日本 🙂</name></gen_info></data></result></get></customer></packet>")},
		sampleFile{file: "BOM", data: []byte("\ufeff<?xml version=\"1.0\" encoding=\"UTF-8\"?>\r\n<packet><customer><get><result><status>ok</status></result></get></customer></packet>\r\n")})
	var body atomic.Pointer[[]byte]
	c := mustClient(t, "plesk.example.com", WithSecretKey(testKey), WithHTTPClient(&http.Client{
		Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
			io.Copy(io.Discard, r.Body)
			b := *body.Load()
			return &http.Response{StatusCode: 200, Status: "200 OK", Header: http.Header{"Content-Type": {"text/xml"}},
				Body: io.NopCloser(bytes.NewReader(b)), ContentLength: int64(len(b)), Request: r}, nil
		}),
	}))
	prefixes := 0
	for _, s := range samples {
		ops := operationsOf(t, s.data)
		end := bytes.LastIndex(s.data, []byte("</packet>")) + len("</packet>")
		sys := bytes.LastIndex(s.data, []byte("</system>")) + len("</system>")
		for n := 0; n <= len(s.data); n++ {
			prefix := s.data[:n]
			body.Store(&prefix)
			b := NewBatch(c, "")
			for _, op := range ops {
				Add[fuzzResult](b, op)
			}
			err := b.Send(context.Background())
			prefixes++
			var pe *Error
			switch {
			case sys >= len("</system>") && n >= sys:
				if !errors.As(err, &pe) || pe.Operator != SystemOperator {
					t.Errorf("%s cut after %d bytes, its <system> whole: %v, want the system error", s.file, n, err)
				}
			case n >= end:
				if err != nil {
					t.Errorf("%s whole: %v", s.file, err)
				}
			case !errors.Is(err, ErrTruncated):
				t.Errorf("%s cut after %d bytes (%q): %v, want ErrTruncated", s.file, n, prefix[max(0, n-20):], err)
			}
		}
	}
	t.Logf("%d samples, %d prefixes", len(samples), prefixes)
}

// failingResult is a result type whose own UnmarshalXML fails in the
// middle of the element: through xmlstruct.Unmarshal, on a typed attribute with
// a bad value, and below it a plain struct that encoding/xml fails on.
type failingResult struct {
	Status string `xml:"status"`
	Data   *struct {
		N     *int64 `xml:"n,attr"`
		Value []int  `xml:"value"`
	} `xml:"data"`
	Unknown []Raw `xml:",any"`
}

func (v *failingResult) UnmarshalXML(d *xml.Decoder, start xml.StartElement) error {
	return xmlstruct.Unmarshal(d, start, v)
}

// TestDecodeFailureKeepsTheRestOfThePacket is the regression test of the
// first thing FuzzDecodeResponse found: when the UnmarshalXML of a result
// type failed inside its element, encoding/xml left an end-of-element
// marker on the decoder's stack, and the rest of the packet was lost with
// a bare "EOF". The failed result reports a *DecodeError, the others decode.
func TestDecodeFailureKeepsTheRestOfThePacket(t *testing.T) {
	for _, bad := range []string{`<data n="x"><value>1</value></data>`, `<data><value>1e400</value></data>`, `<data><value>x</value><value>2</value></data>`} {
		resp := `<packet><customer><get><result><status>ok</status>` + bad + `</result><result><status>ok</status></result></get>` +
			`<add><result><status>ok</status></result></add></customer></packet>`
		b := NewBatch(canned(resp), "")
		get := Add[failingResult](b, getOp())
		add := Add[failingResult](b, &Op{Operator: "customer", Operation: "add", Request: Empty{}})
		if err := b.Send(context.Background()); err != nil {
			t.Fatalf("%s: the packet failed: %v", bad, err)
		}
		res, err := get.Results()
		var de *DecodeError
		if len(res) != 2 || res[1].Status != "ok" || !errors.As(err, &de) || de.Index != 0 {
			t.Errorf("%s: get = %+v, %v; want two results, the first failing with a *DecodeError", bad, res, err)
		}
		if res, err := add.Results(); len(res) != 1 || err != nil {
			t.Errorf("%s: add = %+v, %v", bad, res, err)
		}
	}
}

// emptyOp is an op without content: Empty{}, as a nil request is refused
// on a hand-made op, which counts as changing state.
func emptyOp(operator, operation string) *Op {
	return &Op{Operator: operator, Operation: operation, Request: Empty{}}
}
