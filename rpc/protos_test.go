package rpc

import (
	"context"
	"errors"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"
)

const protosAnswer = `<packet><server><get_protos><result><status>ok</status><protos>` +
	`<proto>1.6.3.0</proto><proto>1.6.9.1</proto><proto>1.6.7.0</proto><proto>1.6.9.1</proto>` +
	`</protos></result></get_protos></server></packet>`

// protoServer answers server/get_protos with protos (or with error 1017
// when protos is empty) and every other op with error code; it counts the
// packets of each kind.
type protoServer struct {
	protos       string
	code         int
	asked, calls int
}

func (p *protoServer) Invoke(ctx context.Context, version string, ops ...*Op) error {
	var b strings.Builder
	b.WriteString("<packet>")
	for _, op := range ops {
		if op.Operator == "server" && op.Operation == "get_protos" {
			p.asked++
			if version != "" {
				return errors.New("get_protos sent with a version")
			}
			if p.protos != "" {
				return DecodeResponse(strings.NewReader(p.protos), ops...)
			}
		} else {
			p.calls++
		}
		b.WriteString("<" + op.Operator + "><" + op.Operation + "><result><status>error</status><errcode>" +
			strconv.Itoa(p.code) + "</errcode><errtext>not supported</errtext></result></" + op.Operation + "></" + op.Operator + ">")
	}
	b.WriteString("</packet>")
	return DecodeResponse(strings.NewReader(b.String()), ops...)
}

func TestServerProtocols(t *testing.T) {
	got, err := ServerProtocols(context.Background(), &protoServer{protos: protosAnswer})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"1.6.3.0", "1.6.9.1", "1.6.7.0"}; !slices.Equal(got, want) {
		t.Errorf("ServerProtocols = %q, want %q (server order, no duplicates)", got, want)
	}
	_, err = ServerProtocols(context.Background(), &protoServer{code: 1017})
	if !errors.Is(err, ErrUnsupportedProtocol) {
		t.Errorf("get_protos refused: %v", err)
	}
}

// TestUnsupportedProtocolNamesOffered: an error 1005 or 1017 from Do,
// Stream or a Batch satisfies ErrUnsupportedProtocol and ErrUnsupported,
// and names the versions the server offers, asked once; when the server
// cannot say, the message says how to find out.
func TestUnsupportedProtocolNamesOffered(t *testing.T) {
	ctx := context.Background()
	op := &Op{Operator: "customer", Operation: "get", ReadOnly: true}
	for _, code := range []int{1005, 1017} {
		check := func(how string, err error, srv *protoServer, offered bool) {
			t.Helper()
			var pe *Error
			if !errors.Is(err, ErrUnsupportedProtocol) || !errors.Is(err, ErrUnsupported) || !errors.As(err, &pe) {
				t.Fatalf("%d %s: %v", code, how, err)
			}
			if srv.asked != 1 {
				t.Errorf("%d %s: get_protos asked %d times, want once", code, how, srv.asked)
			}
			if offered {
				if want := []string{"1.6.3.0", "1.6.9.1", "1.6.7.0"}; !slices.Equal(pe.Offered, want) ||
					!strings.Contains(err.Error(), "the server speaks protocol 1.6.3.0, 1.6.9.1, 1.6.7.0") {
					t.Errorf("%d %s: %v (Offered %q)", code, how, err, pe.Offered)
				}
			} else if pe.Offered != nil || !strings.Contains(err.Error(), "rpc.ServerProtocols lists") {
				t.Errorf("%d %s without get_protos: %v", code, how, err)
			}
		}
		for _, offered := range []bool{true, false} {
			protos := ""
			if offered {
				protos = protosAnswer
			}
			srv := &protoServer{protos: protos, code: code}
			_, err := Do[Result](ctx, srv, "1.6.9.1", op)
			check("Do", err, srv, offered)

			srv = &protoServer{protos: protos, code: code}
			for _, err := range Stream[Result](ctx, srv, "1.6.9.1", op) {
				check("Stream", err, srv, offered)
			}

			srv = &protoServer{protos: protos, code: code}
			b := NewBatch(srv, "1.6.9.1")
			p1, p2 := Add[Result](b, op), Add[Result](b, op)
			if err := b.Send(ctx); err != nil {
				t.Fatal(err)
			}
			_, err = p1.Results()
			check("Batch", err, srv, offered)
			_, err = p2.Results()
			check("Batch", err, srv, offered)
		}
	}
	// Other codes ask nothing.
	srv := &protoServer{protos: protosAnswer, code: 1013}
	if _, err := Do[Result](ctx, srv, "1.6.9.1", op); errors.Is(err, ErrUnsupportedProtocol) || srv.asked != 0 {
		t.Errorf("1013: %v, get_protos asked %d times", err, srv.asked)
	}
}

func TestNewestProtocol(t *testing.T) {
	if v, ok := NewestProtocol([]string{"1.6.3.0", "1.6.9.1", "1.6.10.0"}, []string{"1.6.10.0", "1.6.9.1", "1.6.6.0"}); !ok || v != "1.6.10.0" {
		t.Errorf("NewestProtocol = %q, %v", v, ok)
	}
	if v, ok := NewestProtocol([]string{"1.6.3.0"}, []string{"1.6.9.1"}); ok || v != "" {
		t.Errorf("no common version: %q, %v", v, ok)
	}
	// Property: the pick is offered and a candidate, and no common version
	// is newer (numerically, part by part).
	r := rand.New(rand.NewPCG(1, 2))
	gen := func() []string {
		var out []string
		for range r.IntN(6) {
			out = append(out, "1."+strconv.Itoa(r.IntN(3))+"."+strconv.Itoa(r.IntN(12))+"."+strconv.Itoa(r.IntN(3)))
		}
		return out
	}
	num := func(v string) (n [4]int) {
		for i, p := range strings.Split(v, ".") {
			n[i], _ = strconv.Atoi(p)
		}
		return n
	}
	for range 2000 {
		offered, cands := gen(), gen()
		v, ok := NewestProtocol(offered, cands)
		var common []string
		for _, c := range cands {
			if slices.Contains(offered, c) {
				common = append(common, c)
			}
		}
		if ok != (len(common) > 0) {
			t.Fatalf("NewestProtocol(%q, %q) = %q, %v", offered, cands, v, ok)
		}
		for _, c := range common {
			a, b := num(c), num(v)
			if slices.Compare(a[:], b[:]) > 0 {
				t.Fatalf("NewestProtocol(%q, %q) = %q, but %q is newer", offered, cands, v, c)
			}
		}
	}
}
