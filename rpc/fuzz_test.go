package rpc

import (
	"bufio"
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"github.com/pleskgo/plesk/rpc/internal/xmlstruct"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/pleskgo/plesk/internal/sharedtest"
)

// fuzzResult is shaped like a generated result type: pointers for
// optional scalars, a nested struct, Unknown and UnknownAttrs, and an
// UnmarshalXML through xmlstruct.Unmarshal.
type fuzzResult struct {
	Status       string     `xml:"status"`
	ErrCode      *int       `xml:"errcode"`
	ErrText      *string    `xml:"errtext"`
	FilterID     *string    `xml:"filter-id"`
	ID           *int64     `xml:"id"`
	Data         *fuzzData  `xml:"data"`
	Unknown      []Raw      `xml:",any"`
	UnknownAttrs []xml.Attr `xml:",any,attr"`
}

func (v *fuzzResult) UnmarshalXML(d *xml.Decoder, start xml.StartElement) error {
	return xmlstruct.Unmarshal(d, start, v)
}

type fuzzData struct {
	GenInfo *fuzzGenInfo `xml:"gen_info"`
	Values  []float64    `xml:"value"`
	Unknown []Raw        `xml:",any"`
}

func (v *fuzzData) UnmarshalXML(d *xml.Decoder, start xml.StartElement) error {
	return xmlstruct.Unmarshal(d, start, v)
}

type fuzzGenInfo struct {
	Name    *string `xml:"name"`
	Status  *int    `xml:"status"`
	Size    *uint64 `xml:"real_size"`
	Flag    *Empty  `xml:"locked"`
	Unknown []Raw   `xml:",any"`
}

func (v *fuzzGenInfo) UnmarshalXML(d *xml.Decoder, start xml.StartElement) error {
	return xmlstruct.Unmarshal(d, start, v)
}

// sampleFile is one packet of ../shared/plesk-samples.
type sampleFile struct {
	file, operator, operation, kind string
	data                            []byte
}

// readSampleFiles returns every sample INDEX.tsv lists (kind "request" or
// "response", or both for ""), or nothing when ../shared is absent.
func readSampleFiles(tb testing.TB, kind string) []sampleFile {
	tb.Helper()
	dir, ok := sharedtest.Find(tb, "plesk-samples")
	if !ok {
		return nil
	}
	index, err := os.ReadFile(filepath.Join(dir, "INDEX.tsv"))
	if err != nil {
		tb.Fatal(err)
	}
	var out []sampleFile
	sc := bufio.NewScanner(bytes.NewReader(index))
	for first := true; sc.Scan(); first = false {
		cols := strings.Split(sc.Text(), "\t")
		if first || len(cols) < 4 || kind != "" && cols[3] != kind {
			continue
		}
		data, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(cols[0])))
		if err != nil {
			tb.Fatal(err)
		}
		out = append(out, sampleFile{file: cols[0], operator: cols[1], operation: cols[2], kind: cols[3], data: data})
	}
	if err := sc.Err(); err != nil {
		tb.Fatal(err)
	}
	if len(out) == 0 {
		tb.Fatalf("%s/INDEX.tsv lists no %s sample", dir, kind)
	}
	return out
}

var seedPacket = regexp.MustCompile(`(?s)<packet[ >].*?</packet>`)

// textSeeds returns the packets quoted in ../shared/seeds, the documentation
// pages the samples came from.
func textSeeds(tb testing.TB) [][]byte {
	dir, ok := sharedtest.Find(tb, "seeds")
	if !ok {
		return nil
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.txt"))
	var out [][]byte
	for _, p := range files {
		data, err := os.ReadFile(p)
		if err != nil {
			tb.Fatal(err)
		}
		out = append(out, seedPacket.FindAll(data, -1)...)
	}
	return out
}

// fuzzBodies are hand-written seeds: every shape of answer and failure.
var fuzzBodies = []string{
	okGet,
	`<packet><customer><get><result><status>error</status><errcode>1013</errcode><errtext>Client does not exist</errtext><filter-id>7</filter-id></result></get></customer></packet>`,
	`<packet><customer><get><result><status>ok</status><filter-id>7</filter-id></result></get></customer></packet>`,
	`<packet><customer><get/></customer></packet>`,
	`<packet version="1.6.9.1"><system><status>error</status><errcode>1001</errcode><errtext>Authentication failed</errtext></system></packet>`,
	`<packet><customer><get><result><status>ok</status><id>x</id><id>2</id><data><gen_info><status>n</status><real_size>-1</real_size><locked/></gen_info><value>1e400</value></data><extra a="b">t</extra></result></get></customer></packet>`,
	`<?xml version="1.0" encoding="UTF-8"?><packet><customer><get><result><status>ok</status><id>1</id></result><result><status>ok</status><id>2</id></result></get></customer><webspace><get><result/></get></webspace></packet>`,
	`<packet xmlns:p="urn:p"><p:customer><get><result xmlns="urn:x"><status>ok</status></result></get></p:customer></packet>`,
	`<!DOCTYPE packet [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]><packet>&b;</packet>`,
	"<packet><customer><get><result><status>\xff\xfe</status></result></get></customer></packet>",
	`<html><head><title>502 Bad Gateway</title></head></html>`,
	"\ufeff <packet><customer><get><![CDATA[x]]><!-- c --><?pi x?></get></customer></packet>",
	"",
	"<",
}

// FuzzDecodeResponse decodes arbitrary bodies as the answer to an
// operation named by the fuzzer, with Do and with Stream. Neither may
// panic; every error must be of a documented kind; Stream must report
// exactly what Do reports; and the pooled decoder must be as good as new
// for the next response, whatever the last one did to it.
func FuzzDecodeResponse(f *testing.F) {
	for _, s := range readSampleFiles(f, "response") {
		f.Add(s.data, s.operator, s.operation)
	}
	for _, s := range textSeeds(f) {
		f.Add(s, "webspace", "get")
	}
	for _, b := range fuzzBodies {
		f.Add([]byte(b), "customer", "get")
	}
	f.Add([]byte(`<packet><webspace><db-servers><list><result><status>ok</status></result></list></db-servers></webspace></packet>`), "webspace", "db-servers/list")

	f.Fuzz(func(t *testing.T, body []byte, operator, operation string) {
		// A hand-made op counts as changing state, where a nil request is
		// refused: Empty{} sends the operation without content.
		op := &Op{Operator: operator, Operation: operation, Request: Empty{}}
		inv := InvokerFunc(func(ctx context.Context, version string, ops ...*Op) error {
			return DecodeResponse(bytes.NewReader(body), ops...)
		})
		ctx := context.Background()
		res, err := Do[fuzzResult](ctx, inv, "", op)
		checkDocumentedErrors(t, err)

		var streamed []fuzzResult
		var streamErrs []string
		for r, err := range Stream[fuzzResult](ctx, inv, "", op) {
			if err != nil {
				checkDocumentedErrors(t, err)
				streamErrs = append(streamErrs, err.Error())
			}
			streamed = append(streamed, r)
		}
		if diff := cmp.Diff(resultKeys(res), resultKeys(streamed)); diff != "" {
			t.Errorf("Stream yields other results than Do (-Do +Stream):\n%s", diff)
		}
		doErr := ""
		if err != nil {
			doErr = err.Error()
		}
		if got := strings.Join(streamErrs, "\n"); got != doErr {
			t.Errorf("Stream reports other errors than Do:\nDo:     %q\nStream: %q", doErr, got)
		}

		// The next response decodes as if the decoder were new.
		got, err := Do[item](ctx, canned(okGet), "", getOp())
		if err != nil || len(got) != 1 || got[0].Name != "one" {
			t.Fatalf("after this body, a good response decodes to %+v, %v", got, err)
		}
	})
}

// isZeroResult reports a zero result: what Stream yields beside an error
// that is not a result's own (no match, a failed packet).
func isZeroResult(r fuzzResult) bool {
	return r.Status == "" && r.ErrCode == nil && r.ErrText == nil && r.FilterID == nil && r.ID == nil &&
		r.Data == nil && r.Unknown == nil && r.UnknownAttrs == nil
}

// resultKeys sums up results for comparison.
func resultKeys(rs []fuzzResult) []string {
	var out []string
	for _, r := range rs {
		if isZeroResult(r) {
			continue
		}
		out = append(out, fmt.Sprintf("%q %v %d unknown", r.Status, r.ID != nil, len(r.Unknown)))
	}
	return out
}

// checkDocumentedErrors fails t unless every error joined in err is one the
// package documents: *TransportError of a known kind, *Error, *DecodeError,
// or the error of an invoker that did not answer.
func checkDocumentedErrors(t *testing.T, err error) {
	t.Helper()
	if err == nil {
		return
	}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		for _, e := range j.Unwrap() {
			checkDocumentedErrors(t, e)
		}
		return
	}
	if err.Error() == "" {
		t.Errorf("error %#v has an empty message", err)
	}
	var te *TransportError
	var pe *Error
	var de *DecodeError
	switch {
	case errors.As(err, &te):
		n := 0
		for _, k := range []error{ErrHTTPStatus, ErrNotXML, ErrUnexpectedResponse, ErrTruncated, ErrTooLarge, ErrConnection} {
			if errors.Is(err, k) {
				n++
			}
		}
		if n != 1 || !errors.Is(err, ErrTransport) {
			t.Errorf("transport error %q is of %d kinds", err, n)
		}
		if te.Detail == "" {
			t.Errorf("transport error %q has no detail", err)
		}
	case errors.As(err, &pe), errors.As(err, &de):
	case errors.As(err, new(*ValidationError)):
		if !errors.Is(err, ErrInvalidRequest) {
			t.Errorf("validation error %q is not ErrInvalidRequest", err)
		}
	case strings.HasPrefix(err.Error(), "rpc: the invoker did not answer"):
	default:
		t.Errorf("undocumented error %q (%T)", err, err)
	}
}

// fuzzTransport answers every request with the fuzzer's status, content
// type and body.
func fuzzTransport(status int, contentType string, body []byte) http.RoundTripper {
	return roundTripFunc(func(r *http.Request) (*http.Response, error) {
		io.Copy(io.Discard, r.Body)
		r.Body.Close()
		h := http.Header{}
		h.Set("Content-Type", contentType)
		return &http.Response{StatusCode: status, Status: fmt.Sprintf("%d X", status), Header: h,
			Body: io.NopCloser(bytes.NewReader(body)), ContentLength: -1, Request: r}, nil
	})
}

// FuzzClientResponse sends an operation through a Client whose transport
// answers with arbitrary bytes, status and content type: the path a real
// response takes, with the sniffing of HTML and text, the size limit,
// packet logging and the scrubbing of secrets. Nothing may panic, every
// error must be of a documented kind, and neither the error nor any log
// line may show the client's password or key, however the body quotes it.
func FuzzClientResponse(f *testing.F) {
	for _, s := range readSampleFiles(f, "response") {
		f.Add(s.data, 200, "text/xml", false)
	}
	for _, b := range fuzzBodies {
		f.Add([]byte(b), 200, "text/xml", false)
	}
	for _, secret := range []string{testPassword, testKey} {
		var esc bytes.Buffer
		xml.EscapeText(&esc, []byte(secret))
		e := esc.String()
		f.Add([]byte(`<packet><system><status>error</status><errcode>1001</errcode><errtext>bad `+e+`</errtext></system></packet>`), 200, "text/xml", secret == testKey)
		f.Add([]byte(`<packet><customer><get><result><status>error</status><errcode>1014</errcode><errtext>'`+e+`' is invalid</errtext></result></get></customer></packet>`), 200, "text/xml", secret == testKey)
		f.Add([]byte(`<packet><customer><get><result><status>ok</status><id>`+e+`</id></result></get></customer></packet>`), 200, "text/xml", secret == testKey)
		f.Add([]byte(`<html><title>`+secret+`</title></html>`), 502, "text/html", secret == testKey)
		f.Add([]byte("Fatal error for "+secret), 200, "text/plain", secret == testKey)
		f.Add([]byte(`<error>`+e+`</error>`), 200, "text/xml", secret == testKey)
	}

	f.Fuzz(func(t *testing.T, body []byte, status int, contentType string, useKey bool) {
		if status < 100 || status > 999 {
			status = 200
		}
		auth, secret := WithLogin(testLogin, testPassword), testPassword
		if useKey {
			auth, secret = WithSecretKey(testKey), testKey
		}
		var logs bytes.Buffer
		c, err := NewClient("plesk.example.com", auth, WithMaxResponseSize(4<<10),
			WithHTTPClient(&http.Client{Transport: fuzzTransport(status, contentType, body)}),
			WithLogger(debugLogger(&logs)), WithPacketLogging())
		if err != nil {
			t.Fatal(err)
		}
		_, err = Do[fuzzResult](context.Background(), c, "1.6.9.1", getOp())
		checkDocumentedErrors(t, err)
		var texts []string
		if err != nil {
			texts = append(texts, err.Error(), fmt.Sprintf("%#v", err))
		}
		if _, err := c.Post(context.Background(), []byte("<packet/>")); err != nil {
			texts = append(texts, err.Error())
		}
		texts = append(texts, strings.Split(logs.String(), "\n")...)
		for _, s := range texts {
			if strings.Contains(s, secret) {
				t.Fatalf("%q shows the secret %q", s, secret)
			}
		}
	})
}
