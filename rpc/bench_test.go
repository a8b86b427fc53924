package rpc

import (
	"bytes"
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"runtime"
	"testing"
)

// benchResult is shaped like a generated result type (webspace/get).
type benchResult struct {
	Status   string  `xml:"status"`
	ErrCode  *int    `xml:"errcode"`
	ErrText  *string `xml:"errtext"`
	FilterID *string `xml:"filter-id"`
	ID       *int64  `xml:"id"`
	Data     *struct {
		GenInfo struct {
			CrDate    string `xml:"cr_date"`
			Name      string `xml:"name"`
			ASCIIName string `xml:"ascii-name"`
			Status    int    `xml:"status"`
			RealSize  int64  `xml:"real_size"`
			DNSIP     string `xml:"dns_ip_address"`
			HType     string `xml:"htype"`
			GUID      string `xml:"guid"`
		} `xml:"gen_info"`
	} `xml:"data"`
	Unknown []Raw `xml:",any"`
}

// resultsBody returns a webspace/get response with n results.
func resultsBody(n int) []byte {
	var b bytes.Buffer
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n<packet version=\"1.6.9.1\">\n<webspace>\n<get>\n")
	for i := range n {
		fmt.Fprintf(&b, `<result><status>ok</status><filter-id>%d</filter-id><id>%d</id><data><gen_info>`+
			`<cr_date>2024-01-01</cr_date><name>site%d.example.com</name><ascii-name>site%d.example.com</ascii-name>`+
			`<status>0</status><real_size>0</real_size><dns_ip_address>10.0.0.1</dns_ip_address><htype>vrt_hst</htype>`+
			`<guid>6f1b5b1e-0000-4000-8000-%012d</guid></gen_info></data></result>`+"\n", i, i, i, i, i)
	}
	b.WriteString("</get>\n</webspace>\n</packet>\n")
	return b.Bytes()
}

func fromMemory(body []byte) Invoker {
	return InvokerFunc(func(ctx context.Context, version string, ops ...*Op) error {
		return DecodeResponse(bytes.NewReader(body), ops...)
	})
}

func streamAll(b testing.TB, inv Invoker, want int) {
	n := 0
	for _, err := range Stream[benchResult](context.Background(), inv, "1.6.9.1", &Op{Operator: "webspace", Operation: "get", ReadOnly: true}) {
		if err != nil {
			b.Fatal(err)
		}
		n++
	}
	if n != want {
		b.Fatalf("%d results, want %d", n, want)
	}
}

const benchResults = 10000

// BenchmarkStreamResults decodes a 10,000-result response from memory into
// a generated-like type, one result at a time. Compare with
// BenchmarkRawTokens, the bare encoding/xml token loop over the same bytes.
func BenchmarkStreamResults(b *testing.B) {
	body := resultsBody(benchResults)
	inv := fromMemory(body)
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		streamAll(b, inv, benchResults)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*benchResults), "ns/result")
}

// BenchmarkRawTokens is the floor for BenchmarkStreamResults: an
// encoding/xml Token loop over the same bytes, decoding nothing.
func BenchmarkRawTokens(b *testing.B) {
	body := resultsBody(benchResults)
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		d := xml.NewDecoder(bytes.NewReader(body))
		for {
			_, err := d.Token()
			if err == io.EOF {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*benchResults), "ns/result")
}

// TestStreamAllocsPerResult: the allocations of Stream grow linearly with
// the number of results, a constant amount per result, nothing per
// response that depends on its size.
func TestStreamAllocsPerResult(t *testing.T) {
	allocs := func(n int) float64 {
		inv := fromMemory(resultsBody(n))
		return minAllocs(func() { streamAll(t, inv, n) })
	}
	a1, a2, a4 := allocs(1000), allocs(2000), allocs(4000)
	perResult := (a4 - a2) / 2000
	if d := (a2 - a1) / 1000; d < perResult-0.01 || d > perResult+0.01 {
		t.Errorf("allocations per result: %.3f from 1000 to 2000 results, %.3f from 2000 to 4000", d, perResult)
	}
	t.Logf("%.2f allocations per result", perResult)
}

// minAllocs returns the fewest allocations f made in a few runs. Unlike
// testing.AllocsPerRun's average, it ignores a run that rebuilt a pooled
// decoder, which the race detector makes happen at random (sync.Pool drops
// items on purpose under it).
func minAllocs(f func()) float64 {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	f() // warm up
	best := uint64(math.MaxUint64)
	var ms runtime.MemStats
	for range 7 {
		runtime.ReadMemStats(&ms)
		before := ms.Mallocs
		f()
		runtime.ReadMemStats(&ms)
		best = min(best, ms.Mallocs-before)
	}
	return float64(best)
}

// benchServer answers every request with a small customer/get response.
func benchServer(b *testing.B) *httptest.Server {
	resp := []byte(okGet)
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, err := io.Copy(io.Discard, r.Body); err != nil {
			b.Error(err)
		}
		w.Header().Set("Content-Type", "text/xml")
		w.Write(resp)
	}))
}

type benchGet struct {
	Filter struct {
		ID int `xml:"id"`
	} `xml:"filter"`
	Dataset struct {
		GenInfo Empty `xml:"gen_info"`
	} `xml:"dataset"`
}

func benchOp() *Op {
	req := &benchGet{}
	req.Filter.ID = 1
	return &Op{Operator: "customer", Operation: "get", Request: req}
}

// BenchmarkCallOverhead sends one small operation through the client to a
// loopback server. Compare with BenchmarkRawPost, a bare net/http POST of
// the same bytes to the same kind of server.
func BenchmarkCallOverhead(b *testing.B) {
	srv := benchServer(b)
	defer srv.Close()
	c, err := NewClient(srv.URL, WithLogin(testLogin, testPassword))
	if err != nil {
		b.Fatal(err)
	}
	op := benchOp()
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		res, err := Do[benchResult](ctx, c, "1.6.9.1", op)
		if err != nil || len(res) != 1 {
			b.Fatal(res, err)
		}
	}
}

// BenchmarkRawPost is the floor for BenchmarkCallOverhead: the packet the
// client would send, posted with net/http and read back whole.
func BenchmarkRawPost(b *testing.B) {
	srv := benchServer(b)
	defer srv.Close()
	var packet bytes.Buffer
	if err := EncodeRequest(&packet, "1.6.9.1", benchOp()); err != nil {
		b.Fatal(err)
	}
	hc := &http.Client{Transport: http.DefaultTransport.(*http.Transport).Clone()}
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, srv.URL+DefaultPath, bytes.NewReader(packet.Bytes()))
		if err != nil {
			b.Fatal(err)
		}
		req.Header["Content-Type"] = []string{"text/xml; charset=UTF-8"}
		req.Header["HTTP_AUTH_LOGIN"] = []string{testLogin}
		req.Header["HTTP_AUTH_PASSWD"] = []string{testPassword}
		resp, err := hc.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil || resp.StatusCode != http.StatusOK || len(body) == 0 {
			b.Fatal(resp.Status, err)
		}
	}
}

// resultsReader produces a webspace/get response of n results on the fly,
// so the whole body never exists in memory.
type resultsReader struct {
	n, i          int
	buf           bytes.Buffer
	started, done bool
}

func (r *resultsReader) Read(p []byte) (int, error) {
	if !r.started {
		r.buf.WriteString("<packet version=\"1.6.9.1\"><webspace><get>\n")
		r.started = true
	}
	for r.buf.Len() < len(p) && !r.done {
		if r.i < r.n {
			fmt.Fprintf(&r.buf, `<result><status>ok</status><filter-id>%d</filter-id><id>%d</id><data><gen_info>`+
				`<name>site%d.example.com</name></gen_info></data></result>`+"\n", r.i, r.i, r.i)
			r.i++
		} else {
			r.buf.WriteString("</get></webspace></packet>\n")
			r.done = true
		}
	}
	if r.buf.Len() == 0 {
		return 0, io.EOF
	}
	return r.buf.Read(p)
}

// TestStreamBoundedMemory streams 100,000 results (about 15 MB of XML)
// and checks that the live heap does not grow with them.
func TestStreamBoundedMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("streams 100,000 results")
	}
	const n = 100000
	inv := InvokerFunc(func(ctx context.Context, version string, ops ...*Op) error {
		return DecodeResponse(&resultsReader{n: n}, ops...)
	})
	live := func() uint64 {
		var ms runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&ms)
		return ms.HeapAlloc
	}
	var early, late uint64
	i := 0
	for _, err := range Stream[benchResult](context.Background(), inv, "", &Op{Operator: "webspace", Operation: "get", ReadOnly: true}) {
		if err != nil {
			t.Fatal(err)
		}
		switch i++; i {
		case 1000:
			early = live()
		case n - 1000:
			late = live()
		}
	}
	if i != n {
		t.Fatalf("%d results, want %d", i, n)
	}
	if late > early+2<<20 {
		t.Errorf("live heap grew from %d to %d bytes while streaming", early, late)
	}
	t.Logf("live heap %d KiB after 1,000 results, %d KiB after %d", early>>10, late>>10, n-1000)
}
