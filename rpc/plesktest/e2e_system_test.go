package plesktest_test

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/pleskgo/plesk/generated/plesk1660"
	"github.com/pleskgo/plesk/generated/plesk1670"
	"github.com/pleskgo/plesk/generated/plesk1680"
	"github.com/pleskgo/plesk/generated/plesk1690"
	"github.com/pleskgo/plesk/generated/plesk1691"
	"github.com/pleskgo/plesk/internal/sharedtest"
	"github.com/pleskgo/plesk/rpc"
	"github.com/pleskgo/plesk/rpc/plesktest"
)

// post sends a hand-written packet with c and decodes the answer.
func post(t *testing.T, c *rpc.Client, packet string) *plesk1691.ResponsePacket {
	t.Helper()
	body, err := c.Post(t.Context(), []byte(packet))
	if err != nil {
		t.Fatalf("post: %v", err)
	}
	var p plesk1691.ResponsePacket
	if err := xml.Unmarshal(body, &p); err != nil {
		t.Fatalf("the answer is not a packet: %v\n%s", err, body)
	}
	return &p
}

// systemError returns the code and text of a packet-level error, 0 if the
// packet has none.
func systemError(p *plesk1691.ResponsePacket) (int, string) {
	if p.System == nil || p.System.Errcode == nil {
		return 0, ""
	}
	return int(*p.System.Errcode), *p.System.Errtext
}

func TestAuthentication(t *testing.T) {
	srv := newTLS(t, plesktest.WithSecretKey("good-key"))
	srv.AddReseller(plesktest.Reseller{Login: "res1", Password: "res-pass"})
	ctx := t.Context()
	get := &plesk1691.CustomerGet{Filter: plesk1691.ClientSelectionFilterType{OwnerLogin: []string{"admin"}}}

	_, err := bindings(t, srv, rpc.WithLogin(plesktest.AdminLogin, "wrong")).Customer.Get(ctx, get)
	wantSystemError(t, err, 1001, rpc.ErrAuth)
	_, err = bindings(t, srv, rpc.WithLogin("res1", "wrong")).Customer.Get(ctx, get)
	wantSystemError(t, err, 1001, rpc.ErrAuth)
	_, err = bindings(t, srv, rpc.WithSecretKey("bad-key")).Customer.Get(ctx, get)
	wantSystemError(t, err, 11003, rpc.ErrAuth)

	for _, opt := range []rpc.Option{
		rpc.WithSecretKey("good-key"),
		rpc.WithLogin(plesktest.AdminLogin, plesktest.DefaultAdminPassword),
		rpc.WithLogin("res1", "res-pass"),
	} {
		// The administrator has no customers: an empty but valid answer.
		_, err := bindings(t, srv, opt).Customer.Get(ctx, get)
		if !errors.Is(err, rpc.ErrNoMatch) {
			t.Errorf("get with valid credentials: %v, want ErrNoMatch", err)
		}
	}

	// No credentials at all (rpc.NewClient refuses that, plain HTTP does not).
	resp, err := srv.Client().Post(srv.Endpoint(), "text/xml", strings.NewReader(`<packet><migration><check/></migration></packet>`))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	var p plesk1691.ResponsePacket
	if err := xml.Unmarshal(body, &p); err != nil {
		t.Fatal(err)
	}
	if code, _ := systemError(&p); code != 1001 {
		t.Errorf("no credentials: system error %d, want 1001", code)
	}

	// Credentials are checked before the version and the schema.
	code, _ := systemError(post(t, dial(t, srv, rpc.WithLogin("admin", "wrong")), `<packet version="9.9"><nonsense/></packet>`))
	if code != 1001 {
		t.Errorf("wrong password and a bad packet: error %d, want 1001 first", code)
	}
}

func TestProtocolVersions(t *testing.T) {
	srv := newTLS(t)
	srv.AddIP(plesktest.IPAddress{Address: "192.0.2.10"})
	srv.AddReseller(plesktest.Reseller{Login: "res1", IPs: []string{"192.0.2.10"}})
	cl := dial(t, srv)
	ctx := t.Context()

	// change-owner through every version package.
	calls := map[string]func(login string) error{
		plesk1660.ProtocolVersion: func(l string) error {
			_, err := plesk1660.New(cl).Customer.ChangeOwner(ctx, &plesk1660.CustomerChangeOwner{
				Filter: plesk1660.ClientSelectionFilterType{Login: []string{l}}, NewOwnerLogin: "res1", IPv4Address: []string{"192.0.2.10"}})
			return err
		},
		plesk1670.ProtocolVersion: func(l string) error {
			_, err := plesk1670.New(cl).Customer.ChangeOwner(ctx, &plesk1670.CustomerChangeOwner{
				Filter: plesk1670.ClientSelectionFilterType{Login: []string{l}}, NewOwnerLogin: "res1", IPv4Address: []string{"192.0.2.10"}})
			return err
		},
		plesk1680.ProtocolVersion: func(l string) error {
			_, err := plesk1680.New(cl).Customer.ChangeOwner(ctx, &plesk1680.CustomerChangeOwner{
				Filter: plesk1680.ClientSelectionFilterType{Login: []string{l}}, NewOwnerLogin: "res1", IPv4Address: []string{"192.0.2.10"}})
			return err
		},
		plesk1690.ProtocolVersion: func(l string) error {
			_, err := plesk1690.New(cl).Customer.ChangeOwner(ctx, &plesk1690.CustomerChangeOwner{
				Filter: plesk1690.ClientSelectionFilterType{Login: []string{l}}, NewOwnerLogin: "res1", IPv4Address: []string{"192.0.2.10"}})
			return err
		},
		plesk1691.ProtocolVersion: func(l string) error {
			_, err := plesk1691.New(cl).Customer.ChangeOwner(ctx, &plesk1691.CustomerChangeOwner{
				Filter: plesk1691.ClientSelectionFilterType{Login: []string{l}}, NewOwnerLogin: "res1", IPv4Address: []string{"192.0.2.10"}})
			return err
		},
	}
	for _, v := range plesktest.Versions() {
		login := "cust-" + strings.ReplaceAll(v, ".", "")
		srv.AddCustomer(plesktest.Customer{Login: login})
		if err := calls[v](login); err != nil {
			t.Errorf("change-owner in %s: %v", v, err)
		}
		if c, _ := srv.Customer(login); c.Owner != "res1" {
			t.Errorf("change-owner in %s did not move the customer", v)
		}
	}

	// The answer carries the version asked for; none or a prefix means the
	// newest.
	for attr, want := range map[string]string{
		` version="1.6.7.0"`: "1.6.7.0",
		``:                   "1.6.9.1",
		` version="1.6"`:     "1.6.9.1",
		` version="1.6.8"`:   "1.6.8.0",
	} {
		p := post(t, cl, `<packet`+attr+`><migration><check/></migration></packet>`)
		if code, text := systemError(p); code != 0 || p.Version == nil || *p.Version != want {
			t.Errorf("packet%s: version %v, system error %d %q; want %s", attr, p.Version, code, text, want)
		}
	}
	p := post(t, cl, `<packet version="1.5.2.0"><migration><check/></migration></packet>`)
	if code, text := systemError(p); code != 1005 || text != "XML API protocol version not supported." {
		t.Errorf("version 1.5.2.0: system error %d %q, want 1005", code, text)
	}

	// A server limited to 1.6.9.1 refuses the older bindings.
	only := newTLS(t, plesktest.WithVersions(plesk1691.ProtocolVersion))
	_, err := plesk1680.New(dial(t, only)).Migration.Check(ctx)
	wantSystemError(t, err, 1005, rpc.ErrUnsupported)
}

// TestSchemaViolation: a request our schema rejects never leaves the
// bindings (Validate), and the same packet sent anyway gets error 1014, as
// from Plesk.
func TestSchemaViolation(t *testing.T) {
	srv := newTLS(t)
	sub := srv.AddSubscription(plesktest.Subscription{Name: "example.com"})
	plan := srv.AddPlan(plesktest.Plan{Name: "Premium"})
	cl := dial(t, srv)
	bad := &plesk1691.WebspaceSwitchSubscription{
		Filter:   plesk1691.DomainFilterType{ID: []int64{sub.ID}},
		PlanGUID: rpc.Ptr(plan.GUID),
		NoPlan:   &rpc.Raw{}, // exactly one of plan-guid, plan-external-id, no-plan
	}

	_, err := plesk1691.New(cl).Webspace.SwitchSubscription(t.Context(), bad)
	if err == nil {
		t.Fatal("the bindings sent a request that breaks the schema")
	}
	var pe *rpc.Error
	if errors.As(err, &pe) {
		t.Errorf("Validate failed with a Plesk error: %v", err)
	}
	if n := srv.Requests(); n != 0 {
		t.Errorf("the server saw %d requests; Validate must stop the packet before the wire", n)
	}

	// The runtime validates too (Do, Stream, Batch): the packet goes out
	// by hand, as a client that does not validate would send it.
	op := &rpc.Op{Operator: "webspace", Operation: "switch-subscription", Request: bad}
	if _, err := rpc.Do[plesk1691.WebspaceSwitchSubscriptionResult](t.Context(), cl, plesk1691.ProtocolVersion, op); !errors.Is(err, rpc.ErrInvalidRequest) {
		t.Fatalf("rpc.Do sent an invalid request, or failed otherwise: %v", err)
	}
	var packet bytes.Buffer
	if err := rpc.EncodeRequest(&packet, plesk1691.ProtocolVersion, op); err != nil {
		t.Fatal(err)
	}
	body, err := cl.Post(t.Context(), packet.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	_, err = rpc.Do[plesk1691.WebspaceSwitchSubscriptionResult](t.Context(), rpc.InvokerFunc(
		func(ctx context.Context, version string, ops ...*rpc.Op) error {
			return rpc.DecodeResponse(bytes.NewReader(body), ops...)
		}), plesk1691.ProtocolVersion, &rpc.Op{Operator: "webspace", Operation: "switch-subscription"})
	pe = wantSystemError(t, err, 1014, rpc.ErrInvalidRequest)
	if !strings.HasPrefix(pe.Text, "Parser error: Request is invalid. Error in line 2: Element 'packet': ") ||
		!strings.Contains(pe.Text, "plan-guid, plan-external-id, no-plan") {
		t.Errorf("errtext %q", pe.Text)
	}
	if s, _ := srv.Subscription(sub.ID); s.PlanGUID != "" {
		t.Error("a rejected packet switched the plan")
	}
}

// TestSchemaViolationTexts sends hand-written packets that break the
// schema in each way libxml reports, and checks Plesk's answer.
func TestSchemaViolationTexts(t *testing.T) {
	srv := newTLS(t)
	cl := dial(t, srv)
	const head = `<packet version="1.6.9.1">` + "\n"
	tests := []struct{ name, packet, text string }{
		{"missing element", head + `<customer><change-owner>
<filter><login>c</login></filter>
<ipV4-address>192.0.2.1</ipV4-address>
</change-owner></customer></packet>`,
			"Error in line 4: Element 'ipV4-address': This element is not expected. Expected is ( new-owner-login )."},
		{"missing last element", head + `<database><assign-to-subscription>
<filter><id>1</id></filter>
</assign-to-subscription></database></packet>`,
			"Error in line 2: Element 'assign-to-subscription': Missing child element(s). Expected is ( webspace-id )."},
		{"out of order", head + `<database><assign-to-subscription>
<webspace-id>2</webspace-id>
<filter><id>1</id></filter>
</assign-to-subscription></database></packet>`,
			"Error in line 3: Element 'webspace-id': This element is not expected. Expected is ( filter )."},
		{"undeclared element", head + `<webspace><switch-subscription>
<filter><id>5</id></filter>
<plan-name>Premium</plan-name>
</switch-subscription></webspace></packet>`,
			"Error in line 4: Element 'plan-name': This element is not expected."},
		{"repeated element", head + `<database><assign-to-subscription>
<filter><id>1</id></filter>
<webspace-id>2</webspace-id>
<webspace-id>3</webspace-id>
</assign-to-subscription></database></packet>`,
			"Error in line 5: Element 'webspace-id': This element is not expected."},
		{"empty number", head + `<database><assign-to-subscription>
<filter><id>1</id></filter>
<webspace-id></webspace-id>
</assign-to-subscription></database></packet>`,
			"Error in line 4: Element 'webspace-id': '' is not a valid value of the atomic type."},
		{"not a number", head + `<database><assign-to-subscription>
<filter><id>1</id></filter>
<webspace-id>two</webspace-id>
</assign-to-subscription></database></packet>`,
			"Error in line 4: Element 'webspace-id': 'two' is not a valid value of the atomic type."},
		{"undeclared operator", head + `<client><get/></client></packet>`,
			"Error in line 2: Element 'client': This element is not expected."},
		{"undeclared operation", head + `<migration><restart/></migration></packet>`,
			"Error in line 2: Element 'restart': This element is not expected."},
		{"not well-formed", head + `<customer><get></customer></packet>`,
			"Error in line 2: Opening and ending tag mismatch: get line 2 and customer"},
		{"another root", `<request><customer/></request>`,
			"Error in line 1: Element 'request': No matching global declaration available for the validation root."},
	}
	// A constraint Validate checks: the message is Validate's.
	code, text := systemError(post(t, cl, head+`<customer><del><filter>
<id>1324</id>
<login>advent</login>
</filter></del></customer></packet>`))
	if code != 1014 || !strings.HasPrefix(text, "Parser error: Request is invalid. Error in line 1: Element 'packet': ") || !strings.Contains(text, "filter") {
		t.Errorf("mixed filter: error %d %q", code, text)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, text := systemError(post(t, cl, tt.packet))
			if code != 1014 || text != "Parser error: Request is invalid. "+tt.text {
				t.Errorf("got error %d %q\nwant 1014 %q", code, text, "Parser error: Request is invalid. "+tt.text)
			}
		})
	}
}

// TestPublishedSamples sends the published request samples of our
// operators as 1.6.6.0 packets: the fake rejects exactly those the official
// 1.6.6.0 schemas reject (../shared/plesk-samples/VALIDATION.tsv).
func TestPublishedSamples(t *testing.T) {
	dir := sharedtest.Dir(t, "plesk-samples")
	index, err := os.ReadFile(filepath.Join(dir, "VALIDATION.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	ours := map[string]bool{"migration": true, "database": true, "db_server": true, "customer": true, "webspace": true}
	versionAttr := regexp.MustCompile(`<packet[^>]*>`)
	srv := newTLS(t)
	cl := dial(t, srv)
	n := 0
	for _, line := range strings.Split(strings.TrimSpace(string(index)), "\n")[1:] {
		f := strings.Split(line, "\t")
		if len(f) < 5 || f[1] != "request" || !ours[strings.SplitN(f[0], "/", 2)[0]] {
			continue
		}
		file, verdict := f[0], f[4]
		t.Run(file, func(t *testing.T) {
			b, err := os.ReadFile(filepath.Join(dir, file))
			if err != nil {
				t.Fatal(err)
			}
			packet := versionAttr.ReplaceAllString(string(b), `<packet version="1.6.6.0">`)
			code, text := systemError(post(t, cl, packet))
			switch {
			case verdict == "valid" && code != 0:
				t.Errorf("valid sample: system error %d %q", code, text)
			case verdict == "invalid" && code != 1014:
				t.Errorf("invalid sample: system error %d %q, want 1014", code, text)
			}
		})
		n++
	}
	if n < 10 {
		t.Errorf("only %d request samples of our operators", n)
	}
}

// TestNotFoundAndMethod: the fake serves the XML API path only, by POST.
func TestNotFoundAndMethod(t *testing.T) {
	srv := newTLS(t)
	hc := srv.Client()
	resp, err := hc.Get(srv.Endpoint())
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("GET: %s", resp.Status)
	}
	resp, err = hc.Post(srv.URL+"/other", "text/xml", bytes.NewReader(nil))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("POST elsewhere: %s", resp.Status)
	}
}

// TestPlainHTTP: NewServer serves plain HTTP, which rpc accepts from its
// URL as it is.
func TestPlainHTTP(t *testing.T) {
	srv := plesktest.NewServer()
	defer srv.Close()
	if srv.Certificate() != nil || srv.CertPool() != nil || !strings.HasPrefix(srv.URL, "http://") {
		t.Fatalf("plain server: URL %s, certificate %v", srv.URL, srv.Certificate())
	}
	cl, err := rpc.NewClient(srv.URL, rpc.WithLogin(plesktest.AdminLogin, plesktest.DefaultAdminPassword))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := plesk1691.New(cl).Migration.Check(t.Context()); err != nil {
		t.Fatal(err)
	}
	if cl.URL() != srv.Endpoint() {
		t.Errorf("client URL %s, server endpoint %s", cl.URL(), srv.Endpoint())
	}
}
