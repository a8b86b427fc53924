package bindingtest

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pleskgo/plesk/generated/plesk1691"
	"github.com/pleskgo/plesk/rpc"
)

// negative is a request that breaks one schema constraint: the typed call
// must fail with the error of Validate and send nothing. After fix, the
// same request must go out and validate against our schema.
type negative struct {
	name string
	call func(*plesk1691.Client) error // the typed call
	req  interface{ Validate() error } // the request it sends
	want string                        // a part of the Validate error
	fix  func()                        // repairs req
}

func negatives() []negative {
	ctx := context.Background()
	var out []negative

	{ // customer/change-owner: two branches of the filter's choice.
		req := &plesk1691.CustomerChangeOwner{
			Filter:        plesk1691.ClientSelectionFilter{ID: []int64{7}, Login: []string{"jdoe"}},
			NewOwnerLogin: "admin",
			IPv4Address:   []string{"192.0.2.1"},
		}
		out = append(out, negative{
			name: "customer/change-owner: id and login in one filter",
			call: func(c *plesk1691.Client) error { _, err := c.Customer.ChangeOwner(ctx, req); return err },
			req:  req, want: "filter: at most one of id, login, owner-id, owner-login, guid, external-id may be set, found 2",
			fix: func() { req.Filter.Login = nil },
		})
	}
	{ // webspace/switch-subscription: two branches of the plan choice.
		req := &plesk1691.WebspaceSwitchSubscription{
			Filter:   plesk1691.DomainFilter{Name: []string{"example.com"}},
			PlanGUID: rpc.Ptr("5f1e3cbb-0d4b-4b0e-9d9a-6b1c1e0f2a11"),
			NoPlan:   &rpc.Empty{},
		}
		out = append(out, negative{
			name: "webspace/switch-subscription: plan-guid and no-plan",
			call: func(c *plesk1691.Client) error { _, err := c.Webspace.SwitchSubscription(ctx, req); return err },
			req:  req, want: "exactly one of plan-guid, plan-external-id, no-plan must be set, found 2",
			fix: func() { req.NoPlan = nil },
		})
	}
	{ // webspace/switch-subscription: no branch of the required choice.
		req := &plesk1691.WebspaceSwitchSubscription{
			Filter: plesk1691.DomainFilter{ID: []int64{3}},
		}
		out = append(out, negative{
			name: "webspace/switch-subscription: no plan at all",
			call: func(c *plesk1691.Client) error { _, err := c.Webspace.SwitchSubscription(ctx, req); return err },
			req:  req, want: "exactly one of plan-guid, plan-external-id, no-plan must be set, found 0",
			fix: func() { req.PlanExternalID = rpc.Ptr("gold") },
		})
	}
	{ // database/assign-to-subscription: two branches of the optional filter choice.
		req := &plesk1691.DatabaseAssignToSubscription{
			Filter:     plesk1691.DatabaseFilter{WebspaceID: []int64{2}, WebspaceName: []string{"example.com"}},
			WebspaceID: 5,
		}
		out = append(out, negative{
			name: "database/assign-to-subscription: webspace-id and webspace-name in one filter",
			call: func(c *plesk1691.Client) error { _, err := c.Database.AssignToSubscription(ctx, req); return err },
			req:  req, want: "filter: at most one of id, webspace-id, webspace-name may be set, found 2",
			fix: func() { req.Filter.WebspaceName = nil },
		})
	}
	start := func() *plesk1691.MigrationStart {
		return &plesk1691.MigrationStart{
			Host: "source.example.com", Login: "admin", Password: "secret",
			DestinationHostDirectory: "/var/migration",
			SelectedObjects: plesk1691.SelectedObjects{
				MigrateWebspaces: []plesk1691.SelectedDomains{{
					TargetOwner: "admin",
					Webspace:    []plesk1691.MappedDomain{{Name: "example.com"}},
				}},
			},
		}
	}
	{ // migration/start: a value outside the enumeration.
		req := start()
		req.SystemType = rpc.Ptr(plesk1691.MigrationSystemType("solaris"))
		out = append(out, negative{
			name: "migration/start: system-type solaris",
			call: func(c *plesk1691.Client) error { _, err := c.Migration.Start(ctx, req); return err },
			req:  req, want: `system-type: "solaris" is not a value of MigrationSystemType`,
			fix: func() { req.SystemType = rpc.Ptr(plesk1691.MigrationSystemTypeUnix) },
		})
	}
	{ // migration/start: a required list left empty.
		req := start()
		req.SelectedObjects.MigrateWebspaces[0].Webspace = nil
		out = append(out, negative{
			name: "migration/start: migrate-webspaces without a webspace",
			call: func(c *plesk1691.Client) error { _, err := c.Migration.Start(ctx, req); return err },
			req:  req, want: "selected-objects/migrate-webspaces[0]/webspace: at least 1 required, found 0",
			fix: func() {
				req.SelectedObjects.MigrateWebspaces[0].Webspace = []plesk1691.MappedDomain{{Name: "example.org"}}
			},
		})
	}
	{ // migration/start: two branches of the optional only-hosting/only-mail choice.
		req := start()
		req.OnlyHosting = &rpc.Empty{}
		req.OnlyMail = &rpc.Empty{}
		out = append(out, negative{
			name: "migration/start: only-hosting and only-mail",
			call: func(c *plesk1691.Client) error { _, err := c.Migration.Start(ctx, req); return err },
			req:  req, want: "at most one of only-hosting, only-mail may be set, found 2",
			fix: func() { req.OnlyMail = nil },
		})
	}
	{ // migration/start: two branches of the selected-objects choice.
		req := start()
		req.SelectedObjects.MigrateCustomers = &plesk1691.SelectedClients{}
		out = append(out, negative{
			name: "migration/start: migrate-customers and migrate-webspaces",
			call: func(c *plesk1691.Client) error { _, err := c.Migration.Start(ctx, req); return err },
			req:  req, want: "selected-objects: exactly one of migrate-resellers, migrate-customers, migrate-webspaces must be set, found 2",
			fix: func() { req.SelectedObjects.MigrateCustomers = nil },
		})
	}
	return out
}

// TestValidateStopsBrokenRequests: a typed call with a request that breaks
// a constraint returns the error of Validate, wrapped with the operation,
// and never reaches the invoker; once repaired, the same request is sent
// and our schema accepts it.
func TestValidateStopsBrokenRequests(t *testing.T) {
	// docs are the broken requests as they would go out ("broken-…"),
	// which our schema must reject, and the repaired ones as they went
	// out ("fixed-…"), which it must accept.
	docs := map[string][]byte{}
	for i, n := range negatives() {
		t.Run(n.name, func(t *testing.T) {
			op, _, _ := strings.Cut(n.name, ":")
			operator, operation, _ := strings.Cut(op, "/")
			broken, err := encodePacket(plesk1691.ProtocolVersion,
				[]*rpc.Op{{Operator: operator, Operation: operation, Request: n.req}}, writeRequest)
			if err != nil {
				t.Fatal(err)
			}
			docs[fmt.Sprintf("broken-%d.xml", i)] = broken

			inv := &fakeInvoker{}
			c := plesk1691.New(inv)
			verr := n.req.Validate()
			if verr == nil {
				t.Fatal("Validate accepts the broken request")
			}
			if !strings.Contains(verr.Error(), n.want) {
				t.Errorf("Validate: %v\nwant it to say %q", verr, n.want)
			}
			err = n.call(c)
			var ve *rpc.ValidationError
			if !errors.As(err, &ve) || !errors.Is(err, rpc.ErrInvalidRequest) || ve.Operator != operator || ve.Operation != operation ||
				err.Error() != op+": "+verr.Error() {
				t.Errorf("the call returned %v\nwant an *rpc.ValidationError %q", err, op+": "+verr.Error())
			}
			if len(inv.packets) != 0 {
				t.Errorf("the invoker was called %d times:\n%s", len(inv.packets), inv.last())
			}

			n.fix()
			if err := n.req.Validate(); err != nil {
				t.Fatalf("the repaired request does not validate: %v", err)
			}
			if err := n.call(c); err != nil {
				t.Fatalf("the repaired request: %v", err)
			}
			if len(inv.packets) != 1 {
				t.Fatalf("the repaired request went out in %d packets", len(inv.packets))
			}
			docs[fmt.Sprintf("fixed-%d.xml", i)] = inv.last()
		})
	}

	xmllint := findXmllint(t)
	if xmllint == "" {
		t.Log("xmllint is not installed: the broken and repaired packets are not checked against the schema")
		return
	}
	b := bindings[len(bindings)-1]
	if b.pkg != "plesk1691" {
		t.Fatalf("the last binding is %s", b.pkg)
	}
	rejected, accepted := 0, 0
	for f, v := range lintBytes(t, xmllint, filepath.Join(b.schemaDir(), "agent_input.xsd"), docs) {
		switch {
		case strings.HasPrefix(f, "broken-") && v.valid:
			t.Errorf("a broken request is valid for our %s schema, so Validate should accept it:\n%s", b.version, docs[f])
		case strings.HasPrefix(f, "fixed-") && !v.valid:
			t.Errorf("a repaired request is invalid for our %s schema: %s\n%s", b.version, v, docs[f])
		case v.valid:
			accepted++
		default:
			rejected++
		}
	}
	t.Logf("xmllint rejects %d broken requests and accepts %d repaired ones", rejected, accepted)
}
