package web_test

import (
	"testing"

	"github.com/pomerium-console-oss/pomerium-console/app/testutil"
	"github.com/pomerium-console-oss/pomerium-console/db/storetest"
)

// appFactory builds a console for one test; the scenarios that matter most
// run once on SQLite and once on Postgres.
type appFactory func(t testing.TB, opts ...testutil.Option) *testutil.App

func postgresApp(t testing.TB, opts ...testutil.Option) *testutil.App {
	t.Helper()
	return testutil.NewAppOn(t, storetest.OpenPostgres(t), opts...)
}

// scenario is a named test body that runs on any console.
type scenario struct {
	name string
	run  func(*testing.T, appFactory)
}

// runScenarios runs each scenario as a parallel subtest on consoles newApp
// builds.
func runScenarios(t *testing.T, newApp appFactory, scenarios []scenario) {
	t.Helper()
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) {
			t.Parallel()
			sc.run(t, newApp)
		})
	}
}

// runOnPostgres runs the scenarios on Postgres, in parallel with the other
// tests; it skips without POSTGRES_TEST_URL.
func runOnPostgres(t *testing.T, scenarios []scenario) {
	t.Helper()
	storetest.SkipWithoutPostgres(t)
	t.Parallel()
	runScenarios(t, postgresApp, scenarios)
}

// TestOnPostgres runs a representative set of the scenarios against
// Postgres; it skips without POSTGRES_TEST_URL.
func TestOnPostgres(t *testing.T) {
	runOnPostgres(t, []scenario{
		{"pomerium sign-in records the user", runPomeriumSignInCreatesUserOnFirstSight},
		{"groups grant roles", runPomeriumGroupsGrantRoles},
		{"single-use recovery token", runSingleUseRecoveryTokenWorksOnce},
		{"htmx CSRF header", runHTMXHeaderCSRFTokenIsAccepted},
		{"RBAC", runRBAC},
		{"namespace lifecycle", runNamespaceLifecycleThroughForms},
		{"namespace validation", runNamespaceFormValidation},
		{"namespace delete refusals", runNamespaceDeleteRefusals},
		{"members", runMembersGrantRegrantRevoke},
		{"members lookup", runMembersLookup},
		{"activity filters", runActivityLogOfUIChanges},
		{"activity pagination", runActivityPagination},
		{"activity visibility", runActivityVisibility},
		{"health", runHealthEndpoints},
	})
}
