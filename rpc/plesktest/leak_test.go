package plesktest_test

import (
	"context"
	"net/http"
	"runtime"
	"testing"
	"time"

	"github.com/pleskgo/plesk/generated/plesk1691"
	"github.com/pleskgo/plesk/rpc"
	"github.com/pleskgo/plesk/rpc/plesktest"
)

// TestNoGoroutineLeak: after Close, nothing the server started is left,
// whatever the faults it went through. Goroutines end asynchronously, so
// the test waits for the count to come back, up to a generous bound.
func TestNoGoroutineLeak(t *testing.T) {
	before := runtime.NumGoroutine()

	srv := plesktest.NewTLSServer()
	srv.AddCustomer(plesktest.Customer{Login: "jdoe"})
	hc := &http.Client{Transport: &http.Transport{}}
	cl, err := rpc.NewClient(srv.URL, rpc.WithLogin(plesktest.AdminLogin, plesktest.DefaultAdminPassword),
		rpc.WithRootCAs(srv.CertPool()), rpc.WithHTTPClient(hc))
	if err != nil {
		t.Fatal(err)
	}
	c := plesk1691.New(cl)
	get := &plesk1691.CustomerGet{Filter: plesk1691.ClientSelectionFilter{Login: []string{"jdoe"}}}
	srv.FailNext(plesktest.DropConnection(), plesktest.TruncatedBody(), plesktest.HTMLErrorPage(200),
		plesktest.HTTPStatus(500), plesktest.Latency(time.Hour))
	for i := 0; i < 4; i++ {
		_, _ = c.Customer.Get(t.Context(), get)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Millisecond)
	_, _ = c.Customer.Get(ctx, get) // abandoned during the latency
	cancel()
	if _, err := c.Customer.Get(t.Context(), get); err != nil {
		t.Fatal(err)
	}
	srv.Close()
	hc.CloseIdleConnections()

	for i := 0; i < 500 && runtime.NumGoroutine() > before; i++ {
		time.Sleep(10 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > before {
		buf := make([]byte, 1<<16)
		t.Errorf("%d goroutines before, %d after Close:\n%s", before, n, buf[:runtime.Stack(buf, true)])
	}
}
