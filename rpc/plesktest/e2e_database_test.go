package plesktest_test

import (
	"errors"
	"strconv"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pleskgo/plesk/generated/plesk1660"
	"github.com/pleskgo/plesk/generated/plesk1670"
	"github.com/pleskgo/plesk/generated/plesk1691"
	"github.com/pleskgo/plesk/rpc"
	"github.com/pleskgo/plesk/rpc/plesktest"
)

// dbFixture is a server with two subscriptions of one customer and a
// database in the first.
type dbFixture struct {
	srv      *plesktest.Server
	from, to plesktest.Subscription
	db       plesktest.Database
	mysql    plesktest.DBServer
}

func newDBFixture(t *testing.T) dbFixture {
	srv := newTLS(t)
	srv.AddIP(plesktest.IPAddress{Address: "192.0.2.10"})
	srv.AddCustomer(plesktest.Customer{Login: "jdoe"})
	f := dbFixture{srv: srv}
	f.from = srv.AddSubscription(plesktest.Subscription{Name: "old.example.com", Owner: "jdoe", IP: "192.0.2.10"})
	f.to = srv.AddSubscription(plesktest.Subscription{Name: "new.example.com", Owner: "jdoe", IP: "192.0.2.10"})
	f.mysql = srv.AddDBServer(plesktest.DBServer{Host: "localhost", Port: 3306, Type: "mysql"})
	f.db = srv.AddDatabase(plesktest.Database{Name: "shop", Type: "mysql", SubscriptionID: f.from.ID})
	return f
}

// TestAssignToSubscription moves a database to another subscription: the
// answer has the sample's shape (filter-id and id), and the database now
// belongs to the target, on the wire and in the fake.
func TestAssignToSubscription(t *testing.T) {
	f := newDBFixture(t)
	c := bindings(t, f.srv)
	ctx := t.Context()

	res, err := c.Database.AssignToSubscription(ctx, &plesk1691.DatabaseAssignToSubscription{
		Filter:     plesk1691.DatabaseFilter{ID: []int64{f.db.ID}},
		WebspaceID: f.to.ID,
	})
	if err != nil {
		t.Fatal(err)
	}
	id := strconv.FormatInt(f.db.ID, 10)
	want := []plesk1691.ResultFilter{{Status: plesk1691.ResultStatusOK, FilterID: &id, ID: &f.db.ID}}
	if diff := cmp.Diff(want, res); diff != "" {
		t.Errorf("assign-to-subscription (-want +got):\n%s", diff)
	}
	if db, _ := f.srv.Database(f.db.ID); db.SubscriptionID != f.to.ID || db.DBServerID != f.mysql.ID || db.Name != "shop" {
		t.Errorf("database = %+v, want shop on server %d in subscription %d", db, f.mysql.ID, f.to.ID)
	}
	got, err := c.Database.GetDB(ctx, &plesk1691.DatabaseGetDB{Filter: plesk1691.DatabaseFilter{WebspaceID: []int64{f.to.ID}}})
	if err != nil || len(got) != 1 || *got[0].ID != f.db.ID || *got[0].WebspaceID != f.to.ID {
		t.Errorf("get-db of the target = %+v, %v", got, err)
	}
	// The source has no database left: Plesk's "matched nothing" answer.
	_, err = c.Database.GetDB(ctx, &plesk1691.DatabaseGetDB{Filter: plesk1691.DatabaseFilter{WebspaceID: []int64{f.from.ID}}})
	if !errors.Is(err, rpc.ErrNoMatch) {
		t.Errorf("get-db of the source: %v, want ErrNoMatch", err)
	}
}

// TestAssignToSubscriptionByWebspace moves every database of a webspace.
func TestAssignToSubscriptionByWebspace(t *testing.T) {
	f := newDBFixture(t)
	second := f.srv.AddDatabase(plesktest.Database{Name: "blog", Type: "mysql", SubscriptionID: f.from.ID})
	res, err := bindings(t, f.srv).Database.AssignToSubscription(t.Context(), &plesk1691.DatabaseAssignToSubscription{
		Filter:     plesk1691.DatabaseFilter{WebspaceName: []string{"old.example.com"}},
		WebspaceID: f.to.ID,
	})
	if err != nil || len(res) != 2 || *res[0].FilterID != "old.example.com" {
		t.Fatalf("assign = %+v, %v; want two results for old.example.com", res, err)
	}
	for _, id := range []int64{f.db.ID, second.ID} {
		if db, _ := f.srv.Database(id); db.SubscriptionID != f.to.ID {
			t.Errorf("database %d is in subscription %d, want %d", id, db.SubscriptionID, f.to.ID)
		}
	}
}

func TestAssignToSubscriptionErrors(t *testing.T) {
	f := newDBFixture(t)
	c := bindings(t, f.srv)

	// An unknown database: error 1013 echoing the filter value.
	res, err := c.Database.AssignToSubscription(t.Context(), &plesk1691.DatabaseAssignToSubscription{
		Filter: plesk1691.DatabaseFilter{ID: []int64{999}}, WebspaceID: f.to.ID,
	})
	pe := wantError(t, err, "database", "assign-to-subscription", 1013, rpc.ErrNotFound)
	if pe.FilterID != "999" || pe.Text != "Database does not exist" || len(res) != 1 {
		t.Errorf("error = %+v, results %+v", pe, res)
	}

	// An unknown target webspace: the database stays where it was.
	_, err = c.Database.AssignToSubscription(t.Context(), &plesk1691.DatabaseAssignToSubscription{
		Filter: plesk1691.DatabaseFilter{ID: []int64{f.db.ID}}, WebspaceID: 4242,
	})
	wantError(t, err, "database", "assign-to-subscription", 1013, rpc.ErrNotFound)
	if db, _ := f.srv.Database(f.db.ID); db.SubscriptionID != f.from.ID {
		t.Errorf("a failed assign moved the database to %d", db.SubscriptionID)
	}

	// One filter value fails, the other succeeds: both results come back.
	res, err = c.Database.AssignToSubscription(t.Context(), &plesk1691.DatabaseAssignToSubscription{
		Filter: plesk1691.DatabaseFilter{ID: []int64{999, f.db.ID}}, WebspaceID: f.to.ID,
	})
	wantError(t, err, "database", "assign-to-subscription", 1013, rpc.ErrNotFound)
	if len(res) != 2 || res[1].Status != plesk1691.ResultStatusOK {
		t.Errorf("results = %+v, want an error then an ok", res)
	}
	if db, _ := f.srv.Database(f.db.ID); db.SubscriptionID != f.to.ID {
		t.Error("the matched database was not moved")
	}
}

// TestAssignToSubscriptionVersions: the operation exists since 1.6.7.0
// (its answer type only since 1.6.8.0); in a 1.6.6.0 packet it is a schema
// violation.
func TestAssignToSubscriptionVersions(t *testing.T) {
	f := newDBFixture(t)
	cl := dial(t, f.srv)

	res, err := plesk1670.New(cl).Database.AssignToSubscription(t.Context(), &plesk1670.DatabaseAssignToSubscription{
		Filter: plesk1670.DatabaseFilter{ID: []int64{f.db.ID}}, WebspaceID: f.to.ID,
	})
	if err != nil || len(res) != 1 {
		t.Fatalf("1.6.7.0 assign = %+v, %v", res, err)
	}
	if db, _ := f.srv.Database(f.db.ID); db.SubscriptionID != f.to.ID {
		t.Error("1.6.7.0 assign did not move the database")
	}

	req := &plesk1691.DatabaseAssignToSubscription{
		Filter: plesk1691.DatabaseFilter{ID: []int64{f.db.ID}}, WebspaceID: f.from.ID,
	}
	_, err = rpc.Do[plesk1691.ResultFilter](t.Context(), cl, plesk1660.ProtocolVersion,
		&rpc.Op{Operator: "database", Operation: "assign-to-subscription", Request: req})
	pe := wantSystemError(t, err, 1014, rpc.ErrInvalidRequest)
	if want := "Parser error: Request is invalid. Error in line 2: Element 'assign-to-subscription': This element is not expected."; pe.Text != want {
		t.Errorf("errtext:\n got %q\nwant %q", pe.Text, want)
	}
	if db, _ := f.srv.Database(f.db.ID); db.SubscriptionID != f.to.ID {
		t.Error("a rejected packet moved the database")
	}
}

// TestDatabaseAddDel covers the operations that set up and observe
// databases.
func TestDatabaseAddDel(t *testing.T) {
	f := newDBFixture(t)
	c := bindings(t, f.srv)
	ctx := t.Context()

	res, err := c.Database.AddDB(ctx, &plesk1691.DatabaseAddDB{WebspaceID: f.to.ID, Name: "crm", Type: "mysql"})
	if err != nil || len(res) != 1 || res[0].ID == nil {
		t.Fatalf("add-db = %+v, %v", res, err)
	}
	added, ok := f.srv.Database(*res[0].ID)
	if !ok || added.SubscriptionID != f.to.ID || added.DBServerID != f.mysql.ID {
		t.Errorf("added database = %+v, %v", added, ok)
	}

	_, err = c.Database.AddDB(ctx, &plesk1691.DatabaseAddDB{WebspaceID: f.to.ID, Name: "crm", Type: "mysql"})
	wantError(t, err, "database", "add-db", 1007, rpc.ErrAlreadyExists)
	_, err = c.Database.AddDB(ctx, &plesk1691.DatabaseAddDB{WebspaceID: f.to.ID, Name: "pg", Type: "postgresql"})
	wantError(t, err, "database", "add-db", 14009, nil)
	_, err = c.Database.AddDB(ctx, &plesk1691.DatabaseAddDB{WebspaceID: f.to.ID, Name: "x", Type: "postgresql", DBServerID: &f.mysql.ID})
	wantError(t, err, "database", "add-db", 14008, nil)

	if _, err := c.Database.DelDB(ctx, &plesk1691.DatabaseDelDB{Filter: plesk1691.DatabaseFilter{ID: []int64{added.ID}}}); err != nil {
		t.Fatal(err)
	}
	if _, ok := f.srv.Database(added.ID); ok {
		t.Error("del-db left the database")
	}
	_, err = c.Database.DelDB(ctx, &plesk1691.DatabaseDelDB{Filter: plesk1691.DatabaseFilter{ID: []int64{added.ID}}})
	wantError(t, err, "database", "del-db", 1013, rpc.ErrNotFound)

	servers, err := c.DBServer.Get(ctx, &plesk1691.DBServerGet{Filter: plesk1691.DBServerGetFilter{ID: []int64{f.mysql.ID}}})
	if err != nil || len(servers) != 1 || servers[0].Data == nil || *servers[0].Data.Host != "localhost" || servers[0].Data.DBNum != 1 {
		t.Errorf("db_server get = %+v, %v", servers, err)
	}
	_, err = c.DBServer.Get(ctx, &plesk1691.DBServerGet{Filter: plesk1691.DBServerGetFilter{ID: []int64{77}}})
	wantError(t, err, "db_server", "get", 1013, rpc.ErrNotFound)
}
