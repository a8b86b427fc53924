package plesktest_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"sync"

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
