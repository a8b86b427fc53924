package plesktest_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/pleskgo/plesk/generated/plesk1670"
	"github.com/pleskgo/plesk/generated/plesk1691"
	"github.com/pleskgo/plesk/rpc"
	"github.com/pleskgo/plesk/rpc/plesktest"
)

// TestRightPackageForServer asks a fake Plesk that speaks 1.6.6.0 and
// 1.6.7.0 which versions it speaks, picks the newest this program has
// bindings for, and calls through that package; the newer package is
// refused with an error that names what the server offers.
func TestRightPackageForServer(t *testing.T) {
	srv := newTLS(t, plesktest.WithVersions("1.6.6.0", plesk1670.ProtocolVersion))
	cl := dial(t, srv)
	ctx := t.Context()

	offered, err := rpc.ServerProtocols(ctx, cl)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"1.6.6.0", "1.6.7.0"}; !slices.Equal(offered, want) {
		t.Fatalf("ServerProtocols = %q, want %q", offered, want)
	}
	bound := rpc.BoundProtocols()
	if !slices.Equal(bound, plesktest.Versions()) {
		t.Errorf("BoundProtocols = %q, want the imported packages %q", bound, plesktest.Versions())
	}
	v, ok := rpc.NewestProtocol(offered, bound)
	if !ok || v != plesk1670.ProtocolVersion {
		t.Fatalf("NewestProtocol = %q, %v; want %s", v, ok, plesk1670.ProtocolVersion)
	}
	if _, err := plesk1670.New(cl).Customer.Get(ctx, &plesk1670.CustomerGet{}); err != nil {
		t.Errorf("the package that fits: %v", err)
	}

	_, err = plesk1691.New(cl).Customer.Get(ctx, &plesk1691.CustomerGet{})
	pe := wantSystemError(t, err, 1005, rpc.ErrUnsupportedProtocol)
	if !errors.Is(err, rpc.ErrUnsupported) || !slices.Equal(pe.Offered, offered) ||
		!strings.Contains(err.Error(), "the server speaks protocol 1.6.6.0, 1.6.7.0") {
		t.Errorf("1.6.9.1 on a 1.6.7.0 server: %v (Offered %q)", err, pe.Offered)
	}
	for _, err := range plesk1691.New(cl).Customer.StreamGet(ctx, &plesk1691.CustomerGet{}) {
		if !errors.As(err, &pe) || !slices.Equal(pe.Offered, offered) {
			t.Errorf("streamed: %v", err)
		}
	}
}
