package plesktest

import (
	"strings"

	"github.com/pleskgo/plesk/rpc/plesktest/internal/fakeproto"
	"github.com/pleskgo/plesk/rpc/rpcimpl"
)

// knownVersions are the protocol versions the fake speaks, oldest first:
// those with bindings in the module's generated/ folder, whose operators
// the fake implements have the same shape.
var knownVersions = []string{"1.6.6.0", "1.6.7.0", "1.6.8.0", "1.6.9.0", "1.6.9.1"}

// protocol is one protocol version the fake speaks: the generated packet
// types it checks requests (and, in tests, responses) against.
type protocol struct {
	version  string
	request  func() any // a new *RequestPacket of the version
	response func() any // a new *ResponsePacket of the version
	// linked is set when request and response are the version's whole
	// schema, registered by a generated package the program imports;
	// otherwise they are the fake's own types, which declare only the
	// operators it implements (those of protocol 1.6.9.1).
	linked bool
	// others are further packages of the version the program links (a
	// package generated from another schema set of the same version): a
	// request valid against any of them is valid.
	others []func() any
}

// checkRequest checks a request packet against the version's schema, or
// schemas: it returns nil when one of them accepts it, else the violation
// the first one finds.
func (p protocol) checkRequest(body []byte) *violation {
	first := checkStrict(body, p.request())
	if first == nil {
		return nil
	}
	for _, req := range p.others {
		if checkStrict(body, req()) == nil {
			return nil
		}
	}
	return first
}

// protocolOf returns the packet types of a version the fake speaks: those
// of a generated package of that version the program links (its import
// registers them with rpcimpl), else the fake's own.
func protocolOf(version string) (protocol, bool) {
	return protocolFrom(version, rpcimpl.Protocols())
}

// protocolFrom is protocolOf with the registered protocols given.
func protocolFrom(version string, registered []rpcimpl.Protocol) (protocol, bool) {
	known := false
	for _, v := range knownVersions {
		known = known || v == version
	}
	if !known {
		return protocol{}, false
	}
	var linked protocol
	for _, p := range registered {
		switch {
		case p.Version != version:
		case !linked.linked:
			linked = protocol{version: version, request: p.NewRequest, response: p.NewResponse, linked: true}
		default:
			linked.others = append(linked.others, p.NewRequest)
		}
	}
	if linked.linked {
		return linked, true
	}
	return protocol{
		version:  version,
		request:  func() any { return new(fakeproto.RequestPacket) },
		response: func() any { return new(fakeproto.ResponsePacket) },
	}, true
}

// Versions returns the protocol versions the fake can speak, oldest first.
func Versions() []string {
	return append([]string(nil), knownVersions...)
}

// resolveVersion picks the protocol a packet's version attribute asks for
// among the enabled ones: the newest for an empty attribute, the newest with
// that prefix for a partial version such as "1.6" or "1.6.9".
func resolveVersion(attr string, enabled []string) (string, bool) {
	attr = strings.TrimSpace(attr)
	for i := len(enabled) - 1; i >= 0; i-- {
		v := enabled[i]
		if attr == "" || v == attr || strings.HasPrefix(v, attr+".") {
			return v, true
		}
	}
	return "", false
}
