package rpc

import (
	"bytes"
	"context"
	"errors"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/pleskgo/plesk/internal/sharedtest"
)

// allFilter is a filter whose fields are all optional, as Plesk's are.
type allFilter struct {
	ID    []int   `xml:"id"`
	Login *string `xml:"login"`
}

type allReq struct {
	Filter  allFilter `xml:"filter"`
	Dataset struct {
		GenInfo *struct{} `xml:"gen_info"`
	} `xml:"dataset"`
}

// rawFilterReq writes its filter as given, to reach the shapes a Go zero
// value cannot: whitespace, a text value.
type rawFilterReq struct {
	Filter struct {
		Inner string `xml:",innerxml"`
	} `xml:"filter"`
}

var emptyFilterRE = regexp.MustCompile(`<get><filter>\s*</filter>`)

// The ways Plesk says an operation found nothing.
var nothingFound = map[string]string{
	"no result":         ``,
	"ok with filter-id": `<result><status>ok</status><filter-id>x</filter-id></result>`,
	"1013":              `<result><status>error</status><errcode>1013</errcode><errtext>Object not found.</errtext></result>`,
	"1013 with id":      `<result><status>error</status><errcode>1013</errcode><errtext>Object not found.</errtext><id>1234</id></result>`,
}

// answering returns an invoker that records the request packet and answers
// every op with body inside its operation element.
func answering(body string, sent *bytes.Buffer) Invoker {
	return InvokerFunc(func(ctx context.Context, version string, ops ...*Op) error {
		sent.Reset()
		if err := EncodeRequest(sent, version, ops...); err != nil {
			return err
		}
		var b strings.Builder
		b.WriteString("<packet>")
		for _, op := range ops {
			b.WriteString("<" + op.Operator + "><" + op.Operation + ">" + body + "</" + op.Operation + "></" + op.Operator + ">")
		}
		b.WriteString("</packet>")
		return DecodeResponse(strings.NewReader(b.String()), ops...)
	})
}

// TestEmptyIsEmpty: a read whose filter means all (an encoded <filter> with
// no child element, whatever Go value wrote it) that finds nothing, told in
// any of Plesk's ways, gives an empty slice and no error through Do and
// Batch, and nothing through Stream. The same answers to a filter that
// names objects, or to an operation that changes state, stay errors.
func TestEmptyIsEmpty(t *testing.T) {
	login := "nobody"
	means := map[string]any{
		"zero filter": &allReq{},
		"empty slice": &allReq{Filter: allFilter{ID: []int{}}},
		"whitespace filter": &rawFilterReq{Filter: struct {
			Inner string `xml:",innerxml"`
		}{"\n  "}},
	}
	names := map[string]any{
		"login": &allReq{Filter: allFilter{Login: &login}},
		"id":    &allReq{Filter: allFilter{ID: []int{7}}},
		"text filter": &rawFilterReq{Filter: struct {
			Inner string `xml:",innerxml"`
		}{"7"}},
		"no filter": nil,
	}
	ctx := context.Background()
	var sent bytes.Buffer
	for how, body := range nothingFound {
		inv := answering(body, &sent)
		for name, req := range means {
			op := &Op{Operator: "customer", Operation: "get", Request: req, ReadOnly: true}
			got, err := Do[Result](ctx, inv, "1.6.9.1", op)
			if err != nil || got == nil || len(got) != 0 {
				t.Errorf("%s, %s: Do = %#v, %v; want an empty slice and nil", how, name, got, err)
			}
			if !emptyFilterRE.MatchString(sent.String()) {
				t.Errorf("%s: the packet sent does not hold an empty filter: %s", name, sent.String())
			}
			for _, err := range Stream[Result](ctx, inv, "1.6.9.1", op) {
				t.Errorf("%s, %s: Stream yielded %v", how, name, err)
			}
			b := NewBatch(inv, "1.6.9.1")
			p := Add[Result](b, op)
			if err := b.Send(ctx); err != nil {
				t.Fatal(err)
			}
			if got, err := p.Results(); err != nil || got == nil || len(got) != 0 {
				t.Errorf("%s, %s: Batch = %#v, %v; want an empty slice and nil", how, name, got, err)
			}
			// The same filter on an operation that changes state is no
			// listing: it is refused before sending, or finding nothing
			// stays an error.
			del := &Op{Operator: "customer", Operation: "del", Request: req}
			if _, err := Do[Result](ctx, inv, "1.6.9.1", del); err == nil {
				t.Errorf("%s, %s: customer/del found nothing without an error", how, name)
			}
		}
		for name, req := range names {
			op := &Op{Operator: "customer", Operation: "get", Request: req, ReadOnly: true}
			want := ErrNoMatch
			if strings.HasPrefix(how, "1013") {
				want = ErrNotFound
			}
			got, err := Do[Result](ctx, inv, "1.6.9.1", op)
			if !errors.Is(err, want) || len(got) > 1 {
				t.Errorf("%s, %s: Do = %v, %v; want %v", how, name, got, err, want)
			}
			n := 0
			for _, err := range Stream[Result](ctx, inv, "1.6.9.1", op) {
				n++
				if !errors.Is(err, want) {
					t.Errorf("%s, %s: Stream yielded %v; want %v", how, name, err, want)
				}
			}
			if n != 1 {
				t.Errorf("%s, %s: Stream yielded %d items, want 1", how, name, n)
			}
		}
	}
}

// TestEmptyIsEmptyOverHTTP answers over HTTP with Plesk's own 1013 answer
// to a db_server/get (a published sample): a listing of all database
// servers gets an empty slice and nil, a get by id ErrNotFound.
func TestEmptyIsEmptyOverHTTP(t *testing.T) {
	sample, err := os.ReadFile(filepath.Join(sharedtest.Dir(t, "plesk-samples"), "db_server", "get__response__by-id-not-found.xml"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(sample, []byte("<errcode>1013</errcode>")) {
		t.Fatalf("the sample is no longer a 1013 answer:\n%s", sample)
	}
	srv := httptest.NewServer(pleskHandler(t, string(sample)))
	defer srv.Close()
	c := mustClient(t, srv.URL, WithLogin(testLogin, testPassword))
	ctx := context.Background()

	all := &Op{Operator: "db_server", Operation: "get", Request: &allReq{}, ReadOnly: true}
	got, err := Do[Result](ctx, c, "1.6.9.1", all)
	if err != nil || got == nil || len(got) != 0 {
		t.Errorf("all database servers: %#v, %v; want an empty slice and nil", got, err)
	}
	for _, err := range Stream[Result](ctx, c, "1.6.9.1", all) {
		t.Errorf("all database servers: Stream yielded %v", err)
	}

	one := &Op{Operator: "db_server", Operation: "get", Request: &allReq{Filter: allFilter{ID: []int{1}}}, ReadOnly: true}
	_, err = Do[Result](ctx, c, "1.6.9.1", one)
	var pe *Error
	if !errors.Is(err, ErrNotFound) || !errors.As(err, &pe) || pe.Code != 1013 {
		t.Errorf("database server 1: %v; want error 1013", err)
	}
}
