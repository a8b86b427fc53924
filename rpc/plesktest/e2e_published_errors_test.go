package plesktest_test

import (
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/pleskgo/plesk/generated/plesk1691"
	"github.com/pleskgo/plesk/internal/sharedtest"
	"github.com/pleskgo/plesk/rpc"
	"github.com/pleskgo/plesk/rpc/plesktest"
)

// publishedError is one error answer Plesk's documentation shows: its
// code and text, and where it was published.
type publishedError struct {
	where string // sample file, or seed file and the sentence before it
	code  int
	text  string
}

var errAnswer = regexp.MustCompile(`<errcode>\s*(\d+)\s*</errcode>\s*<errtext>([^<]*)</errtext>`)

// errorsIn returns the error answers of a published text, each with the
// prose line before it (the seeds say in prose what each answer is for).
func errorsIn(where, text string) []publishedError {
	var out []publishedError
	for _, m := range errAnswer.FindAllStringSubmatchIndex(text, -1) {
		code, _ := strconv.Atoi(text[m[2]:m[3]])
		sentence := ""
		for _, l := range strings.Split(text[:m[0]], "\n") {
			if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "<") {
				sentence = l
			}
		}
		out = append(out, publishedError{where: where + ": " + sentence, code: code, text: unescapeXML(text[m[4]:m[5]])})
	}
	return out
}

func unescapeXML(s string) string {
	return strings.NewReplacer("&quot;", `"`, "&apos;", "'", "&lt;", "<", "&gt;", ">", "&amp;", "&").Replace(s)
}

// errorScenario makes the fake give one of the published errors. key
// picks the published errors it answers: a sample file name, or words of
// the sentence a seed puts before the answer.
type errorScenario struct {
	key string
	run func(t *testing.T) error // the call's error, an *rpc.Error
}

// notImplemented lists the published errors of operations the fake does
// not implement (by sample file): they are not stated.
var notImplemented = []string{
	"server/srv_man", "upload/", "database/add-db-user", "domain/", // legacy operator name
}

// TestPublishedErrorTexts states that the fake answers the errors
// Plesk's documentation publishes (the response samples in
// ../shared/plesk-samples and the migration seeds in ../shared/seeds) with
// the same code and the same text, for every published error of an
// operation it implements. The codes and texts come from the published
// files; the test only knows how to provoke each one.
func TestPublishedErrorTexts(t *testing.T) {
	samples := sharedtest.Dir(t, "plesk-samples")
	seeds := sharedtest.Dir(t, "seeds")

	var published []publishedError
	for _, dir := range []string{samples, seeds} {
		err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
			if err != nil || d.IsDir() || !(strings.HasSuffix(path, ".xml") || strings.HasSuffix(path, ".txt")) {
				return err
			}
			b, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			rel, _ := filepath.Rel(filepath.Dir(dir), path)
			published = append(published, errorsIn(filepath.ToSlash(rel), string(b))...)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}

	migrationStart := func(seed func(*plesktest.Server), change func(*plesk1691.MigrationStart)) func(t *testing.T) error {
		return func(t *testing.T) error {
			srv := migrationServer(t)
			if seed != nil {
				seed(srv)
			}
			args := customerMigration()
			if change != nil {
				change(args)
			}
			_, err := bindings(t, srv).Migration.Start(t.Context(), args)
			return err
		}
	}
	dbFixture := func(t *testing.T) (*plesktest.Server, *plesk1691.Client, plesktest.Subscription) {
		srv := newTLS(t)
		sub := srv.AddSubscription(plesktest.Subscription{Name: "example.com"})
		srv.AddDBServer(plesktest.DBServer{Host: "localhost", Port: 3306, Type: "mysql"})
		return srv, bindings(t, srv), sub
	}
	scenarios := []errorScenario{
		{"database/add-db__response__mybase-exists", func(t *testing.T) error {
			srv, c, sub := dbFixture(t)
			srv.AddDatabase(plesktest.Database{Name: "MyBase", Type: "mysql", SubscriptionID: sub.ID})
			_, err := c.Database.AddDB(t.Context(), &plesk1691.DatabaseAddDB{WebspaceID: sub.ID, Name: "MyBase", Type: "mysql"})
			return err
		}},
		{"database/del-db__response__", func(t *testing.T) error {
			_, c, _ := dbFixture(t)
			_, err := c.Database.DelDB(t.Context(), &plesk1691.DatabaseDelDB{Filter: plesk1691.DatabaseFilter{ID: []int64{55}}})
			return err
		}},
		{"db_server/get__response__by-id-not-found", func(t *testing.T) error {
			_, c, _ := dbFixture(t)
			_, err := c.DBServer.Get(t.Context(), &plesk1691.DBServerGet{Filter: plesk1691.DBServerGetFilter{ID: []int64{99}}})
			return err
		}},
		{"webspace/get__response__object-not-found", func(t *testing.T) error {
			_, c, _ := dbFixture(t)
			_, err := c.Webspace.Get(t.Context(), &plesk1691.WebspaceGet{Filter: plesk1691.DomainFilter{ID: []int64{1234}},
				Dataset: plesk1691.DomainDataset{GenInfo: &rpc.Empty{}}})
			return err
		}},
		{"migration/check__response__pmm-not-installed", func(t *testing.T) error {
			srv := newTLS(t)
			srv.SetMigrationManager(false)
			_, err := bindings(t, srv).Migration.Check(t.Context())
			return err
		}},
		{"migration/finish__response__session-not-exist", func(t *testing.T) error {
			srv := newTLS(t)
			_, err := bindings(t, srv).Migration.Finish(t.Context(), migrationID("/opt/psa/tmp/24174"))
			return err
		}},
		{"system/error__response__protocol-version-not-supported", func(t *testing.T) error {
			srv := newTLS(t)
			code, text := systemError(post(t, dial(t, srv), `<packet version="9.9.9.9"><server><get_protos/></server></packet>`))
			return &rpc.Error{Code: code, Text: text}
		}},
		// The migration seeds, and the samples they share answers with.
		{"subscription being migrated already exists", migrationStart(func(s *plesktest.Server) {
			s.AddSubscription(plesktest.Subscription{Name: "d1.qa"})
		}, nil)},
		{"migration/start__response__subscription-exists", migrationStart(func(s *plesktest.Server) {
			s.AddSubscription(plesktest.Subscription{Name: "d1.qa"})
		}, nil)},
		{"user (reseller or customer) being migrated already exists", migrationStart(func(s *plesktest.Server) {
			s.AddCustomer(plesktest.Customer{Login: "jimmy_jones"})
		}, nil)},
		{"migration/start__response__user-exists", migrationStart(func(s *plesktest.Server) {
			s.AddCustomer(plesktest.Customer{Login: "jimmy_jones"})
		}, nil)},
		{"source host specified in request cannot be accessed", migrationStart(nil, func(a *plesk1691.MigrationStart) {
			a.Password = "not the source's password"
		})},
		{"customer specified to be migrated does not exist", migrationStart(nil, func(a *plesk1691.MigrationStart) {
			a.SelectedObjects.MigrateCustomers.Customer[0].Name = "nec"
		})},
		{"migration/start__response__client-not-exist", migrationStart(nil, func(a *plesk1691.MigrationStart) {
			a.SelectedObjects.MigrateCustomers.Customer[0].Name = "nec"
		})},
		{"target-owner node with non-existent user", migrationStart(nil, func(a *plesk1691.MigrationStart) {
			a.SelectedObjects.MigrateCustomers.TargetOwner = "neo"
		})},
		{"'shared' type to 'exclusive'", migrationStart(nil, func(a *plesk1691.MigrationStart) {
			a.SelectedObjects.MigrateCustomers.Customer[0].IP[0] = ipMap(plesk1691.IPTypeShared, "10.58.102.20", plesk1691.IPTypeExclusive, "192.0.2.1")
		})},
		{"non-existent destina", func(t *testing.T) error {
			// A destination without 192.0.2.1.
			srv := newTLS(t)
			srv.AddIP(plesktest.IPAddress{Address: "192.0.2.11"})
			srv.AddReseller(plesktest.Reseller{Login: "trinity", IPs: []string{"192.0.2.11"}})
			srv.AddDBServer(plesktest.DBServer{Host: "db2.example.net", Port: 3306, Type: "mysql"})
			srv.AddSourceHost(sourceHost)
			args := customerMigration()
			args.SelectedObjects.MigrateCustomers.Customer[0].Webspace[0].IP.New.IPAddress = "192.0.2.1"
			_, err := bindings(t, srv).Migration.Start(t.Context(), args)
			return err
		}},
		{"wrong IP type", migrationStart(nil, func(a *plesk1691.MigrationStart) {
			a.SelectedObjects.MigrateCustomers.Customer[0].Webspace[0].IP = rpc.Ptr(ipMap(plesk1691.IPTypeExclusive, "10.58.102.21", plesk1691.IPTypeShared, "192.0.2.1"))
		})},
	}

	stated := 0
	for _, pe := range published {
		if slices.ContainsFunc(notImplemented, func(p string) bool { return strings.Contains(pe.where, p) }) {
			continue
		}
		var sc *errorScenario
		for i := range scenarios {
			if strings.Contains(pe.where, scenarios[i].key) {
				sc = &scenarios[i]
				break
			}
		}
		if sc == nil {
			t.Errorf("%s: no scenario provokes the published error %d %q", pe.where, pe.code, pe.text)
			continue
		}
		stated++
		t.Run(pe.where, func(t *testing.T) {
			err := sc.run(t)
			var got *rpc.Error
			if !errors.As(err, &got) {
				t.Fatalf("want the published error %d %q, got %v", pe.code, pe.text, err)
			}
			if got.Code != pe.code || got.Text != pe.text {
				t.Errorf("fake answered %d %q\npublished    %d %q", got.Code, got.Text, pe.code, pe.text)
			}
		})
	}
	// The seeds' codes the issue names must all have been stated.
	for _, code := range []int{1013, 1019, 1023, 15006, 15007, 15009, 15012} {
		found := false
		for _, pe := range published {
			if pe.code == code && strings.HasPrefix(pe.where, "seeds/") {
				found = true
			}
		}
		if !found {
			t.Errorf("the seeds publish no error %d", code)
		}
	}
	if stated < 15 {
		t.Errorf("only %d published errors stated", stated)
	}
}
