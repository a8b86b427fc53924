package plesktest

import (
	"fmt"
	"slices"
)

// State is the fake's objects, as Server.View and Server.Update hand them
// to a function: handlers and tests read and change customers,
// subscriptions, plans, databases and IP addresses through it, and the
// fake's own operations see each change from the next operation on.
//
// The pointers its methods return are the fake's own objects, valid only
// until the function given to View or Update returns; change them only in
// Update. IDs and GUIDs identify objects: leave them as they are. A
// change the Add methods would refuse (an owner or IP that does not exist)
// is not checked here: keep the objects consistent, as Plesk would.
type State struct {
	st       *state
	writable bool
}

// View calls f with the fake's objects, read-only, while no packet runs.
// f must not call other methods of the Server (it holds its lock).
func (s *Server) View(f func(st *State)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f(&State{st: &s.st})
}

// Update calls f with the fake's objects, while no packet runs, and
// returns its error. Changes f made before an error are kept: Update
// does not roll back. f must not call other methods of the Server (it
// holds its lock), nor Builtin.
func (s *Server) Update(f func(st *State) error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := &State{st: &s.st, writable: true}
	defer func() { st.writable = false }()
	return f(st)
}

func (s *State) mustWrite(what string) error {
	if s == nil || !s.writable {
		return fmt.Errorf("plesktest: State.%s outside Update", what)
	}
	return nil
}

// IPs returns the server's IP addresses, in the order they were added.
func (s *State) IPs() []*IPAddress {
	out := make([]*IPAddress, len(s.st.ips))
	for i := range s.st.ips {
		out[i] = &s.st.ips[i]
	}
	return out
}

// IP returns the IP address addr, nil when the server has none.
func (s *State) IP(addr string) *IPAddress { return s.st.ip(addr) }

// Resellers returns the resellers, in id order.
func (s *State) Resellers() []*Reseller { return slices.Clone(s.st.resellers) }

// Reseller returns the reseller with the login, nil when there is none.
func (s *State) Reseller(login string) *Reseller { return s.st.resellerByLogin(login) }

// Customers returns the customers, in id order.
func (s *State) Customers() []*Customer { return slices.Clone(s.st.customers) }

// Customer returns the customer with the login, nil when there is none.
func (s *State) Customer(login string) *Customer { return s.st.customerByLogin(login) }

// CustomerByID returns the customer with the id, nil when there is none.
func (s *State) CustomerByID(id int64) *Customer { return s.st.customerByID(id) }

// Plans returns the service plans, in id order.
func (s *State) Plans() []*Plan { return slices.Clone(s.st.plans) }

// Plan returns the service plan with the GUID, nil when there is none.
func (s *State) Plan(guid string) *Plan { return s.st.planByGUID(guid) }

// PlanByName returns the plan of that name owned by owner (AdminLogin or
// a reseller's login), nil when there is none.
func (s *State) PlanByName(owner, name string) *Plan { return s.st.planByName(owner, name) }

// Subscriptions returns the subscriptions, in id order.
func (s *State) Subscriptions() []*Subscription { return slices.Clone(s.st.subs) }

// Subscription returns the subscription with the id, nil when there is
// none.
func (s *State) Subscription(id int64) *Subscription { return s.st.subByID(id) }

// SubscriptionByName returns the subscription with the domain name, nil
// when there is none.
func (s *State) SubscriptionByName(name string) *Subscription { return s.st.subByName(name) }

// Databases returns the databases, in id order.
func (s *State) Databases() []*Database { return slices.Clone(s.st.dbs) }

// Database returns the database with the id, nil when there is none.
func (s *State) Database(id int64) *Database { return s.st.dbByID(id) }

// DBServers returns the database servers, in id order.
func (s *State) DBServers() []*DBServer { return slices.Clone(s.st.dbServers) }

// UserExists reports whether login is the administrator, a reseller or a
// customer: an owner a subscription may have.
func (s *State) UserExists(login string) bool { return s.st.userExists(login) }

// AddCustomer adds a customer as Server.AddCustomer does, but returns an
// error where that panics. Only in Update.
func (s *State) AddCustomer(c Customer) (cust *Customer, err error) {
	if err := s.mustWrite("AddCustomer"); err != nil {
		return nil, err
	}
	defer recoverSeed(&err)
	return s.st.addCustomer(c, failSeed), nil
}

// AddSubscription adds a subscription as Server.AddSubscription does, but
// returns an error where that panics. Only in Update.
func (s *State) AddSubscription(sub Subscription) (added *Subscription, err error) {
	if err := s.mustWrite("AddSubscription"); err != nil {
		return nil, err
	}
	defer recoverSeed(&err)
	return s.st.addSubscription(sub, failSeed), nil
}

// DeleteSubscription deletes a subscription and its databases, as
// webspace/del does, and reports whether there was one. Only in Update.
func (s *State) DeleteSubscription(id int64) (bool, error) {
	if err := s.mustWrite("DeleteSubscription"); err != nil {
		return false, err
	}
	if s.st.subByID(id) == nil {
		return false, nil
	}
	s.st.deleteSubscription(id)
	return true, nil
}

// seedError is what failSeed panics with, for recoverSeed.
type seedError struct{ err error }

func failSeed(what, format string, args ...any) {
	panic(seedError{fmt.Errorf("plesktest: %s: %s", what, fmt.Sprintf(format, args...))})
}

func recoverSeed(err *error) {
	if r := recover(); r != nil {
		se, ok := r.(seedError)
		if !ok {
			panic(r)
		}
		*err = se.err
	}
}
