package plesktest_test

import (
	"errors"
	"testing"

	"github.com/pleskgo/plesk/generated/plesk1691"
	"github.com/pleskgo/plesk/rpc"
	"github.com/pleskgo/plesk/rpc/plesktest"
)

// matchAll returns rpc.MatchAll for the type of *f.
func matchAll[F any](*F) F { return rpc.MatchAll[F]() }

// TestListingAnEmptyServer lists the customers and subscriptions of a fake
// Plesk that has none, with an empty filter and with rpc.MatchAll: each
// listing is an empty slice and nil, and its stream yields nothing. A
// filter that names customers still reports that it matched nothing.
func TestListingAnEmptyServer(t *testing.T) {
	srv := newTLS(t)
	c := bindings(t, srv)
	ctx := t.Context()

	empty := &plesk1691.CustomerGet{}
	empty.Dataset.GenInfo = &rpc.Empty{}
	explicit := &plesk1691.CustomerGet{}
	explicit.Filter = matchAll(&explicit.Filter)
	explicit.Dataset.GenInfo = &rpc.Empty{}
	for name, req := range map[string]*plesk1691.CustomerGet{"empty filter": empty, "MatchAll": explicit} {
		got, err := c.Customer.Get(ctx, req)
		if err != nil || got == nil || len(got) != 0 {
			t.Errorf("customers, %s: %v, %v; want an empty slice and nil", name, got, err)
		}
		for r, err := range c.Customer.StreamGet(ctx, req) {
			t.Errorf("customers, %s: the stream yielded %+v, %v", name, r, err)
		}
	}

	ws := &plesk1691.WebspaceGet{}
	ws.Dataset.GenInfo = &rpc.Empty{}
	if got, err := c.Webspace.Get(ctx, ws); err != nil || got == nil || len(got) != 0 {
		t.Errorf("subscriptions: %v, %v; want an empty slice and nil", got, err)
	}

	// A filter naming customers that do not exist is not a listing.
	named := &plesk1691.CustomerGet{}
	named.Filter.OwnerLogin = []string{plesktest.AdminLogin}
	named.Dataset.GenInfo = &rpc.Empty{}
	if _, err := c.Customer.Get(ctx, named); !errors.Is(err, rpc.ErrNoMatch) {
		t.Errorf("customers of admin: %v; want ErrNoMatch", err)
	}
	n := 0
	for _, err := range c.Customer.StreamGet(ctx, named) {
		n++
		if !errors.Is(err, rpc.ErrNoMatch) {
			t.Errorf("customers of admin, streamed: %v; want ErrNoMatch", err)
		}
	}
	if n != 1 {
		t.Errorf("customers of admin, streamed: %d items, want 1 error", n)
	}

}
