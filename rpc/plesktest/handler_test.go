package plesktest_test

import (
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/pleskgo/plesk/generated/plesk1691"
	"github.com/pleskgo/plesk/rpc"
	"github.com/pleskgo/plesk/rpc/plesktest"
	"github.com/pleskgo/plesk/rpc/plesktest/internal/dnsdemo"
)

// dnsFake serves dns add_rec and del_rec through typed handlers and keeps
// the requests it decoded.
type dnsFake struct {
	mu      sync.Mutex
	added   []dnsdemo.DNSAddRec
	deleted []dnsdemo.DNSDelRec
}

func newDNSFake(t *testing.T, opts ...plesktest.Option) (*plesktest.Server, *dnsFake) {
	t.Helper()
	srv := plesktest.NewTLSServer(opts...)
	t.Cleanup(srv.Close)
	f := &dnsFake{}
	plesktest.Handle(srv, "dns", "add_rec", func(ctx context.Context, req *dnsdemo.DNSAddRec) ([]dnsdemo.DNSAddRecResult, error) {
		if ctx == nil {
			return nil, errors.New("no context")
		}
		f.mu.Lock()
		defer f.mu.Unlock()
		switch req.SiteID {
		case 1, 2:
		case 500:
			return nil, errors.New("the zone is locked")
		default:
			return nil, plesktest.Errorf(1015, "Site does not exist")
		}
		f.added = append(f.added, *req)
		return []dnsdemo.DNSAddRecResult{{Status: dnsdemo.ResultStatusOK, ID: rpc.Ptr(int64(len(f.added)))}}, nil
	})
	plesktest.Handle(srv, "dns", "del_rec", func(ctx context.Context, req *dnsdemo.DNSDelRec) ([]dnsdemo.DNSAddRecResult, error) {
		f.mu.Lock()
		defer f.mu.Unlock()
		f.deleted = append(f.deleted, *req)
		var res []dnsdemo.DNSAddRecResult
		var errs []error
		for _, id := range req.Filter.ID {
			if id > int64(len(f.added)) {
				errs = append(errs, plesktest.Errorf(1013, "Record %d does not exist", id))
				continue
			}
			res = append(res, dnsdemo.DNSAddRecResult{Status: dnsdemo.ResultStatusOK, ID: rpc.Ptr(id)})
		}
		return res, errors.Join(errs...)
	})
	return srv, f
}

func dnsClient(t *testing.T, srv *plesktest.Server, opts ...rpc.Option) *rpc.Client {
	t.Helper()
	c, err := rpc.NewClient(srv.URL, append([]rpc.Option{
		rpc.WithLogin(plesktest.AdminLogin, plesktest.DefaultAdminPassword),
		rpc.WithRootCAs(srv.CertPool())}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestHandleTyped serves an operator outside ours over HTTPS: the handler
// sees the request as sent, its result comes back typed, and its error
// code reaches the caller as an *rpc.Error.
func TestHandleTyped(t *testing.T) {
	srv, f := newDNSFake(t)
	api := dnsdemo.New(dnsClient(t, srv))
	ctx := context.Background()

	res, err := api.DNS.AddRec(ctx, &dnsdemo.DNSAddRec{SiteID: 2, Type: dnsdemo.RecordTypeMX, Host: "", Value: "mail.example.com.", Opt: rpc.Ptr("10")})
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != 1 || res[0].Status != dnsdemo.ResultStatusOK || res[0].ID == nil || *res[0].ID != 1 {
		t.Fatalf("results %+v", res)
	}
	f.mu.Lock()
	got := f.added
	f.mu.Unlock()
	if len(got) != 1 || got[0].SiteID != 2 || got[0].Type != dnsdemo.RecordTypeMX || got[0].Host != "" ||
		got[0].Value != "mail.example.com." || got[0].Opt == nil || *got[0].Opt != "10" {
		t.Fatalf("the handler decoded %+v", got)
	}

	_, err = api.DNS.AddRec(ctx, &dnsdemo.DNSAddRec{SiteID: 9, Type: dnsdemo.RecordTypeA, Host: "www", Value: "192.0.2.1"})
	var perr *rpc.Error
	if !errors.As(err, &perr) || perr.Code != 1015 || perr.Text != "Site does not exist" || perr.Operator != "dns" || perr.Operation != "add_rec" {
		t.Fatalf("error %v (%+v), want dns/add_rec 1015", err, perr)
	}

	_, err = api.DNS.AddRec(ctx, &dnsdemo.DNSAddRec{SiteID: 500, Type: dnsdemo.RecordTypeA, Host: "www", Value: "192.0.2.1"})
	if !errors.As(err, &perr) || perr.Code != 1023 || perr.Text != "the zone is locked" {
		t.Fatalf("a plain error: %v, want code 1023 with its text", err)
	}

	// Results, then one error result per joined *Error.
	res, err = api.DNS.DelRec(ctx, &dnsdemo.DNSDelRec{Filter: dnsdemo.DNSDelRecFilter{ID: []int64{1, 7, 8}}})
	if len(res) != 3 || res[0].Status != dnsdemo.ResultStatusOK || *res[0].ID != 1 ||
		res[1].Status != dnsdemo.ResultStatusError || res[1].ErrCode == nil || *res[1].ErrCode != 1013 || res[2].Status != dnsdemo.ResultStatusError {
		t.Fatalf("del_rec results %+v", res)
	}
	if !errors.Is(err, rpc.ErrNotFound) {
		t.Fatalf("del_rec error %v, want ErrNotFound", err)
	}
}

// postRaw sends a hand-written packet and returns the answer.
func postRaw(t *testing.T, c *rpc.Client, packet string) string {
	t.Helper()
	out, err := c.Post(context.Background(), []byte(packet))
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

func TestHandleChecks(t *testing.T) {
	srv, f := newDNSFake(t)
	c := dnsClient(t, srv)
	const rec = `<add_rec><site-id>1</site-id><type>A</type><host>www</host><value>192.0.2.1</value></add_rec>`
	tests := []struct {
		name   string
		client *rpc.Client
		packet string
		want   []string // substrings of the answer
	}{
		{"wrong password", dnsClient(t, srv, rpc.WithLogin(plesktest.AdminLogin, "wrong")),
			`<packet version="1.6.9.1"><dns>` + rec + `</dns></packet>`, []string{"<system>", "<errcode>1001</errcode>"}},
		{"unknown version", c, `<packet version="9.9.9.9"><dns>` + rec + `</dns></packet>`, []string{"<system>", "<errcode>1005</errcode>"}},
		// An operation no handler serves is the fake's own: checked against
		// the version's schema, which wants a filter in get_rec.
		{"an invalid operation without a handler", c, `<packet version="1.6.9.1"><dns>` + rec + `<get_rec/></dns></packet>`,
			[]string{"<system>", "<errcode>1014</errcode>", "Element &#39;get_rec&#39;: Missing child element(s). Expected is ( filter )."}},
		{"an operator the schema does not declare", c, `<packet version="1.6.9.1"><dns>` + rec + `</dns><nosuch><create/></nosuch></packet>`,
			[]string{"<system>", "<errcode>1014</errcode>", "nosuch"}},
		{"a value that does not decode", c, `<packet version="1.6.9.1"><dns><add_rec><site-id>one</site-id><type>A</type><host/><value/></add_rec></dns></packet>`,
			[]string{"<system>", "<errcode>1014</errcode>", "Element &#39;site-id&#39;: &#39;one&#39; is not a valid value of the atomic type."}},
		{"an element the request type does not declare", c, "<packet version=\"1.6.9.1\">\n<dns>\n<add_rec>\n<site-id>1</site-id>\n<ttl>60</ttl>\n<type>A</type><host/><value/></add_rec></dns></packet>",
			[]string{"<system>", "<errcode>1014</errcode>", "Error in line 5: Element &#39;ttl&#39;: This element is not expected."}},
		{"an element missing", c, `<packet version="1.6.9.1"><dns><add_rec><site-id>1</site-id><type>A</type><value/></add_rec></dns></packet>`,
			[]string{"<system>", "<errcode>1014</errcode>", "host"}},
		{"Validate fails", c, `<packet version="1.6.9.1"><dns><add_rec><site-id>1</site-id><type>SRV</type><host/><value/></add_rec></dns></packet>`,
			[]string{"<system>", "<errcode>1014</errcode>", "SRV"}},
		{"an operator nobody declares", c, `<packet version="1.6.9.1"><nosuch><create/></nosuch></packet>`,
			[]string{"<system>", "<errcode>1014</errcode>", "nosuch"}},
		{"an invalid built-in operation next to a handled one", c, `<packet version="1.6.9.1"><dns>` + rec + `</dns><customer><bogus/></customer></packet>`,
			[]string{"<system>", "<errcode>1014</errcode>", "bogus"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := postRaw(t, tt.client, tt.packet)
			for _, w := range tt.want {
				if !strings.Contains(out, w) {
					t.Errorf("answer lacks %q:\n%s", w, out)
				}
			}
		})
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.added) != 0 {
		t.Errorf("a rejected packet ran its operations: %+v", f.added)
	}
}

// TestHandleMixedPacket: a packet with a handled operator and one the fake
// implements gets both answers, in the order of the request.
func TestHandleMixedPacket(t *testing.T) {
	srv, _ := newDNSFake(t)
	srv.AddCustomer(plesktest.Customer{Login: "jdoe", Name: "Jane Doe"})
	c := dnsClient(t, srv)
	out := postRaw(t, c, `<packet version="1.6.9.1">`+
		`<customer><get><filter><login>jdoe</login></filter><dataset><gen_info/></dataset></get></customer>`+
		`<dns><add_rec><site-id>1</site-id><type>A</type><host>www</host><value>192.0.2.1</value></add_rec></dns>`+
		`<customer><get><filter><login>nobody</login></filter><dataset><gen_info/></dataset></get></customer>`+
		`</packet>`)
	i1 := strings.Index(out, "<login>jdoe</login>")
	i2 := strings.Index(out, "<dns><add_rec><result><status>ok</status><id>1</id></result></add_rec></dns>")
	i3 := strings.Index(out, "<errcode>1013</errcode>")
	if i1 < 0 || i2 < i1 || i3 < i2 {
		t.Fatalf("answers missing or out of order (%d, %d, %d):\n%s", i1, i2, i3, out)
	}
	// The customer answers decode with the bindings of the packet's version.
	var p plesk1691.ResponsePacket
	if err := decodeResponse(out, &p); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
}

func TestHandleBadArguments(t *testing.T) {
	srv := plesktest.NewServer()
	defer srv.Close()
	for _, tt := range []struct{ operator, operation string }{{"", "add"}, {"dns", ""}, {"dns", "add rec"}, {"<x>", "add"}} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("Handle(%q, %q) did not panic", tt.operator, tt.operation)
				}
			}()
			plesktest.Handle(srv, tt.operator, tt.operation, func(context.Context, *dnsdemo.DNSAddRec) ([]dnsdemo.DNSAddRecResult, error) { return nil, nil })
		}()
	}
}

func decodeResponse(out string, p *plesk1691.ResponsePacket) error {
	i := strings.Index(out, "<packet")
	if i < 0 {
		return fmt.Errorf("no packet")
	}
	return xml.Unmarshal([]byte(out[i:]), p)
}
