package plesktest

import (
	"context"
	"net/http"
	"reflect"
	"strings"
	"testing"

	"github.com/pleskgo/plesk/generated/plesk1660"
	"github.com/pleskgo/plesk/generated/plesk1670"
	"github.com/pleskgo/plesk/generated/plesk1680"
	"github.com/pleskgo/plesk/generated/plesk1690"
	"github.com/pleskgo/plesk/generated/plesk1691"
	"github.com/pleskgo/plesk/rpc/plesktest/internal/dnsdemo"
	"github.com/pleskgo/plesk/rpc/plesktest/internal/fakeproto"
	"github.com/pleskgo/plesk/rpc/rpcimpl"
)

// protocols are the versions the fake speaks as this test binary links
// them: every generated package, so each is checked against its whole
// schema.
var protocols = func() []protocol {
	var ps []protocol
	for _, v := range knownVersions {
		p, _ := protocolOf(v)
		ps = append(ps, p)
	}
	return ps
}()

// TestLinkedVersionsRegister shows that importing a generated package is
// what makes the fake check packets of its version against the package's
// own types: each of the five registers its packets at init.
func TestLinkedVersionsRegister(t *testing.T) {
	want := map[string]reflect.Type{
		plesk1660.ProtocolVersion: reflect.TypeOf(new(plesk1660.RequestPacket)),
		plesk1670.ProtocolVersion: reflect.TypeOf(new(plesk1670.RequestPacket)),
		plesk1680.ProtocolVersion: reflect.TypeOf(new(plesk1680.RequestPacket)),
		plesk1690.ProtocolVersion: reflect.TypeOf(new(plesk1690.RequestPacket)),
		plesk1691.ProtocolVersion: reflect.TypeOf(new(plesk1691.RequestPacket)),
	}
	if len(protocols) != len(want) {
		t.Fatalf("the fake speaks %d versions, want %d", len(protocols), len(want))
	}
	for _, p := range protocols {
		if !p.linked {
			t.Errorf("%s: not linked, though the test imports its package", p.version)
			continue
		}
		if got := reflect.TypeOf(p.request()); got != want[p.version] {
			t.Errorf("%s: request type %v, want %v", p.version, got, want[p.version])
		}
	}
	if _, ok := protocolOf("1.6.5.0"); ok {
		t.Error("protocolOf(1.6.5.0) found a version the fake does not speak")
	}
}

// TestUnlinkedVersionUsesFakeTypes shows what a test that links no package
// of a version gets: every version the fake speaks is still served,
// checked against the fake's own types, which declare the operators it
// implements and no other.
func TestUnlinkedVersionUsesFakeTypes(t *testing.T) {
	var only1691 []rpcimpl.Protocol
	for _, r := range rpcimpl.Protocols() {
		if r.Version == plesk1691.ProtocolVersion {
			only1691 = append(only1691, r)
		}
	}
	for _, v := range knownVersions {
		p, ok := protocolFrom(v, only1691)
		if !ok {
			t.Fatalf("%s: not served without its package", v)
		}
		if want := v == plesk1691.ProtocolVersion; p.linked != want {
			t.Errorf("%s: linked = %v, want %v", v, p.linked, want)
		}
		if p.linked {
			continue
		}
		if _, isFake := p.request().(*fakeproto.RequestPacket); !isFake {
			t.Errorf("%s: request type %T, want the fake's own", v, p.request())
		}
		ok1 := checkStrict([]byte(`<packet version="`+v+`"><customer><get><filter/><dataset><gen_info/></dataset></get></customer></packet>`), p.request())
		if ok1 != nil {
			t.Errorf("%s: customer/get refused by the fake's own types: %v", v, ok1)
		}
		if bad := checkStrict([]byte(`<packet version="`+v+`"><dns><get_rec><filter/></get_rec></dns></packet>`), p.request()); bad == nil {
			t.Errorf("%s: an operator the fake does not implement passed its own types' check", v)
		}
	}
	if _, ok := protocolFrom("9.9.9.9", nil); ok {
		t.Error("an unknown version was served")
	}
}

// TestTwoPackagesOfOneVersion shows that a program linking two complete
// packages of one version (here the DNS demo, generated from a schema set
// of its own, beside plesk1691) has a request checked against both: it is
// valid when either accepts it, whichever registered first.
func TestTwoPackagesOfOneVersion(t *testing.T) {
	demo := rpcimpl.Protocol{Version: dnsdemo.ProtocolVersion,
		NewRequest: func() any { return new(dnsdemo.RequestPacket) }, NewResponse: func() any { return new(dnsdemo.ResponsePacket) }}
	full := rpcimpl.Protocol{Version: plesk1691.ProtocolVersion,
		NewRequest: func() any { return new(plesk1691.RequestPacket) }, NewResponse: func() any { return new(plesk1691.ResponsePacket) }}
	customer := []byte(`<packet version="1.6.9.1"><customer><get><filter/><dataset><gen_info/></dataset></get></customer></packet>`)
	nonsense := []byte(`<packet version="1.6.9.1"><customer><no-such-operation/></customer></packet>`)
	for _, order := range [][]rpcimpl.Protocol{{demo, full}, {full, demo}} {
		p, ok := protocolFrom("1.6.9.1", order)
		if !ok || !p.linked {
			t.Fatalf("1.6.9.1 not linked: %v %v", ok, p.linked)
		}
		if v := p.checkRequest(customer); v != nil {
			t.Errorf("customer/get refused with %d packages linked: %v", len(order), v)
		}
		if v := p.checkRequest(nonsense); v == nil {
			t.Error("an operation neither package declares was accepted")
		}
	}
}

// TestUnimplementedOperatorOfLinkedVersion shows that an operator the fake
// does not implement, which its own types do not declare, is still
// answered as Plesk's schema shapes it when the test links the version:
// each of its operations fails with 1023 under the operator's element, in
// every version, and the fake's own operators in the same packet answer as
// usual.
func TestUnimplementedOperatorOfLinkedVersion(t *testing.T) {
	s := newServer(nil)
	h := http.Header{}
	h.Set("HTTP_AUTH_LOGIN", AdminLogin)
	h.Set("HTTP_AUTH_PASSWD", DefaultAdminPassword)
	for _, v := range knownVersions {
		body := `<packet version="` + v + `"><server><get><gen_info/></get></server><ip><get/></ip></packet>`
		out := string(s.answer(context.Background(), h, []byte(body)))
		want := `<server><get><result><status>error</status><errcode>1023</errcode><errtext>plesktest: server/get is not implemented by the fake server</errtext></result></get></server>`
		if !strings.Contains(out, want) {
			t.Errorf("%s: server/get answered\n%s\nwant it to hold\n%s", v, out, want)
		}
		if !strings.Contains(out, `<ip><get><result><status>ok</status>`) {
			t.Errorf("%s: ip/get beside it answered\n%s", v, out)
		}
	}
}
