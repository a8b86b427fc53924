package plesktest_test

import (
	"errors"
	"testing"
	"time"

	"github.com/pleskgo/plesk/generated/plesk1691"
	"github.com/pleskgo/plesk/rpc"
	"github.com/pleskgo/plesk/rpc/plesktest"
)

// TestWritesNeverRetried goes through the generated bindings with retries
// on: an operation that changes state is sent once whatever fails on the
// way back, even when the fake did the work (a cut body); a read that
// fails the same way before any result arrived is sent again and succeeds.
func TestWritesNeverRetried(t *testing.T) {
	retry := rpc.WithReadRetry(rpc.RetryPolicy{Attempts: 3, MinBackoff: time.Millisecond, MaxBackoff: time.Millisecond})
	login := rpc.WithLogin(plesktest.AdminLogin, plesktest.DefaultAdminPassword)
	add := func(login string) *plesk1691.CustomerAdd {
		return &plesk1691.CustomerAdd{GenInfo: plesk1691.ClientAddGenInfo{Pname: "Pat", Login: login, Passwd: "Jhtr66fBB"}}
	}
	tests := []struct {
		fault   plesktest.Fault
		kind    error
		created bool // the fake did the work before the fault
		gets    int  // requests of a get that meets the fault once
	}{
		{plesktest.DropConnection(), rpc.ErrConnection, false, 2},
		{plesktest.HTTPStatus(503), rpc.ErrHTTPStatus, false, 2},
		{plesktest.HTMLErrorPage(502), rpc.ErrHTTPStatus, false, 2},
		{plesktest.TruncatedBody(), rpc.ErrTruncated, true, 1}, // cut inside the result: it arrived
	}
	for _, tt := range tests {
		t.Run(tt.fault.String(), func(t *testing.T) {
			srv := newTLS(t)
			c := bindings(t, srv, login, retry)
			srv.FailNext(tt.fault)
			_, err := c.Customer.Add(t.Context(), add("pat"))
			if !errors.Is(err, tt.kind) {
				t.Fatalf("add: %v, want %v", err, tt.kind)
			}
			if n := srv.Requests(); n != 1 {
				t.Errorf("add sent %d times, want once", n)
			}
			if _, ok := srv.Customer("pat"); ok != tt.created {
				t.Errorf("customer created: %v, want %v", ok, tt.created)
			}

			srv.FailNext(tt.fault)
			got, err := c.Customer.Get(t.Context(), &plesk1691.CustomerGet{
				Filter:  plesk1691.ClientSelectionFilter{Login: []string{"nobody"}},
				Dataset: plesk1691.ClientDataset{GenInfo: &rpc.Empty{}},
			})
			if tt.gets > 1 && (!errors.Is(err, rpc.ErrNotFound) || len(got) != 1) {
				t.Errorf("get after one %v: %v, %v; want a retried get answering 1013", tt.fault, got, err)
			}
			if n := srv.Requests() - 1; n != tt.gets {
				t.Errorf("get sent %d times, want %d", n, tt.gets)
			}
		})
	}
}
