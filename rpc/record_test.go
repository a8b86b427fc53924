package rpc

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
)

// TestRecorderRedactsAndRoundTrips records a call whose request and
// response carry third-party secrets, against a server that also echoes
// the client's key outside any secret element: the recording reads back
// with ReadRecording, keeps the packets otherwise as sent, and holds no
// secret.
func TestRecorderRedactsAndRoundTrips(t *testing.T) {
	const thirdParty = "customer-pass-Xy9!"
	var echoKey atomic.Bool
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !authorized(r) {
			t.Errorf("unauthorized request")
		}
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "text/xml")
		if echoKey.Load() {
			fmt.Fprintf(w, `<packet><customer><get><result><status>ok</status><id>7</id><data><gen_info><pname>%s</pname></gen_info></data></result></get></customer></packet>`, testKey)
			return
		}
		fmt.Fprintf(w, `<packet><customer><get><result><status>ok</status><id>7</id><data><gen_info><password>%s</password></gen_info></data></result></get></customer></packet>`, thirdParty)
	}))
	defer srv.Close()

	var rec bytes.Buffer
	c := mustClient(t, srv.URL, WithSecretKey(testKey), WithRecorder(&rec))
	req := []byte(`<?xml version="1.0" encoding="UTF-8"?>` + "\n" + `<packet version="1.6.9.1"><customer><add><gen_info><login>jdoe</login><passwd>` + thirdParty + `</passwd></gen_info></add></customer></packet>`)
	if _, err := c.Post(t.Context(), req); err != nil {
		t.Fatal(err)
	}
	echoKey.Store(true)
	if _, err := c.Post(t.Context(), req); err != nil {
		t.Fatal(err)
	}

	text := rec.String()
	if !strings.HasPrefix(text, RecordingHeader+"\n") || strings.Count(text, RecordingHeader) != 1 {
		t.Errorf("recording does not start with one header:\n%s", text)
	}
	for _, secret := range []string{thirdParty, testKey} {
		if strings.Contains(text, secret) {
			t.Errorf("the recording holds %q:\n%s", secret, text)
		}
	}
	ex, err := ReadRecording(strings.NewReader(text))
	if err != nil {
		t.Fatal(err)
	}
	if len(ex) != 2 {
		t.Fatalf("%d exchanges, want 2", len(ex))
	}
	if ex[0].Status != 200 || !strings.Contains(string(ex[0].Request), "<passwd>[REDACTED]</passwd>") ||
		!strings.Contains(string(ex[0].Response), "<password>[REDACTED]</password>") {
		t.Errorf("first exchange: %+v", ex[0])
	}
	if string(ex[1].Response) != withheldPacket {
		t.Errorf("an echoed key was not withheld: %q", ex[1].Response)
	}
	// The request as sent and as recorded have the same key.
	if RequestKey(req) != RequestKey(ex[0].Request) {
		t.Errorf("keys differ:\n%s\n%s", RequestKey(req), RequestKey(ex[0].Request))
	}
}

// TestRecordingFormatRoundTrip writes exchanges of arbitrary bytes (line
// breaks, quotes, invalid UTF-8, the header itself) through the recorder
// and reads them back unchanged: one packet is always one line.
func TestRecordingFormatRoundTrip(t *testing.T) {
	seed := rand.Uint64()
	rng := rand.New(rand.NewPCG(seed, 1))
	alphabet := []byte("ab<>/\"'\\\n\r\t \x00\xff" + RecordingHeader)
	randBytes := func() []byte {
		b := make([]byte, rng.IntN(200))
		for i := range b {
			b[i] = alphabet[rng.IntN(len(alphabet))]
		}
		return b
	}
	var buf bytes.Buffer
	r := &recorder{w: &buf, holds: func(string) bool { return false }}
	var want []Exchange
	for range 50 {
		// Text without tags passes the redaction unchanged.
		e := Exchange{Request: bytes.ReplaceAll(randBytes(), []byte("<"), []byte("(")), Status: 100 + rng.IntN(500),
			Response: bytes.ReplaceAll(randBytes(), []byte("<"), []byte("("))}
		if err := r.record(e.Request, e.Status, e.Response); err != nil {
			t.Fatal(err)
		}
		want = append(want, e)
	}
	got, err := ReadRecording(&buf)
	if err != nil {
		t.Fatalf("seed %d: %v", seed, err)
	}
	if len(got) != len(want) {
		t.Fatalf("seed %d: %d exchanges, want %d", seed, len(got), len(want))
	}
	for i := range want {
		// The redaction reads text leniently; compare with what it makes.
		wr, wp := string(redactXML(want[i].Request)), string(redactXML(want[i].Response))
		if string(got[i].Request) != wr || string(got[i].Response) != wp || got[i].Status != want[i].Status {
			t.Fatalf("seed %d: exchange %d differs:\n got %+q\nwant %+q", seed, i, got[i], want[i])
		}
	}
}

// TestReadRecordingErrors: a recording that does not parse is refused
// with the line that is wrong.
func TestReadRecordingErrors(t *testing.T) {
	h := RecordingHeader + "\n"
	tests := []struct{ name, text, want string }{
		{"empty", "", "empty"},
		{"no header", "request \"x\"\n", "line 1"},
		{"another version", "pleskgo-recording v2\n", "line 1"},
		{"unknown keyword", h + "# a comment\n\nanswer 200 \"x\"\n", "line 4: unknown keyword"},
		{"unquoted request", h + "request <packet/>\n", "line 2"},
		{"two requests", h + "request \"a\"\nrequest \"b\"\n", "line 3"},
		{"response first", h + "response 200 \"x\"\n", "line 2: a response without a request"},
		{"bad status", h + "request \"a\"\nresponse ok \"x\"\n", "line 3"},
		{"dangling request", h + "request \"a\"\n", "without its response"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ReadRecording(strings.NewReader(tt.text))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want one saying %q", err, tt.want)
			}
		})
	}
	if _, err := ReadRecording(strings.NewReader(h + "# only comments\n")); err != nil {
		t.Errorf("a recording of no exchange: %v", err)
	}
}

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

// TestRecorderWriteFailure: a recording that cannot be written fails the
// call with a transport error rather than lose an exchange unseen.
func TestRecorderWriteFailure(t *testing.T) {
	srv := httptest.NewServer(pleskHandler(t, `<packet><customer><get><result><status>ok</status></result></get></customer></packet>`))
	defer srv.Close()
	c := mustClient(t, srv.URL, WithLogin(testLogin, testPassword), WithRecorder(failingWriter{}))
	_, err := c.Post(t.Context(), []byte(`<packet><customer><get/></customer></packet>`))
	var te *TransportError
	if !errors.As(err, &te) || !strings.Contains(err.Error(), "recording") {
		t.Errorf("err = %v, want a transport error about the recording", err)
	}
	if _, err := NewClient(srv.URL, WithLogin(testLogin, testPassword), WithRecorder(nil)); err == nil {
		t.Error("WithRecorder(nil) accepted")
	}
}
