package plesktest_test

import (
	"errors"
	"fmt"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pleskgo/plesk/generated/plesk1691"
	"github.com/pleskgo/plesk/rpc"
	"github.com/pleskgo/plesk/rpc/plesktest"
)

// sourceHost is the old server of the migration tests: the host and
// object names are those of the published response samples.
var sourceHost = plesktest.SourceHost{
	Host: "10.58.102.1", Login: "admin", Password: "source-secret",
	Customers: []plesktest.SourceCustomer{{
		Login: "jimmy_jones", Name: "Jimmy Jones",
		Webspaces: []plesktest.SourceWebspace{
			{Name: "d1.qa", Databases: []plesktest.SourceDatabase{
				{Name: "shop", Type: "mysql", Host: "localhost", Port: 3306},
				{Name: "blog", Type: "mysql", Host: "localhost", Port: 3306},
			}},
			{Name: "d2.qa"},
		},
	}},
	Resellers: []plesktest.SourceReseller{{
		Login: "oldres", Name: "Old Reseller",
		Customers: []plesktest.SourceCustomer{{Login: "rescust", Webspaces: []plesktest.SourceWebspace{{Name: "r1.qa"}}}},
		Webspaces: []plesktest.SourceWebspace{{Name: "r2.qa"}},
	}},
	Webspaces: []plesktest.SourceWebspace{
		{Name: "admin1.qa"},
		{Name: "broken.qa", Fail: "the content archive is corrupt"},
	},
}

// migrationServer is a destination with two shared and one exclusive IP, a
// reseller neo may not be (so "neo" is unknown), and two MySQL servers.
func migrationServer(t *testing.T, opts ...plesktest.Option) *plesktest.Server {
	srv := newTLS(t, opts...)
	srv.AddIP(
		plesktest.IPAddress{Address: "192.0.2.10"},
		plesktest.IPAddress{Address: "192.0.2.11"},
		plesktest.IPAddress{Address: "192.0.2.1", Type: plesktest.IPExclusive},
	)
	srv.AddReseller(plesktest.Reseller{Login: "trinity", Password: "reseller-secret", IPs: []string{"192.0.2.11"}})
	srv.AddDBServer(plesktest.DBServer{Host: "localhost", Port: 3306, Type: "mysql"})
	srv.AddDBServer(plesktest.DBServer{Host: "db2.example.net", Port: 3306, Type: "mysql"})
	srv.AddDBServer(plesktest.DBServer{Host: "localhost", Port: 5432, Type: "postgresql"})
	srv.AddSourceHost(sourceHost)
	return srv
}

func ipMap(oldType plesk1691.IPType, oldAddr string, newType plesk1691.IPType, newAddr string) plesk1691.MappedIP {
	return plesk1691.MappedIP{
		Old: plesk1691.IP{IPType: oldType, IPAddress: oldAddr},
		New: plesk1691.IP{IPType: newType, IPAddress: newAddr},
	}
}

// customerMigration moves jimmy_jones with both webspaces to trinity,
// mapping IPs and moving the databases of d1.qa to db2.example.net.
func customerMigration() *plesk1691.MigrationStart {
	d1IP := ipMap(plesk1691.IPTypeShared, "10.58.102.20", plesk1691.IPTypeShared, "192.0.2.11")
	return &plesk1691.MigrationStart{
		Host: "10.58.102.1", Login: "admin", Password: "source-secret",
		DestinationHostDirectory: "/var/lib/psa/dumps",
		SystemType:               rpc.Ptr(plesk1691.MigrationSystemTypeUnix),
		ContentTransport:         rpc.Ptr("rsync"),
		SelectedObjects: plesk1691.SelectedObjects{MigrateCustomers: &plesk1691.SelectedClients{
			TargetOwner: "trinity",
			Customer: []plesk1691.MappedClient{{
				Name: "jimmy_jones",
				IP:   []plesk1691.MappedIP{ipMap(plesk1691.IPTypeShared, "10.58.102.20", plesk1691.IPTypeShared, "192.0.2.11")},
				Webspace: []plesk1691.MappedDomain{
					{Name: "d1.qa", IP: &d1IP, DBServer: []plesk1691.MappedDBServer{{
						Old: plesk1691.DBServer{Host: "localhost", Port: "3306", Type: "mysql"},
						New: plesk1691.DBServer{Host: "db2.example.net", Port: "3306", Type: "mysql"},
					}}},
					{Name: "d2.qa"},
				},
			}},
		}},
	}
}

// status is what one get_status says, for comparisons.
type status struct {
	Completed, Total int64
	Finished         bool
	Success          bool
	Errors           []string
}

func getStatus(t *testing.T, c *plesk1691.Client, id string) status {
	t.Helper()
	res, err := c.Migration.GetStatus(t.Context(), migrationID(id))
	if err != nil {
		t.Fatalf("get_status %s: %v", id, err)
	}
	if len(res) != 1 {
		t.Fatalf("get_status %s: %d results, want 1", id, len(res))
	}
	r := res[0]
	switch {
	case r.MigrationStatus != nil:
		return status{Completed: r.MigrationStatus.Completed, Total: r.MigrationStatus.Total}
	case r.Finished != nil:
		s := status{Finished: true, Success: r.Finished.Success != nil}
		for _, e := range r.Finished.Error {
			s.Errors = append(s.Errors, e.Message...)
		}
		return s
	}
	t.Fatalf("get_status %s: neither migration_status nor finished: %+v", id, r)
	return status{}
}

// TestMigrationWorkflow drives a migration from check to finish: progress
// advances per get_status call, objects appear as they are moved, with
// their IP and database server mappings applied.
func TestMigrationWorkflow(t *testing.T) {
	srv := migrationServer(t)
	c := bindings(t, srv)
	ctx := t.Context()

	if _, err := c.Migration.Check(ctx); err != nil {
		t.Fatalf("check: %v", err)
	}
	fs, err := c.Migration.GetFS(ctx)
	if err != nil || len(fs) != 1 || len(fs[0].FS) != 1 || fs[0].FS[0].Mountpoint != "/" || fs[0].FS[0].Mode != plesk1691.FSReadWriteStatusRw {
		t.Fatalf("get_fs = %+v, %v; want the root file system", fs, err)
	}

	started, err := c.Migration.Start(ctx, customerMigration())
	if err != nil {
		t.Fatalf("start: %v", err)
	}
	if len(started) != 1 || started[0].MigrationID == nil || *started[0].MigrationID == "" {
		t.Fatalf("start = %+v, want one result with a migration_id", started)
	}
	id := *started[0].MigrationID

	// Customer first, then its webspaces: one object per call.
	if got, want := getStatus(t, c, id), (status{Completed: 1, Total: 3}); !cmp.Equal(got, want) {
		t.Fatalf("first get_status = %+v, want %+v", got, want)
	}
	if _, ok := srv.Customer("jimmy_jones"); !ok {
		t.Error("after one step the customer should have been moved")
	}
	if _, ok := srv.SubscriptionByName("d1.qa"); ok {
		t.Error("after one step d1.qa should not have been moved yet")
	}
	if m, _ := srv.Migration(id); m.Completed != 1 || m.Total != 3 || m.Finished {
		t.Errorf("Migration(%s) = %+v, want 1 of 3 done", id, m)
	}
	if got, want := getStatus(t, c, id), (status{Completed: 2, Total: 3}); !cmp.Equal(got, want) {
		t.Fatalf("second get_status = %+v, want %+v", got, want)
	}
	if got := getStatus(t, c, id); !got.Finished || !got.Success || len(got.Errors) > 0 {
		t.Fatalf("third get_status = %+v, want finished with success", got)
	}

	cust, _ := srv.Customer("jimmy_jones")
	if cust.Owner != "trinity" || !slices.Equal(cust.IPs, []string{"192.0.2.11"}) {
		t.Errorf("customer = owner %q, IPs %v; want trinity, [192.0.2.11]", cust.Owner, cust.IPs)
	}
	d1, _ := srv.SubscriptionByName("d1.qa")
	d2, _ := srv.SubscriptionByName("d2.qa")
	if d1.Owner != "jimmy_jones" || d1.IP != "192.0.2.11" {
		t.Errorf("d1.qa = owner %q, IP %q; want jimmy_jones on the mapped 192.0.2.11", d1.Owner, d1.IP)
	}
	if d2.Owner != "jimmy_jones" || d2.IP != "192.0.2.10" {
		t.Errorf("d2.qa = owner %q, IP %q; want jimmy_jones on the first shared IP", d2.Owner, d2.IP)
	}
	dbs := srv.Databases(d1.ID)
	if len(dbs) != 2 {
		t.Fatalf("d1.qa has %d databases, want 2", len(dbs))
	}
	for _, db := range dbs {
		s, _ := srv.DBServer(db.DBServerID)
		if s.Host != "db2.example.net" {
			t.Errorf("database %s is on %s, want the mapped db2.example.net", db.Name, s.Host)
		}
	}

	// The same databases are visible over the wire.
	got, err := c.Database.GetDB(ctx, &plesk1691.DatabaseGetDB{Filter: plesk1691.DatabaseFilter{WebspaceName: []string{"d1.qa"}}})
	if err != nil || len(got) != 2 || *got[0].Name != "shop" || *got[0].WebspaceID != d1.ID {
		t.Errorf("get-db of d1.qa = %+v, %v", got, err)
	}

	if _, err := c.Migration.Finish(ctx, migrationID(id)); err != nil {
		t.Fatalf("finish: %v", err)
	}
	_, err = c.Migration.GetStatus(ctx, migrationID(id))
	pe := wantError(t, err, "migration", "get_status", 1013, rpc.ErrNotFound)
	if want := fmt.Sprintf("Session with ID %q does not exist", id); pe.Text != want {
		t.Errorf("errtext %q, want %q", pe.Text, want)
	}
	if m, _ := srv.Migration(id); !m.Stopped {
		t.Errorf("Migration(%s).Stopped = false after finish", id)
	}
	if _, ok := srv.Customer("jimmy_jones"); !ok {
		t.Error("finish must not undo what was moved")
	}
}

// TestMigrationStartErrors covers every refusal of start. Each case breaks
// one thing of a valid request; nothing is started or moved.
func TestMigrationStartErrors(t *testing.T) {
	tests := []struct {
		name   string
		seed   func(*plesktest.Server)
		change func(*plesk1691.MigrationStart)
		code   int
		class  error
		text   string
	}{
		{
			name:   "host not accessible",
			change: func(a *plesk1691.MigrationStart) { a.Host = "10.58.102.99" },
			code:   1023,
			text:   "Unable to start migrations process: Host 10.58.102.99 is not accessible",
		},
		{
			name:   "wrong source password",
			change: func(a *plesk1691.MigrationStart) { a.Password = "wrong" },
			code:   1023,
			text:   "Unable to start migrations process: Host 10.58.102.1 is not accessible",
		},
		{
			name: "unknown client",
			change: func(a *plesk1691.MigrationStart) {
				a.SelectedObjects.MigrateCustomers.Customer[0].Name = "nec"
			},
			code:  1013,
			class: rpc.ErrNotFound,
			text:  "Unable to start migrations process: The following clients not exist: nec",
		},
		{
			name: "unknown reseller",
			change: func(a *plesk1691.MigrationStart) {
				a.SelectedObjects = plesk1691.SelectedObjects{MigrateResellers: &plesk1691.SelectedResellers{
					Reseller: []plesk1691.MappedReseller{{Name: "ghost"}}}}
			},
			code:  1013,
			class: rpc.ErrNotFound,
			text:  "Unable to start migrations process: The following resellers not exist: ghost",
		},
		{
			name: "unknown target owner",
			change: func(a *plesk1691.MigrationStart) {
				a.SelectedObjects.MigrateCustomers.TargetOwner = "neo"
			},
			code: 1023,
			text: `Unable to start migrations process: The target owner "neo" does not exist on the destination host`,
		},
		{
			name: "a customer cannot own customers",
			seed: func(s *plesktest.Server) { s.AddCustomer(plesktest.Customer{Login: "morpheus"}) },
			change: func(a *plesk1691.MigrationStart) {
				a.SelectedObjects.MigrateCustomers.TargetOwner = "morpheus"
			},
			code: 1023,
			text: `Unable to start migrations process: The target owner "morpheus" does not exist on the destination host`,
		},
		{
			name: "shared to exclusive",
			change: func(a *plesk1691.MigrationStart) {
				a.SelectedObjects.MigrateCustomers.Customer[0].IP[0] = ipMap(plesk1691.IPTypeShared, "10.58.102.20", plesk1691.IPTypeExclusive, "192.0.2.1")
			},
			code:  1019,
			class: rpc.ErrInvalidRequest,
			text:  "The 'shared' IP cannot migrate to the 'exclusive' IP",
		},
		{
			name: "destination IP does not exist",
			change: func(a *plesk1691.MigrationStart) {
				a.SelectedObjects.MigrateCustomers.Customer[0].Webspace[0].IP.New.IPAddress = "192.0.2.200"
			},
			code: 15007,
			text: `IP "192.0.2.200" does not exist on the destination host`,
		},
		{
			name: "wrong destination IP type",
			change: func(a *plesk1691.MigrationStart) {
				a.SelectedObjects.MigrateCustomers.Customer[0].Webspace[0].IP = rpc.Ptr(ipMap(plesk1691.IPTypeExclusive, "10.58.102.21", plesk1691.IPTypeShared, "192.0.2.1"))
			},
			code: 15009,
			text: `On the destination host, IP "192.0.2.1" type is "exclusive", not "shared"`,
		},
		{
			name:  "subscription exists",
			seed:  func(s *plesktest.Server) { s.AddSubscription(plesktest.Subscription{Name: "d1.qa"}) },
			code:  15006,
			class: rpc.ErrAlreadyExists,
			text:  `subscription "d1.qa" already exists`,
		},
		{
			name:  "customer login exists",
			seed:  func(s *plesktest.Server) { s.AddCustomer(plesktest.Customer{Login: "jimmy_jones"}) },
			code:  15012,
			class: rpc.ErrAlreadyExists,
			text:  `Customer with login name "jimmy_jones" already exists.`,
		},
		{
			name: "unknown database server",
			change: func(a *plesk1691.MigrationStart) {
				a.SelectedObjects.MigrateCustomers.Customer[0].Webspace[0].DBServer[0].New.Host = "db9.example.net"
			},
			code:  1013,
			class: rpc.ErrNotFound,
		},
		{
			name: "database server of another type",
			change: func(a *plesk1691.MigrationStart) {
				a.SelectedObjects.MigrateCustomers.Customer[0].Webspace[0].DBServer[0].New = plesk1691.DBServer{Host: "localhost", Port: "5432", Type: "postgresql"}
			},
			code: 14008,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := migrationServer(t)
			if tt.seed != nil {
				tt.seed(srv)
			}
			args := customerMigration()
			if tt.change != nil {
				tt.change(args)
			}
			res, err := bindings(t, srv).Migration.Start(t.Context(), args)
			pe := wantError(t, err, "migration", "start", tt.code, tt.class)
			if tt.text != "" && pe.Text != tt.text {
				t.Errorf("errtext:\n got %q\nwant %q", pe.Text, tt.text)
			}
			if len(res) != 1 || res[0].Status != plesk1691.ResultStatusError || res[0].MigrationID != nil {
				t.Errorf("results = %+v, want one error result without migration_id", res)
			}
			if _, ok := srv.Migration("101"); ok {
				t.Error("a refused start created a migration")
			}
			if sub, ok := srv.SubscriptionByName("d2.qa"); ok {
				t.Errorf("a refused start moved d2.qa: %+v", sub)
			}
		})
	}
}

// TestMigrationWithoutManager: every migration operation fails with 1026
// once Migration Manager is removed.
func TestMigrationWithoutManager(t *testing.T) {
	srv := migrationServer(t)
	c := bindings(t, srv)
	srv.SetMigrationManager(false)
	res, err := c.Migration.Check(t.Context())
	pe := wantError(t, err, "migration", "check", 1026, rpc.ErrComponentMissing)
	if pe.Text != "Plesk Migration Manager is not installed" {
		t.Errorf("errtext %q", pe.Text)
	}
	if len(res) != 1 || res[0].Status != plesk1691.ResultStatusError {
		t.Errorf("check results = %+v", res)
	}
	_, err = c.Migration.Start(t.Context(), customerMigration())
	wantError(t, err, "migration", "start", 1026, rpc.ErrComponentMissing)
	_, err = c.Migration.GetFS(t.Context())
	wantError(t, err, "migration", "get_fs", 1026, rpc.ErrComponentMissing)

	srv.SetMigrationManager(true)
	if _, err := c.Migration.Check(t.Context()); err != nil {
		t.Errorf("check after reinstalling: %v", err)
	}
}

// TestMigrationOnlyForAdmin: a reseller may log in but not migrate.
func TestMigrationOnlyForAdmin(t *testing.T) {
	srv := migrationServer(t)
	c := bindings(t, srv, rpc.WithLogin("trinity", "reseller-secret"))
	_, err := c.Migration.Start(t.Context(), customerMigration())
	wantError(t, err, "migration", "start", 1006, rpc.ErrPermission)
}

// TestMigrationFinishedWithErrors: an object that fails is reported in
// finished/error and not created; the others are moved.
func TestMigrationFinishedWithErrors(t *testing.T) {
	srv := migrationServer(t, plesktest.WithMigrationStep(5))
	c := bindings(t, srv)
	args := customerMigration()
	args.SelectedObjects = plesk1691.SelectedObjects{MigrateWebspaces: []plesk1691.SelectedDomains{{
		TargetOwner: plesktest.AdminLogin,
		Webspace:    []plesk1691.MappedDomain{{Name: "admin1.qa"}, {Name: "broken.qa"}},
	}}}
	res, err := c.Migration.Start(t.Context(), args)
	if err != nil {
		t.Fatal(err)
	}
	got := getStatus(t, c, *res[0].MigrationID)
	want := status{Finished: true, Errors: []string{`Webspace "broken.qa" was not migrated: the content archive is corrupt`}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("get_status (-want +got):\n%s", diff)
	}
	if _, ok := srv.SubscriptionByName("admin1.qa"); !ok {
		t.Error("admin1.qa was not moved")
	}
	if _, ok := srv.SubscriptionByName("broken.qa"); ok {
		t.Error("broken.qa was created although its migration failed")
	}
}

// TestMigrationOfResellers moves a reseller with one customer and one
// webspace of its own; FinishMidway stops after the first object.
func TestMigrationOfResellers(t *testing.T) {
	srv := migrationServer(t)
	c := bindings(t, srv)
	args := customerMigration()
	args.SelectedObjects = plesk1691.SelectedObjects{MigrateResellers: &plesk1691.SelectedResellers{
		Reseller: []plesk1691.MappedReseller{{
			Name:     "oldres",
			IP:       []plesk1691.MappedIP{ipMap(plesk1691.IPTypeShared, "10.58.102.30", plesk1691.IPTypeShared, "192.0.2.10")},
			Customer: []plesk1691.MappedClient{{Name: "rescust", Webspace: []plesk1691.MappedDomain{{Name: "r1.qa"}}}},
			Webspace: []plesk1691.MappedDomain{{Name: "r2.qa"}},
		}},
	}}
	res, err := c.Migration.Start(t.Context(), args)
	if err != nil {
		t.Fatal(err)
	}
	id := *res[0].MigrationID
	if got, want := getStatus(t, c, id), (status{Completed: 1, Total: 4}); !cmp.Equal(got, want) {
		t.Fatalf("get_status = %+v, want %+v", got, want)
	}
	if _, err := c.Migration.Finish(t.Context(), migrationID(id)); err != nil {
		t.Fatal(err)
	}
	r, ok := srv.Reseller("oldres")
	if !ok || !slices.Equal(r.IPs, []string{"192.0.2.10"}) {
		t.Errorf("reseller = %+v, %v; want moved with the mapped IP", r, ok)
	}
	if _, ok := srv.Customer("rescust"); ok {
		t.Error("finish after one object: the reseller's customer must not have been moved")
	}
	_, err = c.Migration.Finish(t.Context(), migrationID(id))
	wantError(t, err, "migration", "finish", 1013, rpc.ErrNotFound)
}

// TestMigrationStartTwoOperations sends check and start in one packet
// with rpc.Batch: each operation gets its own answer.
func TestMigrationStartTwoOperations(t *testing.T) {
	srv := migrationServer(t)
	b := rpc.NewBatch(dial(t, srv), plesk1691.ProtocolVersion)
	check := rpc.Add[plesk1691.Result](b, &rpc.Op{Operator: "migration", Operation: "check", Request: rpc.Empty{}})
	start := rpc.Add[plesk1691.MigrationStartResult](b, &rpc.Op{Operator: "migration", Operation: "start", Request: customerMigration()})
	if err := b.Send(t.Context()); err != nil {
		t.Fatal(err)
	}
	if _, err := check.Results(); err != nil {
		t.Errorf("check: %v", err)
	}
	res, err := start.Results()
	if err != nil || len(res) != 1 || res[0].MigrationID == nil {
		t.Errorf("start = %+v, %v", res, err)
	}
	if errors.Is(err, rpc.ErrNoMatch) {
		t.Error("start matched nothing")
	}
}
