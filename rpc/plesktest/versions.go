package plesktest

import (
	"strings"

	"github.com/pleskgo/plesk/generated/plesk1660"
	"github.com/pleskgo/plesk/generated/plesk1670"
	"github.com/pleskgo/plesk/generated/plesk1680"
	"github.com/pleskgo/plesk/generated/plesk1690"
	"github.com/pleskgo/plesk/generated/plesk1691"
)

// protocol is one protocol version the fake speaks: the generated packet
// types it checks requests (and, in tests, responses) against.
type protocol struct {
	version  string
	request  func() any // a new *RequestPacket of the version
	response func() any // a new *ResponsePacket of the version
}

// protocols lists the versions with bindings, oldest first.
var protocols = []protocol{
	{plesk1660.ProtocolVersion, func() any { return new(plesk1660.RequestPacket) }, func() any { return new(plesk1660.ResponsePacket) }},
	{plesk1670.ProtocolVersion, func() any { return new(plesk1670.RequestPacket) }, func() any { return new(plesk1670.ResponsePacket) }},
	{plesk1680.ProtocolVersion, func() any { return new(plesk1680.RequestPacket) }, func() any { return new(plesk1680.ResponsePacket) }},
	{plesk1690.ProtocolVersion, func() any { return new(plesk1690.RequestPacket) }, func() any { return new(plesk1690.ResponsePacket) }},
	{plesk1691.ProtocolVersion, func() any { return new(plesk1691.RequestPacket) }, func() any { return new(plesk1691.ResponsePacket) }},
}

// Versions returns the protocol versions the fake can speak, oldest first.
func Versions() []string {
	v := make([]string, len(protocols))
	for i, p := range protocols {
		v[i] = p.version
	}
	return v
}

func protocolOf(version string) (protocol, bool) {
	for _, p := range protocols {
		if p.version == version {
			return p, true
		}
	}
	return protocol{}, false
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
