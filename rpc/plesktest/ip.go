package plesktest

import (
	"slices"

	"github.com/pleskgo/plesk/generated/plesk1691"
)

// Defaults of the ip/get fields an IPAddress leaves empty.
const (
	defaultNetmask   = "255.255.255.0"
	defaultInterface = "eth0"
)

func (c *call) ip(req *plesk1691.IPCall) *plesk1691.IPReply {
	out := &plesk1691.IPReply{}
	for i := range req.Items {
		it := &req.Items[i]
		var r plesk1691.IPReplyItem
		switch {
		case it.Get != nil:
			r.Get = &plesk1691.IPGetReply{Result: []plesk1691.IPGetResult{c.ipGet()}}
		default:
			r = unimplemented[plesk1691.IPReplyItem]("ip", it)
		}
		out.Items = append(out.Items, r)
	}
	return out
}

// ipGet lists the addresses the sender may use: every one for the
// administrator, a reseller's pool for a reseller.
func (c *call) ipGet() plesk1691.IPGetResult {
	pool := c.st.pool(c.user)
	addrs := &plesk1691.IPGetResultAddresses{}
	for _, ip := range c.st.ips {
		if c.user != AdminLogin && !slices.Contains(pool, ip.Address) {
			continue
		}
		info := plesk1691.IPGetResultAddressesIPInfo{
			IPAddress: ip.Address, Netmask: ip.Netmask, Type: plesk1691.IPType(ip.Type), Interface: ip.Interface,
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
	return plesk1691.IPGetResult{Status: plesk1691.ResultStatusOK, Addresses: addrs}
}
