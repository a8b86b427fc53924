package rpc

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// item is a result type as the generator would write it.
type item struct {
	Status   string `xml:"status"`
	ErrCode  int    `xml:"errcode,omitempty"`
	ErrText  string `xml:"errtext,omitempty"`
	FilterID string `xml:"filter-id,omitempty"`
	ID       int    `xml:"id,omitempty"`
	Name     string `xml:"data>gen_info>name,omitempty"`
}

type filterReq struct {
	Filter struct {
		Login []string `xml:"login"`
	} `xml:"filter"`
	Dataset *Empty `xml:"dataset>gen_info,omitempty"`
}

// canned answers every Invoke with the same response body.
func canned(resp string) Invoker {
	return InvokerFunc(func(ctx context.Context, version string, ops ...*Op) error {
		return DecodeResponse(strings.NewReader(resp), ops...)
	})
}

func TestEncodeRequest(t *testing.T) {
	req := &filterReq{Dataset: &Empty{}}
	req.Filter.Login = []string{"a&b", "c<d"}
	var nilReq *filterReq
	tests := []struct {
		name    string
		version string
		ops     []*Op
		want    string
	}{
		{"version and payload", "1.6.9.1", []*Op{{Operator: "customer", Operation: "get", Request: req}},
			`<packet version="1.6.9.1"><customer><get><filter><login>a&amp;b</login><login>c&lt;d</login></filter>` +
				`<dataset><gen_info></gen_info></dataset></get></customer></packet>`},
		{"no version, nil requests", "", []*Op{{Operator: "server", Operation: "get_protos"}, {Operator: "server", Operation: "get", Request: nilReq}},
			`<packet><server><get_protos></get_protos><get></get></server></packet>`},
		{"order kept across operators", "1.6.3.0", []*Op{
			{Operator: "customer", Operation: "get"},
			{Operator: "customer", Operation: "del"},
			{Operator: "webspace", Operation: "get"},
			{Operator: "customer", Operation: "add"},
		}, `<packet version="1.6.3.0"><customer><get></get><del></del></customer><webspace><get></get></webspace>` +
			`<customer><add></add></customer></packet>`},
		{"nested operation", "", []*Op{{Operator: "webspace", Operation: "db-servers/add", Request: Empty{}}},
			`<packet><webspace><db-servers><add></add></db-servers></webspace></packet>`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := EncodeRequest(&b, tt.version, tt.ops...); err != nil {
				t.Fatal(err)
			}
			got := strings.TrimPrefix(b.String(), xml.Header)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("packet (-want +got):\n%s", diff)
			}
		})
	}
}

func TestEncodeRequestRejects(t *testing.T) {
	for _, ops := range [][]*Op{
		nil,
		{nil},
		{{Operator: "", Operation: "get"}},
		{{Operator: "customer", Operation: ""}},
		{{Operator: "customer", Operation: "get><x"}},
		{{Operator: "customer", Operation: "a//b"}},
	} {
		if err := EncodeRequest(&bytes.Buffer{}, "", ops...); err == nil {
			t.Errorf("EncodeRequest(%v) succeeded", ops)
		}
	}
}

func TestDoResults(t *testing.T) {
	op := &Op{Operator: "database", Operation: "del-db", Request: Empty{}}
	resp := `<?xml version="1.0" encoding="UTF-8"?>
<packet version="1.6.9.1"><database><del-db>
  <result><status>ok</status><filter-id>15</filter-id><id>15</id></result>
  <note>not a result</note>
  <result><status>ok</status><filter-id>43</filter-id><id>43</id><data><gen_info><name>b</name></gen_info></data></result>
  <result><status>error</status><errcode>1013</errcode><errtext>Database does not exist</errtext><filter-id>99</filter-id></result>
</del-db></database></packet>`
	got, err := Do[item](context.Background(), canned(resp), "1.6.9.1", op)
	want := []item{
		{Status: "ok", FilterID: "15", ID: 15},
		{Status: "ok", FilterID: "43", ID: 43, Name: "b"},
		{Status: "error", ErrCode: 1013, ErrText: "Database does not exist", FilterID: "99"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("results (-want +got):\n%s", diff)
	}
	var pe *Error
	if !errors.As(err, &pe) {
		t.Fatalf("err = %v, want an *Error", err)
	}
	wantErr := Error{Operator: "database", Operation: "del-db", Code: 1013, Text: "Database does not exist", FilterID: "99"}
	if diff := cmp.Diff(wantErr, *pe, cmp.AllowUnexported(Error{})); diff != "" {
		t.Errorf("error (-want +got):\n%s", diff)
	}
	if !errors.Is(err, ErrNotFound) || errors.Is(err, ErrNoMatch) {
		t.Errorf("errors.Is: %v", err)
	}
	if op.sink != nil {
		t.Error("Do modified the caller's Op")
	}
}

func TestDoResultHeaders(t *testing.T) {
	resp := `<packet><customer><del><result><status>ok</status><id>1324</id></result>` +
		`<result><status>ok</status><id>1325</id></result></del></customer></packet>`
	got, err := Do[Result](context.Background(), canned(resp), "", &Op{Operator: "customer", Operation: "del", Request: Empty{}})
	if err != nil {
		t.Fatal(err)
	}
	want := []Result{{Status: "ok", ID: "1324"}, {Status: "ok", ID: "1325"}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// TestErrorClasses runs every class of error code over HTTP: the server
// answers each request with the code the test asks for.
func TestErrorClasses(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		fmt.Fprintf(w, `<packet><migration><start><result><status>error</status><errcode>%s</errcode>`+
			`<errtext>text</errtext></result></start></migration></packet>`, strings.TrimPrefix(r.URL.Path, "/code/"))
	}))
	defer srv.Close()
	all := []error{ErrNotFound, ErrAlreadyExists, ErrAuth, ErrPermission, ErrUnsupported, ErrInvalidRequest, ErrComponentMissing, ErrNoMatch}
	tests := []struct {
		code int
		want error // nil: no class
	}{
		{1013, ErrNotFound},
		{1002, ErrAlreadyExists}, {1007, ErrAlreadyExists}, {15006, ErrAlreadyExists}, {15012, ErrAlreadyExists},
		{1001, ErrAuth}, {11003, ErrAuth}, {1029, ErrAuth},
		{1006, ErrPermission}, {1010, ErrPermission}, {1011, ErrPermission}, {1012, ErrPermission},
		{1005, ErrUnsupported}, {1017, ErrUnsupported},
		{1014, ErrInvalidRequest}, {1019, ErrInvalidRequest},
		{1026, ErrComponentMissing}, {1031, ErrComponentMissing},
		{1023, nil}, {14008, nil}, {424242, nil},
	}
	for _, tt := range tests {
		c := mustClient(t, srv.URL+"/code/"+itoa(tt.code), WithSecretKey(testKey))
		got, err := Do[item](context.Background(), c, "", &Op{Operator: "migration", Operation: "start", Request: Empty{}})
		if len(got) != 1 {
			t.Errorf("code %d: %d results, want 1", tt.code, len(got))
		}
		for _, s := range all {
			if errors.Is(err, s) != (s == tt.want) {
				t.Errorf("code %d: errors.Is(err, %v) = %v", tt.code, s, !(s == tt.want))
			}
		}
		var pe *Error
		if !errors.As(err, &pe) || pe.Code != tt.code || pe.Operator != "migration" || pe.Operation != "start" {
			t.Errorf("code %d: errors.As gives %#v", tt.code, pe)
		}
		if !strings.Contains(err.Error(), itoa(tt.code)) {
			t.Errorf("code %d: message %q lacks the code", tt.code, err)
		}
	}
}

func itoa(i int) string {
	b, _ := xml.Marshal(i)
	return string(b[len("<int>") : len(b)-len("</int>")])
}

func TestNoMatch(t *testing.T) {
	tests := []struct {
		name, resp, filterID string
	}{
		{"empty operation element", `<packet><customer><get/></customer></packet>`, ""},
		{"empty with whitespace", "<packet><customer><get>\n  </get></customer></packet>", ""},
		{"ok result with only filter-id", `<packet><customer><get><result><status>ok</status><filter-id>bob</filter-id></result></get></customer></packet>`, "bob"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			op := &Op{Operator: "customer", Operation: "get", ReadOnly: true}
			got, err := Do[item](context.Background(), canned(tt.resp), "", op)
			if len(got) != 0 {
				t.Errorf("Do returned %d results, want 0", len(got))
			}
			var pe *Error
			if !errors.Is(err, ErrNoMatch) || !errors.Is(err, ErrNotFound) || !errors.As(err, &pe) {
				t.Fatalf("err = %v, want ErrNoMatch", err)
			}
			want := Error{Operator: "customer", Operation: "get", FilterID: tt.filterID, noMatch: true}
			if diff := cmp.Diff(want, *pe, cmp.AllowUnexported(Error{})); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
			var n int
			for v, err := range Stream[item](context.Background(), canned(tt.resp), "", op) {
				n++
				if v != (item{}) || !errors.Is(err, ErrNoMatch) {
					t.Errorf("Stream yielded %v, %v", v, err)
				}
			}
			if n != 1 {
				t.Errorf("Stream yielded %d pairs, want 1", n)
			}
		})
	}
}

func TestSystemError(t *testing.T) {
	resp := `<packet><system><status>error</status><errcode>1005</errcode>` +
		`<errtext>XML API protocol version not supported.</errtext></system><output> </output></packet>`
	b := NewBatch(canned(resp), "9.9")
	p1 := Add[item](b, &Op{Operator: "customer", Operation: "get", ReadOnly: true})
	p2 := Add[item](b, &Op{Operator: "webspace", Operation: "get", ReadOnly: true})
	err := b.Send(context.Background())
	var pe *Error
	if !errors.As(err, &pe) || pe.Operator != SystemOperator || pe.Code != 1005 || !errors.Is(err, ErrUnsupported) {
		t.Fatalf("Send = %v, want system error 1005", err)
	}
	for _, p := range []*Pending[item]{p1, p2} {
		if res, err := p.Results(); len(res) != 0 || !errors.Is(err, ErrUnsupported) {
			t.Errorf("Results = %v, %v", res, err)
		}
	}
	// The canned server cannot answer get_protos either: the message says
	// how to find out which versions it speaks.
	if got, want := err.Error(), "plesk: system error: error 1005: XML API protocol version not supported. (rpc.ServerProtocols lists the versions the server speaks)"; got != want {
		t.Errorf("message %q, want %q", got, want)
	}
}

func TestBatchOrder(t *testing.T) {
	resp := `<packet>
<customer><get><result><status>ok</status><id>1</id></result></get></customer>
<webspace><get><result><status>ok</status><id>2</id></result><result><status>ok</status><id>3</id></result></get></webspace>
<customer><del><result><status>error</status><errcode>1013</errcode><errtext>x</errtext></result></del>
<get/></customer>
</packet>`
	var sent []byte
	inv := InvokerFunc(func(ctx context.Context, version string, ops ...*Op) error {
		var b bytes.Buffer
		if err := EncodeRequest(&b, version, ops...); err != nil {
			return err
		}
		sent = b.Bytes()
		return DecodeResponse(strings.NewReader(resp), ops...)
	})
	b := NewBatch(inv, "1.6.9.1")
	p1 := Add[Result](b, &Op{Operator: "customer", Operation: "get", ReadOnly: true})
	p2 := Add[Result](b, &Op{Operator: "webspace", Operation: "get", ReadOnly: true})
	p3 := Add[Result](b, &Op{Operator: "customer", Operation: "del", Request: Empty{}})
	p4 := Add[Result](b, &Op{Operator: "customer", Operation: "get", ReadOnly: true})
	if _, err := p1.Results(); err == nil {
		t.Error("Results before Send succeeded")
	}
	if err := b.Send(context.Background()); err != nil {
		t.Fatal(err)
	}
	wantSent := xml.Header + `<packet version="1.6.9.1"><customer><get></get></customer><webspace><get></get></webspace>` +
		`<customer><del></del><get></get></customer></packet>`
	if diff := cmp.Diff(wantSent, string(sent)); diff != "" {
		t.Errorf("packet (-want +got):\n%s", diff)
	}
	check := func(name string, got []Result, err error, wantIDs []string, wantErr error) {
		t.Helper()
		var ids []string
		for _, r := range got {
			ids = append(ids, r.ID)
		}
		if diff := cmp.Diff(wantIDs, ids); diff != "" {
			t.Errorf("%s ids (-want +got):\n%s", name, diff)
		}
		if (wantErr == nil) != (err == nil) || wantErr != nil && !errors.Is(err, wantErr) {
			t.Errorf("%s err = %v, want %v", name, err, wantErr)
		}
	}
	r1, e1 := p1.Results()
	check("p1", r1, e1, []string{"1"}, nil)
	r2, e2 := p2.Results()
	check("p2", r2, e2, []string{"2", "3"}, nil)
	r3, e3 := p3.Results()
	check("p3", r3, e3, []string{""}, ErrNotFound)
	r4, e4 := p4.Results()
	check("p4", r4, e4, nil, ErrNoMatch)
	if err := b.Send(context.Background()); err == nil {
		t.Error("second Send succeeded")
	}
}

func TestNestedOperation(t *testing.T) {
	resp := `<packet><webspace><db-servers><add><result><status>ok</status><filter-id>1</filter-id><id>1</id></result></add></db-servers></webspace></packet>`
	got, err := Do[Result](context.Background(), canned(resp), "", &Op{Operator: "webspace", Operation: "db-servers/add", Request: Empty{}})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]Result{{Status: "ok", FilterID: "1", ID: "1"}}, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestDecodeErrorKeepsOtherResults(t *testing.T) {
	resp := `<packet><customer><get>
<result><status>ok</status><id>1</id><data><gen_info><name>a</name></gen_info></data></result>
<result><status>ok</status><id>not-a-number</id><data><gen_info><name>b</name></gen_info></data></result>
<result><status>ok</status><id>3</id></result>
</get></customer></packet>`
	op := &Op{Operator: "customer", Operation: "get", ReadOnly: true}
	got, err := Do[item](context.Background(), canned(resp), "", op)
	if len(got) != 3 || got[0].ID != 1 || got[2].ID != 3 {
		t.Errorf("results = %+v", got)
	}
	var de *DecodeError
	if !errors.As(err, &de) {
		t.Fatalf("err = %v, want a *DecodeError", err)
	}
	if de.Index != 1 || de.Element != "id" || de.Text != "not-a-number" || de.Type != "rpc.item" {
		t.Errorf("DecodeError = %+v", de)
	}
	if !strings.Contains(err.Error(), `"not-a-number"`) {
		t.Errorf("message %q does not say what came back", err)
	}
	// Stream yields the error with its result and goes on.
	var ids []int
	var errs int
	for v, err := range Stream[item](context.Background(), canned(resp), "", op) {
		ids = append(ids, v.ID)
		if err != nil {
			errs++
		}
	}
	if diff := cmp.Diff([]int{1, 0, 3}, ids); diff != "" || errs != 1 {
		t.Errorf("Stream ids (-want +got):\n%s\nerrors: %d", diff, errs)
	}
}

// greedy is a result type whose UnmarshalXML tries to read past its element.
type greedy struct{ n int }

func (g *greedy) UnmarshalXML(d *xml.Decoder, start xml.StartElement) error {
	for {
		if _, err := d.Token(); err != nil {
			return err
		}
		g.n++
	}
}

func TestResultCannotReadPastItsElement(t *testing.T) {
	resp := `<packet><customer><get><result><status>ok</status></result><result><status>ok</status></result></get></customer></packet>`
	got, err := Do[greedy](context.Background(), canned(resp), "", &Op{Operator: "customer", Operation: "get", ReadOnly: true})
	if len(got) != 2 {
		t.Fatalf("%d results, want 2 (err %v)", len(got), err)
	}
	var de *DecodeError
	if !errors.As(err, &de) {
		t.Errorf("err = %v, want *DecodeError", err)
	}
}

func TestResponseProblems(t *testing.T) {
	op := func() *Op { return &Op{Operator: "customer", Operation: "get", ReadOnly: true} }
	tests := []struct {
		name string
		resp string
		kind error
		msg  string
	}{
		{"empty", ``, ErrTruncated, "empty"},
		{"truncated in result", `<packet><customer><get><result><status>ok</sta`, ErrTruncated, "customer/get"},
		{"truncated between tags", `<packet><customer><get><result><status>ok</status>`, ErrTruncated, "before </packet>"},
		{"plain text", `Internal Server Error`, ErrNotXML, "text"},
		{"html", `<html><head><title>Oops</title></head></html>`, ErrNotXML, "HTML"},
		{"doctype", `<!DOCTYPE packet [<!ENTITY x "boom">]><packet><customer><get>&x;</get></customer></packet>`, ErrNotXML, "DOCTYPE"},
		{"unknown entity", `<packet><customer><get><result><status>&nbsp;</status></result></get></customer></packet>`, ErrNotXML, "entity"},
		{"mismatched tags", `<packet><customer><get><result><status>ok</status></get></customer></packet>`, ErrNotXML, "malformed"},
		{"wrong root", `<answer/>`, ErrUnexpectedResponse, "<answer>"},
		{"wrong operation", `<packet><customer><del/></customer></packet>`, ErrUnexpectedResponse, "<customer><del>"},
		{"missing operation", `<packet></packet>`, ErrUnexpectedResponse, "0 of 1"},
		{"extra operation", `<packet><customer><get/><get/></customer></packet>`, ErrUnexpectedResponse, "more operations"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Do[item](context.Background(), canned(tt.resp), "", op())
			var te *TransportError
			if !errors.Is(err, tt.kind) || !errors.Is(err, ErrTransport) || !errors.As(err, &te) {
				t.Fatalf("err = %v, want %v", err, tt.kind)
			}
			if !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("message %q lacks %q", err, tt.msg)
			}
		})
	}
}

func TestStreamStopsEarly(t *testing.T) {
	var b strings.Builder
	b.WriteString("<packet><webspace><get>")
	for i := range 100 {
		b.WriteString("<result><status>ok</status><id>" + itoa(i) + "</id></result>")
	}
	b.WriteString("</get></webspace></packet>")
	var invokeErr error
	inv := InvokerFunc(func(ctx context.Context, version string, ops ...*Op) error {
		invokeErr = DecodeResponse(strings.NewReader(b.String()), ops...)
		return invokeErr
	})
	n := 0
	for _, err := range Stream[item](context.Background(), inv, "", &Op{Operator: "webspace", Operation: "get", ReadOnly: true}) {
		if err != nil {
			t.Fatal(err)
		}
		n++
		if n == 3 {
			break
		}
	}
	if n != 3 || invokeErr != errStop {
		t.Errorf("n = %d, Invoke returned %v", n, invokeErr)
	}
}

func TestInvokerWithoutAnswer(t *testing.T) {
	inv := InvokerFunc(func(ctx context.Context, version string, ops ...*Op) error { return nil })
	if _, err := Do[item](context.Background(), inv, "", &Op{Operator: "customer", Operation: "get", ReadOnly: true}); err == nil {
		t.Error("Do succeeded without an answer")
	}
}

func TestRedactPacket(t *testing.T) {
	in := `<packet><customer><add><gen_info><login>bob</login><passwd>p&amp;w</passwd>` +
		`<password/><old-password x="1">o</old-password></gen_info></add></customer>` +
		`<secret_key><create><key>ABC</key></create></secret_key><x><password>cut`
	want := `<packet><customer><add><gen_info><login>bob</login><passwd>[REDACTED]</passwd>` +
		`<password/><old-password x="1">[REDACTED]</old-password></gen_info></add></customer>` +
		`<secret_key><create><key>[REDACTED]</key></create></secret_key><x><password>[REDACTED]`
	if diff := cmp.Diff(want, string(redactXML([]byte(in)))); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// giveUp is a result type that reads its first child and then fails,
// leaving xml.Decoder's end-of-element marker on its stack.
type giveUp struct{ first string }

func (g *giveUp) UnmarshalXML(d *xml.Decoder, start xml.StartElement) error {
	for {
		t, err := d.Token()
		if err != nil {
			return err
		}
		if se, ok := t.(xml.StartElement); ok {
			g.first = se.Name.Local
			if err := d.Skip(); err != nil {
				return err
			}
			return errors.New("gave up")
		}
	}
}

// TestDecoderRecoversFromFailedType: after a result type fails halfway,
// the next results, operations and responses decode normally.
func TestDecoderRecoversFromFailedType(t *testing.T) {
	resp := `<packet><customer><get>` +
		`<result><status>ok</status><id>1</id></result>` +
		`<result><status>ok</status><id>2</id></result>` +
		`</get><get><result><status>ok</status><id>3</id></result></get></customer></packet>`
	for range 3 { // the pooled decoder serves the next response too
		b := NewBatch(canned(resp), "")
		p1 := Add[giveUp](b, &Op{Operator: "customer", Operation: "get", ReadOnly: true})
		p2 := Add[Result](b, &Op{Operator: "customer", Operation: "get", ReadOnly: true})
		if err := b.Send(context.Background()); err != nil {
			t.Fatal(err)
		}
		r1, err1 := p1.Results()
		var de *DecodeError
		if len(r1) != 2 || r1[1].first != "status" || !errors.As(err1, &de) {
			t.Errorf("first op: %+v, %v", r1, err1)
		}
		r2, err2 := p2.Results()
		if err2 != nil || len(r2) != 1 || r2[0].ID != "3" {
			t.Errorf("second op: %+v, %v", r2, err2)
		}
	}
}

// TestRedactByStructure pins the rules of redactXML on the shapes that
// carry secrets, and on those that must stay readable.
func TestRedactByStructure(t *testing.T) {
	for _, tt := range []struct{ name, in, want string }{
		{"name/value pair, name first",
			`<property><name>ftp_password</name><value>s3</value></property><property><name>ftp_login</name><value>bob</value></property>`,
			`<property><name>ftp_password</name><value>[REDACTED]</value></property><property><name>ftp_login</name><value>bob</value></property>`},
		{"name/value pair, value first",
			`<setting><value>s3</value><name> PASSWORD </name></setting>`,
			`<setting><value>[REDACTED]</value><name> PASSWORD </name></setting>`},
		{"password container",
			`<password><value>s3</value><type>plain</type></password>`,
			`<password><value>[REDACTED]</value><type>[REDACTED]</type></password>`},
		{"the secret_key operator stays readable",
			`<secret_key><get_info><result><status>ok</status><key_info><key>K</key><ip_address>10.0.0.1</ip_address></key_info></result></get_info></secret_key>`,
			`<secret_key><get_info><result><status>ok</status><key_info><key>[REDACTED]</key><ip_address>10.0.0.1</ip_address></key_info></result></get_info></secret_key>`},
		{"attributes", `<db token="t0k" name="n" passwd='p'/>`, `<db token="[REDACTED]" name="n" passwd='[REDACTED]'/>`},
		{"CDATA", `<passwd><![CDATA[s3]]></passwd><name><![CDATA[ok]]></name>`, `<passwd>[REDACTED]</passwd><name><![CDATA[ok]]></name>`},
		{"white space kept", "<passwd>\n</passwd>", "<passwd>\n</passwd>"},
		{"cut inside a tag", `<gen_info><passwd a="x`, `<gen_info>…`},
		{"cut inside a pair", `<property><name>ftp_password</name><value>s3cr`, `<property><name>ftp_password</name><value>[REDACTED]`},
		{"private key", `<certificate><pvt>-----BEGIN</pvt><pub>PUB</pub></certificate>`, `<certificate><pvt>[REDACTED]</pvt><pub>PUB</pub></certificate>`},
		{"not a packet", `plain text, <password>s3</password> and more`, `plain text, <password>[REDACTED]</password> and more`},
	} {
		if got := string(redactXML([]byte(tt.in))); got != tt.want {
			t.Errorf("%s:\n got %s\nwant %s", tt.name, got, tt.want)
		}
	}
}
