package bindingtest

import (
	"path/filepath"
	"reflect"
	"sync"

	"github.com/pleskgo/plesk/gen/bind"

	"github.com/pleskgo/plesk/generated/plesk1660"
	"github.com/pleskgo/plesk/generated/plesk1670"
	"github.com/pleskgo/plesk/generated/plesk1680"
	"github.com/pleskgo/plesk/generated/plesk1690"
	"github.com/pleskgo/plesk/generated/plesk1691"
	"github.com/pleskgo/plesk/internal/sharedtest"
	"github.com/pleskgo/plesk/rpc"
)

// binding is one generated version package, seen through reflection.
type binding struct {
	version  string                // protocol version, e.g. "1.6.9.1"
	pkg      string                // package name, e.g. "plesk1691"
	newCli   func(rpc.Invoker) any // New, returning the *Client
	request  reflect.Type          // RequestPacket
	response reflect.Type          // ResponsePacket
	protocol string                // the package's ProtocolVersion
}

// schemaDir is our schema set of the version.
func (b *binding) schemaDir() string {
	return filepath.Join(sharedtest.ModuleRoot(), "schemas", b.version)
}

// bindings are the version packages, oldest first.
var bindings = []*binding{
	{version: "1.6.6.0", pkg: "plesk1660", protocol: plesk1660.ProtocolVersion,
		newCli:  func(inv rpc.Invoker) any { return plesk1660.New(inv) },
		request: reflect.TypeFor[plesk1660.RequestPacket](), response: reflect.TypeFor[plesk1660.ResponsePacket]()},
	{version: "1.6.7.0", pkg: "plesk1670", protocol: plesk1670.ProtocolVersion,
		newCli:  func(inv rpc.Invoker) any { return plesk1670.New(inv) },
		request: reflect.TypeFor[plesk1670.RequestPacket](), response: reflect.TypeFor[plesk1670.ResponsePacket]()},
	{version: "1.6.8.0", pkg: "plesk1680", protocol: plesk1680.ProtocolVersion,
		newCli:  func(inv rpc.Invoker) any { return plesk1680.New(inv) },
		request: reflect.TypeFor[plesk1680.RequestPacket](), response: reflect.TypeFor[plesk1680.ResponsePacket]()},
	{version: "1.6.9.0", pkg: "plesk1690", protocol: plesk1690.ProtocolVersion,
		newCli:  func(inv rpc.Invoker) any { return plesk1690.New(inv) },
		request: reflect.TypeFor[plesk1690.RequestPacket](), response: reflect.TypeFor[plesk1690.ResponsePacket]()},
	{version: "1.6.9.1", pkg: "plesk1691", protocol: plesk1691.ProtocolVersion,
		newCli:  func(inv rpc.Invoker) any { return plesk1691.New(inv) },
		request: reflect.TypeFor[plesk1691.RequestPacket](), response: reflect.TypeFor[plesk1691.ResponsePacket]()},
}

var (
	classesOnce sync.Once
	classes     map[string]*bind.Operations // by version
	classesErr  error
)

// isRead reports whether the schema set's classification
// (schemas/<version>/operations.txt) declares the operation read-only: the
// data the generated descriptors were made from, read here apart from them.
func (b *binding) isRead(operator, operation string) (bool, error) {
	classesOnce.Do(func() {
		classes = map[string]*bind.Operations{}
		for _, b := range bindings {
			o, err := bind.OpenOperations(filepath.Join(b.schemaDir(), bind.OperationsFileName))
			if err != nil {
				classesErr = err
				return
			}
			classes[b.version] = o
		}
	})
	if classesErr != nil {
		return false, classesErr
	}
	e := classes[b.version].Lookup(operator, operation)
	return e != nil && e.Access == bind.Read, nil
}
