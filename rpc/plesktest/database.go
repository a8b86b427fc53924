package plesktest

import (
	"fmt"
	"slices"
	"strconv"

	"github.com/pleskgo/plesk/rpc"
	"github.com/pleskgo/plesk/rpc/plesktest/internal/fakeproto"
)

func (c *call) database(req *fakeproto.DatabaseCall) *fakeproto.DatabaseReply {
	out := &fakeproto.DatabaseReply{}
	for i := range req.Items {
		it := &req.Items[i]
		var r fakeproto.DatabaseReplyItem
		switch {
		case it.AddDB != nil:
			r.AddDB = &fakeproto.DatabaseAddDBReply{Result: c.addDB(it.AddDB)}
		case it.GetDB != nil:
			r.GetDB = &fakeproto.DatabaseGetDBReply{Result: c.getDB(it.GetDB)}
		case it.DelDB != nil:
			r.DelDB = &fakeproto.DatabaseDelDBReply{Result: c.delDB(it.DelDB)}
		case it.AssignToSubscription != nil:
			r.AssignToSubscription = &fakeproto.DatabaseAssignToSubscriptionReply{Result: c.assignToSubscription(it.AssignToSubscription)}
		default:
			r = unimplemented[fakeproto.DatabaseReplyItem]("database", it)
		}
		out.Items = append(out.Items, r)
	}
	return out
}

// dbMatch is one database (or failure) a database filter yields.
type dbMatch struct {
	filterID string
	db       *Database
	fail     *fakeproto.ResultFilter
}

// matchDatabases applies a database filter: one match per id, every
// database of each webspace; an empty filter matches every database.
func (st *state) matchDatabases(f *fakeproto.DatabaseFilter) []dbMatch {
	var out []dbMatch
	inSub := func(fid string, s *Subscription) {
		if s == nil {
			r := errFilter(codeNotFound, "Webspace does not exist.", fid)
			out = append(out, dbMatch{filterID: fid, fail: &r})
			return
		}
		n := 0
		for _, d := range st.dbs {
			if d.SubscriptionID == s.ID {
				out = append(out, dbMatch{filterID: fid, db: d})
				n++
			}
		}
		if n == 0 {
			r := noMatch(fid)
			out = append(out, dbMatch{filterID: fid, fail: &r})
		}
	}
	for _, id := range f.ID {
		fid := strconv.FormatInt(id, 10)
		d := st.dbByID(id)
		if d == nil {
			r := errFilter(codeNotFound, "Database does not exist", fid)
			out = append(out, dbMatch{filterID: fid, fail: &r})
			continue
		}
		out = append(out, dbMatch{filterID: fid, db: d})
	}
	for _, id := range f.WebspaceID {
		inSub(itoa(id), st.subByID(id))
	}
	for _, name := range f.WebspaceName {
		inSub(name, st.subByName(name))
	}
	if emptyFilter(f) {
		for _, d := range st.dbs {
			out = append(out, dbMatch{db: d})
		}
	}
	return out
}

func (c *call) addDB(req *fakeproto.DatabaseAddDB) fakeproto.DatabaseAddDBResult {
	d := Database{Name: req.Name, Type: req.Type, SubscriptionID: req.WebspaceID}
	if req.DBServerID != nil {
		d.DBServerID = *req.DBServerID
	}
	db, n, text := c.st.addDatabase(d)
	if n != 0 {
		return fakeproto.DatabaseAddDBResult{Status: fakeproto.ResultStatusError, ErrCode: code(n), ErrText: &text}
	}
	return fakeproto.DatabaseAddDBResult{Status: fakeproto.ResultStatusOK, ID: ptr(db.ID)}
}

func (c *call) getDB(req *fakeproto.DatabaseGetDB) []fakeproto.DatabaseGetDBResult {
	var out []fakeproto.DatabaseGetDBResult
	for _, m := range c.st.matchDatabases(&req.Filter) {
		if m.fail != nil {
			out = append(out, fakeproto.DatabaseGetDBResult{Status: m.fail.Status, ErrCode: m.fail.ErrCode,
				ErrText: m.fail.ErrText, FilterID: m.fail.FilterID})
			continue
		}
		d := m.db
		r := fakeproto.DatabaseGetDBResult{Status: fakeproto.ResultStatusOK, ID: ptr(d.ID),
			Name: ptr(d.Name), Type: ptr(d.Type), WebspaceID: ptr(d.SubscriptionID), DBServerID: ptr(d.DBServerID)}
		if m.filterID != "" {
			r.FilterID = ptr(m.filterID)
		}
		out = append(out, r)
	}
	return out
}

func (c *call) delDB(req *fakeproto.DatabaseDelDB) []fakeproto.ResultFilter {
	var out []fakeproto.ResultFilter
	for _, m := range c.st.matchDatabases(&req.Filter) {
		if m.fail != nil {
			out = append(out, *m.fail)
			continue
		}
		c.st.dbs = slices.DeleteFunc(c.st.dbs, func(d *Database) bool { return d == m.db })
		out = append(out, okFilter(m.filterID, m.db.ID))
	}
	return out
}

// assignToSubscription moves the matched databases to the webspace
// webspace-id names. The database keeps its server and name.
func (c *call) assignToSubscription(req *fakeproto.DatabaseAssignToSubscription) []fakeproto.ResultFilter {
	target := c.st.subByID(req.WebspaceID)
	var out []fakeproto.ResultFilter
	for _, m := range c.st.matchDatabases(&req.Filter) {
		switch {
		case m.fail != nil:
			out = append(out, *m.fail)
		case target == nil:
			out = append(out, errFilter(codeNotFound, fmt.Sprintf("Webspace with id %d does not exist.", req.WebspaceID), m.filterID))
		default:
			m.db.SubscriptionID = target.ID
			out = append(out, okFilter(m.filterID, m.db.ID))
		}
	}
	return out
}

func (c *call) dbServer(req *fakeproto.DBServerCall) *fakeproto.DBServerReply {
	var r fakeproto.DBServerReplyItem
	switch {
	case req.Get != nil:
		r.Get = &fakeproto.DBServerGetReply{Result: c.dbServerGet(req.Get)}
	default:
		r = unimplemented[fakeproto.DBServerReplyItem]("db_server", setElement(req))
	}
	return &fakeproto.DBServerReply{Items: []fakeproto.DBServerReplyItem{r}}
}

func (c *call) dbServerGet(req *fakeproto.DBServerGet) []fakeproto.DBServerGetResult {
	servers := c.st.dbServers
	if !emptyFilter(&req.Filter) {
		servers = nil
		for _, id := range req.Filter.ID {
			d := c.st.dbServerByID(id)
			if d == nil {
				d = &DBServer{ID: -id} // not found: reported below
			}
			servers = append(servers, d)
		}
	}
	var out []fakeproto.DBServerGetResult
	for _, d := range servers {
		if d.ID < 0 {
			out = append(out, fakeproto.DBServerGetResult{Status: fakeproto.ResultStatusError,
				ErrCode: code(codeNotFound), ErrText: ptr("Database server does not exist.")})
			continue
		}
		n := int64(0)
		for _, db := range c.st.dbs {
			if db.DBServerID == d.ID {
				n++
			}
		}
		data := &fakeproto.DBServerGetResultData{Host: ptr(d.Host), Port: ptr(int64(d.Port)), Type: d.Type,
			Admin: d.Admin, Status: fakeproto.DatabaseServerErrorNoError, DBNum: n}
		if c.st.defaultDBServer(d.Type) == d {
			data.Default = &rpc.Empty{}
		}
		if d.Host == "localhost" || d.Host == "127.0.0.1" {
			data.Local = &rpc.Empty{}
		}
		out = append(out, fakeproto.DBServerGetResult{Status: fakeproto.ResultStatusOK, ID: ptr(d.ID), Data: data})
	}
	return out
}
