package plesktest_test

import (
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pleskgo/plesk/generated/plesk1691"
	"github.com/pleskgo/plesk/rpc"
	"github.com/pleskgo/plesk/rpc/plesktest"
)

// ownerFixture: customer1 belongs to reseller res1 and has one
// subscription; the administrator has the plan "Admin Simple".
type ownerFixture struct {
	srv  *plesktest.Server
	cust plesktest.Customer
	sub  plesktest.Subscription
	plan plesktest.Plan
}

func newOwnerFixture(t *testing.T) ownerFixture {
	srv := newTLS(t)
	srv.AddIP(
		plesktest.IPAddress{Address: "192.0.2.10"},
		plesktest.IPAddress{Address: "10.52.47.125"},
		plesktest.IPAddress{Address: "2001:db8::10"},
	)
	srv.AddReseller(plesktest.Reseller{Login: "res1", IPs: []string{"192.0.2.10"}})
	srv.AddReseller(plesktest.Reseller{Login: "res2", IPs: []string{"192.0.2.10"}})
	f := ownerFixture{srv: srv}
	f.plan = srv.AddPlan(plesktest.Plan{Name: "Admin Simple", Settings: []plesktest.Setting{{Name: "Hard disk quota", Value: "10 GB"}}})
	f.cust = srv.AddCustomer(plesktest.Customer{Login: "customer1", Owner: "res1", IPs: []string{"192.0.2.10"}})
	f.sub = srv.AddSubscription(plesktest.Subscription{Name: "customer1.example", Owner: "customer1", IP: "192.0.2.10"})
	return f
}

// TestChangeOwner transfers a customer to the administrator, as the
// published sample does: the answer echoes the login as filter-id, and the
// customer, its IPs and its subscription's plan are the new owner's.
func TestChangeOwner(t *testing.T) {
	f := newOwnerFixture(t)
	c := bindings(t, f.srv)
	res, err := c.Customer.ChangeOwner(t.Context(), &plesk1691.CustomerChangeOwner{
		Filter:        plesk1691.ClientSelectionFilter{Login: []string{"customer1"}},
		NewOwnerLogin: plesktest.AdminLogin,
		IPv4Address:   []string{"10.52.47.125"},
		PlanName:      rpc.Ptr("Admin Simple"),
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []plesk1691.ResultFilter{{Status: plesk1691.ResultStatusOK, FilterID: rpc.Ptr("customer1"), ID: &f.cust.ID}}
	if diff := cmp.Diff(want, res); diff != "" {
		t.Errorf("change-owner (-want +got):\n%s", diff)
	}
	cust, _ := f.srv.Customer("customer1")
	if cust.Owner != plesktest.AdminLogin || !slices.Equal(cust.IPs, []string{"10.52.47.125"}) {
		t.Errorf("customer = owner %q, IPs %v; want admin, [10.52.47.125]", cust.Owner, cust.IPs)
	}
	sub, _ := f.srv.Subscription(f.sub.ID)
	if sub.IP != "10.52.47.125" || sub.PlanGUID != f.plan.GUID {
		t.Errorf("subscription = IP %q, plan %q; want 10.52.47.125 on %s", sub.IP, sub.PlanGUID, f.plan.GUID)
	}

	// The new owner shows over the wire too.
	got, err := c.Customer.Get(t.Context(), &plesk1691.CustomerGet{
		Filter:  plesk1691.ClientSelectionFilter{ID: []int64{f.cust.ID}},
		Dataset: plesk1691.ClientDataset{GenInfo: &rpc.Empty{}},
	})
	if err != nil || len(got) != 1 || got[0].Data == nil || got[0].Data.GenInfo == nil || *got[0].Data.GenInfo.OwnerLogin != plesktest.AdminLogin {
		t.Errorf("customer get = %+v, %v", got, err)
	}
}

// TestChangeOwnerToReseller moves every customer of res1 to res2 with an
// IPv6 address, by owner-login.
func TestChangeOwnerToReseller(t *testing.T) {
	f := newOwnerFixture(t)
	other := f.srv.AddCustomer(plesktest.Customer{Login: "customer2", Owner: "res1"})
	res, err := bindings(t, f.srv).Customer.ChangeOwner(t.Context(), &plesk1691.CustomerChangeOwner{
		Filter:        plesk1691.ClientSelectionFilter{OwnerLogin: []string{"res1"}},
		NewOwnerLogin: "res2",
		IPv4Address:   []string{"192.0.2.10"},
	})
	if err != nil || len(res) != 2 || *res[1].ID != other.ID {
		t.Fatalf("change-owner = %+v, %v; want two results", res, err)
	}
	for _, login := range []string{"customer1", "customer2"} {
		if c, _ := f.srv.Customer(login); c.Owner != "res2" {
			t.Errorf("%s belongs to %q, want res2", login, c.Owner)
		}
	}
}

func TestChangeOwnerErrors(t *testing.T) {
	tests := []struct {
		name  string
		req   plesk1691.CustomerChangeOwner
		code  int
		class error
	}{
		{"unknown customer", plesk1691.CustomerChangeOwner{
			Filter: plesk1691.ClientSelectionFilter{Login: []string{"nobody"}}, NewOwnerLogin: "admin", IPv4Address: []string{"10.52.47.125"}},
			1013, rpc.ErrNotFound},
		{"unknown new owner", plesk1691.CustomerChangeOwner{
			Filter: plesk1691.ClientSelectionFilter{Login: []string{"customer1"}}, NewOwnerLogin: "neo", IPv4Address: []string{"10.52.47.125"}},
			1015, nil},
		{"a customer cannot own customers", plesk1691.CustomerChangeOwner{
			Filter: plesk1691.ClientSelectionFilter{Login: []string{"customer1"}}, NewOwnerLogin: "customer1", IPv4Address: []string{"10.52.47.125"}},
			1015, nil},
		{"no IP address", plesk1691.CustomerChangeOwner{
			Filter: plesk1691.ClientSelectionFilter{Login: []string{"customer1"}}, NewOwnerLogin: "admin"},
			1019, rpc.ErrInvalidRequest},
		{"unknown IP address", plesk1691.CustomerChangeOwner{
			Filter: plesk1691.ClientSelectionFilter{Login: []string{"customer1"}}, NewOwnerLogin: "admin", IPv4Address: []string{"198.51.100.7"}},
			1013, rpc.ErrNotFound},
		{"IP outside the new owner's pool", plesk1691.CustomerChangeOwner{
			Filter: plesk1691.ClientSelectionFilter{Login: []string{"customer1"}}, NewOwnerLogin: "res2", IPv6Address: []string{"2001:db8::10"}},
			1023, nil},
		{"plan of another owner", plesk1691.CustomerChangeOwner{
			Filter: plesk1691.ClientSelectionFilter{Login: []string{"customer1"}}, NewOwnerLogin: "res2", IPv4Address: []string{"192.0.2.10"}, PlanName: rpc.Ptr("Admin Simple")},
			1013, rpc.ErrNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newOwnerFixture(t)
			res, err := bindings(t, f.srv).Customer.ChangeOwner(t.Context(), &tt.req)
			pe := wantError(t, err, "customer", "change-owner", tt.code, tt.class)
			if pe.FilterID != tt.req.Filter.Login[0] || len(res) != 1 {
				t.Errorf("filter-id %q, results %+v", pe.FilterID, res)
			}
			if c, _ := f.srv.Customer("customer1"); c.Owner != "res1" || !slices.Equal(c.IPs, []string{"192.0.2.10"}) {
				t.Errorf("a refused change-owner changed the customer: %+v", c)
			}
		})
	}
}

// TestCustomerAddGetDel covers the customer operations that set up and
// observe state.
func TestCustomerAddGetDel(t *testing.T) {
	f := newOwnerFixture(t)
	c := bindings(t, f.srv)
	ctx := t.Context()
	res, err := c.Customer.Add(ctx, &plesk1691.CustomerAdd{GenInfo: plesk1691.ClientAddGenInfo{
		Pname: "Stephen Lowell", Login: "stevelow", Passwd: "Jhtr66fBB", Cname: rpc.Ptr("LogicSoft Ltd."), OwnerLogin: rpc.Ptr("res1"),
	}})
	if err != nil || len(res) != 1 || res[0].ID == nil || res[0].GUID == nil {
		t.Fatalf("add = %+v, %v", res, err)
	}
	if got, _ := f.srv.Customer("stevelow"); got.ID != *res[0].ID || got.Owner != "res1" || got.Company != "LogicSoft Ltd." {
		t.Errorf("added customer = %+v", got)
	}
	_, err = c.Customer.Add(ctx, &plesk1691.CustomerAdd{GenInfo: plesk1691.ClientAddGenInfo{Pname: "x", Login: "stevelow", Passwd: "x"}})
	wantError(t, err, "customer", "add", 1002, rpc.ErrAlreadyExists)

	got, err := c.Customer.Get(ctx, &plesk1691.CustomerGet{
		Filter:  plesk1691.ClientSelectionFilter{Login: []string{"customer1"}},
		Dataset: plesk1691.ClientDataset{Stat: &rpc.Empty{}},
	})
	if err != nil || len(got) != 1 || got[0].Data.Stat == nil || got[0].Data.Stat.ActiveDomains != 1 {
		t.Errorf("get stat = %+v, %v", got, err)
	}

	if _, err := c.Customer.Del(ctx, &plesk1691.CustomerDel{Filter: plesk1691.ClientSelectionFilter{Login: []string{"customer1"}}}); err != nil {
		t.Fatal(err)
	}
	if _, ok := f.srv.Customer("customer1"); ok {
		t.Error("del left the customer")
	}
	if _, ok := f.srv.Subscription(f.sub.ID); ok {
		t.Error("del left the customer's subscription")
	}
}
