package plesktest

import (
	"slices"

	"github.com/pleskgo/plesk/rpc/plesktest/internal/fakeproto"
)

// Defaults of the ip/get fields an IPAddress leaves empty.
const (
	defaultNetmask   = "255.255.255.0"
	defaultInterface = "eth0"
)

func (c *call) ip(req *fakeproto.IPCall) *fakeproto.IPReply {
	out := &fakeproto.IPReply{}
	for i := range req.Items {
		it := &req.Items[i]
		var r fakeproto.IPReplyItem
		switch {
		case it.Get != nil:
			r.Get = &fakeproto.IPGetReply{Result: []fakeproto.IPGetResult{c.ipGet()}}
		default:
			r = unimplemented[fakeproto.IPReplyItem]("ip", it)
		}
		out.Items = append(out.Items, r)
	}
	return out
}

// ipGet lists the addresses the sender may use: every one for the
// administrator, a reseller's pool for a reseller.
func (c *call) ipGet() fakeproto.IPGetResult {
	pool := c.st.pool(c.user)
	addrs := &fakeproto.IPGetResultAddresses{}
	for _, ip := range c.st.ips {
		if c.user != AdminLogin && !slices.Contains(pool, ip.Address) {
			continue
		}
		info := fakeproto.IPGetResultAddressesIPInfo{
			IPAddress: ip.Address, Netmask: ip.Netmask, Type: fakeproto.IPType(ip.Type), Interface: ip.Interface,
		}
		if info.Netmask == "" {
			info.Netmask = defaultNetmask
		}
		if info.Interface == "" {
			info.Interface = defaultInterface
		}
		if ip.PublicAddress != "" {
			info.PublicIPAddress = ptr(ip.PublicAddress)
		}
		addrs.IPInfo = append(addrs.IPInfo, info)
	}
	return fakeproto.IPGetResult{Status: fakeproto.ResultStatusOK, Addresses: addrs}
}
