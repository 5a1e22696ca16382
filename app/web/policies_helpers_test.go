package web_test

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/pomerium-console-oss/pomerium-console/app/activity"
	"github.com/pomerium-console-oss/pomerium-console/app/authn"
	"github.com/pomerium-console-oss/pomerium-console/app/members"
	"github.com/pomerium-console-oss/pomerium-console/app/namespaces"
	"github.com/pomerium-console-oss/pomerium-console/app/policies"
	"github.com/pomerium-console-oss/pomerium-console/app/rbac"
	"github.com/pomerium-console-oss/pomerium-console/app/routes"
	"github.com/pomerium-console-oss/pomerium-console/app/seal"
	"github.com/pomerium-console-oss/pomerium-console/app/testutil"
	"github.com/pomerium-console-oss/pomerium-console/app/users"
	"github.com/pomerium-console-oss/pomerium-console/app/web"
	"github.com/pomerium-console-oss/pomerium-console/db"
	"github.com/pomerium-console-oss/pomerium-console/db/storetest"
)

// The policies of the fixtures.
const (
	pplEngineers = "allow:\n  and:\n    - domain:\n        is: example.com\n    - groups:\n        has: engineers\n"
	pplNoInterns = "deny:\n  or:\n    - email:\n        starts_with: intern\n"
	// pplTwoProblems has one problem in each rule.
	pplTwoProblems = "allow:\n  and:\n    - email:\n        contain: x\ndeny:\n  and:\n    - source_ip: 10.0.0.300/8\n"
)

// The problems of pplTwoProblems, as the editor lists them.
var twoProblems = []string{
	`allow.and[0].email: unknown operator "contain"; did you mean "contains"?`,
	`deny.and[0].source_ip: "10.0.0.300/8" is not an IP or CIDR`,
}

// policyFixture is Global > Eng > Platform and Global > Sales, with one
// user per role on Eng, a manager of Platform ("pat") and a configured
// administrator ("root").
type policyFixture struct{ orgFixture }

func newPolicyFixture(t *testing.T, newApp appFactory) policyFixture {
	t.Helper()
	return seedPolicyFixture(t, rootApp(t, newApp))
}

func seedPolicyFixture(t *testing.T, app *testutil.App) policyFixture {
	t.Helper()
	f := policyFixture{newOrg(t, app)}
	grantAll(t, app, f.eng, staff)
	app.Grant(t, f.platform, db.SubjectUser, "pat", "manager")
	return f
}

// putPolicy stores a policy straight in the store, with its Rego and no
// activity entry; for arranging a test.
func putPolicy(t testing.TB, app *testutil.App, nsID, name string, enforced bool, src string) db.Policy {
	t.Helper()
	module, err := policies.CompilePPL(src)
	if err != nil {
		t.Fatalf("compile %q: %v", src, err)
	}
	now := time.Now()
	p := db.Policy{
		ID: uuid.NewString(), NamespaceID: nsID, Name: name, Description: "About " + name, Enforced: enforced,
		PPL: src, Rego: module, CreatedAt: now, ModifiedAt: now,
	}
	if err := app.Store.CreatePolicy(context.Background(), p); err != nil {
		t.Fatalf("put policy %q: %v", name, err)
	}
	return p
}

// policyByName finds a policy of nsID in the store.
func policyByName(t testing.TB, app *testutil.App, nsID, name string) (db.Policy, bool) {
	t.Helper()
	list, _, err := app.Store.ListPolicies(context.Background(), db.PolicyFilter{NamespaceIDs: []string{nsID}, Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range list {
		if p.Name == name {
			return p, true
		}
	}
	return db.Policy{}, false
}

// newAppWithPolicyUsers builds the console as server.New does, but with a
// Users hook on the policy service (routes, which use policies, come
// later), on a fresh SQLite store.
func newAppWithPolicyUsers(t *testing.T, hook policies.Users) *testutil.App {
	t.Helper()
	store := storetest.OpenSQLite(t)
	key, err := seal.ParseKey("hNTBe3a1oPWFTtVVzb3kHTAaJeRS6gQpRoGpLNmwdAM=")
	if err != nil {
		t.Fatal(err)
	}
	sealer, err := seal.New(key)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now
	recovery := authn.NewRecovery(store, sealer, now)
	app := web.New(web.Deps{
		Store:           store,
		Logger:          slog.New(slog.NewTextHandler(io.Discard, nil)),
		Now:             now,
		Version:         "test",
		Authorizer:      rbac.NewAuthorizer(store, nil),
		Recovery:        recovery,
		ServiceAccounts: authn.NoServiceAccounts{},
		Namespaces:      namespaces.NewService(store, now, policies.Blocker),
		Policies:        policies.NewService(store, now, policies.CompilePPL, hook),
		Routes:          routes.NewService(store, sealer, now, policies.NewService(store, now, policies.CompilePPL)),
		Members:         members.NewService(store, now),
		Users:           users.NewService(store, now),
		Activity:        activity.NewReader(store),
		SessionHashKey:  sealer.Derive("session cookie hash", 32),
		SessionBlockKey: sealer.Derive("session cookie block", 32),
	})
	return &testutil.App{Fiber: app, Store: store, Recovery: recovery}
}

// TestPoliciesOnPostgres runs the policy scenarios that lean on the store
// most against Postgres; it skips without POSTGRES_TEST_URL.
func TestPoliciesOnPostgres(t *testing.T) {
	runOnPostgres(t, []scenario{
		{"list", runPoliciesList},
		{"list pages", runPoliciesListPages},
		{"create", runPolicyCreate},
		{"edit", runPolicyEdit},
		{"validation", runPolicyFormValidation},
		{"RBAC", runPoliciesRBAC},
	})
}
