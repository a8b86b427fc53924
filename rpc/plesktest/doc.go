// Package plesktest runs a fake Plesk XML API endpoint on a loopback port,
// for tests, in the manner of net/http/httptest.
//
//	srv := plesktest.NewTLSServer()
//	defer srv.Close()
//	srv.AddIP(plesktest.IPAddress{Address: "192.0.2.10"})
//	sub := srv.AddSubscription(plesktest.Subscription{Name: "example.com", IP: "192.0.2.10"})
//
//	c, err := rpc.NewClient(srv.URL,
//		rpc.WithLogin(plesktest.AdminLogin, plesktest.DefaultAdminPassword),
//		rpc.WithRootCAs(srv.CertPool()))
//	…
//	s, _ := srv.Subscription(sub.ID) // what the operations did
//
// The server holds customers, resellers, service plans, subscriptions
// (webspaces), databases, database servers, IP addresses and migrations in
// memory. Seed it with the Add methods and look at it with the methods
// named after the objects (Customer, Subscription, Database, Migration, …).
//
// It checks a packet as Plesk does, in Plesk's order, and answers a failed
// check with a packet-level <system> error:
//
//   - credentials: HTTP_AUTH_LOGIN and HTTP_AUTH_PASSWD (the administrator,
//     or a reseller with a Password) or a KEY header (WithSecretKey); a
//     wrong login or password gives 1001, a wrong key 11003;
//   - the packet's version attribute: one of Versions (or a prefix of one,
//     or none for the newest), else 1005;
//   - schema validity against the generated types of that version: an
//     element the schema does not declare, one missing or out of order, an
//     empty or malformed typed value, or a constraint Validate checks gives
//     1014 with a libxml-like message ("Parser error: Request is invalid.
//     Error in line 5: Element 'id': This element is not expected.
//     Expected is ( filter ).").
//
// Importing plesktest builds no package of generated/: the fake runs on a
// small generated package of its own, with only the operators it
// implements. The schema a packet is checked against is that of the
// generated package of its version the test binary links: importing
// generated/plesk1691 (for its client, as every test of a plesk1691
// program does) registers its packet types, and nothing else is needed.
// A version none of whose packages is linked is still spoken, checked
// against the fake's own types, which declare its implemented operators
// and no other: a packet naming another operator then gets 1014 rather
// than 1023. A package generated with pleskgen -operators does not
// register, so a version is never checked against part of its schema.
//
// It implements, with Plesk's result shapes and error codes:
//
//   - migration: check (1026 after SetMigrationManager(false)), get_fs,
//     start (1023 unknown source host, 1013 objects the source lacks, 1023
//     unknown target owner, 15012 existing login, 15006 existing
//     subscription, 15007 unknown destination IP, 1019 shared to exclusive
//     mapping, 15009 wrong destination IP type, 1013 and 14008 for database
//     server mappings), get_status (migration_status advancing by
//     WithMigrationStep objects per call, then finished with success or
//     error), finish; resellers get 1006;
//   - database: add-db, get-db, del-db, assign-to-subscription;
//   - db_server: get;
//   - ip: get (the addresses added with AddIP; a reseller sees its pool);
//   - customer: add, get (gen_info, stat), del, change-owner (1015 unknown
//     new owner, 1019 no IP, 1013 unknown IP or plan, 1023 IP outside the
//     new owner's pool);
//   - webspace: add, get (gen_info, subscriptions), del, set (owner, name,
//     IP address and external id; 1015 unknown owner), switch-subscription
//     (plan-guid, plan-external-id or no-plan; status ok with a problems
//     table when Locked settings cannot follow the plan).
//
// An empty <filter/> matches every object of the operator in each of
// them, as in Plesk (customer/del with <filter/> deletes every customer).
// Error texts are Plesk's where Plesk's are published (its documentation's
// response samples); a test states so against those samples. Match on
// codes all the same.
//
// Other operations answer error 1023 saying the fake does not implement
// them, unless a handler serves them. Handle registers a typed function
// for one operation of any generated bindings (an operator our schema
// sets do not cover, such as dns from Plesk's official schemas, or one
// the fake implements), which gets the decoded request and answers typed
// results or an *Error with a Plesk code. A handler serves exactly the
// operation it names: the operator's other operations keep the fake's
// answers, and Builtin lets a handler call through to the fake's own
// answer and alter it (to inject one failure into a real flow). Handlers
// share the fake's objects through Server.View and Server.Update, whose
// State gives the fake's own customers, subscriptions, plans, databases
// and IP addresses, guarded by the server's lock. Answers are built with
// the generated response types of the newest protocol and rewritten
// through those of the version the packet asked for, so their shape is
// that version's schema.
//
// NewReplayServer answers instead from a recording made with
// rpc.WithRecorder against a real server, matching requests by content;
// a request the recording lacks gets an error naming its operations.
//
// Faults (Latency, HTMLErrorPage, HTTPStatus, TruncatedBody,
// DropConnection) stand for what goes wrong between a client and Plesk;
// inject them with WithFault or FailNext.
//
// Nothing depends on the wall clock: migrations advance per get_status
// call, and Latency ends as soon as the client gives up or the server
// closes.
package plesktest
