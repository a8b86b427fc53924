package plesktest

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/pleskgo/plesk/generated/plesk1691"
	"github.com/pleskgo/plesk/internal/sharedtest"
	"github.com/pleskgo/plesk/rpc"
)

// encode writes the request packet the bindings would send for op.
func encode(t *testing.T, version string, ops ...*rpc.Op) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := rpc.EncodeRequest(&b, version, ops...); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func op(operator, operation string, req any) *rpc.Op {
	return &rpc.Op{Operator: operator, Operation: operation, Request: req}
}

// requestOps are the operations the fake implements, as the bindings
// write them.
func requestOps() map[string]*rpc.Op {
	ip := func(typ plesk1691.IPType, addr string) plesk1691.IP {
		return plesk1691.IP{IPType: typ, IPAddress: addr}
	}
	mapped := plesk1691.MappedIP{Old: ip(plesk1691.IPTypeShared, "203.0.113.7"), New: ip(plesk1691.IPTypeShared, "192.0.2.10")}
	start := &plesk1691.MigrationStart{
		Host: "old.example.net", Login: "admin", Password: "source-password", DestinationHostDirectory: "/var/dumps",
		SystemType: rpc.Ptr(plesk1691.MigrationSystemTypeUnix), ContentTransport: rpc.Ptr("rsync"),
		SelectedObjects: plesk1691.SelectedObjects{MigrateCustomers: &plesk1691.SelectedClients{
			TargetOwner: "admin",
			Customer: []plesk1691.MappedClient{{Name: "mover", IP: []plesk1691.MappedIP{mapped},
				Webspace: []plesk1691.MappedDomain{{Name: "mover.example", IP: &mapped, DBServer: []plesk1691.MappedDBServer{{
					Old: plesk1691.DBServer{Host: "localhost", Port: "3306", Type: "mysql"},
					New: plesk1691.DBServer{Host: "db.example.net", Port: "3306", Type: "mysql"},
				}}}}}},
		}},
	}
	startWebspaces := *start
	startWebspaces.SelectedObjects = plesk1691.SelectedObjects{MigrateWebspaces: []plesk1691.SelectedDomains{
		{TargetOwner: "admin", Webspace: []plesk1691.MappedDomain{{Name: "a.example"}, {Name: "b.example"}}},
	}}
	startResellers := *start
	startResellers.SelectedObjects = plesk1691.SelectedObjects{MigrateResellers: &plesk1691.SelectedResellers{
		Reseller: []plesk1691.MappedReseller{{Name: "res", IP: []plesk1691.MappedIP{mapped},
			Customer: []plesk1691.MappedClient{{Name: "c"}}, Webspace: []plesk1691.MappedDomain{{Name: "w.example"}}}},
	}}
	id := &plesk1691.MigrationFinish{MigrationID: "101"}
	dbFilter := plesk1691.DatabaseFilter{ID: []int64{1, 2}}
	return map[string]*rpc.Op{
		"migration-check":          op("migration", "check", nil),
		"migration-get_fs":         op("migration", "get_fs", nil),
		"migration-start":          op("migration", "start", start),
		"migration-start-webspace": op("migration", "start", &startWebspaces),
		"migration-start-reseller": op("migration", "start", &startResellers),
		"migration-get_status":     op("migration", "get_status", id),
		"migration-finish":         op("migration", "finish", id),
		"database-assign":          op("database", "assign-to-subscription", &plesk1691.DatabaseAssignToSubscription{Filter: dbFilter, WebspaceID: 2}),
		"database-add-db":          op("database", "add-db", &plesk1691.DatabaseAddDB{WebspaceID: 1, Name: "shop", Type: "mysql", DBServerID: rpc.Ptr(int64(1))}),
		"database-get-db":          op("database", "get-db", &plesk1691.DatabaseGetDB{Filter: plesk1691.DatabaseFilter{WebspaceName: []string{"a.example"}}}),
		"database-get-db-all":      op("database", "get-db", &plesk1691.DatabaseGetDB{}),
		"database-del-db":          op("database", "del-db", &plesk1691.DatabaseDelDB{Filter: dbFilter}),
		"db_server-get":            op("db_server", "get", &plesk1691.DBServerGet{Filter: plesk1691.DBServerGetFilter{ID: []int64{1}}}),
		"customer-change-owner": op("customer", "change-owner", &plesk1691.CustomerChangeOwner{
			Filter: plesk1691.ClientSelectionFilter{Login: []string{"customer1"}}, NewOwnerLogin: "admin",
			IPv4Address: []string{"192.0.2.10"}, IPv6Address: []string{"2001:db8::1"}, PlanName: rpc.Ptr("Admin Simple")}),
		"customer-add": op("customer", "add", &plesk1691.CustomerAdd{GenInfo: plesk1691.ClientAddGenInfo{
			Cname: rpc.Ptr("LogicSoft"), Pname: "Stephen", Login: "stevelow", Passwd: "secret", OwnerLogin: rpc.Ptr("admin")}}),
		"customer-get": op("customer", "get", &plesk1691.CustomerGet{Filter: plesk1691.ClientSelectionFilter{ID: []int64{2}},
			Dataset: plesk1691.ClientDataset{GenInfo: &rpc.Empty{}, Stat: &rpc.Empty{}}}),
		"customer-del": op("customer", "del", &plesk1691.CustomerDel{Filter: plesk1691.ClientSelectionFilter{OwnerLogin: []string{"admin"}}}),
		"webspace-switch-guid": op("webspace", "switch-subscription", &plesk1691.WebspaceSwitchSubscription{
			Filter: plesk1691.DomainFilter{ID: []int64{1}}, PlanGUID: rpc.Ptr("cc982f71-48c3-479d-bc7b-59b97547e092")}),
		"webspace-switch-external": op("webspace", "switch-subscription", &plesk1691.WebspaceSwitchSubscription{
			Filter: plesk1691.DomainFilter{Name: []string{"a.example"}}, PlanExternalID: rpc.Ptr("billing-1")}),
		"webspace-switch-noplan": op("webspace", "switch-subscription", &plesk1691.WebspaceSwitchSubscription{
			Filter: plesk1691.DomainFilter{OwnerLogin: []string{"jdoe"}}, NoPlan: &rpc.Empty{}}),
		"webspace-add": op("webspace", "add", &plesk1691.WebspaceAdd{
			GenSetup: plesk1691.WebspaceAddGenSetup{Items: []plesk1691.WebspaceAddGenSetupItem{
				{Name: rpc.Ptr("c.example")}, {OwnerLogin: rpc.Ptr("jdoe")}, {IPAddress: rpc.Ptr("192.0.2.10")}}},
			PlanName: rpc.Ptr("Basic")}),
		"webspace-get": op("webspace", "get", &plesk1691.WebspaceGet{Filter: plesk1691.DomainFilter{OwnerLogin: []string{"jdoe"}},
			Dataset: plesk1691.DomainDataset{GenInfo: &rpc.Empty{}, Subscriptions: &rpc.Empty{}}}),
		"webspace-del": op("webspace", "del", &plesk1691.WebspaceDel{Filter: plesk1691.DomainFilter{Name: []string{"c.example"}}}),
	}
}

// invalidRequests break the 1.6.9.1 schema in the ways the fake words.
var invalidRequests = map[string]string{
	"missing":     `<customer><change-owner><filter><login>c</login></filter><ipV4-address>192.0.2.1</ipV4-address></change-owner></customer>`,
	"missing-end": `<database><assign-to-subscription><filter><id>1</id></filter></assign-to-subscription></database>`,
	"order":       `<database><assign-to-subscription><webspace-id>2</webspace-id><filter><id>1</id></filter></assign-to-subscription></database>`,
	"undeclared":  `<webspace><switch-subscription><filter><id>5</id></filter><plan-name>P</plan-name></switch-subscription></webspace>`,
	"repeated":    `<database><assign-to-subscription><filter><id>1</id></filter><webspace-id>2</webspace-id><webspace-id>3</webspace-id></assign-to-subscription></database>`,
	"empty-int":   `<database><assign-to-subscription><filter><id>1</id></filter><webspace-id></webspace-id></assign-to-subscription></database>`,
	"bad-int":     `<database><assign-to-subscription><filter><id>1</id></filter><webspace-id>two</webspace-id></assign-to-subscription></database>`,
	"two-plans":   `<webspace><switch-subscription><filter><id>5</id></filter><plan-guid>g</plan-guid><no-plan/></switch-subscription></webspace>`,
	"no-plan":     `<webspace><switch-subscription><filter><id>5</id></filter></switch-subscription></webspace>`,
	"mixed":       `<customer><del><filter><id>1</id><login>a</login></filter></del></customer>`,
	"operator":    `<client><get/></client>`,
	"operation":   `<migration><restart/></migration>`,
	"bad-enum":    `<migration><start><host>h</host><login>l</login><password>p</password><destination-host-directory>d</destination-host-directory><system-type>beos</system-type><selected-objects><migrate-customers><target-owner>admin</target-owner><customer><name>c</name></customer></migrate-customers></selected-objects></start></migration>`,
	"ip-type":     `<migration><start><host>h</host><login>l</login><password>p</password><destination-host-directory>d</destination-host-directory><selected-objects><migrate-customers><target-owner>admin</target-owner><customer><name>c</name><ip><old><ip-type>shared</ip-type><ip-address>a</ip-address></old><new><ip-type>dedicated</ip-type><ip-address>b</ip-address></new></ip></customer></migrate-customers></selected-objects></start></migration>`,
	"no-customer": `<migration><start><host>h</host><login>l</login><password>p</password><destination-host-directory>d</destination-host-directory><selected-objects><migrate-customers><target-owner>admin</target-owner></migrate-customers></selected-objects></start></migration>`,
	"two-kinds":   `<migration><start><host>h</host><login>l</login><password>p</password><destination-host-directory>d</destination-host-directory><selected-objects><migrate-customers><target-owner>admin</target-owner><customer><name>c</name></customer></migrate-customers><migrate-webspaces><target-owner>admin</target-owner><webspace><name>w</name></webspace></migrate-webspaces></selected-objects></start></migration>`,
	"empty-op":    `<database></database>`,
	"attribute":   `<customer><del><filter kind="any"><id>1</id></filter></del></customer>`,
}

// validRequests are accepted although they look unusual.
var validRequests = map[string]string{
	"namespace-declaration": `<migration xmlns:x="urn:example"><check/></migration>`,
	"comment":               `<migration><!-- hello --><check/></migration>`,
}

type doc struct {
	name string
	body []byte
}

// corpus returns request packets for version: what the bindings write,
// hand-written violations, and the published samples of our operators.
func corpus(t *testing.T, version string) []doc {
	var docs []doc
	for name, o := range requestOps() {
		docs = append(docs, doc{"ops/" + name, encode(t, version, o)})
	}
	for name, inner := range invalidRequests {
		docs = append(docs, doc{"invalid/" + name, []byte(`<packet version="` + version + `">` + inner + `</packet>`)})
	}
	for name, inner := range validRequests {
		docs = append(docs, doc{"valid/" + name, []byte(`<packet version="` + version + `">` + inner + `</packet>`)})
	}
	if dir := sharedDir(); dir != "" {
		for _, op := range []string{"migration", "database", "db_server", "customer", "webspace"} {
			files, _ := filepath.Glob(filepath.Join(dir, op, "*__request__*.xml"))
			for _, f := range files {
				b, err := os.ReadFile(f)
				if err != nil {
					t.Fatal(err)
				}
				docs = append(docs, doc{"sample/" + filepath.Base(f), b})
			}
		}
	}
	sort.Slice(docs, func(i, j int) bool { return docs[i].name < docs[j].name })
	return docs
}

// sharedDir is ../shared/plesk-samples, or "" when absent (the xmllint
// tests below need it no more than xmllint itself).
func sharedDir() string {
	d := filepath.Join(sharedtest.ModuleRoot(), "..", "shared", "plesk-samples")
	if _, err := os.Stat(d); err != nil {
		return ""
	}
	return d
}

// xmllint validates docs against a schema and returns the verdict and
// messages per document name.
func xmllint(t *testing.T, schema string, docs []doc) map[string]string {
	t.Helper()
	lint, err := exec.LookPath("xmllint")
	if err != nil {
		if os.Getenv(sharedtest.EnvRequire) != "" {
			t.Fatalf("xmllint is required (%s is set) but not on PATH", sharedtest.EnvRequire)
		}
		t.Skip("skipping: xmllint is not installed (apt-get install libxml2-utils)")
	}
	dir := t.TempDir()
	files := make([]string, len(docs))
	byFile := map[string]string{}
	for i, d := range docs {
		files[i] = filepath.Join(dir, fmt.Sprintf("%03d.xml", i))
		byFile[files[i]] = d.name
		if err := os.WriteFile(files[i], d.body, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cmd := exec.Command(lint, append([]string{"--noout", "--nonet", "--schema", schema}, files...)...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	_ = cmd.Run() // a failed validation exits non-zero
	verdict := map[string]string{}
	messages := map[string][]string{}
	for _, line := range strings.Split(out.String(), "\n") {
		switch {
		case strings.HasSuffix(line, " validates"):
			verdict[byFile[strings.TrimSuffix(line, " validates")]] = "valid"
		case strings.HasSuffix(line, " fails to validate"):
			verdict[byFile[strings.TrimSuffix(line, " fails to validate")]] = "invalid"
		default:
			if f, _, ok := strings.Cut(line, ":"); ok && byFile[f] != "" {
				messages[byFile[f]] = append(messages[byFile[f]], line)
			}
		}
	}
	for name, v := range verdict {
		if v == "invalid" {
			verdict[name] = "invalid: " + strings.Join(messages[name], " | ")
		}
	}
	if len(verdict) != len(docs) {
		t.Fatalf("xmllint judged %d of %d documents:\n%s", len(verdict), len(docs), out.String())
	}
	return verdict
}

// TestCheckAgreesWithXmllint: for every version, the fake rejects exactly
// the requests xmllint rejects with our schemas of that version.
func TestCheckAgreesWithXmllint(t *testing.T) {
	for _, p := range protocols {
		t.Run(p.version, func(t *testing.T) {
			docs := corpus(t, p.version)
			want := xmllint(t, filepath.Join(sharedtest.ModuleRoot(), "schemas", p.version, "agent_input.xsd"), docs)
			for _, d := range docs {
				v := checkStrict(d.body, p.request())
				lint := want[d.name]
				if (v == nil) != (lint == "valid") {
					t.Errorf("%s: xmllint says %s; the fake says %v", d.name, lint, v)
				}
			}
		})
	}
}

// TestResponsesMatchSchemas runs every implemented operation, in every
// version, against a seeded fake and checks each answer against that
// version's response schema, with the fake's own check and with xmllint.
func TestResponsesMatchSchemas(t *testing.T) {
	for _, p := range protocols {
		t.Run(p.version, func(t *testing.T) {
			var docs []doc
			for name, o := range requestOps() {
				srv := seeded()
				h := http.Header{}
				h.Set("HTTP_AUTH_LOGIN", AdminLogin)
				h.Set("HTTP_AUTH_PASSWD", DefaultAdminPassword)
				if name != "migration-start" {
					// get_status and finish need a migration.
					srv.answer(context.Background(), h, encode(t, p.version, requestOps()["migration-start"]))
				}
				out := srv.answer(context.Background(), h, encode(t, p.version, o))
				if bytes.Contains(out, []byte("<system>")) {
					// 1.6.6.0 has no assign-to-subscription: 1014 is right.
					if !(p.version == "1.6.6.0" && name == "database-assign") {
						t.Errorf("%s: system error:\n%s", name, out)
					}
				}
				if bytes.Contains(out, []byte("not implemented")) {
					t.Errorf("%s: not implemented:\n%s", name, out)
				}
				// Plesk 12.5 answers assign-to-subscription, but the
				// answer's type entered the schemas in 1.6.8.0.
				if p.version == "1.6.7.0" && name == "database-assign" {
					continue
				}
				if v := checkStrict(out, p.response()); v != nil {
					t.Errorf("%s: the answer breaks the %s response schema: %v\n%s", name, p.version, v, out)
				}
				docs = append(docs, doc{name, out})
			}
			// The outcomes of a migration: get_status until finished (with
			// an error: the PostgreSQL database has nowhere to go).
			srv := seeded()
			h := http.Header{}
			h.Set("KEY", "k")
			srv.cfg.keys["k"] = true
			srv.answer(context.Background(), h, encode(t, p.version, requestOps()["migration-start"]))
			for i := 0; i < 2; i++ {
				docs = append(docs, doc{fmt.Sprintf("get_status-%d", i), srv.answer(context.Background(), h, encode(t, p.version, requestOps()["migration-get_status"]))})
			}
			if !bytes.Contains(docs[len(docs)-2].body, []byte("<migration_status>")) || !bytes.Contains(docs[len(docs)-1].body, []byte("<finished><error>")) {
				t.Errorf("get_status did not go from migration_status to finished/error:\n%s\n%s", docs[len(docs)-2].body, docs[len(docs)-1].body)
			}
			for _, d := range docs[len(docs)-2:] {
				if v := checkStrict(d.body, p.response()); v != nil {
					t.Errorf("%s: the answer breaks the %s response schema: %v\n%s", d.name, p.version, v, d.body)
				}
			}
			// Packet-level errors.
			docs = append(docs, doc{"system", systemError(codeParse, "x")})
			lint := xmllint(t, filepath.Join(sharedtest.ModuleRoot(), "schemas", p.version, "agent_output.xsd"), docs)
			for _, d := range docs {
				if lint[d.name] != "valid" {
					t.Errorf("%s: xmllint: %s\n%s", d.name, lint[d.name], d.body)
				}
			}
		})
	}
}

// seeded returns an unstarted server whose objects the requestOps name.
func seeded() *Server {
	s := newServer(nil)
	s.AddIP(IPAddress{Address: "192.0.2.10"}, IPAddress{Address: "2001:db8::1"})
	s.AddPlan(Plan{Name: "Admin Simple"})
	s.AddPlan(Plan{Name: "Basic", Settings: []Setting{{Name: "SSL support", Value: "switched off"}}})
	s.AddPlan(Plan{Name: "Premium", GUID: "cc982f71-48c3-479d-bc7b-59b97547e092", ExternalID: "billing-1",
		Settings: []Setting{{Name: "SSL support", Value: "switched off"}}})
	s.AddCustomer(Customer{Login: "jdoe"})
	s.AddCustomer(Customer{Login: "customer1"})
	s.AddSubscription(Subscription{Name: "a.example", Owner: "jdoe", IP: "192.0.2.10",
		Settings: []Setting{{Name: "SSL support", Value: "switched on"}}, Locked: []string{"SSL support"}})
	s.AddSubscription(Subscription{Name: "b.example", Owner: "jdoe", PlanGUID: "cc982f71-48c3-479d-bc7b-59b97547e092"})
	s.AddDBServer(DBServer{Host: "localhost", Port: 3306, Type: "mysql"})
	s.AddDBServer(DBServer{Host: "db.example.net", Port: 3306, Type: "mysql"})
	s.AddDatabase(Database{Name: "one", Type: "mysql", SubscriptionID: 1})
	s.AddDatabase(Database{Name: "two", Type: "mysql", SubscriptionID: 1})
	s.AddSourceHost(SourceHost{Host: "old.example.net", Login: "admin", Password: "source-password",
		Customers: []SourceCustomer{{Login: "mover", Webspaces: []SourceWebspace{{Name: "mover.example", Databases: []SourceDatabase{
			{Name: "moved", Type: "mysql", Host: "localhost", Port: 3306},
			{Name: "lost", Type: "postgresql", Host: "localhost", Port: 5432},
		}}}}},
	})
	return s
}

func TestViolationTexts(t *testing.T) {
	p, _ := protocolOf("1.6.9.1")
	for name, want := range map[string]string{
		"attribute": "Error in line 1: Element 'filter', attribute 'kind': The attribute 'kind' is not allowed.",
		"bad-enum":  "Error in line 1: Element 'system-type': [facet 'enumeration'] The value 'beos' is not an element of the set of its type.",
		"ip-type":   "Error in line 1: Element 'ip-type': [facet 'enumeration'] The value 'dedicated' is not an element of the set of its type.",
	} {
		v := checkStrict([]byte(`<packet version="1.6.9.1">`+invalidRequests[name]+`</packet>`), p.request())
		if v == nil || v.Error() != want {
			t.Errorf("%s: got %v\nwant %s", name, v, want)
		}
	}
	for name, inner := range validRequests {
		if v := checkStrict([]byte(`<packet version="1.6.9.1">`+inner+`</packet>`), p.request()); v != nil {
			t.Errorf("%s: %v", name, v)
		}
	}
}

func TestResolveVersion(t *testing.T) {
	all := Versions()
	for attr, want := range map[string]string{
		"": "1.6.9.1", "1.6": "1.6.9.1", "1.6.9": "1.6.9.1", "1.6.9.0": "1.6.9.0", " 1.6.7.0 ": "1.6.7.0",
		"1.6.8": "1.6.8.0", "1": "1.6.9.1", "1.6.6.0": "1.6.6.0",
		"1.6.3.0": "", "1.6.9.10": "", "2": "", "1.6.": "",
	} {
		got, ok := resolveVersion(attr, all)
		if got != want || ok != (want != "") {
			t.Errorf("resolveVersion(%q) = %q, %v; want %q", attr, got, ok, want)
		}
	}
	if got, _ := resolveVersion("", []string{"1.6.6.0", "1.6.7.0"}); got != "1.6.7.0" {
		t.Errorf("newest enabled = %q", got)
	}
}

func TestProblemsTable(t *testing.T) {
	got := problemsTable([][4]string{
		{"Description", "Current", "Requested", "Allowed"},
		{"Quota (bücher.example)", "1 GB", "2 GB", "1 GB"},
	})
	want := "Description            Current Requested Allowed \n" +
		"Quota (bücher.example) 1 GB    2 GB      1 GB"
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}
