package plesktest

import (
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/pleskgo/plesk/rpc/plesktest/internal/fakeproto"
)

func (c *call) webspace(req *fakeproto.WebspaceCall) *fakeproto.WebspaceReply {
	out := &fakeproto.WebspaceReply{}
	for i := range req.Items {
		it := &req.Items[i]
		var r fakeproto.WebspaceReplyItem
		switch {
		case it.Add != nil:
			r.Add = &fakeproto.WebspaceAddReply{Result: c.webspaceAdd(it.Add)}
		case it.Get != nil:
			r.Get = &fakeproto.WebspaceGetReply{Result: c.webspaceGet(it.Get)}
		case it.Del != nil:
			r.Del = &fakeproto.WebspaceDelReply{Result: c.webspaceDel(it.Del)}
		case it.SwitchSubscription != nil:
			r.SwitchSubscription = &fakeproto.WebspaceSwitchSubscriptionReply{Result: c.switchSubscription(it.SwitchSubscription)}
		case it.Set != nil:
			r.Set = &fakeproto.WebspaceSetReply{Result: c.webspaceSet(it.Set)}
		default:
			r = unimplemented[fakeproto.WebspaceReplyItem]("webspace", it)
		}
		out.Items = append(out.Items, r)
	}
	return out
}

// subMatch is one subscription (or failure) a webspace filter yields.
type subMatch struct {
	filterID string
	s        *Subscription
	fail     *fakeproto.ResultFilter
}

// matchSubscriptions applies a webspace filter: one match per id, name,
// GUID or external id, every subscription of each owner; an empty filter
// matches every subscription.
func (st *state) matchSubscriptions(f *fakeproto.DomainFilter) []subMatch {
	var out []subMatch
	one := func(fid string, pred func(*Subscription) bool) {
		for _, s := range st.subs {
			if pred(s) {
				out = append(out, subMatch{filterID: fid, s: s})
				return
			}
		}
		// Plesk's words (the Error Codes page of its documentation).
		r := errFilter(codeNotFound, "Object not found.", fid)
		out = append(out, subMatch{filterID: fid, fail: &r})
	}
	owned := func(fid string, pred func(owner string) bool) {
		n := 0
		for _, s := range st.subs {
			if pred(s.Owner) {
				out = append(out, subMatch{filterID: fid, s: s})
				n++
			}
		}
		if n == 0 {
			r := noMatch(fid)
			out = append(out, subMatch{filterID: fid, fail: &r})
		}
	}
	for _, id := range f.ID {
		one(itoa(id), func(s *Subscription) bool { return s.ID == id })
		if m := &out[len(out)-1]; m.fail != nil {
			m.fail.ID = ptr(id) // Plesk names the id it did not find
		}
	}
	for _, n := range f.Name {
		one(n, func(s *Subscription) bool { return strings.EqualFold(s.Name, n) })
	}
	for _, g := range f.GUID {
		one(g, func(s *Subscription) bool { return strings.EqualFold(s.GUID, g) })
	}
	for _, e := range f.ExternalID {
		one(e, func(s *Subscription) bool { return s.ExternalID != "" && s.ExternalID == e })
	}
	for _, id := range f.OwnerID {
		owned(itoa(id), func(o string) bool { return st.clientID(o) == id })
	}
	for _, l := range f.OwnerLogin {
		owned(l, func(o string) bool { return o == l })
	}
	for _, g := range f.OwnerGUID {
		owned(g, func(o string) bool { return strings.EqualFold(st.guidOf(o), g) })
	}
	for _, e := range f.OwnerExternalID {
		owned(e, func(o string) bool { return e != "" && st.externalIDOf(o) == e })
	}
	if emptyFilter(f) {
		for _, s := range st.subs {
			out = append(out, subMatch{s: s})
		}
	}
	return out
}

func (st *state) guidOf(login string) string {
	if r := st.resellerByLogin(login); r != nil {
		return r.GUID
	}
	if c := st.customerByLogin(login); c != nil {
		return c.GUID
	}
	return ""
}

func (st *state) externalIDOf(login string) string {
	if c := st.customerByLogin(login); c != nil {
		return c.ExternalID
	}
	return ""
}

func (st *state) deleteSubscription(id int64) {
	st.dbs = slices.DeleteFunc(st.dbs, func(d *Database) bool { return d.SubscriptionID == id })
	st.subs = slices.DeleteFunc(st.subs, func(s *Subscription) bool { return s.ID == id })
}

func (c *call) webspaceAdd(req *fakeproto.WebspaceAdd) fakeproto.WebspaceAddResult {
	fail := func(n int, text string) fakeproto.WebspaceAddResult {
		return fakeproto.WebspaceAddResult{Status: fakeproto.ResultStatusError, ErrCode: code(n), ErrText: &text}
	}
	sub := Subscription{Owner: c.user}
	for _, it := range req.GenSetup.Items {
		switch {
		case it.Name != nil:
			sub.Name = *it.Name
		case it.OwnerLogin != nil:
			sub.Owner = *it.OwnerLogin
		case it.OwnerID != nil:
			sub.Owner = c.st.loginByID(*it.OwnerID)
		case it.OwnerGUID != nil:
			sub.Owner = c.st.loginByGUID(*it.OwnerGUID)
		case it.IPAddress != nil:
			sub.IP = *it.IPAddress
		case it.ExternalID != nil:
			sub.ExternalID = *it.ExternalID
		}
	}
	if h := req.Hosting; h != nil && h.VrtHst != nil && len(h.VrtHst.IPAddress) > 0 {
		sub.IP = h.VrtHst.IPAddress[0]
	}
	if !c.st.userExists(sub.Owner) {
		return fail(codeOwnerNotFound, "Owner not found.")
	}
	if sub.Name == "" || c.st.subByName(sub.Name) != nil {
		return fail(codeExists, fmt.Sprintf("Domain %q already exists.", sub.Name))
	}
	if sub.IP != "" && c.st.ip(sub.IP) == nil {
		return fail(codeNotFound, fmt.Sprintf("IP address %q does not exist.", sub.IP))
	}
	var plan *Plan
	switch {
	case req.PlanGUID != nil:
		plan = c.st.planByGUID(*req.PlanGUID)
	case req.PlanExternalID != nil:
		plan = c.st.planByExternalID(*req.PlanExternalID)
	case req.PlanName != nil:
		plan = c.st.planByName(c.st.providerOf(sub.Owner), *req.PlanName)
	case req.PlanID != nil:
		for _, p := range c.st.plans {
			if p.ID == *req.PlanID {
				plan = p
			}
		}
	}
	if plan == nil && (req.PlanGUID != nil || req.PlanExternalID != nil || req.PlanName != nil || req.PlanID != nil) {
		return fail(codeNotFound, "Service plan does not exist.")
	}
	if plan != nil {
		sub.PlanGUID = plan.GUID
	}
	added := c.st.addSubscription(sub, func(what, format string, args ...any) {
		panic(fmt.Sprintf("plesktest: %s: %s", what, fmt.Sprintf(format, args...)))
	})
	return fakeproto.WebspaceAddResult{Status: fakeproto.ResultStatusOK, ID: &added.ID, GUID: &added.GUID}
}

func (st *state) loginByID(id int64) string {
	if l := st.loginOf(id); l != "" {
		return l
	}
	if c := st.customerByID(id); c != nil {
		return c.Login
	}
	return ""
}

func (st *state) loginByGUID(guid string) string {
	for _, r := range st.resellers {
		if strings.EqualFold(r.GUID, guid) {
			return r.Login
		}
	}
	for _, c := range st.customers {
		if strings.EqualFold(c.GUID, guid) {
			return c.Login
		}
	}
	return ""
}

// providerOf returns the administrator or reseller a user's plans come
// from: the user itself for a provider, the owner for a customer.
func (st *state) providerOf(login string) string {
	if c := st.customerByLogin(login); c != nil {
		return c.Owner
	}
	return login
}

func (c *call) webspaceGet(req *fakeproto.WebspaceGet) []fakeproto.WebspaceGetResult {
	var out []fakeproto.WebspaceGetResult
	for _, m := range c.st.matchSubscriptions(&req.Filter) {
		if m.fail != nil {
			out = append(out, fakeproto.WebspaceGetResult{Status: m.fail.Status, ErrCode: m.fail.ErrCode,
				ErrText: m.fail.ErrText, FilterID: m.fail.FilterID, ID: m.fail.ID})
			continue
		}
		s := m.s
		r := fakeproto.WebspaceGetResult{Status: fakeproto.ResultStatusOK, ID: ptr(s.ID),
			Data: &fakeproto.WebspaceGetResultData{}}
		if m.filterID != "" {
			r.FilterID = ptr(m.filterID)
		}
		if req.Dataset.GenInfo != nil {
			gi := &fakeproto.DomainGenInfo{
				CrDate: "2024-01-01", Name: s.Name, ASCIIName: s.Name,
				OwnerID: ptr(c.st.clientID(s.Owner)), OwnerLogin: ptr(s.Owner),
				Htype: fakeproto.DomainHTypeVrtHst, GUID: s.GUID, VendorGUID: c.st.guidOf(c.st.providerOf(s.Owner)),
				ExternalID: s.ExternalID,
			}
			if s.IP != "" {
				gi.DNSIPAddress = []string{s.IP}
			}
			r.Data.GenInfo = gi
		}
		if req.Dataset.Subscriptions != nil && s.PlanGUID != "" {
			info := fakeproto.PlanOutputInfo{PlanGUID: s.PlanGUID}
			if p := c.st.planByGUID(s.PlanGUID); p != nil && p.ExternalID != "" {
				info.PlanExternalID = ptr(p.ExternalID)
			}
			r.Data.Subscriptions = &fakeproto.SubscriptionsList{Subscription: &fakeproto.SubscriptionsListSubscription{
				Locked: "false", Synchronized: "true", Plan: []fakeproto.PlanOutputInfo{info},
			}}
		}
		out = append(out, r)
	}
	return out
}

func (c *call) webspaceDel(req *fakeproto.WebspaceDel) []fakeproto.ResultFilter {
	var out []fakeproto.ResultFilter
	for _, m := range c.st.matchSubscriptions(&req.Filter) {
		if m.fail != nil {
			out = append(out, *m.fail)
			continue
		}
		c.st.deleteSubscription(m.s.ID)
		out = append(out, okFilter(m.filterID, m.s.ID))
	}
	return out
}

// switchSubscription moves the matched subscriptions to another plan, or
// to none. A subscription takes the new plan's settings except those it
// has Locked; when any of those differs from what the plan asks, the
// result is still ok and carries the problems table.
func (c *call) switchSubscription(req *fakeproto.WebspaceSwitchSubscription) []fakeproto.WebspaceSwitchSubscriptionResult {
	var plan *Plan
	var planErr string
	switch {
	case req.PlanGUID != nil:
		if plan = c.st.planByGUID(*req.PlanGUID); plan == nil {
			planErr = fmt.Sprintf("Service plan with GUID %q does not exist.", *req.PlanGUID)
		}
	case req.PlanExternalID != nil:
		if plan = c.st.planByExternalID(*req.PlanExternalID); plan == nil {
			planErr = fmt.Sprintf("Service plan with external ID %q does not exist.", *req.PlanExternalID)
		}
	}
	var out []fakeproto.WebspaceSwitchSubscriptionResult
	for _, m := range c.st.matchSubscriptions(&req.Filter) {
		if m.fail != nil {
			out = append(out, fakeproto.WebspaceSwitchSubscriptionResult{Status: m.fail.Status, ErrCode: m.fail.ErrCode,
				ErrText: m.fail.ErrText, FilterID: m.fail.FilterID, ID: m.fail.ID})
			continue
		}
		s := m.s
		r := fakeproto.WebspaceSwitchSubscriptionResult{Status: fakeproto.ResultStatusOK, ID: ptr(s.ID)}
		if m.filterID != "" {
			r.FilterID = ptr(m.filterID)
		}
		switch {
		case planErr != "":
			r.Status, r.ErrCode, r.ErrText, r.ID = fakeproto.ResultStatusError, code(codeNotFound), ptr(planErr), nil
		case plan == nil:
			s.PlanGUID = ""
		default:
			if p := applyPlan(s, plan); p != "" {
				r.Problems = &p
			}
		}
		out = append(out, r)
	}
	return out
}

// applyPlan switches s to plan and returns the problems table, empty when
// every setting could take the plan's value.
func applyPlan(s *Subscription, plan *Plan) string {
	rows := [][4]string{{"Description", "Current", "Requested", "Allowed"}}
	conflict := false
	for _, want := range plan.Settings {
		cur, ok := s.Setting(want.Name)
		allowed := want.Value
		if ok && cur != want.Value && slices.Contains(s.Locked, want.Name) {
			allowed, conflict = cur, true
		}
		if !ok {
			cur = "-"
		}
		rows = append(rows, [4]string{fmt.Sprintf("%s (%s)", want.Name, s.Name), cur, want.Value, allowed})
		setSetting(s, want.Name, allowed)
	}
	s.PlanGUID = plan.GUID
	if !conflict {
		return ""
	}
	return problemsTable(rows)
}

func setSetting(s *Subscription, name, value string) {
	for i := range s.Settings {
		if s.Settings[i].Name == name {
			s.Settings[i].Value = value
			return
		}
	}
	s.Settings = append(s.Settings, Setting{Name: name, Value: value})
}

// problemsTable lays rows out in padded columns, as Plesk prints the
// problems of switch-subscription.
func problemsTable(rows [][4]string) string {
	var width [4]int
	for _, r := range rows {
		for i, cell := range r {
			width[i] = max(width[i], utf8.RuneCountInString(cell)+1)
		}
	}
	var b strings.Builder
	for n, r := range rows {
		if n > 0 {
			b.WriteByte('\n')
		}
		for i, cell := range r {
			b.WriteString(cell)
			b.WriteString(strings.Repeat(" ", width[i]-utf8.RuneCountInString(cell)))
		}
	}
	return strings.TrimRight(b.String(), " ")
}

// webspaceSet changes the general settings of the matched subscriptions
// the fake keeps: the owner (owner-id, owner-login, owner-guid or
// owner-external-id), the name, the IP address and the external id. Any
// other value answers 1023 saying the fake does not implement it, rather
// than being dropped unseen. A subscription's plan changes with
// switch-subscription, as in Plesk.
func (c *call) webspaceSet(req *fakeproto.WebspaceSet) []fakeproto.ResultFilter {
	v := &req.Values
	unsupported := v.Limits != nil || v.Prefs != nil || v.Hosting != nil || v.DiskUsage != nil ||
		v.Performance != nil || v.Permissions != nil || v.PHPSettings != nil || v.Mail != nil
	type change struct {
		owner, name, ip, externalID *string
	}
	var ch change
	var ownerErr string
	if g := v.GenSetup; g != nil {
		for _, it := range g.Items {
			switch {
			case it.OwnerLogin != nil:
				ch.owner = it.OwnerLogin
			case it.OwnerID != nil:
				ch.owner = ptr(c.st.loginByID(*it.OwnerID))
			case it.OwnerGUID != nil:
				ch.owner = ptr(c.st.loginByGUID(*it.OwnerGUID))
			case it.OwnerExternalID != nil:
				l := ""
				for _, cu := range c.st.customers {
					if cu.ExternalID != "" && cu.ExternalID == *it.OwnerExternalID {
						l = cu.Login
					}
				}
				ch.owner = &l
			case it.Name != nil:
				ch.name = it.Name
			case it.IPAddress != nil:
				ch.ip = it.IPAddress
			case it.ExternalID != nil:
				ch.externalID = it.ExternalID
			default:
				unsupported = true
			}
		}
	}
	if ch.owner != nil && !c.st.userExists(*ch.owner) {
		ownerErr = "Owner not found."
	}
	var out []fakeproto.ResultFilter
	for _, m := range c.st.matchSubscriptions(&req.Filter) {
		if m.fail != nil {
			out = append(out, *m.fail)
			continue
		}
		s := m.s
		switch {
		case unsupported:
			out = append(out, errFilter(codeFailed, "plesktest: webspace/set of values other than the owner, name, IP address and external id is not implemented by the fake server", m.filterID))
			continue
		case ownerErr != "":
			out = append(out, errFilter(codeOwnerNotFound, ownerErr, m.filterID))
			continue
		case ch.name != nil && !strings.EqualFold(*ch.name, s.Name) && c.st.subByName(*ch.name) != nil:
			out = append(out, errFilter(codeExists, fmt.Sprintf("Domain %q already exists.", *ch.name), m.filterID))
			continue
		case ch.ip != nil && c.st.ip(*ch.ip) == nil:
			out = append(out, errFilter(codeNotFound, fmt.Sprintf("IP address %q does not exist.", *ch.ip), m.filterID))
			continue
		}
		if ch.owner != nil {
			s.Owner = *ch.owner
		}
		if ch.name != nil {
			s.Name = *ch.name
		}
		if ch.ip != nil {
			s.IP = *ch.ip
		}
		if ch.externalID != nil {
			s.ExternalID = *ch.externalID
		}
		out = append(out, okFilter(m.filterID, s.ID))
	}
	return out
}
