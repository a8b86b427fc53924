package plesktest_test

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/pleskgo/plesk/generated/plesk1691"
	"github.com/pleskgo/plesk/rpc"
	"github.com/pleskgo/plesk/rpc/plesktest"
)

// faultFixture: one customer to move between two resellers, so that a test
// can tell whether a faulted request took effect.
func faultFixture(t *testing.T, opts ...plesktest.Option) (*plesktest.Server, *plesk1691.CustomerChangeOwner) {
	srv := newTLS(t, opts...)
	srv.AddIP(plesktest.IPAddress{Address: "192.0.2.10"})
	srv.AddReseller(plesktest.Reseller{Login: "res1", IPs: []string{"192.0.2.10"}})
	srv.AddReseller(plesktest.Reseller{Login: "res2", IPs: []string{"192.0.2.10"}})
	srv.AddCustomer(plesktest.Customer{Login: "jdoe", Owner: "res1"})
	return srv, &plesk1691.CustomerChangeOwner{
		Filter:        plesk1691.ClientSelectionFilter{Login: []string{"jdoe"}},
		NewOwnerLogin: "res2",
		IPv4Address:   []string{"192.0.2.10"},
	}
}

func ownerOf(srv *plesktest.Server, login string) string {
	c, _ := srv.Customer(login)
	return c.Owner
}

// TestFaults: each fault surfaces as the transport error it stands for,
// and only TruncatedBody lets the operation take effect.
func TestFaults(t *testing.T) {
	tests := []struct {
		fault   plesktest.Fault
		kind    error
		status  int
		applied bool
	}{
		{plesktest.HTMLErrorPage(http.StatusBadGateway), rpc.ErrHTTPStatus, 502, false},
		{plesktest.HTMLErrorPage(http.StatusOK), rpc.ErrNotXML, 200, false},
		{plesktest.HTTPStatus(http.StatusInternalServerError), rpc.ErrHTTPStatus, 500, false},
		{plesktest.TruncatedBody(), rpc.ErrTruncated, 200, true},
		{plesktest.DropConnection(), rpc.ErrConnection, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.fault.String(), func(t *testing.T) {
			srv, req := faultFixture(t)
			c := bindings(t, srv)
			srv.FailNext(tt.fault)
			_, err := c.Customer.ChangeOwner(t.Context(), req)
			var te *rpc.TransportError
			if !errors.As(err, &te) || !errors.Is(err, tt.kind) || !errors.Is(err, rpc.ErrTransport) {
				t.Fatalf("got %v, want a transport error %v", err, tt.kind)
			}
			if te.StatusCode != tt.status {
				t.Errorf("status %d, want %d", te.StatusCode, tt.status)
			}
			if got, want := ownerOf(srv, "jdoe"), map[bool]string{true: "res2", false: "res1"}[tt.applied]; got != want {
				t.Errorf("after the fault jdoe belongs to %s, want %s", got, want)
			}
			// The fault was for one request only.
			if _, err := c.Customer.ChangeOwner(t.Context(), req); err != nil {
				t.Errorf("the next request: %v", err)
			}
		})
	}
}

// TestHTMLPageIsDescribed: the client says what came back instead of a
// packet.
func TestHTMLPageIsDescribed(t *testing.T) {
	srv, req := faultFixture(t)
	srv.FailNext(plesktest.HTMLErrorPage(http.StatusOK))
	_, err := bindings(t, srv).Customer.ChangeOwner(t.Context(), req)
	var te *rpc.TransportError
	if !errors.As(err, &te) || te.Title != "502 Bad Gateway" || te.ContentType != "text/html" {
		t.Errorf("got %#v", err)
	}
}

// TestLatencyMeetsDeadline: a slow server makes the caller's deadline fire;
// the request is abandoned, changes nothing, and the server goes on.
func TestLatencyMeetsDeadline(t *testing.T) {
	srv, req := faultFixture(t)
	c := bindings(t, srv)
	srv.FailNext(plesktest.Latency(time.Hour))
	ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
	defer cancel()
	_, err := c.Customer.ChangeOwner(ctx, req)
	if !errors.Is(err, context.DeadlineExceeded) || !errors.Is(err, rpc.ErrConnection) {
		t.Fatalf("got %v, want a connection error wrapping context.DeadlineExceeded", err)
	}
	if ownerOf(srv, "jdoe") != "res1" {
		t.Error("an abandoned request took effect")
	}
	if _, err := c.Customer.ChangeOwner(t.Context(), req); err != nil || ownerOf(srv, "jdoe") != "res2" {
		t.Errorf("the next request: %v", err)
	}
}

// TestLatencyServed: a delay the caller waits out is only a delay.
func TestLatencyServed(t *testing.T) {
	srv, req := faultFixture(t, plesktest.WithFault(plesktest.Latency(time.Millisecond)))
	if _, err := bindings(t, srv).Customer.ChangeOwner(t.Context(), req); err != nil {
		t.Fatal(err)
	}
	if ownerOf(srv, "jdoe") != "res2" {
		t.Error("the delayed request did not take effect")
	}
}

// TestCloseDuringLatency: Close does not wait out an injected latency.
func TestCloseDuringLatency(t *testing.T) {
	srv, req := faultFixture(t)
	c := bindings(t, srv)
	srv.FailNext(plesktest.Latency(time.Hour))
	done := make(chan error, 1)
	go func() {
		_, err := c.Customer.ChangeOwner(t.Context(), req)
		done <- err
	}()
	for srv.Requests() == 0 {
		time.Sleep(time.Millisecond)
	}
	srv.Close()
	if err := <-done; !errors.Is(err, rpc.ErrTransport) {
		t.Errorf("a request cut by Close: %v, want a transport error", err)
	}
}

// TestFaultsEveryRequest: WithFault applies to every request, FailNext
// queues one fault per request after it.
func TestFaultsEveryRequest(t *testing.T) {
	srv, req := faultFixture(t, plesktest.WithFault(plesktest.HTTPStatus(http.StatusServiceUnavailable)))
	c := bindings(t, srv)
	for range 2 {
		if _, err := c.Customer.ChangeOwner(t.Context(), req); !errors.Is(err, rpc.ErrHTTPStatus) {
			t.Errorf("got %v, want HTTP 503", err)
		}
	}
	if n := srv.Requests(); n != 2 {
		t.Errorf("Requests() = %d, want 2", n)
	}
}

// TestReadRetryAfterDroppedConnection: a read-only packet is retried after
// a dropped connection and an HTTP 503 when the client opts in.
func TestReadRetryAfterDroppedConnection(t *testing.T) {
	srv, _ := faultFixture(t)
	c := bindings(t, srv,
		rpc.WithLogin(plesktest.AdminLogin, plesktest.DefaultAdminPassword),
		rpc.WithReadRetry(rpc.RetryPolicy{MinBackoff: time.Millisecond, MaxBackoff: time.Millisecond}))
	srv.FailNext(plesktest.DropConnection(), plesktest.HTTPStatus(http.StatusServiceUnavailable))
	res, err := c.Customer.Get(t.Context(), &plesk1691.CustomerGet{
		Filter:  plesk1691.ClientSelectionFilter{Login: []string{"jdoe"}},
		Dataset: plesk1691.ClientDataset{GenInfo: &rpc.Empty{}},
	})
	if err != nil || len(res) != 1 {
		t.Fatalf("get after two faults = %+v, %v", res, err)
	}
	if n := srv.Requests(); n != 3 {
		t.Errorf("Requests() = %d, want 3 (two faulted tries and one good)", n)
	}
}
