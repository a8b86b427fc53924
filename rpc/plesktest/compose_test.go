package plesktest_test

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/pleskgo/plesk/generated/plesk1691"
	"github.com/pleskgo/plesk/rpc"
	"github.com/pleskgo/plesk/rpc/plesktest"
)

// ownerByGet reads a subscription's owner with the fake's own webspace/get.
func ownerByGet(t *testing.T, c *plesk1691.Client, id int64) string {
	t.Helper()
	res, err := c.Webspace.Get(t.Context(), &plesk1691.WebspaceGet{
		Filter:  plesk1691.DomainFilter{ID: []int64{id}},
		Dataset: plesk1691.DomainDataset{GenInfo: &rpc.Empty{}},
	})
	if err != nil {
		t.Fatalf("webspace/get: %v", err)
	}
	if len(res) != 1 || res[0].Data == nil || res[0].Data.GenInfo == nil {
		t.Fatalf("webspace/get: %+v", res)
	}
	return res[0].Data.GenInfo.GetOwnerLogin()
}

// TestHandlerComposes adds webspace/set by handler: the handler changes
// the owner through Update, and the fake's own webspace/get, which still
// answers, sees the new owner, as does Server.Subscription.
func TestHandlerComposes(t *testing.T) {
	srv := newTLS(t)
	srv.AddIP(plesktest.IPAddress{Address: "192.0.2.10"})
	srv.AddCustomer(plesktest.Customer{Login: "alice"})
	srv.AddCustomer(plesktest.Customer{Login: "bob"})
	sub := srv.AddSubscription(plesktest.Subscription{Name: "example.com", Owner: "alice", IP: "192.0.2.10"})

	var calls int
	plesktest.Handle(srv, "webspace", "set", func(ctx context.Context, req *plesk1691.WebspaceSet) ([]plesk1691.WebspaceSetResult, error) {
		var out []plesk1691.WebspaceSetResult
		err := srv.Update(func(st *plesktest.State) error {
			calls++
			owner := ""
			for _, it := range req.Values.GenSetup.Items {
				if it.OwnerLogin != nil {
					owner = *it.OwnerLogin
				}
			}
			if !st.UserExists(owner) {
				return plesktest.Errorf(1015, "Owner not found.")
			}
			for _, id := range req.Filter.ID {
				s := st.Subscription(id)
				if s == nil {
					return plesktest.Errorf(1013, "Object not found.")
				}
				s.Owner = owner
				out = append(out, plesk1691.WebspaceSetResult{Status: plesk1691.ResultStatusOK, ID: rpc.Ptr(id)})
			}
			return nil
		})
		return out, err
	})

	c := bindings(t, srv)
	if got := ownerByGet(t, c, sub.ID); got != "alice" {
		t.Fatalf("owner before set = %q, want alice", got)
	}
	_, err := c.Webspace.Set(t.Context(), &plesk1691.WebspaceSet{
		Filter: plesk1691.DomainFilter{ID: []int64{sub.ID}},
		Values: plesk1691.WebspaceSetValues{GenSetup: &plesk1691.SetGenSetup{Items: []plesk1691.SetGenSetupItem{{OwnerLogin: rpc.Ptr("bob")}}}},
	})
	if err != nil {
		t.Fatalf("webspace/set: %v", err)
	}
	if calls != 1 {
		t.Errorf("handler ran %d times, want 1", calls)
	}
	if got := ownerByGet(t, c, sub.ID); got != "bob" {
		t.Errorf("webspace/get after the handler's set: owner %q, want bob", got)
	}
	if s, _ := srv.Subscription(sub.ID); s.Owner != "bob" {
		t.Errorf("Server.Subscription: owner %q, want bob", s.Owner)
	}
	// The other built-in operations of the operator still run: a
	// subscription owned by bob goes with webspace/del by owner.
	if _, err := c.Webspace.Del(t.Context(), &plesk1691.WebspaceDel{Filter: plesk1691.DomainFilter{OwnerLogin: []string{"bob"}}}); err != nil {
		t.Fatalf("webspace/del: %v", err)
	}
	if _, ok := srv.Subscription(sub.ID); ok {
		t.Error("webspace/del by the new owner left the subscription")
	}
}

// TestHandlerPacketOrder: in one packet, operations served by a handler
// and by the fake run in the order of the request, each when its turn
// comes: the get before the set sees the old owner, the one after it the
// new one.
func TestHandlerPacketOrder(t *testing.T) {
	srv := newTLS(t)
	srv.AddCustomer(plesktest.Customer{Login: "alice"})
	srv.AddCustomer(plesktest.Customer{Login: "bob"})
	sub := srv.AddSubscription(plesktest.Subscription{Name: "example.com", Owner: "alice"})
	plesktest.Handle(srv, "webspace", "set", func(ctx context.Context, req *plesk1691.WebspaceSet) ([]plesk1691.WebspaceSetResult, error) {
		err := srv.Update(func(st *plesktest.State) error {
			st.Subscription(sub.ID).Owner = "bob"
			return nil
		})
		return []plesk1691.WebspaceSetResult{{Status: plesk1691.ResultStatusOK, ID: rpc.Ptr(sub.ID)}}, err
	})
	get := fmt.Sprintf(`<get><filter><id>%d</id></filter><dataset><gen_info/></dataset></get>`, sub.ID)
	set := fmt.Sprintf(`<set><filter><id>%d</id></filter><values><gen_setup><owner-login>bob</owner-login></gen_setup></values></set>`, sub.ID)
	out := postRaw(t, dial(t, srv), `<packet version="1.6.9.1"><webspace>`+get+set+get+`</webspace></packet>`)
	owners := regexp.MustCompile(`<owner-login>([^<]*)</owner-login>`).FindAllStringSubmatch(out, -1)
	var got []string
	for _, m := range owners {
		got = append(got, m[1])
	}
	if !slices.Equal(got, []string{"alice", "bob"}) {
		t.Errorf("owners seen by the two gets = %q, want [alice bob]:\n%s", got, out)
	}
	if i, j := strings.Index(out, "<get>"), strings.Index(out, "<set>"); i < 0 || j < i || strings.LastIndex(out, "<get>") < j {
		t.Errorf("answers out of order:\n%s", out)
	}
	var p plesk1691.ResponsePacket
	if err := decodeResponse(out, &p); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if n := len(p.Items); n != 1 || len(p.Items[0].Webspace.Items) != 3 {
		t.Errorf("want one webspace operator with three answers:\n%s", out)
	}
}

// TestBuiltinWrap wraps the fake's own customer/del: the handler calls
// through for every customer but one, for which it injects a failure.
// The others are really deleted, the one is kept, and the caller sees the
// injected code.
func TestBuiltinWrap(t *testing.T) {
	srv := newTLS(t)
	for _, l := range []string{"ann", "ben", "cid"} {
		srv.AddCustomer(plesktest.Customer{Login: l})
	}
	plesktest.Handle(srv, "customer", "del", func(ctx context.Context, req *plesk1691.CustomerDel) ([]plesk1691.ResultFilter, error) {
		if slices.Contains(req.Filter.Login, "ben") {
			req.Filter.Login = slices.DeleteFunc(req.Filter.Login, func(l string) bool { return l == "ben" })
			res, err := plesktest.Builtin[plesk1691.CustomerDel, plesk1691.ResultFilter](ctx, req)
			if err != nil {
				return nil, err
			}
			return res, plesktest.Errorf(1023, "injected: ben is locked")
		}
		return plesktest.Builtin[plesk1691.CustomerDel, plesk1691.ResultFilter](ctx, req)
	})
	c := bindings(t, srv)
	res, err := c.Customer.Del(t.Context(), &plesk1691.CustomerDel{Filter: plesk1691.ClientSelectionFilter{Login: []string{"ann", "ben"}}})
	pe := wantError(t, err, "customer", "del", 1023, nil)
	if pe.Text != "injected: ben is locked" {
		t.Errorf("error text %q", pe.Text)
	}
	if len(res) != 2 || res[0].Status != plesk1691.ResultStatusOK || res[0].GetFilterID() != "ann" {
		t.Errorf("results = %+v, want ann ok then the injected error", res)
	}
	if _, ok := srv.Customer("ann"); ok {
		t.Error("ann was not deleted by the built-in call")
	}
	if _, ok := srv.Customer("ben"); !ok {
		t.Error("ben was deleted despite the injected failure")
	}
	// Without the injection the call goes through: the built-in answer,
	// a not-found error included, comes back as the fake's own.
	_, err = c.Customer.Del(t.Context(), &plesk1691.CustomerDel{Filter: plesk1691.ClientSelectionFilter{Login: []string{"cid", "nobody"}}})
	wantError(t, err, "customer", "del", 1013, rpc.ErrNotFound)
	if _, ok := srv.Customer("cid"); ok {
		t.Error("cid was not deleted")
	}
}

// TestBuiltinOutsideHandler: Builtin needs a handler's context.
func TestBuiltinOutsideHandler(t *testing.T) {
	_, err := plesktest.Builtin[plesk1691.CustomerDel, plesk1691.ResultFilter](context.Background(), &plesk1691.CustomerDel{})
	var pe *plesktest.Error
	if !errors.As(err, &pe) || !strings.Contains(pe.Text, "handler") {
		t.Errorf("Builtin outside a handler: %v", err)
	}
}

// TestSharedStateConcurrent: handlers running at once change the fake's
// objects through Update while packets of the fake's own run; every change
// is kept and seen.
func TestSharedStateConcurrent(t *testing.T) {
	srv := newTLS(t)
	srv.AddCustomer(plesktest.Customer{Login: "owner"})
	plesktest.Handle(srv, "webspace", "add", func(ctx context.Context, req *plesk1691.WebspaceAdd) ([]plesk1691.WebspaceAddResult, error) {
		var added *plesktest.Subscription
		err := srv.Update(func(st *plesktest.State) error {
			var err error
			name := ""
			for _, it := range req.GenSetup.Items {
				if it.Name != nil {
					name = *it.Name
				}
			}
			added, err = st.AddSubscription(plesktest.Subscription{Name: name, Owner: "owner"})
			return err
		})
		if err != nil {
			return nil, plesktest.Errorf(1007, "%v", err)
		}
		return []plesk1691.WebspaceAddResult{{Status: plesk1691.ResultStatusOK, ID: rpc.Ptr(added.ID)}}, nil
	})
	c := bindings(t, srv)
	const n = 20
	var wg sync.WaitGroup
	errs := make(chan error, 2*n)
	for i := range n {
		wg.Add(2)
		go func() {
			defer wg.Done()
			_, err := c.Webspace.Add(context.Background(), &plesk1691.WebspaceAdd{GenSetup: plesk1691.WebspaceAddGenSetup{
				Items: []plesk1691.WebspaceAddGenSetupItem{{Name: rpc.Ptr(fmt.Sprintf("s%d.example", i))}}}})
			errs <- err
		}()
		go func() {
			defer wg.Done()
			_, err := c.Webspace.Get(context.Background(), &plesk1691.WebspaceGet{Dataset: plesk1691.DomainDataset{GenInfo: &rpc.Empty{}}})
			if err != nil && !errors.Is(err, rpc.ErrNotFound) {
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	if got := len(srv.Subscriptions("owner")); got != n {
		t.Errorf("%d subscriptions, want %d", got, n)
	}
	// A duplicate name is refused by the State method, as AddSubscription
	// would: an error, not a panic.
	_, err := c.Webspace.Add(t.Context(), &plesk1691.WebspaceAdd{GenSetup: plesk1691.WebspaceAddGenSetup{
		Items: []plesk1691.WebspaceAddGenSetupItem{{Name: rpc.Ptr("s0.example")}}}})
	wantError(t, err, "webspace", "add", 1007, nil)
}

// TestStateReadOnlyInView: the State of View refuses changes.
func TestStateReadOnlyInView(t *testing.T) {
	srv := plesktest.NewServer()
	defer srv.Close()
	srv.View(func(st *plesktest.State) {
		if _, err := st.AddCustomer(plesktest.Customer{Login: "x"}); err == nil {
			t.Error("AddCustomer in View succeeded")
		}
	})
	if _, ok := srv.Customer("x"); ok {
		t.Error("View added a customer")
	}
}

// TestIPGet: ip/get lists the addresses the server holds, the whole
// server for the administrator and its pool for a reseller, with what the
// test set or the defaults.
func TestIPGet(t *testing.T) {
	srv := newTLS(t)
	srv.AddIP(
		plesktest.IPAddress{Address: "192.0.2.10"},
		plesktest.IPAddress{Address: "192.0.2.11", Type: plesktest.IPExclusive, Netmask: "255.255.0.0", Interface: "ens3", PublicAddress: "203.0.113.5"},
	)
	srv.AddReseller(plesktest.Reseller{Login: "res", Password: "reseller-password", IPs: []string{"192.0.2.11"}})
	list := func(c *plesk1691.Client) []plesk1691.IPGetResultAddressesIPInfo {
		res, err := c.IP.Get(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		if len(res) != 1 || res[0].Addresses == nil {
			t.Fatalf("ip/get: %+v", res)
		}
		return res[0].Addresses.IPInfo
	}
	all := list(bindings(t, srv))
	if len(all) != 2 || all[0].IPAddress != "192.0.2.10" || all[0].Type != plesk1691.IPTypeShared || all[0].Netmask != "255.255.255.0" {
		t.Fatalf("admin's ip/get: %+v", all)
	}
	if a := all[1]; a.Type != plesk1691.IPTypeExclusive || a.Netmask != "255.255.0.0" || a.Interface != "ens3" || a.GetPublicIPAddress() != "203.0.113.5" {
		t.Errorf("second address: %+v", a)
	}
	// An address added through Update is listed at once.
	if err := srv.Update(func(st *plesktest.State) error {
		st.IP("192.0.2.10").Interface = "eth1"
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if got := list(bindings(t, srv)); got[0].Interface != "eth1" {
		t.Errorf("after Update: %+v", got[0])
	}
	pool := list(bindings(t, srv, rpc.WithLogin("res", "reseller-password")))
	if len(pool) != 1 || pool[0].IPAddress != "192.0.2.11" {
		t.Errorf("reseller's ip/get: %+v", pool)
	}
}

// TestWebspaceSet: the fake's own webspace/set changes the owner, name,
// IP and external id of the matched subscriptions, refuses an unknown
// owner, name clash or IP with Plesk's codes, and does not drop values it
// does not keep in silence.
func TestWebspaceSet(t *testing.T) {
	srv := newTLS(t)
	srv.AddIP(plesktest.IPAddress{Address: "192.0.2.10"}, plesktest.IPAddress{Address: "192.0.2.11"})
	srv.AddCustomer(plesktest.Customer{Login: "alice"})
	bob := srv.AddCustomer(plesktest.Customer{Login: "bob"})
	sub := srv.AddSubscription(plesktest.Subscription{Name: "a.example", Owner: "alice", IP: "192.0.2.10"})
	srv.AddSubscription(plesktest.Subscription{Name: "b.example", Owner: "alice"})
	c := bindings(t, srv)
	set := func(items ...plesk1691.SetGenSetupItem) error {
		_, err := c.Webspace.Set(t.Context(), &plesk1691.WebspaceSet{
			Filter: plesk1691.DomainFilter{ID: []int64{sub.ID}},
			Values: plesk1691.WebspaceSetValues{GenSetup: &plesk1691.SetGenSetup{Items: items}},
		})
		return err
	}
	if err := set(plesk1691.SetGenSetupItem{OwnerID: rpc.Ptr(bob.ID)}, plesk1691.SetGenSetupItem{IPAddress: rpc.Ptr("192.0.2.11")},
		plesk1691.SetGenSetupItem{ExternalID: rpc.Ptr("ext-1")}); err != nil {
		t.Fatal(err)
	}
	s, _ := srv.Subscription(sub.ID)
	if s.Owner != "bob" || s.IP != "192.0.2.11" || s.ExternalID != "ext-1" {
		t.Errorf("after set: %+v", s)
	}
	if got := ownerByGet(t, c, sub.ID); got != "bob" {
		t.Errorf("webspace/get owner %q, want bob", got)
	}
	wantError(t, set(plesk1691.SetGenSetupItem{OwnerLogin: rpc.Ptr("nobody")}), "webspace", "set", 1015, nil)
	wantError(t, set(plesk1691.SetGenSetupItem{Name: rpc.Ptr("b.example")}), "webspace", "set", 1007, nil)
	wantError(t, set(plesk1691.SetGenSetupItem{IPAddress: rpc.Ptr("198.51.100.1")}), "webspace", "set", 1013, nil)
	wantError(t, set(plesk1691.SetGenSetupItem{Description: rpc.Ptr("x")}), "webspace", "set", 1023, nil)
	if s2, _ := srv.Subscription(sub.ID); s2.Owner != "bob" || s2.Name != "a.example" || s2.IP != "192.0.2.11" {
		t.Errorf("a refused set changed the subscription: %+v", s2)
	}
}

// TestHandleEmptyRequest: an operation without a request (ip/get) takes
// *rpc.Empty, and Builtin calls through with it; the handler alters the
// fake's own answer.
func TestHandleEmptyRequest(t *testing.T) {
	srv := newTLS(t)
	srv.AddIP(plesktest.IPAddress{Address: "192.0.2.10"})
	plesktest.Handle(srv, "ip", "get", func(ctx context.Context, req *rpc.Empty) ([]plesk1691.IPGetResult, error) {
		res, err := plesktest.Builtin[rpc.Empty, plesk1691.IPGetResult](ctx, req)
		if err != nil {
			return nil, err
		}
		for i := range res {
			for j := range res[i].Addresses.IPInfo {
				res[i].Addresses.IPInfo[j].Interface = "wrapped0"
			}
		}
		return res, nil
	})
	res, err := bindings(t, srv).IP.Get(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != 1 || len(res[0].Addresses.IPInfo) != 1 || res[0].Addresses.IPInfo[0].IPAddress != "192.0.2.10" ||
		res[0].Addresses.IPInfo[0].Interface != "wrapped0" {
		t.Errorf("ip/get through the wrapping handler: %+v", res)
	}
}
