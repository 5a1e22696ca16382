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

// TestOnPostgres runs a representative set of the scenarios against
// Postgres; it skips without POSTGRES_TEST_URL.
func TestOnPostgres(t *testing.T) {
	storetest.SkipWithoutPostgres(t)
	t.Parallel()
	scenarios := []struct {
		name string
		run  func(*testing.T, appFactory)
	}{
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
	}
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) {
			t.Parallel()
			sc.run(t, postgresApp)
		})
	}
}
