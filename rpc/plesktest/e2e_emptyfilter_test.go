package plesktest_test

import (
	"encoding/xml"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/pleskgo/plesk/generated/plesk1691"
	"github.com/pleskgo/plesk/rpc"
	"github.com/pleskgo/plesk/rpc/plesktest"
)

// emptyFilterFixture is a server holding n customers of the administrator,
// each with one subscription holding one database, plus a reseller, a plan
// and a second database server. The objects the tests expect to see after
// an operation are counted from it.
func emptyFilterFixture(t *testing.T, n int) (*plesktest.Server, plesktest.Plan) {
	srv := newTLS(t)
	srv.AddIP(plesktest.IPAddress{Address: "192.0.2.10"})
	srv.AddReseller(plesktest.Reseller{Login: "res", IPs: []string{"192.0.2.10"}})
	plan := srv.AddPlan(plesktest.Plan{Name: "Gold", Settings: []plesktest.Setting{{Name: "Hard disk quota", Value: "5 GB"}}})
	srv.AddDBServer(plesktest.DBServer{Host: "localhost", Port: 3306, Type: "mysql"})
	srv.AddDBServer(plesktest.DBServer{Host: "db2.example.net", Port: 3306, Type: "mysql"})
	for i := range n {
		login := fmt.Sprintf("cust%d", i)
		srv.AddCustomer(plesktest.Customer{Login: login})
		sub := srv.AddSubscription(plesktest.Subscription{Name: fmt.Sprintf("s%d.example", i), Owner: login, IP: "192.0.2.10"})
		srv.AddDatabase(plesktest.Database{Name: fmt.Sprintf("db%d", i), Type: "mysql", SubscriptionID: sub.ID})
	}
	return srv, plan
}

// TestEmptyFilterMatchesAll posts, for each filtered operation the fake
// implements, a packet whose filter is <filter/> (built here and posted
// raw, since the client refuses to send an empty filter for a state
// change): every object of the operator is matched, as in Plesk, whatever
// the number of objects. The fixtures' sizes are drawn at random, seeded
// per test run name so that a failure names its size.
func TestEmptyFilterMatchesAll(t *testing.T) {
	type check struct {
		name string
		item func(plan plesktest.Plan) plesk1691.RequestPacketItem
		// results counts the ok results of the answer.
		results func(plesk1691.ResponsePacketItem) []plesk1691.ResultStatus
		// after checks the server once the packet ran, with n objects
		// before it.
		after func(t *testing.T, srv *plesktest.Server, n int, plan plesktest.Plan)
	}
	filterStatuses := func(rs []plesk1691.ResultFilter) []plesk1691.ResultStatus {
		var out []plesk1691.ResultStatus
		for _, r := range rs {
			out = append(out, r.Status)
		}
		return out
	}
	countSubs := func(srv *plesktest.Server) (n int) {
		srv.View(func(st *plesktest.State) { n = len(st.Subscriptions()) })
		return n
	}
	checks := []check{
		{
			name: "customer/get",
			item: func(plesktest.Plan) plesk1691.RequestPacketItem {
				return plesk1691.RequestPacketItem{Customer: &plesk1691.CustomerCall{Items: []plesk1691.CustomerCallItem{{
					Get: &plesk1691.CustomerGet{Dataset: plesk1691.ClientDataset{GenInfo: &rpc.Empty{}}}}}}}
			},
			results: func(it plesk1691.ResponsePacketItem) (out []plesk1691.ResultStatus) {
				for _, r := range it.Customer.Items[0].Get.Result {
					out = append(out, r.Status)
				}
				return out
			},
		},
		{
			name: "customer/del",
			item: func(plesktest.Plan) plesk1691.RequestPacketItem {
				return plesk1691.RequestPacketItem{Customer: &plesk1691.CustomerCall{Items: []plesk1691.CustomerCallItem{{Del: &plesk1691.CustomerDel{}}}}}
			},
			results: func(it plesk1691.ResponsePacketItem) []plesk1691.ResultStatus {
				return filterStatuses(it.Customer.Items[0].Del.Result)
			},
			after: func(t *testing.T, srv *plesktest.Server, n int, _ plesktest.Plan) {
				srv.View(func(st *plesktest.State) {
					if len(st.Customers())+len(st.Subscriptions())+len(st.Databases()) != 0 {
						t.Errorf("left %d customers, %d subscriptions, %d databases", len(st.Customers()), len(st.Subscriptions()), len(st.Databases()))
					}
				})
			},
		},
		{
			name: "customer/change-owner",
			item: func(plesktest.Plan) plesk1691.RequestPacketItem {
				return plesk1691.RequestPacketItem{Customer: &plesk1691.CustomerCall{Items: []plesk1691.CustomerCallItem{{
					ChangeOwner: &plesk1691.CustomerChangeOwner{NewOwnerLogin: "res", IPv4Address: []string{"192.0.2.10"}}}}}}
			},
			results: func(it plesk1691.ResponsePacketItem) []plesk1691.ResultStatus {
				return filterStatuses(it.Customer.Items[0].ChangeOwner.Result)
			},
			after: func(t *testing.T, srv *plesktest.Server, n int, _ plesktest.Plan) {
				srv.View(func(st *plesktest.State) {
					for _, c := range st.Customers() {
						if c.Owner != "res" {
							t.Errorf("customer %s still owned by %s", c.Login, c.Owner)
						}
					}
				})
			},
		},
		{
			name: "webspace/get",
			item: func(plesktest.Plan) plesk1691.RequestPacketItem {
				return plesk1691.RequestPacketItem{Webspace: &plesk1691.WebspaceCall{Items: []plesk1691.WebspaceCallItem{{
					Get: &plesk1691.WebspaceGet{Dataset: plesk1691.DomainDataset{GenInfo: &rpc.Empty{}}}}}}}
			},
			results: func(it plesk1691.ResponsePacketItem) (out []plesk1691.ResultStatus) {
				for _, r := range it.Webspace.Items[0].Get.Result {
					out = append(out, r.Status)
				}
				return out
			},
		},
		{
			name: "webspace/del",
			item: func(plesktest.Plan) plesk1691.RequestPacketItem {
				return plesk1691.RequestPacketItem{Webspace: &plesk1691.WebspaceCall{Items: []plesk1691.WebspaceCallItem{{Del: &plesk1691.WebspaceDel{}}}}}
			},
			results: func(it plesk1691.ResponsePacketItem) []plesk1691.ResultStatus {
				return filterStatuses(it.Webspace.Items[0].Del.Result)
			},
			after: func(t *testing.T, srv *plesktest.Server, n int, _ plesktest.Plan) {
				if got := countSubs(srv); got != 0 {
					t.Errorf("%d subscriptions left", got)
				}
			},
		},
		{
			name: "webspace/set",
			item: func(plesktest.Plan) plesk1691.RequestPacketItem {
				return plesk1691.RequestPacketItem{Webspace: &plesk1691.WebspaceCall{Items: []plesk1691.WebspaceCallItem{{Set: &plesk1691.WebspaceSet{
					Values: plesk1691.WebspaceSetValues{GenSetup: &plesk1691.SetGenSetup{Items: []plesk1691.SetGenSetupItem{{OwnerLogin: rpc.Ptr("res")}}}}}}}}}
			},
			results: func(it plesk1691.ResponsePacketItem) []plesk1691.ResultStatus {
				return filterStatuses(it.Webspace.Items[0].Set.Result)
			},
			after: func(t *testing.T, srv *plesktest.Server, n int, _ plesktest.Plan) {
				if got := len(srv.Subscriptions("res")); got != n {
					t.Errorf("%d subscriptions moved to res, want %d", got, n)
				}
			},
		},
		{
			name: "webspace/switch-subscription",
			item: func(plan plesktest.Plan) plesk1691.RequestPacketItem {
				return plesk1691.RequestPacketItem{Webspace: &plesk1691.WebspaceCall{Items: []plesk1691.WebspaceCallItem{{
					SwitchSubscription: &plesk1691.WebspaceSwitchSubscription{PlanGUID: rpc.Ptr(plan.GUID)}}}}}
			},
			results: func(it plesk1691.ResponsePacketItem) (out []plesk1691.ResultStatus) {
				for _, r := range it.Webspace.Items[0].SwitchSubscription.Result {
					out = append(out, r.Status)
				}
				return out
			},
			after: func(t *testing.T, srv *plesktest.Server, n int, plan plesktest.Plan) {
				srv.View(func(st *plesktest.State) {
					for _, s := range st.Subscriptions() {
						if s.PlanGUID != plan.GUID {
							t.Errorf("%s is not on the plan", s.Name)
						}
					}
				})
			},
		},
		{
			name: "database/get-db",
			item: func(plesktest.Plan) plesk1691.RequestPacketItem {
				return plesk1691.RequestPacketItem{Database: &plesk1691.DatabaseCall{Items: []plesk1691.DatabaseCallItem{{GetDB: &plesk1691.DatabaseGetDB{}}}}}
			},
			results: func(it plesk1691.ResponsePacketItem) (out []plesk1691.ResultStatus) {
				for _, r := range it.Database.Items[0].GetDB.Result {
					out = append(out, r.Status)
				}
				return out
			},
		},
		{
			name: "database/del-db",
			item: func(plesktest.Plan) plesk1691.RequestPacketItem {
				return plesk1691.RequestPacketItem{Database: &plesk1691.DatabaseCall{Items: []plesk1691.DatabaseCallItem{{DelDB: &plesk1691.DatabaseDelDB{}}}}}
			},
			results: func(it plesk1691.ResponsePacketItem) []plesk1691.ResultStatus {
				return filterStatuses(it.Database.Items[0].DelDB.Result)
			},
			after: func(t *testing.T, srv *plesktest.Server, n int, _ plesktest.Plan) {
				srv.View(func(st *plesktest.State) {
					if got := len(st.Databases()); got != 0 {
						t.Errorf("%d databases left", got)
					}
				})
			},
		},
	}
	seed := rand.Uint64()
	t.Logf("seed %d", seed)
	rng := rand.New(rand.NewPCG(seed, 0))
	for _, ck := range checks {
		for range 3 {
			n := 1 + rng.IntN(6)
			t.Run(fmt.Sprintf("%s/%d objects", ck.name, n), func(t *testing.T) {
				srv, plan := emptyFilterFixture(t, n)
				packet := plesk1691.RequestPacket{Version: rpc.Ptr(plesk1691.ProtocolVersion), Items: []plesk1691.RequestPacketItem{ck.item(plan)}}
				body, err := xml.Marshal(&packet)
				if err != nil {
					t.Fatal(err)
				}
				out := postRaw(t, dial(t, srv), string(body))
				var p plesk1691.ResponsePacket
				if err := decodeResponse(out, &p); err != nil || len(p.Items) != 1 {
					t.Fatalf("answer: %v\n%s", err, out)
				}
				statuses := ck.results(p.Items[0])
				if len(statuses) != n {
					t.Fatalf("%d results for %d objects:\n%s", len(statuses), n, out)
				}
				for _, s := range statuses {
					if s != plesk1691.ResultStatusOK {
						t.Fatalf("a result is not ok:\n%s", out)
					}
				}
				if ck.after != nil {
					ck.after(t, srv, n, plan)
				}
			})
		}
	}
}
