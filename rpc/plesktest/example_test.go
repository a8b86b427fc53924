package plesktest_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"strings"
	"time"

	"github.com/pleskgo/plesk/generated/plesk1691"
	"github.com/pleskgo/plesk/rpc"
	"github.com/pleskgo/plesk/rpc/plesktest"
)

// connect returns the 1.6.9.1 bindings over HTTPS to srv, trusting its
// certificate as a client would pin a real Plesk's.
func connect(srv *plesktest.Server) *plesk1691.Client {
	client, err := rpc.NewClient(srv.URL,
		rpc.WithLogin(plesktest.AdminLogin, plesktest.DefaultAdminPassword),
		rpc.WithRootCAs(srv.CertPool()),
	)
	if err != nil {
		log.Fatal(err)
	}
	return plesk1691.New(client)
}

// This example migrates a customer with two webspaces from another Plesk
// server: it checks that Migration Manager is installed, starts the
// migration with an IP mapping and a database server mapping, polls its
// status under a deadline until it finishes, and ends it.
func Example_migration() {
	// The destination (the fake) and the source it can reach.
	srv := plesktest.NewTLSServer()
	defer srv.Close()
	srv.AddIP(plesktest.IPAddress{Address: "192.0.2.10"}, plesktest.IPAddress{Address: "192.0.2.20"})
	srv.AddDBServer(plesktest.DBServer{Host: "localhost", Port: 3306, Type: "mysql"})
	srv.AddDBServer(plesktest.DBServer{Host: "db.example.net", Port: 3306, Type: "mysql"})
	srv.AddSourceHost(plesktest.SourceHost{
		Host: "old.example.net", Login: "admin", Password: "source-password",
		Customers: []plesktest.SourceCustomer{{Login: "jdoe", Webspaces: []plesktest.SourceWebspace{
			{Name: "jdoe.example", Databases: []plesktest.SourceDatabase{{Name: "shop", Type: "mysql", Host: "localhost", Port: 3306}}},
			{Name: "blog.example"},
		}}},
	})

	c := connect(srv)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()

	if _, err := c.Migration.Check(ctx); errors.Is(err, rpc.ErrComponentMissing) {
		log.Fatal("Plesk Migration Manager is not installed")
	} else if err != nil {
		log.Fatal(err)
	}

	shared := func(oldIP, newIP string) plesk1691.MappedIP {
		return plesk1691.MappedIP{
			Old: plesk1691.IP{IPType: plesk1691.IPTypeShared, IPAddress: oldIP},
			New: plesk1691.IP{IPType: plesk1691.IPTypeShared, IPAddress: newIP},
		}
	}
	webIP := shared("203.0.113.7", "192.0.2.20")
	started, err := c.Migration.Start(ctx, &plesk1691.MigrationStart{
		Host: "old.example.net", Login: "admin", Password: "source-password",
		DestinationHostDirectory: "/var/lib/psa/dumps",
		SelectedObjects: plesk1691.SelectedObjects{MigrateCustomers: &plesk1691.SelectedClients{
			TargetOwner: plesktest.AdminLogin,
			Customer: []plesk1691.MappedClient{{
				Name: "jdoe",
				IP:   []plesk1691.MappedIP{shared("203.0.113.7", "192.0.2.20")},
				Webspace: []plesk1691.MappedDomain{
					{Name: "jdoe.example", IP: &webIP, DBServer: []plesk1691.MappedDBServer{{
						Old: plesk1691.DBServer{Host: "localhost", Port: "3306", Type: "mysql"},
						New: plesk1691.DBServer{Host: "db.example.net", Port: "3306", Type: "mysql"},
					}}},
					{Name: "blog.example"},
				},
			}},
		}},
	})
	if err != nil {
		log.Fatal(err) // 1023 host not accessible, 15006 subscription exists, 15007 unknown IP, …
	}
	id := started[0].GetMigrationID() // a typed string, sent back as it came
	fmt.Println("started migration", id)

	// Poll until the migration finishes or the deadline passes. A real
	// migration takes minutes: poll every few seconds.
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for done := false; !done; {
		res, err := c.Migration.GetStatus(ctx, &plesk1691.MigrationGetStatus{MigrationID: id})
		if err != nil {
			log.Fatal(err)
		}
		// Getters are nil-safe: st.GetFinished().GetSuccess() is nil,
		// not a panic, while the migration runs.
		switch st := &res[0]; {
		case st.GetMigrationStatus() != nil:
			fmt.Printf("%d of %d objects moved\n", st.GetMigrationStatus().GetCompleted(), st.GetMigrationStatus().GetTotal())
		case st.GetFinished().GetSuccess() != nil:
			fmt.Println("finished: success")
			done = true
		case st.GetFinished() != nil:
			for _, e := range st.GetFinished().GetError() {
				fmt.Println("finished with error:", strings.Join(e.GetMessage(), "; "))
			}
			done = true
		}
		if !done {
			select {
			case <-ctx.Done():
				log.Fatal(ctx.Err())
			case <-tick.C:
			}
		}
	}
	if _, err := c.Migration.Finish(ctx, &plesk1691.MigrationFinish{MigrationID: id}); err != nil {
		log.Fatal(err)
	}

	// What arrived, as the fake sees it.
	sub, _ := srv.SubscriptionByName("jdoe.example")
	db := srv.Databases(sub.ID)[0]
	server, _ := srv.DBServer(db.DBServerID)
	fmt.Printf("%s: IP %s, database %s on %s\n", sub.Name, sub.IP, db.Name, server.Host)
	// Output:
	// started migration 101
	// 1 of 3 objects moved
	// 2 of 3 objects moved
	// finished: success
	// jdoe.example: IP 192.0.2.20, database shop on db.example.net
}

// This example moves a database to another subscription of the same
// customer and lists the target's databases, both in one packet: a typed
// batch, whose operations Plesk runs in order.
func Example_assignToSubscription() {
	srv := plesktest.NewTLSServer()
	defer srv.Close()
	srv.AddCustomer(plesktest.Customer{Login: "jdoe"})
	oldSub := srv.AddSubscription(plesktest.Subscription{Name: "old.example", Owner: "jdoe"})
	newSub := srv.AddSubscription(plesktest.Subscription{Name: "new.example", Owner: "jdoe"})
	srv.AddDBServer(plesktest.DBServer{Host: "localhost", Port: 3306, Type: "mysql"})
	db := srv.AddDatabase(plesktest.Database{Name: "shop", Type: "mysql", SubscriptionID: oldSub.ID})

	b := connect(srv).Batch()
	moved := b.Database.AssignToSubscription(&plesk1691.DatabaseAssignToSubscription{
		Filter:     plesk1691.DatabaseFilter{ID: []int64{db.ID}}, // database ids are int64
		WebspaceID: newSub.ID,
	})
	listed := b.Database.GetDB(&plesk1691.DatabaseGetDB{
		Filter: plesk1691.DatabaseFilter{WebspaceName: []string{"new.example"}},
	})
	if err := b.Send(context.Background()); err != nil {
		log.Fatal(err) // the packet as a whole failed
	}
	res, err := moved.Results()
	if err != nil {
		log.Fatal(err) // 1013 for an unknown database or webspace
	}
	fmt.Printf("database %d moved (filter-id %s)\n", res[0].GetID(), res[0].GetFilterID())

	got, err := listed.Results()
	if err != nil {
		log.Fatal(err)
	}
	for _, d := range got {
		fmt.Printf("new.example has %s (webspace-id %d)\n", d.GetName(), d.GetWebspaceID())
	}
	// Output:
	// database 1 moved (filter-id 1)
	// new.example has shop (webspace-id 2)
}

// This example hands a customer of a reseller over to the administrator,
// with an address from the administrator's pool and one of the
// administrator's plans.
func Example_changeOwner() {
	srv := plesktest.NewTLSServer()
	defer srv.Close()
	srv.AddIP(plesktest.IPAddress{Address: "192.0.2.10"}, plesktest.IPAddress{Address: "10.52.47.125"})
	srv.AddReseller(plesktest.Reseller{Login: "reseller1", IPs: []string{"192.0.2.10"}})
	srv.AddPlan(plesktest.Plan{Name: "Admin Simple"})
	srv.AddCustomer(plesktest.Customer{Login: "customer1", Owner: "reseller1", IPs: []string{"192.0.2.10"}})
	srv.AddSubscription(plesktest.Subscription{Name: "customer1.example", Owner: "customer1", IP: "192.0.2.10"})

	c := connect(srv)
	res, err := c.Customer.ChangeOwner(context.Background(), &plesk1691.CustomerChangeOwner{
		Filter:        plesk1691.ClientSelectionFilter{Login: []string{"customer1"}},
		NewOwnerLogin: plesktest.AdminLogin,
		IPv4Address:   []string{"10.52.47.125"},
		PlanName:      rpc.Ptr("Admin Simple"),
	})
	var pe *rpc.Error
	if errors.As(err, &pe) {
		log.Fatalf("change-owner of %s failed with %d: %s", pe.FilterID, pe.Code, pe.Text)
	} else if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%s (id %d) moved\n", res[0].GetFilterID(), res[0].GetID())

	cust, _ := srv.Customer("customer1")
	sub, _ := srv.SubscriptionByName("customer1.example")
	fmt.Printf("owner %s, IPs %v, subscription on %s\n", cust.Owner, cust.IPs, sub.IP)
	// Output:
	// customer1 (id 3) moved
	// owner admin, IPs [10.52.47.125], subscription on 10.52.47.125
}

// This example switches a subscription to another service plan, then
// detaches it from any plan (the no-plan flag). Plesk reports the settings
// that could not follow the new plan as a problems table, with status ok.
func Example_switchSubscription() {
	srv := plesktest.NewTLSServer()
	defer srv.Close()
	basic := srv.AddPlan(plesktest.Plan{Name: "Basic", Settings: []plesktest.Setting{
		{Name: "SSL support", Value: "switched on"},
		{Name: "SSI support", Value: "switched off"},
	}})
	premium := srv.AddPlan(plesktest.Plan{Name: "Premium", Settings: []plesktest.Setting{
		{Name: "SSL support", Value: "switched off"},
		{Name: "SSI support", Value: "switched on"},
	}})
	sub := srv.AddSubscription(plesktest.Subscription{Name: "example.com", PlanGUID: basic.GUID, Locked: []string{"SSL support"}})

	c := connect(srv)
	res, err := c.Webspace.SwitchSubscription(context.Background(), &plesk1691.WebspaceSwitchSubscription{
		Filter:   plesk1691.DomainFilter{ID: []int64{sub.ID}},
		PlanGUID: &premium.GUID,
	})
	if err != nil {
		log.Fatal(err)
	}
	for _, r := range res {
		fmt.Printf("subscription %d: %s\n", r.GetID(), r.GetStatus())
		if p := r.GetProblems(); p != "" {
			for _, line := range strings.Split(p, "\n") {
				fmt.Println(strings.TrimRight(line, " "))
			}
		}
	}

	if _, err := c.Webspace.SwitchSubscription(context.Background(), &plesk1691.WebspaceSwitchSubscription{
		Filter: plesk1691.DomainFilter{ID: []int64{sub.ID}},
		NoPlan: &rpc.Empty{}, // a typed flag: present means "no plan"
	}); err != nil {
		log.Fatal(err)
	}
	s, _ := srv.Subscription(sub.ID)
	fmt.Printf("plan after no-plan: %q\n", s.PlanGUID)
	// Output:
	// subscription 1: ok
	// Description               Current      Requested    Allowed
	// SSL support (example.com) switched on  switched off switched on
	// SSI support (example.com) switched off switched on  switched on
	// plan after no-plan: ""
}

// This example shows a fault: Plesk is behind a proxy that answers with an
// HTML error page, which the client reports as what it is.
func ExampleServer_FailNext() {
	srv := plesktest.NewTLSServer()
	defer srv.Close()
	srv.FailNext(plesktest.HTMLErrorPage(502))

	_, err := connect(srv).Migration.Check(context.Background())
	var te *rpc.TransportError
	if errors.As(err, &te) && errors.Is(err, rpc.ErrHTTPStatus) {
		fmt.Printf("HTTP %d, page %q\n", te.StatusCode, te.Title)
	}
	// Output:
	// HTTP 502, page "502 Bad Gateway"
}

// This example pins the fake's certificate, as a client pins the
// self-signed certificate of a real Plesk, and authenticates with a secret
// key.
func ExampleNewTLSServer() {
	const key = "5c1e3f0a-7b2d-4e8f-9a6b-c0d1e2f3a4b5"
	srv := plesktest.NewTLSServer(plesktest.WithSecretKey(key))
	defer srv.Close()

	client, err := rpc.NewClient(srv.URL,
		rpc.WithSecretKey(key),
		rpc.WithPinnedSHA256(rpc.CertificatePin(srv.Certificate())),
	)
	if err != nil {
		log.Fatal(err)
	}
	_, err = plesk1691.New(client).Migration.Check(context.Background())
	fmt.Println("Migration Manager installed:", err == nil)
	// Output:
	// Migration Manager installed: true
}
