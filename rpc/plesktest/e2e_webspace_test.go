package plesktest_test

import (
	"strconv"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pleskgo/plesk/generated/plesk1691"
	"github.com/pleskgo/plesk/rpc"
	"github.com/pleskgo/plesk/rpc/plesktest"
)

// planFixture: example.com follows the plan Basic and has SSL locked on;
// Premium wants SSL off and SSI on; Unlimited changes nothing locked.
type planFixture struct {
	srv                       *plesktest.Server
	basic, premium, unlimited plesktest.Plan
	sub                       plesktest.Subscription
}

func newPlanFixture(t *testing.T) planFixture {
	srv := newTLS(t)
	f := planFixture{srv: srv}
	f.basic = srv.AddPlan(plesktest.Plan{Name: "Basic", Settings: []plesktest.Setting{
		{Name: "Hard disk quota", Value: "Unlimited"},
		{Name: "SSL support", Value: "switched on"},
		{Name: "SSI support", Value: "switched off"},
	}})
	f.premium = srv.AddPlan(plesktest.Plan{Name: "Premium", GUID: "cc982f71-48c3-479d-bc7b-59b97547e092", Settings: []plesktest.Setting{
		{Name: "Hard disk quota", Value: "Unlimited"},
		{Name: "SSL support", Value: "switched off"},
		{Name: "SSI support", Value: "switched on"},
	}})
	f.unlimited = srv.AddPlan(plesktest.Plan{Name: "Unlimited", ExternalID: "billing-42", Settings: []plesktest.Setting{
		{Name: "Hard disk quota", Value: "Unlimited"},
	}})
	f.sub = srv.AddSubscription(plesktest.Subscription{Name: "example.com", PlanGUID: f.basic.GUID, Locked: []string{"SSL support"}})
	return f
}

// TestSwitchSubscriptionProblems: the new plan conflicts with a locked
// setting; the switch succeeds (status ok) and reports the table.
func TestSwitchSubscriptionProblems(t *testing.T) {
	f := newPlanFixture(t)
	c := bindings(t, f.srv)
	res, err := c.Webspace.SwitchSubscription(t.Context(), &plesk1691.WebspaceSwitchSubscription{
		Filter:   plesk1691.DomainFilter{ID: []int64{f.sub.ID}},
		PlanGUID: rpc.Ptr(f.premium.GUID),
	})
	if err != nil {
		t.Fatal(err)
	}
	problems := "" +
		"Description                   Current      Requested    Allowed     \n" +
		"Hard disk quota (example.com) Unlimited    Unlimited    Unlimited   \n" +
		"SSL support (example.com)     switched on  switched off switched on \n" +
		"SSI support (example.com)     switched off switched on  switched on"
	id := f.sub.ID
	want := []plesk1691.WebspaceSwitchSubscriptionResult{{
		Status: plesk1691.ResultStatusOK, FilterID: rpc.Ptr(strconv.FormatInt(id, 10)), ID: &id, Problems: &problems,
	}}
	if diff := cmp.Diff(want, res); diff != "" {
		t.Errorf("switch-subscription (-want +got):\n%s", diff)
	}
	sub, _ := f.srv.Subscription(f.sub.ID)
	if sub.PlanGUID != f.premium.GUID {
		t.Errorf("plan = %q, want %q", sub.PlanGUID, f.premium.GUID)
	}
	for name, want := range map[string]string{"SSL support": "switched on", "SSI support": "switched on"} {
		if got, _ := sub.Setting(name); got != want {
			t.Errorf("%s = %q, want %q", name, got, want)
		}
	}

	// The plan shows over the wire in the subscriptions dataset.
	got, err := c.Webspace.Get(t.Context(), &plesk1691.WebspaceGet{
		Filter:  plesk1691.DomainFilter{Name: []string{"example.com"}},
		Dataset: plesk1691.DomainDataset{GenInfo: &rpc.Empty{}, Subscriptions: &rpc.Empty{}},
	})
	if err != nil || len(got) != 1 || got[0].Data.Subscriptions == nil || got[0].Data.Subscriptions.Subscription.Plan[0].PlanGUID != f.premium.GUID {
		t.Fatalf("webspace get = %+v, %v", got, err)
	}
	if gi := got[0].Data.GenInfo; gi == nil || gi.Name != "example.com" || gi.GUID != f.sub.GUID {
		t.Errorf("gen_info = %+v", gi)
	}
}

// TestSwitchSubscriptionByExternalIDAndNoPlan: no conflict means no
// problems; no-plan detaches the subscription and keeps its settings.
func TestSwitchSubscriptionByExternalIDAndNoPlan(t *testing.T) {
	f := newPlanFixture(t)
	c := bindings(t, f.srv)
	res, err := c.Webspace.SwitchSubscription(t.Context(), &plesk1691.WebspaceSwitchSubscription{
		Filter:         plesk1691.DomainFilter{Name: []string{"example.com"}},
		PlanExternalID: rpc.Ptr("billing-42"),
	})
	if err != nil || len(res) != 1 || res[0].Problems != nil || *res[0].FilterID != "example.com" {
		t.Fatalf("switch by external id = %+v, %v; want ok without problems", res, err)
	}
	if sub, _ := f.srv.Subscription(f.sub.ID); sub.PlanGUID != f.unlimited.GUID {
		t.Errorf("plan = %q, want %q", sub.PlanGUID, f.unlimited.GUID)
	}

	res, err = c.Webspace.SwitchSubscription(t.Context(), &plesk1691.WebspaceSwitchSubscription{
		Filter: plesk1691.DomainFilter{GUID: []string{f.sub.GUID}},
		NoPlan: &rpc.Empty{},
	})
	if err != nil || len(res) != 1 || res[0].Problems != nil {
		t.Fatalf("switch to no plan = %+v, %v", res, err)
	}
	sub, _ := f.srv.Subscription(f.sub.ID)
	if sub.PlanGUID != "" {
		t.Errorf("plan = %q after no-plan", sub.PlanGUID)
	}
	if v, _ := sub.Setting("SSL support"); v != "switched on" {
		t.Errorf("no-plan changed a setting: SSL support = %q", v)
	}
}

func TestSwitchSubscriptionErrors(t *testing.T) {
	f := newPlanFixture(t)
	c := bindings(t, f.srv)

	_, err := c.Webspace.SwitchSubscription(t.Context(), &plesk1691.WebspaceSwitchSubscription{
		Filter: plesk1691.DomainFilter{ID: []int64{f.sub.ID}}, PlanGUID: rpc.Ptr("00000000-0000-0000-0000-000000000000"),
	})
	wantError(t, err, "webspace", "switch-subscription", 1013, rpc.ErrNotFound)
	_, err = c.Webspace.SwitchSubscription(t.Context(), &plesk1691.WebspaceSwitchSubscription{
		Filter: plesk1691.DomainFilter{ID: []int64{f.sub.ID}}, PlanExternalID: rpc.Ptr("nope"),
	})
	wantError(t, err, "webspace", "switch-subscription", 1013, rpc.ErrNotFound)
	if sub, _ := f.srv.Subscription(f.sub.ID); sub.PlanGUID != f.basic.GUID {
		t.Errorf("a failed switch changed the plan to %q", sub.PlanGUID)
	}

	res, err := c.Webspace.SwitchSubscription(t.Context(), &plesk1691.WebspaceSwitchSubscription{
		Filter: plesk1691.DomainFilter{ID: []int64{404}}, PlanGUID: rpc.Ptr(f.premium.GUID),
	})
	pe := wantError(t, err, "webspace", "switch-subscription", 1013, rpc.ErrNotFound)
	if pe.FilterID != "404" || len(res) != 1 {
		t.Errorf("error %+v, results %+v", pe, res)
	}

	// A filter by owner that matches nothing: Plesk's empty answer.
	_, err = c.Webspace.SwitchSubscription(t.Context(), &plesk1691.WebspaceSwitchSubscription{
		Filter: plesk1691.DomainFilter{OwnerLogin: []string{"nobody"}}, NoPlan: &rpc.Empty{},
	})
	if pe := wantError(t, err, "webspace", "switch-subscription", 0, rpc.ErrNoMatch); pe.FilterID != "nobody" {
		t.Errorf("filter-id %q", pe.FilterID)
	}
}

// TestWebspaceAddDel covers the webspace operations that set up and
// observe subscriptions.
func TestWebspaceAddDel(t *testing.T) {
	f := newPlanFixture(t)
	f.srv.AddIP(plesktest.IPAddress{Address: "192.0.2.48"})
	c := bindings(t, f.srv)
	res, err := c.Webspace.Add(t.Context(), &plesk1691.WebspaceAdd{
		GenSetup: plesk1691.WebspaceAddGenSetup{Items: []plesk1691.WebspaceAddGenSetupItem{
			{Name: rpc.Ptr("shop.example")}, {IPAddress: rpc.Ptr("192.0.2.48")},
		}},
		PlanName: rpc.Ptr("Premium"),
	})
	if err != nil || len(res) != 1 || res[0].ID == nil {
		t.Fatalf("add = %+v, %v", res, err)
	}
	sub, ok := f.srv.Subscription(*res[0].ID)
	if !ok || sub.Name != "shop.example" || sub.IP != "192.0.2.48" || sub.PlanGUID != f.premium.GUID {
		t.Errorf("added subscription = %+v", sub)
	}
	_, err = c.Webspace.Add(t.Context(), &plesk1691.WebspaceAdd{
		GenSetup: plesk1691.WebspaceAddGenSetup{Items: []plesk1691.WebspaceAddGenSetupItem{{Name: rpc.Ptr("shop.example")}}},
	})
	wantError(t, err, "webspace", "add", 1007, rpc.ErrAlreadyExists)
	if _, err := c.Webspace.Del(t.Context(), &plesk1691.WebspaceDel{Filter: plesk1691.DomainFilter{Name: []string{"shop.example"}}}); err != nil {
		t.Fatal(err)
	}
	if _, ok := f.srv.SubscriptionByName("shop.example"); ok {
		t.Error("del left the subscription")
	}
}
