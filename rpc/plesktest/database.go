package plesktest

import (
	"fmt"
	"slices"
	"strconv"

	"github.com/pleskgo/plesk/generated/plesk1691"
	"github.com/pleskgo/plesk/rpc"
)

func (c *call) database(req *plesk1691.DatabaseCall) *plesk1691.DatabaseReply {
	out := &plesk1691.DatabaseReply{}
	for i := range req.Items {
		it := &req.Items[i]
		var r plesk1691.DatabaseReplyItem
		switch {
		case it.AddDB != nil:
			r.AddDB = &plesk1691.DatabaseAddDBReply{Result: c.addDB(it.AddDB)}
		case it.GetDB != nil:
			r.GetDB = &plesk1691.DatabaseGetDBReply{Result: c.getDB(it.GetDB)}
		case it.DelDB != nil:
			r.DelDB = &plesk1691.DatabaseDelDBReply{Result: c.delDB(it.DelDB)}
		case it.AssignToSubscription != nil:
			r.AssignToSubscription = &plesk1691.DatabaseAssignToSubscriptionReply{Result: c.assignToSubscription(it.AssignToSubscription)}
		default:
			r = unimplemented[plesk1691.DatabaseReplyItem]("database", it)
		}
		out.Items = append(out.Items, r)
	}
	return out
}

// dbMatch is one database (or failure) a database filter yields.
type dbMatch struct {
	filterID string
	db       *Database
	fail     *plesk1691.ResultFilter
}

// matchDatabases applies a database filter: one match per id, every
// database of each webspace; an empty filter matches every database.
func (st *state) matchDatabases(f *plesk1691.DatabaseFilter) []dbMatch {
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

func (c *call) addDB(req *plesk1691.DatabaseAddDB) plesk1691.DatabaseAddDBResult {
	d := Database{Name: req.Name, Type: req.Type, SubscriptionID: req.WebspaceID}
	if req.DBServerID != nil {
		d.DBServerID = *req.DBServerID
	}
	db, n, text := c.st.addDatabase(d)
	if n != 0 {
		return plesk1691.DatabaseAddDBResult{Status: plesk1691.ResultStatusError, ErrCode: code(n), ErrText: &text}
	}
	return plesk1691.DatabaseAddDBResult{Status: plesk1691.ResultStatusOK, ID: ptr(db.ID)}
}

func (c *call) getDB(req *plesk1691.DatabaseGetDB) []plesk1691.DatabaseGetDBResult {
	var out []plesk1691.DatabaseGetDBResult
	for _, m := range c.st.matchDatabases(&req.Filter) {
		if m.fail != nil {
			out = append(out, plesk1691.DatabaseGetDBResult{Status: m.fail.Status, ErrCode: m.fail.ErrCode,
				ErrText: m.fail.ErrText, FilterID: m.fail.FilterID})
			continue
		}
		d := m.db
		r := plesk1691.DatabaseGetDBResult{Status: plesk1691.ResultStatusOK, ID: ptr(d.ID),
			Name: ptr(d.Name), Type: ptr(d.Type), WebspaceID: ptr(d.SubscriptionID), DBServerID: ptr(d.DBServerID)}
		if m.filterID != "" {
			r.FilterID = ptr(m.filterID)
		}
		out = append(out, r)
	}
	return out
}

func (c *call) delDB(req *plesk1691.DatabaseDelDB) []plesk1691.ResultFilter {
	var out []plesk1691.ResultFilter
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
func (c *call) assignToSubscription(req *plesk1691.DatabaseAssignToSubscription) []plesk1691.ResultFilter {
	target := c.st.subByID(req.WebspaceID)
	var out []plesk1691.ResultFilter
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

func (c *call) dbServer(req *plesk1691.DBServerCall) *plesk1691.DBServerReply {
	var r plesk1691.DBServerReplyItem
	switch {
	case req.Get != nil:
		r.Get = &plesk1691.DBServerGetReply{Result: c.dbServerGet(req.Get)}
	default:
		r = unimplemented[plesk1691.DBServerReplyItem]("db_server", setElement(req))
	}
	return &plesk1691.DBServerReply{Items: []plesk1691.DBServerReplyItem{r}}
}

func (c *call) dbServerGet(req *plesk1691.DBServerGet) []plesk1691.DBServerGetResult {
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
	var out []plesk1691.DBServerGetResult
	for _, d := range servers {
		if d.ID < 0 {
			out = append(out, plesk1691.DBServerGetResult{Status: plesk1691.ResultStatusError,
				ErrCode: code(codeNotFound), ErrText: ptr("Database server does not exist.")})
			continue
		}
		n := int64(0)
		for _, db := range c.st.dbs {
			if db.DBServerID == d.ID {
				n++
			}
		}
		data := &plesk1691.DBServerGetResultData{Host: ptr(d.Host), Port: ptr(int64(d.Port)), Type: d.Type,
			Admin: d.Admin, Status: plesk1691.DatabaseServerErrorNoError, DBNum: n}
		if c.st.defaultDBServer(d.Type) == d {
			data.Default = &rpc.Empty{}
		}
		if d.Host == "localhost" || d.Host == "127.0.0.1" {
			data.Local = &rpc.Empty{}
		}
		out = append(out, plesk1691.DBServerGetResult{Status: plesk1691.ResultStatusOK, ID: ptr(d.ID), Data: data})
	}
	return out
}
