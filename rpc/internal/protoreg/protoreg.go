// Package protoreg holds the protocol versions of the generated packages a
// program imports: each registers its version when initialized (through
// rpcimpl), and rpc.BoundProtocols lists them.
package protoreg

import (
	"slices"
	"sync"
)

var (
	mu       sync.Mutex
	versions []string
)

// Register records version; registering it again changes nothing.
func Register(version string) {
	mu.Lock()
	defer mu.Unlock()
	if !slices.Contains(versions, version) {
		versions = append(versions, version)
	}
}

// List returns the versions registered, in no particular order.
func List() []string {
	mu.Lock()
	defer mu.Unlock()
	return slices.Clone(versions)
}
