package plesktest

import (
	"fmt"
	"slices"
	"strings"
)

// IPType is how an IP address is allotted: shared by many subscriptions or
// exclusive to one customer.
type IPType string

// The IP address types.
const (
	IPShared    IPType = "shared"
	IPExclusive IPType = "exclusive"
)

// IPAddress is an IP address of the server.
type IPAddress struct {
	Address string
	Type    IPType // IPShared when empty
	// Netmask and Interface are what ip/get reports; 255.255.255.0 and
	// eth0 when empty.
	Netmask, Interface string
	// PublicAddress is the public address of an address behind NAT.
	PublicAddress string
}

// Reseller is a reseller account.
type Reseller struct {
	ID    int64 // assigned by AddReseller
	Login string
	// Password lets the reseller use the API with its login; empty means
	// no API access. Resellers may not run migrations (error 1006).
	Password string
	Name     string
	GUID     string   // generated when empty
	IPs      []string // the reseller's IP pool: addresses added with AddIP
}

// Customer is a customer account.
type Customer struct {
	ID         int64 // assigned by AddCustomer
	Login      string
	Password   string
	Name       string // the contact name (pname)
	Company    string // cname
	Email      string
	GUID       string // generated when empty
	ExternalID string
	// Owner is the login of the owner: AdminLogin (also when empty) or a
	// reseller's login.
	Owner string
	// IPs are the addresses the customer was given from the owner's pool.
	IPs []string
}

// Setting is one value of a service plan or a subscription: a limit, a
// permission or a hosting setting, by the name the panel shows.
type Setting struct {
	Name  string // "Hard disk quota", "SSL support", …
	Value string // "Unlimited", "switched on", …
}

// Plan is a service plan for subscriptions.
type Plan struct {
	ID         int64 // assigned by AddPlan
	Name       string
	GUID       string // generated when empty
	ExternalID string
	Owner      string // AdminLogin (also when empty) or a reseller's login
	// Settings are what a subscription switched to the plan gets.
	Settings []Setting
}

// Subscription is a webspace: a subscription and its main domain, whose id
// is the webspace-id of the API.
type Subscription struct {
	ID         int64 // assigned by AddSubscription
	Name       string
	GUID       string // generated when empty
	ExternalID string
	// Owner is the login of the customer, reseller or administrator
	// (AdminLogin, also when empty) who owns the subscription.
	Owner string
	IP    string // its IPv4 address, one of the server's
	// PlanGUID is the GUID of the plan the subscription follows; empty
	// when it follows none.
	PlanGUID string
	// Settings are the subscription's current values.
	Settings []Setting
	// Locked names settings that cannot take a new plan's value (a usage
	// above the new limit, a customization): switch-subscription keeps
	// their current value and reports them in problems.
	Locked []string
}

// Setting returns the current value of the named setting.
func (s Subscription) Setting(name string) (string, bool) {
	for _, st := range s.Settings {
		if st.Name == name {
			return st.Value, true
		}
	}
	return "", false
}

// DBServer is a database server registered in Plesk. The first server of a
// type is the default for it.
type DBServer struct {
	ID    int64 // assigned by AddDBServer
	Host  string
	Port  int
	Type  string // "mysql", "postgresql", "mssql"
	Admin string
}

// Database is a database of a subscription.
type Database struct {
	ID             int64 // assigned by AddDatabase
	Name           string
	Type           string // the type of its server when empty
	SubscriptionID int64
	// DBServerID is the server holding the database; zero means the
	// default server of Type.
	DBServerID int64
}

// state is everything the fake Plesk knows. The Server's mutex guards it.
type state struct {
	ips           []IPAddress
	resellers     []*Reseller
	customers     []*Customer
	plans         []*Plan
	subs          []*Subscription
	dbServers     []*DBServer
	dbs           []*Database
	sources       []SourceHost
	migrations    []*migration
	pmmOff        bool
	fileSystems   []FileSystem
	nextClient    int64 // customers and resellers share ids; the admin is 1
	nextPlan      int64
	nextSub       int64
	nextDBServer  int64
	nextDB        int64
	nextMigration int64
	nextGUID      int64
}

func (st *state) init() {
	st.nextClient, st.nextPlan, st.nextSub, st.nextDBServer, st.nextDB = 2, 1, 1, 1, 1
	st.nextMigration = 101
	st.fileSystems = []FileSystem{{Mountpoint: "/", Device: "/dev/sda1", Mode: "rw", Size: 42949672960, Free: 21474836480, Type: "ext4"}}
}

func (st *state) guid() string {
	st.nextGUID++
	return fmt.Sprintf("5e1f7e57-0000-4000-8000-%012d", st.nextGUID)
}

func (st *state) ip(addr string) *IPAddress {
	for i := range st.ips {
		if st.ips[i].Address == addr {
			return &st.ips[i]
		}
	}
	return nil
}

func (st *state) resellerByLogin(login string) *Reseller {
	for _, r := range st.resellers {
		if r.Login == login {
			return r
		}
	}
	return nil
}

func (st *state) customerByLogin(login string) *Customer {
	for _, c := range st.customers {
		if c.Login == login {
			return c
		}
	}
	return nil
}

func (st *state) customerByID(id int64) *Customer {
	for _, c := range st.customers {
		if c.ID == id {
			return c
		}
	}
	return nil
}

// isProvider reports whether login is the administrator or a reseller,
// the users who may own customers and plans.
func (st *state) isProvider(login string) bool {
	return login == AdminLogin || st.resellerByLogin(login) != nil
}

// userExists reports whether login is any user: admin, reseller, customer.
func (st *state) userExists(login string) bool {
	return st.isProvider(login) || st.customerByLogin(login) != nil
}

// loginTaken reports whether a customer or reseller may not get login.
func (st *state) loginTaken(login string) bool { return st.userExists(login) }

// clientID returns the id of a user by login; the administrator is 1.
func (st *state) clientID(login string) int64 {
	if login == AdminLogin {
		return 1
	}
	if r := st.resellerByLogin(login); r != nil {
		return r.ID
	}
	if c := st.customerByLogin(login); c != nil {
		return c.ID
	}
	return 0
}

// pool returns the IP pool of a provider: every address for the
// administrator, the reseller's own pool otherwise.
func (st *state) pool(login string) []string {
	if login == AdminLogin {
		var all []string
		for _, ip := range st.ips {
			all = append(all, ip.Address)
		}
		return all
	}
	if r := st.resellerByLogin(login); r != nil {
		return r.IPs
	}
	return nil
}

func (st *state) planByGUID(guid string) *Plan {
	for _, p := range st.plans {
		if p.GUID == guid {
			return p
		}
	}
	return nil
}

func (st *state) planByExternalID(id string) *Plan {
	for _, p := range st.plans {
		if p.ExternalID != "" && p.ExternalID == id {
			return p
		}
	}
	return nil
}

func (st *state) planByName(owner, name string) *Plan {
	for _, p := range st.plans {
		if p.Owner == owner && p.Name == name {
			return p
		}
	}
	return nil
}

func (st *state) subByID(id int64) *Subscription {
	for _, s := range st.subs {
		if s.ID == id {
			return s
		}
	}
	return nil
}

func (st *state) subByName(name string) *Subscription {
	for _, s := range st.subs {
		if strings.EqualFold(s.Name, name) {
			return s
		}
	}
	return nil
}

func (st *state) dbServerByID(id int64) *DBServer {
	for _, d := range st.dbServers {
		if d.ID == id {
			return d
		}
	}
	return nil
}

// defaultDBServer returns the first server of a type.
func (st *state) defaultDBServer(typ string) *DBServer {
	for _, d := range st.dbServers {
		if d.Type == typ {
			return d
		}
	}
	return nil
}

func (st *state) dbServerAt(host string, port int, typ string) *DBServer {
	for _, d := range st.dbServers {
		if strings.EqualFold(d.Host, host) && d.Port == port && (typ == "" || d.Type == typ) {
			return d
		}
	}
	return nil
}

func (st *state) dbByID(id int64) *Database {
	for _, d := range st.dbs {
		if d.ID == id {
			return d
		}
	}
	return nil
}

// dbNameTaken reports a database of that name on the server.
func (st *state) dbNameTaken(serverID int64, name string) bool {
	for _, d := range st.dbs {
		if d.DBServerID == serverID && strings.EqualFold(d.Name, name) {
			return true
		}
	}
	return false
}

// Seeding. The Add methods check what Plesk would refuse and panic with a
// message naming the problem: a fixture that cannot be built is a bug in
// the test.

func (s *Server) seedPanic(what, format string, args ...any) {
	panic(fmt.Sprintf("plesktest: %s: %s", what, fmt.Sprintf(format, args...)))
}

// AddIP adds IP addresses to the server (and so to the administrator's
// pool).
func (s *Server) AddIP(ips ...IPAddress) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, ip := range ips {
		if ip.Type == "" {
			ip.Type = IPShared
		}
		if ip.Address == "" || s.st.ip(ip.Address) != nil {
			s.seedPanic("AddIP", "address %q is empty or already added", ip.Address)
		}
		if ip.Type != IPShared && ip.Type != IPExclusive {
			s.seedPanic("AddIP", "address %s: type %q is neither shared nor exclusive", ip.Address, ip.Type)
		}
		s.st.ips = append(s.st.ips, ip)
	}
}

// AddReseller adds a reseller and returns it with its id and GUID.
func (s *Server) AddReseller(r Reseller) Reseller {
	s.mu.Lock()
	defer s.mu.Unlock()
	if r.Login == "" || s.st.loginTaken(r.Login) {
		s.seedPanic("AddReseller", "login %q is empty or taken", r.Login)
	}
	for _, ip := range r.IPs {
		if s.st.ip(ip) == nil {
			s.seedPanic("AddReseller", "%s: IP %s was not added with AddIP", r.Login, ip)
		}
	}
	r.ID = s.st.nextClient
	s.st.nextClient++
	if r.GUID == "" {
		r.GUID = s.st.guid()
	}
	r.IPs = slices.Clone(r.IPs)
	s.st.resellers = append(s.st.resellers, &r)
	return r
}

// AddCustomer adds a customer and returns it with its id and GUID.
func (s *Server) AddCustomer(c Customer) Customer {
	s.mu.Lock()
	defer s.mu.Unlock()
	return *s.st.addCustomer(c, s.seedPanic)
}

func (st *state) addCustomer(c Customer, fail func(what, format string, args ...any)) *Customer {
	if c.Owner == "" {
		c.Owner = AdminLogin
	}
	if c.Login == "" || st.loginTaken(c.Login) {
		fail("AddCustomer", "login %q is empty or taken", c.Login)
	}
	if !st.isProvider(c.Owner) {
		fail("AddCustomer", "%s: owner %q is neither the administrator nor a reseller", c.Login, c.Owner)
	}
	for _, ip := range c.IPs {
		if !slices.Contains(st.pool(c.Owner), ip) {
			fail("AddCustomer", "%s: IP %s is not in the pool of %s", c.Login, ip, c.Owner)
		}
	}
	c.ID = st.nextClient
	st.nextClient++
	if c.GUID == "" {
		c.GUID = st.guid()
	}
	c.IPs = slices.Clone(c.IPs)
	st.customers = append(st.customers, &c)
	return &c
}

// AddPlan adds a service plan and returns it with its id and GUID.
func (s *Server) AddPlan(p Plan) Plan {
	s.mu.Lock()
	defer s.mu.Unlock()
	if p.Owner == "" {
		p.Owner = AdminLogin
	}
	if p.Name == "" || s.st.planByName(p.Owner, p.Name) != nil {
		s.seedPanic("AddPlan", "name %q is empty or taken for %s", p.Name, p.Owner)
	}
	if !s.st.isProvider(p.Owner) {
		s.seedPanic("AddPlan", "%s: owner %q is neither the administrator nor a reseller", p.Name, p.Owner)
	}
	if p.ExternalID != "" && s.st.planByExternalID(p.ExternalID) != nil {
		s.seedPanic("AddPlan", "%s: external id %q is taken", p.Name, p.ExternalID)
	}
	p.ID = s.st.nextPlan
	s.st.nextPlan++
	if p.GUID == "" {
		p.GUID = s.st.guid()
	}
	p.Settings = slices.Clone(p.Settings)
	s.st.plans = append(s.st.plans, &p)
	return p
}

// AddSubscription adds a subscription and returns it with its id and GUID.
// A subscription with a PlanGUID and no Settings starts with the plan's.
func (s *Server) AddSubscription(sub Subscription) Subscription {
	s.mu.Lock()
	defer s.mu.Unlock()
	return *s.st.addSubscription(sub, s.seedPanic)
}

func (st *state) addSubscription(sub Subscription, fail func(what, format string, args ...any)) *Subscription {
	if sub.Owner == "" {
		sub.Owner = AdminLogin
	}
	if sub.Name == "" || st.subByName(sub.Name) != nil {
		fail("AddSubscription", "name %q is empty or taken", sub.Name)
	}
	if !st.userExists(sub.Owner) {
		fail("AddSubscription", "%s: owner %q does not exist", sub.Name, sub.Owner)
	}
	if sub.IP != "" && st.ip(sub.IP) == nil {
		fail("AddSubscription", "%s: IP %s was not added with AddIP", sub.Name, sub.IP)
	}
	if sub.PlanGUID != "" {
		p := st.planByGUID(sub.PlanGUID)
		if p == nil {
			fail("AddSubscription", "%s: no plan with GUID %s", sub.Name, sub.PlanGUID)
		}
		if len(sub.Settings) == 0 {
			sub.Settings = slices.Clone(p.Settings)
		}
	}
	sub.ID = st.nextSub
	st.nextSub++
	if sub.GUID == "" {
		sub.GUID = st.guid()
	}
	sub.Settings = slices.Clone(sub.Settings)
	sub.Locked = slices.Clone(sub.Locked)
	st.subs = append(st.subs, &sub)
	return &sub
}

// AddDBServer registers a database server and returns it with its id.
func (s *Server) AddDBServer(d DBServer) DBServer {
	s.mu.Lock()
	defer s.mu.Unlock()
	if d.Host == "" || d.Type == "" || d.Port <= 0 {
		s.seedPanic("AddDBServer", "host, port and type are required (got %q, %d, %q)", d.Host, d.Port, d.Type)
	}
	if s.st.dbServerAt(d.Host, d.Port, "") != nil {
		s.seedPanic("AddDBServer", "a server at %s:%d is already registered", d.Host, d.Port)
	}
	if d.Admin == "" {
		d.Admin = "admin"
	}
	d.ID = s.st.nextDBServer
	s.st.nextDBServer++
	s.st.dbServers = append(s.st.dbServers, &d)
	return d
}

// AddDatabase adds a database to a subscription and returns it with its id
// and server.
func (s *Server) AddDatabase(d Database) Database {
	s.mu.Lock()
	defer s.mu.Unlock()
	db, code, text := s.st.addDatabase(d)
	if code != 0 {
		s.seedPanic("AddDatabase", "%s: error %d: %s", d.Name, code, text)
	}
	return *db
}

// addDatabase creates a database as add-db does, or says why not.
func (st *state) addDatabase(d Database) (*Database, int, string) {
	if st.subByID(d.SubscriptionID) == nil {
		return nil, codeNotFound, "Webspace does not exist."
	}
	var srv *DBServer
	if d.DBServerID != 0 {
		if srv = st.dbServerByID(d.DBServerID); srv == nil {
			return nil, codeNotFound, "Database server does not exist."
		}
		if d.Type != "" && d.Type != srv.Type {
			return nil, codeWrongDBType, fmt.Sprintf("Database server %d is a %s server, not %s.", srv.ID, srv.Type, d.Type)
		}
	} else {
		if srv = st.defaultDBServer(d.Type); srv == nil {
			return nil, codeDBServerMissing, fmt.Sprintf("No database server of type %q is configured.", d.Type)
		}
	}
	if d.Name == "" || st.dbNameTaken(srv.ID, d.Name) {
		return nil, codeExists, "Database already exists"
	}
	d.DBServerID, d.Type = srv.ID, srv.Type
	d.ID = st.nextDB
	st.nextDB++
	st.dbs = append(st.dbs, &d)
	return &d, 0, ""
}

// SetMigrationManager installs (true, the default) or removes Plesk
// Migration Manager; without it every migration operation fails with 1026.
func (s *Server) SetMigrationManager(installed bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.st.pmmOff = !installed
}

// FileSystem is a file system migration get_fs reports.
type FileSystem struct {
	Mountpoint, Device string
	Mode               string // "rw" or "ro"
	Size, Free         int64  // bytes
	Type               string
}

// SetFileSystems replaces the file systems get_fs reports (by default one
// ext4 root file system).
func (s *Server) SetFileSystems(fs ...FileSystem) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.st.fileSystems = slices.Clone(fs)
}

// Inspection. Each method returns a copy of the object as it is now.

// Customer returns the customer with the given login.
func (s *Server) Customer(login string) (Customer, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c := s.st.customerByLogin(login); c != nil {
		cp := *c
		cp.IPs = slices.Clone(c.IPs)
		return cp, true
	}
	return Customer{}, false
}

// Reseller returns the reseller with the given login.
func (s *Server) Reseller(login string) (Reseller, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if r := s.st.resellerByLogin(login); r != nil {
		cp := *r
		cp.IPs = slices.Clone(r.IPs)
		return cp, true
	}
	return Reseller{}, false
}

// Subscription returns the subscription (webspace) with the given id.
func (s *Server) Subscription(id int64) (Subscription, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return copySub(s.st.subByID(id))
}

// SubscriptionByName returns the subscription with the given domain name.
func (s *Server) SubscriptionByName(name string) (Subscription, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return copySub(s.st.subByName(name))
}

func copySub(sub *Subscription) (Subscription, bool) {
	if sub == nil {
		return Subscription{}, false
	}
	cp := *sub
	cp.Settings = slices.Clone(sub.Settings)
	cp.Locked = slices.Clone(sub.Locked)
	return cp, true
}

// Subscriptions returns the subscriptions owned by login, in id order.
func (s *Server) Subscriptions(owner string) []Subscription {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Subscription
	for _, sub := range s.st.subs {
		if sub.Owner == owner {
			cp, _ := copySub(sub)
			out = append(out, cp)
		}
	}
	return out
}

// Plan returns the service plan with the given GUID.
func (s *Server) Plan(guid string) (Plan, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if p := s.st.planByGUID(guid); p != nil {
		cp := *p
		cp.Settings = slices.Clone(p.Settings)
		return cp, true
	}
	return Plan{}, false
}

// Database returns the database with the given id.
func (s *Server) Database(id int64) (Database, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if d := s.st.dbByID(id); d != nil {
		return *d, true
	}
	return Database{}, false
}

// Databases returns the databases of a subscription, in id order.
func (s *Server) Databases(subscriptionID int64) []Database {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Database
	for _, d := range s.st.dbs {
		if d.SubscriptionID == subscriptionID {
			out = append(out, *d)
		}
	}
	return out
}

// DBServer returns the database server with the given id.
func (s *Server) DBServer(id int64) (DBServer, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if d := s.st.dbServerByID(id); d != nil {
		return *d, true
	}
	return DBServer{}, false
}
