package plesktest_test

import (
	"errors"
	"testing"

	"github.com/pleskgo/plesk/generated/plesk1691"
	"github.com/pleskgo/plesk/rpc"
	"github.com/pleskgo/plesk/rpc/plesktest"
)

// newTLS starts a fake Plesk on HTTPS for one test.
func newTLS(t *testing.T, opts ...plesktest.Option) *plesktest.Server {
	t.Helper()
	srv := plesktest.NewTLSServer(opts...)
	t.Cleanup(srv.Close)
	return srv
}

// dial returns an rpc client for srv that trusts its certificate and logs
// in as the administrator, unless opts bring other credentials.
func dial(t *testing.T, srv *plesktest.Server, opts ...rpc.Option) *rpc.Client {
	t.Helper()
	if len(opts) == 0 {
		opts = []rpc.Option{rpc.WithLogin(plesktest.AdminLogin, plesktest.DefaultAdminPassword)}
	}
	opts = append(opts, rpc.WithRootCAs(srv.CertPool()))
	c, err := rpc.NewClient(srv.URL, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// bindings returns the 1.6.9.1 bindings over a client of srv.
func bindings(t *testing.T, srv *plesktest.Server, opts ...rpc.Option) *plesk1691.Client {
	t.Helper()
	return plesk1691.New(dial(t, srv, opts...))
}

// wantError checks that err holds an *rpc.Error with the given operator,
// operation and code, matching the sentinel class (nil: no class), and
// returns it.
func wantError(t *testing.T, err error, operator, operation string, code int, class error) *rpc.Error {
	t.Helper()
	if err == nil {
		t.Fatalf("want %s/%s error %d, got no error", operator, operation, code)
	}
	var pe *rpc.Error
	if !errors.As(err, &pe) {
		t.Fatalf("want an *rpc.Error (%s/%s %d), got %T: %v", operator, operation, code, err, err)
	}
	if pe.Operator != operator || pe.Operation != operation || pe.Code != code {
		t.Fatalf("got error %s/%s %d (%q), want %s/%s %d", pe.Operator, pe.Operation, pe.Code, pe.Text, operator, operation, code)
	}
	if class != nil && !errors.Is(err, class) {
		t.Errorf("errors.Is(%v, %v) = false", err, class)
	}
	return pe
}

// wantSystemError checks a packet-level <system> error.
func wantSystemError(t *testing.T, err error, code int, class error) *rpc.Error {
	t.Helper()
	return wantError(t, err, rpc.SystemOperator, "", code, class)
}

// migrationID is the <migration_id> of get_status and finish.
func migrationID(id string) *plesk1691.MigrationFinish {
	return &plesk1691.MigrationFinish{MigrationID: id}
}
