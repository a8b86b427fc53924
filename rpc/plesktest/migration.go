package plesktest

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/pleskgo/plesk/rpc"
	"github.com/pleskgo/plesk/rpc/plesktest/internal/fakeproto"
)

// SourceHost is a Plesk server the fake can migrate from. A migration start
// must name its Host with its Login and Password, and may move only what
// it holds.
type SourceHost struct {
	Host            string // host name or IP address, as start names it
	Login, Password string // the source's administrator
	Resellers       []SourceReseller
	Customers       []SourceCustomer // owned by the source's administrator
	Webspaces       []SourceWebspace // owned by the source's administrator
}

// SourceReseller is a reseller on a source host.
type SourceReseller struct {
	Login, Name string
	Customers   []SourceCustomer
	Webspaces   []SourceWebspace
}

// SourceCustomer is a customer on a source host.
type SourceCustomer struct {
	Login, Name string
	Webspaces   []SourceWebspace
}

// SourceWebspace is a webspace on a source host.
type SourceWebspace struct {
	Name      string
	Databases []SourceDatabase
	// Fail makes the migration of this webspace fail with this message:
	// it is not created, and get_status finishes with an error naming it.
	Fail string
}

// SourceDatabase is a database of a source webspace, on the source's
// database server Host:Port. A migration puts it on the server that the
// database server mapping names, else on the destination server at the
// same address, else on the default server of its type.
type SourceDatabase struct {
	Name string
	Type string // "mysql", "postgresql", …
	Host string
	Port int
}

// AddSourceHost makes a source server known to the fake's Migration
// Manager.
func (s *Server) AddSourceHost(h SourceHost) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if h.Host == "" {
		s.seedPanic("AddSourceHost", "the host is empty")
	}
	for _, o := range s.st.sources {
		if strings.EqualFold(o.Host, h.Host) {
			s.seedPanic("AddSourceHost", "host %s is already added", h.Host)
		}
	}
	s.st.sources = append(s.st.sources, h)
}

// Migration is the state of a migration as the fake's Migration Manager
// sees it.
type Migration struct {
	ID        string
	Host      string
	Total     int      // objects to move
	Completed int      // objects done (moved or failed)
	Finished  bool     // every object is done
	Errors    []string // one message per object that failed
	Stopped   bool     // finish was called: get_status no longer knows it
}

// Migration returns the migration with the given id, finished or stopped
// ones included.
func (s *Server) Migration(id string) (Migration, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, m := range s.st.migrations {
		if m.id == id {
			return Migration{ID: m.id, Host: m.host, Total: len(m.steps), Completed: m.done,
				Finished: m.done == len(m.steps), Errors: slices.Clone(m.errs), Stopped: m.stopped}, true
		}
	}
	return Migration{}, false
}

// migration is a running (or finished) migration: a list of objects to
// move, done in order, step objects per get_status call.
type migration struct {
	id      string
	host    string
	steps   []migrationStep
	done    int
	errs    []string
	stopped bool
}

type migrationStep struct {
	what  string              // `customer "jdoe"`, for migration_status
	apply func(*state) string // moves the object; a non-empty return is an error message
}

func (c *call) migration(req *fakeproto.MigrationCall) *fakeproto.MigrationReply {
	out := &fakeproto.MigrationReply{}
	for i := range req.Items {
		it := &req.Items[i]
		var r fakeproto.MigrationReplyItem
		deny := c.migrationDenied()
		switch {
		case it.Check != nil:
			res := okResult()
			if deny != nil {
				res = *deny
			}
			r.Check = &fakeproto.MigrationFinishReply{Result: res}
		case it.GetFS != nil:
			r.GetFS = &fakeproto.MigrationGetFSReply{Result: c.getFS(deny)}
		case it.Start != nil:
			r.Start = &fakeproto.MigrationStartReply{Result: c.migrationStart(it.Start, deny)}
		case it.GetStatus != nil:
			r.GetStatus = &fakeproto.MigrationGetStatusReply{Result: c.migrationStatus(it.GetStatus, deny)}
		case it.Finish != nil:
			r.Finish = &fakeproto.MigrationFinishReply{Result: c.migrationFinish(it.Finish, deny)}
		default:
			r = unimplemented[fakeproto.MigrationReplyItem]("migration", it)
		}
		out.Items = append(out.Items, r)
	}
	return out
}

// migrationDenied returns the error every migration operation gets when
// Migration Manager is missing or the user is not the administrator.
func (c *call) migrationDenied() *fakeproto.Result {
	switch {
	case c.st.pmmOff:
		r := errResult(codeNoComponent, "Plesk Migration Manager is not installed")
		return &r
	case c.user != AdminLogin:
		r := errResult(codePermission, "Permission denied: only the administrator may migrate.")
		return &r
	}
	return nil
}

func (c *call) getFS(deny *fakeproto.Result) fakeproto.MigrationGetFSResult {
	if deny != nil {
		return fakeproto.MigrationGetFSResult{Status: deny.Status, ErrCode: deny.ErrCode, ErrText: deny.ErrText}
	}
	r := fakeproto.MigrationGetFSResult{Status: fakeproto.ResultStatusOK}
	for _, fs := range c.st.fileSystems {
		r.FS = append(r.FS, fakeproto.FS{Mountpoint: fs.Mountpoint, Device: fs.Device,
			Mode: fakeproto.FSReadWriteStatus(fs.Mode), Size: itoa(fs.Size), Free: itoa(fs.Free), Type: fs.Type})
	}
	return r
}

const startFailed = "Unable to start migrations process: "

func (c *call) migrationStart(a *fakeproto.MigrationStart, deny *fakeproto.Result) fakeproto.MigrationStartResult {
	fail := func(n int, text string) fakeproto.MigrationStartResult {
		return fakeproto.MigrationStartResult{Status: fakeproto.ResultStatusError, ErrCode: code(n), ErrText: &text}
	}
	if deny != nil {
		return fail(int(*deny.ErrCode), *deny.ErrText)
	}
	var src *SourceHost
	for i := range c.st.sources {
		if strings.EqualFold(c.st.sources[i].Host, a.Host) {
			src = &c.st.sources[i]
		}
	}
	if src == nil || src.Login != a.Login || src.Password != a.Password {
		return fail(codeFailed, fmt.Sprintf(startFailed+"Host %s is not accessible", a.Host))
	}
	p := &migrationPlanner{st: c.st, src: src}
	if n, text := p.plan(&a.SelectedObjects); n != 0 {
		return fail(n, text)
	}
	m := &migration{id: strconv.FormatInt(c.st.nextMigration, 10), host: src.Host, steps: p.steps}
	c.st.nextMigration++
	c.st.migrations = append(c.st.migrations, m)
	return fakeproto.MigrationStartResult{Status: fakeproto.ResultStatusOK, MigrationID: &m.id}
}

// migrationPlanner checks what a start asks for, as Migration Manager does
// before it starts, and lists the objects to move.
type migrationPlanner struct {
	st    *state
	src   *SourceHost
	steps []migrationStep
	// What the checks need, gathered first so that each check covers the
	// whole request before the next runs.
	missing     []string // objects the source does not have
	missingKind string
	owners      []string // target owners
	providers   bool     // the target owners must be able to own customers
	resellers   []string // logins to create
	customers   []string
	webspaces   []string
	ips         []fakeproto.MappedIP
	dbMaps      []fakeproto.MappedDBServer
}

func (p *migrationPlanner) plan(sel *fakeproto.SelectedObjects) (int, string) {
	switch {
	case sel.MigrateResellers != nil:
		p.missingKind = "resellers"
		for _, r := range sel.MigrateResellers.Reseller {
			p.reseller(r)
		}
	case sel.MigrateCustomers != nil:
		p.missingKind = "clients"
		owner := sel.MigrateCustomers.TargetOwner
		p.owners, p.providers = append(p.owners, owner), true
		for _, mc := range sel.MigrateCustomers.Customer {
			p.customer(mc, findCustomer(p.src.Customers, p.src.Resellers, mc.Name), owner)
		}
	default:
		p.missingKind = "domains"
		for _, sd := range sel.MigrateWebspaces {
			p.owners = append(p.owners, sd.TargetOwner)
			for _, md := range sd.Webspace {
				p.webspace(md, findWebspace(p.src, md.Name), sd.TargetOwner)
			}
		}
	}
	st := p.st
	if len(p.missing) > 0 {
		return codeNotFound, fmt.Sprintf(startFailed+"The following %s not exist: %s", p.missingKind, strings.Join(p.missing, ", "))
	}
	for _, o := range p.owners {
		if !st.userExists(o) || p.providers && !st.isProvider(o) {
			return codeFailed, fmt.Sprintf(startFailed+"The target owner %q does not exist on the destination host", o)
		}
	}
	for _, l := range p.resellers {
		if st.loginTaken(l) {
			return codeExistsLogin, fmt.Sprintf("Reseller with login name %q already exists.", l)
		}
	}
	for _, l := range p.customers {
		if st.loginTaken(l) {
			return codeExistsLogin, fmt.Sprintf("Customer with login name %q already exists.", l)
		}
	}
	for _, w := range p.webspaces {
		if st.subByName(w) != nil {
			return codeExistsSubscription, fmt.Sprintf("subscription %q already exists", w)
		}
	}
	for _, m := range p.ips {
		dst := st.ip(m.New.IPAddress)
		switch {
		case dst == nil:
			return codeNoDestinationIP, fmt.Sprintf("IP %q does not exist on the destination host", m.New.IPAddress)
		case m.Old.IPType == fakeproto.IPTypeShared && m.New.IPType == fakeproto.IPTypeExclusive:
			return codeInvalid, "The 'shared' IP cannot migrate to the 'exclusive' IP"
		case string(m.New.IPType) != string(dst.Type):
			return codeWrongIPType, fmt.Sprintf("On the destination host, IP %q type is %q, not %q", dst.Address, dst.Type, m.New.IPType)
		}
	}
	for _, m := range p.dbMaps {
		port, _ := strconv.Atoi(strings.TrimSpace(m.New.Port))
		d := st.dbServerAt(m.New.Host, port, "")
		switch {
		case d == nil:
			return codeNotFound, fmt.Sprintf(startFailed+"Database server %s:%s does not exist on the destination host", m.New.Host, m.New.Port)
		case d.Type != m.New.Type || m.Old.Type != m.New.Type:
			return codeWrongDBType, fmt.Sprintf(startFailed+"Database server %s:%s is of type %s; the mapping asks for %s to %s",
				m.New.Host, m.New.Port, d.Type, m.Old.Type, m.New.Type)
		}
	}
	return 0, ""
}

// Migration error codes beyond the common ones.
const (
	codeExistsSubscription = 15006
	codeNoDestinationIP    = 15007
	codeWrongIPType        = 15009
	codeExistsLogin        = 15012
)

func findCustomer(top []SourceCustomer, resellers []SourceReseller, login string) *SourceCustomer {
	for i := range top {
		if top[i].Login == login {
			return &top[i]
		}
	}
	for _, r := range resellers {
		for i := range r.Customers {
			if r.Customers[i].Login == login {
				return &r.Customers[i]
			}
		}
	}
	return nil
}

func findWebspace(src *SourceHost, name string) *SourceWebspace {
	in := func(ws []SourceWebspace) *SourceWebspace {
		for i := range ws {
			if strings.EqualFold(ws[i].Name, name) {
				return &ws[i]
			}
		}
		return nil
	}
	if w := in(src.Webspaces); w != nil {
		return w
	}
	for _, c := range src.Customers {
		if w := in(c.Webspaces); w != nil {
			return w
		}
	}
	for _, r := range src.Resellers {
		if w := in(r.Webspaces); w != nil {
			return w
		}
		for _, c := range r.Customers {
			if w := in(c.Webspaces); w != nil {
				return w
			}
		}
	}
	return nil
}

func newIPs(ms []fakeproto.MappedIP) []string {
	var out []string
	for _, m := range ms {
		out = append(out, m.New.IPAddress)
	}
	return out
}

func (p *migrationPlanner) reseller(r fakeproto.MappedReseller) {
	var src *SourceReseller
	for i := range p.src.Resellers {
		if p.src.Resellers[i].Login == r.Name {
			src = &p.src.Resellers[i]
		}
	}
	if src == nil {
		p.missing = append(p.missing, r.Name)
		return
	}
	p.resellers = append(p.resellers, r.Name)
	p.ips = append(p.ips, r.IP...)
	login, name, ips := src.Login, src.Name, newIPs(r.IP)
	p.steps = append(p.steps, migrationStep{what: fmt.Sprintf("reseller %q", login), apply: func(st *state) string {
		if st.loginTaken(login) {
			return fmt.Sprintf("Reseller with login name %q already exists.", login)
		}
		rs := &Reseller{ID: st.nextClient, Login: login, Name: name, GUID: st.guid(), IPs: ips}
		st.nextClient++
		st.resellers = append(st.resellers, rs)
		return ""
	}})
	for _, mc := range r.Customer {
		var sc *SourceCustomer
		for i := range src.Customers {
			if src.Customers[i].Login == mc.Name {
				sc = &src.Customers[i]
			}
		}
		p.customer(mc, sc, login)
	}
	for _, md := range r.Webspace {
		var sw *SourceWebspace
		for i := range src.Webspaces {
			if strings.EqualFold(src.Webspaces[i].Name, md.Name) {
				sw = &src.Webspaces[i]
			}
		}
		p.webspace(md, sw, login)
	}
}

func (p *migrationPlanner) customer(mc fakeproto.MappedClient, src *SourceCustomer, owner string) {
	if src == nil {
		p.missing = append(p.missing, mc.Name)
		return
	}
	p.customers = append(p.customers, mc.Name)
	p.ips = append(p.ips, mc.IP...)
	login, name, ips := src.Login, src.Name, newIPs(mc.IP)
	p.steps = append(p.steps, migrationStep{what: fmt.Sprintf("customer %q", login), apply: func(st *state) string {
		if st.loginTaken(login) {
			return fmt.Sprintf("Customer with login name %q already exists.", login)
		}
		if !st.isProvider(owner) {
			return fmt.Sprintf("Customer %q: the owner %q does not exist on the destination host", login, owner)
		}
		cu := &Customer{ID: st.nextClient, Login: login, Name: name, GUID: st.guid(), Owner: owner, IPs: ips}
		st.nextClient++
		st.customers = append(st.customers, cu)
		return ""
	}})
	for _, md := range mc.Webspace {
		var sw *SourceWebspace
		for i := range src.Webspaces {
			if strings.EqualFold(src.Webspaces[i].Name, md.Name) {
				sw = &src.Webspaces[i]
			}
		}
		p.webspace(md, sw, login)
	}
}

func (p *migrationPlanner) webspace(md fakeproto.MappedDomain, src *SourceWebspace, owner string) {
	if src == nil {
		p.missing = append(p.missing, md.Name)
		return
	}
	p.webspaces = append(p.webspaces, md.Name)
	ip := ""
	if md.IP != nil {
		p.ips = append(p.ips, *md.IP)
		ip = md.IP.New.IPAddress
	}
	p.dbMaps = append(p.dbMaps, md.DBServer...)
	sw := *src
	sw.Databases = slices.Clone(src.Databases)
	maps := slices.Clone(md.DBServer)
	p.steps = append(p.steps, migrationStep{what: fmt.Sprintf("webspace %q", sw.Name), apply: func(st *state) string {
		return st.migrateWebspace(sw, owner, ip, maps)
	}})
}

// migrateWebspace creates a migrated webspace and its databases.
func (st *state) migrateWebspace(sw SourceWebspace, owner, ip string, maps []fakeproto.MappedDBServer) string {
	if sw.Fail != "" {
		return fmt.Sprintf("Webspace %q was not migrated: %s", sw.Name, sw.Fail)
	}
	if st.subByName(sw.Name) != nil {
		return fmt.Sprintf("subscription %q already exists", sw.Name)
	}
	if !st.userExists(owner) {
		return fmt.Sprintf("Webspace %q: the owner %q does not exist on the destination host", sw.Name, owner)
	}
	if ip == "" {
		for _, a := range st.ips {
			if a.Type == IPShared {
				ip = a.Address
				break
			}
		}
	}
	sub := &Subscription{ID: st.nextSub, Name: sw.Name, GUID: st.guid(), Owner: owner, IP: ip}
	st.nextSub++
	st.subs = append(st.subs, sub)
	var errs []string
	for _, sd := range sw.Databases {
		srv := st.mappedDBServer(sd, maps)
		if srv == nil {
			errs = append(errs, fmt.Sprintf("Database %q of webspace %q was not migrated: no %s server on the destination host", sd.Name, sw.Name, sd.Type))
			continue
		}
		if st.dbNameTaken(srv.ID, sd.Name) {
			errs = append(errs, fmt.Sprintf("Database %q of webspace %q was not migrated: it already exists on %s:%d", sd.Name, sw.Name, srv.Host, srv.Port))
			continue
		}
		st.dbs = append(st.dbs, &Database{ID: st.nextDB, Name: sd.Name, Type: srv.Type, SubscriptionID: sub.ID, DBServerID: srv.ID})
		st.nextDB++
	}
	return strings.Join(errs, "; ")
}

// mappedDBServer picks the destination server of a source database.
func (st *state) mappedDBServer(sd SourceDatabase, maps []fakeproto.MappedDBServer) *DBServer {
	for _, m := range maps {
		port, _ := strconv.Atoi(strings.TrimSpace(m.Old.Port))
		if strings.EqualFold(m.Old.Host, sd.Host) && port == sd.Port && m.Old.Type == sd.Type {
			newPort, _ := strconv.Atoi(strings.TrimSpace(m.New.Port))
			return st.dbServerAt(m.New.Host, newPort, m.New.Type)
		}
	}
	if d := st.dbServerAt(sd.Host, sd.Port, sd.Type); d != nil {
		return d
	}
	return st.defaultDBServer(sd.Type)
}

func (st *state) migrationByID(id string) *migration {
	for _, m := range st.migrations {
		if m.id == id && !m.stopped {
			return m
		}
	}
	return nil
}

func sessionMissing(id string) string {
	return fmt.Sprintf("Session with ID %q does not exist", id)
}

// migrationStatus moves the migration on by the configured step, then
// reports it: progress while objects remain, the outcome once all are done.
func (c *call) migrationStatus(req *fakeproto.MigrationFinish, deny *fakeproto.Result) fakeproto.MigrationGetStatusResult {
	fail := func(r fakeproto.Result) fakeproto.MigrationGetStatusResult {
		return fakeproto.MigrationGetStatusResult{Status: r.Status, ErrCode: r.ErrCode, ErrText: r.ErrText}
	}
	if deny != nil {
		return fail(*deny)
	}
	id := strings.TrimSpace(req.MigrationID)
	m := c.st.migrationByID(id)
	if m == nil {
		return fail(errResult(codeNotFound, sessionMissing(id)))
	}
	for i := 0; i < c.cfg.migrationStep && m.done < len(m.steps); i++ {
		if msg := m.steps[m.done].apply(c.st); msg != "" {
			m.errs = append(m.errs, msg)
		}
		m.done++
	}
	r := fakeproto.MigrationGetStatusResult{Status: fakeproto.ResultStatusOK}
	if m.done < len(m.steps) {
		r.MigrationStatus = &fakeproto.MigrationStatus{Total: int64(len(m.steps)), Completed: int64(m.done),
			Description: ptr("Migrating " + m.steps[m.done].what)}
		return r
	}
	fin := &fakeproto.MigrationFinished{}
	if len(m.errs) == 0 {
		fin.Success = &rpc.Empty{}
	}
	for _, e := range m.errs {
		fin.Error = append(fin.Error, fakeproto.Error{Message: []string{e}})
	}
	r.Finished = fin
	return r
}

// migrationFinish stops a migration and forgets it; what it moved stays.
func (c *call) migrationFinish(req *fakeproto.MigrationFinish, deny *fakeproto.Result) fakeproto.Result {
	if deny != nil {
		return *deny
	}
	id := strings.TrimSpace(req.MigrationID)
	m := c.st.migrationByID(id)
	if m == nil {
		return errResult(codeNotFound, sessionMissing(id))
	}
	m.stopped = true
	return okResult()
}
