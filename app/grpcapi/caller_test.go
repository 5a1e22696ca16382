package grpcapi_test

import (
	"testing"

	"github.com/pomerium-console-oss/pomerium-console/app/testutil"
)

// callerMD is the metadata of an authenticated caller with the given
// identity; its roles are whatever the store (or administrators) grants.
func callerMD(t *testing.T, app *testutil.App, userID, email string) map[string]string {
	t.Helper()
	return testutil.AssertionMD(app.Assertion(t, testutil.Claims{Subject: userID, Email: email}))
}
