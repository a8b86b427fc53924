package plesktest_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/pleskgo/plesk/generated/plesk1691"
	"github.com/pleskgo/plesk/rpc"
	"github.com/pleskgo/plesk/rpc/plesktest"
)

// benchLatency is the delay the fake adds to every request in the batch
// benchmarks: a server across a network, not on loopback.
const benchLatency = 5 * time.Millisecond

// latencyServer starts a fake Plesk with n customers, answering every
// request benchLatency late, and returns the typed bindings over it and
// the get request of each customer.
func latencyServer(b *testing.B, n int) (*plesk1691.Client, *rpc.Client, []*plesk1691.CustomerGet) {
	srv := plesktest.NewServer(plesktest.WithFault(plesktest.Latency(benchLatency)))
	b.Cleanup(srv.Close)
	reqs := make([]*plesk1691.CustomerGet, n)
	for i := range n {
		login := fmt.Sprintf("customer%03d", i)
		srv.AddCustomer(plesktest.Customer{Login: login, Name: "Customer " + login})
		reqs[i] = &plesk1691.CustomerGet{
			Filter:  plesk1691.ClientSelectionFilter{Login: []string{login}},
			Dataset: plesk1691.ClientDataset{GenInfo: &rpc.Empty{}},
		}
	}
	c, err := rpc.NewClient(srv.URL, rpc.WithLogin(plesktest.AdminLogin, plesktest.DefaultAdminPassword))
	if err != nil {
		b.Fatal(err)
	}
	return plesk1691.New(c), c, reqs
}

// BenchmarkBatch100 reads 100 customers with one packet of 100 customer/get
// operations, to a fake Plesk that answers 5 ms late. Compare with
// BenchmarkSingles100, the same 100 operations as 100 calls.
func BenchmarkBatch100(b *testing.B) {
	_, c, reqs := latencyServer(b, 100)
	ctx := context.Background()
	for b.Loop() {
		batch := rpc.NewBatch(c, plesk1691.ProtocolVersion)
		pending := make([]*rpc.Pending[plesk1691.CustomerGetResult], len(reqs))
		for i, req := range reqs {
			pending[i] = rpc.Add[plesk1691.CustomerGetResult](batch, &rpc.Op{Operator: "customer", Operation: "get", Request: req, ReadOnly: true})
		}
		if err := batch.Send(ctx); err != nil {
			b.Fatal(err)
		}
		for _, p := range pending {
			if res, err := p.Results(); err != nil || len(res) != 1 {
				b.Fatal(res, err)
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(reqs)), "ns/op-in-packet")
}

// BenchmarkSingles100 is the yardstick of BenchmarkBatch100: the same 100
// reads, one call (one packet, one round trip) each.
func BenchmarkSingles100(b *testing.B) {
	api, _, reqs := latencyServer(b, 100)
	ctx := context.Background()
	for b.Loop() {
		for _, req := range reqs {
			if res, err := api.Customer.Get(ctx, req); err != nil || len(res) != 1 {
				b.Fatal(res, err)
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(reqs)), "ns/op-in-packet")
}
