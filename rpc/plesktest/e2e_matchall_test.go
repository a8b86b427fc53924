package plesktest_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pleskgo/plesk/generated/plesk1691"
	"github.com/pleskgo/plesk/rpc"
	"github.com/pleskgo/plesk/rpc/plesktest"
)

// TestZeroFilterTouchesNothing sends every state change the fake implements
// with its filter left zero (the mistake of a forgotten field), against a
// server holding customers, subscriptions and databases: each call fails
// with a validation error, no packet reaches the server, and nothing is
// deleted, moved or changed. The explicit form, rpc.MatchAll, still acts on
// every object.
func TestZeroFilterTouchesNothing(t *testing.T) {
	f := newDBFixture(t)
	srv := f.srv
	srv.AddCustomer(plesktest.Customer{Login: "other"})
	plan := srv.AddPlan(plesktest.Plan{Name: "Premium"})
	c := bindings(t, srv)
	ctx := t.Context()

	calls := map[string]func() error{
		"webspace/del": func() error { _, err := c.Webspace.Del(ctx, &plesk1691.WebspaceDel{}); return err },
		"webspace/switch-subscription": func() error {
			_, err := c.Webspace.SwitchSubscription(ctx, &plesk1691.WebspaceSwitchSubscription{PlanGUID: rpc.Ptr(plan.GUID)})
			return err
		},
		"customer/del": func() error { _, err := c.Customer.Del(ctx, &plesk1691.CustomerDel{}); return err },
		"customer/change-owner": func() error {
			_, err := c.Customer.ChangeOwner(ctx, &plesk1691.CustomerChangeOwner{NewOwnerLogin: "admin", IPv4Address: []string{"192.0.2.10"}})
			return err
		},
		"database/del-db": func() error { _, err := c.Database.DelDB(ctx, &plesk1691.DatabaseDelDB{}); return err },
		"database/assign-to-subscription": func() error {
			_, err := c.Database.AssignToSubscription(ctx, &plesk1691.DatabaseAssignToSubscription{WebspaceID: f.to.ID})
			return err
		},
	}
	// The same mistakes by another spelling: the ids collected came out
	// empty, names blank. Go zero-ness says nothing; the wire decides.
	calls["webspace/del empty ids"] = func() error {
		_, err := c.Webspace.Del(ctx, &plesk1691.WebspaceDel{Filter: plesk1691.DomainFilter{ID: []int64{}}})
		return err
	}
	calls["webspace/del blank names"] = func() error {
		_, err := c.Webspace.Del(ctx, &plesk1691.WebspaceDel{Filter: plesk1691.DomainFilter{Name: []string{"", " \t"}, GUID: []string{}}})
		return err
	}
	calls["customer/del empty logins"] = func() error {
		_, err := c.Customer.Del(ctx, &plesk1691.CustomerDel{Filter: plesk1691.ClientSelectionFilter{Login: []string{}}})
		return err
	}
	calls["webspace/del nil request"] = func() error { _, err := c.Webspace.Del(ctx, nil); return err }
	for name, call := range calls {
		name, _, _ = strings.Cut(name, " ")
		err := call()
		var ve *rpc.ValidationError
		if !errors.Is(err, rpc.ErrInvalidRequest) || !errors.As(err, &ve) || ve.Operator+"/"+ve.Operation != name || ve.Path != "filter" && ve.Problem != "nil request" {
			t.Errorf("%s with a zero filter: %v; want a validation error at filter", name, err)
		}
	}
	if n := srv.Requests(); n != 0 {
		t.Fatalf("the server saw %d packets; a zero filter must never leave the machine", n)
	}
	for _, login := range []string{"jdoe", "other"} {
		if _, ok := srv.Customer(login); !ok {
			t.Errorf("customer %s is gone", login)
		}
	}
	for _, sub := range []plesktest.Subscription{f.from, f.to} {
		s, ok := srv.Subscription(sub.ID)
		if !ok || s.PlanGUID != sub.PlanGUID || s.Owner != "jdoe" {
			t.Errorf("subscription %s changed: %+v, %v", sub.Name, s, ok)
		}
	}
	if db, ok := srv.Database(f.db.ID); !ok || db.SubscriptionID != f.from.ID {
		t.Errorf("database %s moved or gone: %+v, %v", f.db.Name, db, ok)
	}

	// The explicit form is a field, seen by go-cmp in a program's tests.
	if cmp.Equal(plesk1691.WebspaceDel{Filter: rpc.MatchAll[plesk1691.DomainFilter]()}, plesk1691.WebspaceDel{}) ||
		!rpc.MatchAll[plesk1691.DomainFilter]().MatchAll {
		t.Error("go-cmp does not tell a match-all request from a zero one")
	}

	// Said explicitly, all: every database moves, then every subscription
	// goes.
	res, err := c.Database.AssignToSubscription(ctx, &plesk1691.DatabaseAssignToSubscription{
		Filter: rpc.MatchAll[plesk1691.DatabaseFilter](), WebspaceID: f.to.ID})
	if err != nil || len(res) != 1 {
		t.Fatalf("assign-to-subscription of every database: %v, %v", res, err)
	}
	if db, _ := srv.Database(f.db.ID); db.SubscriptionID != f.to.ID {
		t.Errorf("with MatchAll the database stayed in subscription %d", db.SubscriptionID)
	}
	del, err := c.Webspace.Del(ctx, &plesk1691.WebspaceDel{Filter: rpc.MatchAll[plesk1691.DomainFilter]()})
	if err != nil || len(del) != 2 {
		t.Fatalf("del of every subscription: %v, %v", del, err)
	}
	for _, sub := range []plesktest.Subscription{f.from, f.to} {
		if _, ok := srv.Subscription(sub.ID); ok {
			t.Errorf("with MatchAll subscription %s was not deleted", sub.Name)
		}
	}
}
