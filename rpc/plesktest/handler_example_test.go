package plesktest_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"sync"

	"github.com/pleskgo/plesk/generated/plesk1691"
	"github.com/pleskgo/plesk/rpc"
	"github.com/pleskgo/plesk/rpc/plesktest"
	"github.com/pleskgo/plesk/rpc/plesktest/internal/dnsdemo"
)

// This example serves an operation the fake does not implement, dns
// add_rec, through a typed handler, for bindings pleskgen generated from a
// schema set of their own (here the dns-like one in testdata/dnsdemo; in
// your module, those you generate from Plesk's official schemas). The
// handler gets the decoded request and answers typed results, or a Plesk
// error code: 1015 for a site that does not exist.
func ExampleHandle() {
	srv := plesktest.NewTLSServer()
	defer srv.Close()

	var mu sync.Mutex
	sites := map[int64]bool{1: true}
	nextID := int64(100)
	plesktest.Handle(srv, "dns", "add_rec", func(ctx context.Context, req *dnsdemo.DNSAddRec) ([]dnsdemo.DNSAddRecResult, error) {
		mu.Lock()
		defer mu.Unlock()
		if !sites[req.SiteID] {
			return nil, plesktest.Errorf(1015, "Site with id %d does not exist.", req.SiteID)
		}
		nextID++
		return []dnsdemo.DNSAddRecResult{{Status: dnsdemo.ResultStatusOK, ID: rpc.Ptr(nextID)}}, nil
	})

	client, err := rpc.NewClient(srv.URL,
		rpc.WithLogin(plesktest.AdminLogin, plesktest.DefaultAdminPassword),
		rpc.WithRootCAs(srv.CertPool()))
	if err != nil {
		log.Fatal(err)
	}
	api := dnsdemo.New(client)
	ctx := context.Background()

	res, err := api.DNS.AddRec(ctx, &dnsdemo.DNSAddRec{SiteID: 1, Type: dnsdemo.RecordTypeA, Host: "www", Value: "192.0.2.10"})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("added record", *res[0].ID)

	_, err = api.DNS.AddRec(ctx, &dnsdemo.DNSAddRec{SiteID: 7, Type: dnsdemo.RecordTypeA, Host: "www", Value: "192.0.2.10"})
	var perr *rpc.Error
	if errors.As(err, &perr) {
		fmt.Println("error", perr.Code, perr.Text)
	}
	// Output:
	// added record 101
	// error 1015 Site with id 7 does not exist.
}

// This example wraps the fake's own webspace/del to inject one failure
// into an otherwise real flow: the handler calls through with Builtin for
// every request but the first, which fails with a Plesk error as a busy
// server might. The program under test must cope with the failure and
// retry; the deletion that then goes through is the fake's own.
func ExampleBuiltin() {
	srv := plesktest.NewServer()
	defer srv.Close()
	sub := srv.AddSubscription(plesktest.Subscription{Name: "example.com"})

	var mu sync.Mutex
	failed := false
	plesktest.Handle(srv, "webspace", "del", func(ctx context.Context, req *plesk1691.WebspaceDel) ([]plesk1691.ResultFilter, error) {
		mu.Lock()
		first := !failed
		failed = true
		mu.Unlock()
		if first {
			return nil, plesktest.Errorf(1023, "Unable to delete the domain: the web server is being reconfigured.")
		}
		return plesktest.Builtin[plesk1691.WebspaceDel, plesk1691.ResultFilter](ctx, req)
	})

	client, err := rpc.NewClient(srv.URL, rpc.WithLogin(plesktest.AdminLogin, plesktest.DefaultAdminPassword))
	if err != nil {
		log.Fatal(err)
	}
	api := plesk1691.New(client)
	del := &plesk1691.WebspaceDel{Filter: plesk1691.DomainFilter{Name: []string{"example.com"}}}
	for try := 1; ; try++ {
		_, err := api.Webspace.Del(context.Background(), del)
		if err == nil {
			fmt.Println("deleted on try", try)
			break
		}
		var perr *rpc.Error
		if !errors.As(err, &perr) || try > 3 {
			log.Fatal(err)
		}
		fmt.Println("try", try, "failed:", perr.Code)
	}
	_, exists := srv.Subscription(sub.ID)
	fmt.Println("still there:", exists)
	// Output:
	// try 1 failed: 1023
	// deleted on try 2
	// still there: false
}

// This example gives handlers the fake's own objects: a handler of
// webspace/set written by the test changes a subscription's owner with
// Update, and the fake's own webspace/get sees the change.
func ExampleServer_Update() {
	srv := plesktest.NewServer()
	defer srv.Close()
	srv.AddCustomer(plesktest.Customer{Login: "alice"})
	srv.AddCustomer(plesktest.Customer{Login: "bob"})
	sub := srv.AddSubscription(plesktest.Subscription{Name: "example.com", Owner: "alice"})

	plesktest.Handle(srv, "webspace", "set", func(ctx context.Context, req *plesk1691.WebspaceSet) ([]plesk1691.ResultFilter, error) {
		var out []plesk1691.ResultFilter
		err := srv.Update(func(st *plesktest.State) error {
			for _, name := range req.Filter.Name {
				s := st.SubscriptionByName(name)
				if s == nil {
					return plesktest.Errorf(1013, "Object not found.")
				}
				s.Owner = "bob" // what this test's server does on every set
				out = append(out, plesk1691.ResultFilter{Status: plesk1691.ResultStatusOK, ID: rpc.Ptr(s.ID)})
			}
			return nil
		})
		return out, err
	})

	client, err := rpc.NewClient(srv.URL, rpc.WithLogin(plesktest.AdminLogin, plesktest.DefaultAdminPassword))
	if err != nil {
		log.Fatal(err)
	}
	api := plesk1691.New(client)
	ctx := context.Background()
	if _, err := api.Webspace.Set(ctx, &plesk1691.WebspaceSet{Filter: plesk1691.DomainFilter{Name: []string{"example.com"}}}); err != nil {
		log.Fatal(err)
	}
	res, err := api.Webspace.Get(ctx, &plesk1691.WebspaceGet{
		Filter:  plesk1691.DomainFilter{ID: []int64{sub.ID}},
		Dataset: plesk1691.DomainDataset{GenInfo: &rpc.Empty{}},
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("owner:", res[0].Data.GenInfo.GetOwnerLogin())
	// Output:
	// owner: bob
}
