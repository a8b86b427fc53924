package plesktest

import (
	"fmt"
	"slices"
	"strings"

	"github.com/pleskgo/plesk/rpc/plesktest/internal/fakeproto"
)

func (c *call) customer(req *fakeproto.CustomerCall) *fakeproto.CustomerReply {
	out := &fakeproto.CustomerReply{}
	for i := range req.Items {
		it := &req.Items[i]
		var r fakeproto.CustomerReplyItem
		switch {
		case it.Add != nil:
			r.Add = &fakeproto.CustomerAddReply{Result: c.customerAdd(it.Add)}
		case it.Get != nil:
			r.Get = &fakeproto.CustomerGetReply{Result: c.customerGet(it.Get)}
		case it.Del != nil:
			r.Del = &fakeproto.CustomerDelReply{Result: c.customerDel(it.Del)}
		case it.ChangeOwner != nil:
			r.ChangeOwner = &fakeproto.CustomerChangeOwnerReply{Result: c.changeOwner(it.ChangeOwner)}
		default:
			r = unimplemented[fakeproto.CustomerReplyItem]("customer", it)
		}
		out.Items = append(out.Items, r)
	}
	return out
}

// customerMatch is one object (or failure) a customer filter yields.
type customerMatch struct {
	filterID string
	c        *Customer
	fail     *fakeproto.ResultFilter // not found, or matched nothing
}

// matchCustomers applies a customer filter: one match per id, login, GUID
// or external id, and every customer of each owner; an empty filter
// matches every customer.
func (st *state) matchCustomers(f *fakeproto.ClientSelectionFilter) []customerMatch {
	var out []customerMatch
	one := func(fid string, c *Customer) {
		if c == nil {
			r := errFilter(codeNotFound, "Customer does not exist.", fid)
			out = append(out, customerMatch{filterID: fid, fail: &r})
			return
		}
		out = append(out, customerMatch{filterID: fid, c: c})
	}
	by := func(pred func(*Customer) bool) *Customer {
		for _, c := range st.customers {
			if pred(c) {
				return c
			}
		}
		return nil
	}
	owned := func(fid string, owner string) {
		n := 0
		for _, c := range st.customers {
			if owner != "" && c.Owner == owner {
				out = append(out, customerMatch{filterID: fid, c: c})
				n++
			}
		}
		if n == 0 {
			r := noMatch(fid)
			out = append(out, customerMatch{filterID: fid, fail: &r})
		}
	}
	for _, id := range f.ID {
		one(itoa(id), st.customerByID(id))
	}
	for _, l := range f.Login {
		one(l, st.customerByLogin(l))
	}
	for _, g := range f.GUID {
		one(g, by(func(c *Customer) bool { return strings.EqualFold(c.GUID, g) }))
	}
	for _, e := range f.ExternalID {
		one(e, by(func(c *Customer) bool { return c.ExternalID != "" && c.ExternalID == e }))
	}
	for _, id := range f.OwnerID {
		owned(itoa(id), st.loginOf(id))
	}
	for _, l := range f.OwnerLogin {
		owned(l, l)
	}
	if emptyFilter(f) {
		for _, c := range st.customers {
			out = append(out, customerMatch{c: c})
		}
	}
	return out
}

// loginOf returns the login of a provider by client id.
func (st *state) loginOf(id int64) string {
	if id == 1 {
		return AdminLogin
	}
	for _, r := range st.resellers {
		if r.ID == id {
			return r.Login
		}
	}
	return ""
}

func (c *call) customerAdd(req *fakeproto.CustomerAdd) fakeproto.CustomerAddResult {
	fail := func(n int, text string) fakeproto.CustomerAddResult {
		return fakeproto.CustomerAddResult{Status: fakeproto.ResultStatusError, ErrCode: code(n), ErrText: &text}
	}
	g := req.GenInfo
	owner := c.user
	switch {
	case g.OwnerLogin != nil:
		owner = *g.OwnerLogin
	case g.OwnerID != nil:
		owner = c.st.loginOf(*g.OwnerID)
	}
	if !c.st.isProvider(owner) {
		return fail(codeOwnerNotFound, "Owner not found.")
	}
	if c.user != AdminLogin && owner != c.user {
		return fail(codePermission, "Permission denied.")
	}
	if g.Login == "" || c.st.loginTaken(g.Login) {
		return fail(codeExistsUser, fmt.Sprintf("Customer with login name %q already exists.", g.Login))
	}
	cust := Customer{Login: g.Login, Password: g.Passwd, Name: g.Pname, Owner: owner}
	if g.Cname != nil {
		cust.Company = *g.Cname
	}
	if g.Email != nil {
		cust.Email = *g.Email
	}
	if g.ExternalID != nil {
		cust.ExternalID = *g.ExternalID
	}
	added := c.st.addCustomer(cust, func(what, format string, args ...any) {
		panic(fmt.Sprintf("plesktest: %s: %s", what, fmt.Sprintf(format, args...)))
	})
	return fakeproto.CustomerAddResult{Status: fakeproto.ResultStatusOK, ID: &added.ID, GUID: &added.GUID}
}

func (c *call) customerGet(req *fakeproto.CustomerGet) []fakeproto.CustomerGetResult {
	var out []fakeproto.CustomerGetResult
	for _, m := range c.st.matchCustomers(&req.Filter) {
		if m.fail != nil {
			out = append(out, fakeproto.CustomerGetResult{Status: m.fail.Status, ErrCode: m.fail.ErrCode,
				ErrText: m.fail.ErrText, FilterID: m.fail.FilterID})
			continue
		}
		cu := m.c
		r := fakeproto.CustomerGetResult{Status: fakeproto.ResultStatusOK, FilterID: ptr(m.filterID), ID: ptr(cu.ID),
			Data: &fakeproto.ClientData{}}
		if req.Dataset.GenInfo != nil {
			gi := &fakeproto.ClientGetGenInfo{
				CrDate: "2024-01-01", Cname: cu.Company, Pname: cu.Name, Login: cu.Login,
				Email: cu.Email, Locale: ptr("en-US"), GUID: ptr(cu.GUID),
				OwnerID: ptr(c.st.clientID(cu.Owner)), OwnerLogin: ptr(cu.Owner),
			}
			if cu.ExternalID != "" {
				gi.ExternalID = ptr(cu.ExternalID)
			}
			r.Data.GenInfo = gi
		}
		if req.Dataset.Stat != nil {
			var subs, dbs uint64
			for _, s := range c.st.subs {
				if s.Owner == cu.Login {
					subs++
					for _, d := range c.st.dbs {
						if d.SubscriptionID == s.ID {
							dbs++
						}
					}
				}
			}
			r.Data.Stat = &fakeproto.ClientStat{ActiveDomains: subs, DataBases: dbs}
		}
		out = append(out, r)
	}
	return out
}

func (c *call) customerDel(req *fakeproto.CustomerDel) []fakeproto.ResultFilter {
	var out []fakeproto.ResultFilter
	for _, m := range c.st.matchCustomers(&req.Filter) {
		if m.fail != nil {
			out = append(out, *m.fail)
			continue
		}
		for _, s := range slices.Clone(c.st.subs) {
			if s.Owner == m.c.Login {
				c.st.deleteSubscription(s.ID)
			}
		}
		c.st.customers = slices.DeleteFunc(c.st.customers, func(x *Customer) bool { return x == m.c })
		out = append(out, okFilter(m.filterID, m.c.ID))
	}
	return out
}

// changeOwner moves the matched customers to another provider: the given
// addresses from the new owner's pool replace the customers' own, their
// subscriptions move to the first of them, and to the new owner's plan
// when one is named.
func (c *call) changeOwner(req *fakeproto.CustomerChangeOwner) []fakeproto.ResultFilter {
	var out []fakeproto.ResultFilter
	for _, m := range c.st.matchCustomers(&req.Filter) {
		if m.fail != nil {
			out = append(out, *m.fail)
			continue
		}
		out = append(out, c.changeOwnerOf(m.filterID, m.c, req))
	}
	return out
}

func (c *call) changeOwnerOf(fid string, cu *Customer, req *fakeproto.CustomerChangeOwner) fakeproto.ResultFilter {
	owner := req.NewOwnerLogin
	if !c.st.isProvider(owner) {
		return errFilter(codeOwnerNotFound, fmt.Sprintf("The new owner %q does not exist or cannot own customers.", owner), fid)
	}
	ips := append(slices.Clone(req.IPv4Address), req.IPv6Address...)
	if len(ips) == 0 {
		return errFilter(codeInvalid, "At least one IP address must be specified.", fid)
	}
	pool := c.st.pool(owner)
	for _, ip := range ips {
		if c.st.ip(ip) == nil {
			return errFilter(codeNotFound, fmt.Sprintf("IP address %q does not exist.", ip), fid)
		}
		if !slices.Contains(pool, ip) {
			return errFilter(codeFailed, fmt.Sprintf("IP address %q is not in the IP pool of %q.", ip, owner), fid)
		}
	}
	var plan *Plan
	if req.PlanName != nil {
		if plan = c.st.planByName(owner, *req.PlanName); plan == nil {
			return errFilter(codeNotFound, fmt.Sprintf("Service plan %q of %q does not exist.", *req.PlanName, owner), fid)
		}
	}
	cu.Owner = owner
	cu.IPs = ips
	for _, s := range c.st.subs {
		if s.Owner != cu.Login {
			continue
		}
		s.IP = ips[0]
		if plan != nil {
			s.PlanGUID = plan.GUID
			s.Settings = slices.Clone(plan.Settings)
		}
	}
	return okFilter(fid, cu.ID)
}
