package rpcimpl_test

import (
	"slices"
	"testing"

	"github.com/pleskgo/plesk/rpc"
	"github.com/pleskgo/plesk/rpc/rpcimpl"
)

// TestRegisterProtocol shows that registrations are kept in order, that
// one missing a version or a constructor, or Partial, is not among
// Protocols (though its version is bound), and that the list returned is a
// copy.
func TestRegisterProtocol(t *testing.T) {
	before := len(rpcimpl.Protocols())
	mk := func() any { return new(struct{}) }
	rpcimpl.RegisterProtocol(rpcimpl.Protocol{Version: "9.0.0.1", NewRequest: mk, NewResponse: mk})
	rpcimpl.RegisterProtocol(rpcimpl.Protocol{Version: "", NewRequest: mk, NewResponse: mk})
	rpcimpl.RegisterProtocol(rpcimpl.Protocol{Version: "9.0.0.2", NewResponse: mk})
	rpcimpl.RegisterProtocol(rpcimpl.Protocol{Version: "9.0.0.3", NewRequest: mk})
	rpcimpl.RegisterProtocol(rpcimpl.Protocol{Version: "9.0.0.4", NewRequest: mk, NewResponse: mk, Partial: true})
	rpcimpl.RegisterProtocol(rpcimpl.Protocol{Version: "9.0.0.1", NewRequest: mk, NewResponse: mk})
	got := rpcimpl.Protocols()
	if len(got) != before+2 || got[before].Version != "9.0.0.1" || got[before+1].Version != "9.0.0.1" {
		t.Fatalf("registered %d, want %d (two of 9.0.0.1)", len(got)-before, 2)
	}
	if bound := rpc.BoundProtocols(); !slices.Contains(bound, "9.0.0.4") || !slices.Contains(bound, "9.0.0.2") || slices.Contains(bound, "") {
		t.Errorf("BoundProtocols = %q: want every registered version, partial ones too", bound)
	}
	got[before].Version = "changed"
	if rpcimpl.Protocols()[before].Version != "9.0.0.1" {
		t.Error("Protocols returned the registry itself, not a copy")
	}
}
