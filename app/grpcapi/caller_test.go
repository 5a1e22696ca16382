package grpcapi_test

import (
	"crypto/rand"
	"encoding/base64"
	"testing"
	"time"

	"github.com/pomerium-console-oss/pomerium-console/app/apptest"
	"github.com/pomerium-console-oss/pomerium-console/app/clusters"
	"github.com/pomerium-console-oss/pomerium-console/app/rbac"
	"github.com/pomerium-console-oss/pomerium-console/app/seal"
	"github.com/pomerium-console-oss/pomerium-console/app/serviceaccounts"
	"github.com/pomerium-console-oss/pomerium-console/app/testutil"
	"github.com/pomerium-console-oss/pomerium-console/db"
)

// callerMD is the metadata of an authenticated caller with the given
// identity; its roles are whatever the store (or administrators) grants.
func callerMD(t *testing.T, app *testutil.App, userID, email string) map[string]string {
	t.Helper()
	return testutil.AssertionMD(app.Assertion(t, testutil.Claims{Subject: userID, Email: email}))
}

// sessionCallerMD is callerMD for a caller signed in to Pomerium with
// session sid, the session impersonation changes.
func sessionCallerMD(t *testing.T, app *testutil.App, userID, email, sid string) map[string]string {
	t.Helper()
	return testutil.AssertionMD(app.Assertion(t, testutil.Claims{Subject: userID, Email: email, SessionID: sid}))
}

// serviceAccountMD is the metadata the enterprise clients send for a new
// service account of namespace nsID whose user id holds role there. A
// console without a shared secret first gets one, as a real console's
// first run generates it.
func serviceAccountMD(t *testing.T, app *testutil.App, nsID, role string) map[string]string {
	t.Helper()
	ctx := t.Context()
	ensureSharedSecret(t, app)
	acc, err := rbac.NewAuthorizer(app.Store, nil).Resolve(ctx, apptest.Recovery(db.GlobalNamespaceID))
	if err != nil {
		t.Fatal(err)
	}
	a, token, err := app.Console.ServiceAccounts.Create(ctx, acc, serviceaccounts.Input{NamespaceID: nsID, Description: role + " of " + nsID})
	if err != nil {
		t.Fatalf("create service account in %s: %v", nsID, err)
	}
	// The record's push runs in the background; let it end before the
	// test (and its store) does.
	app.Console.ServiceAccounts.Wait()
	app.Grant(t, nsID, db.SubjectUser, a.UserID, role)
	return testutil.PomeriumToken(token)
}

// ensureSharedSecret gives the default cluster a shared secret, which
// signs service account tokens, unless it has one.
func ensureSharedSecret(t *testing.T, app *testutil.App) {
	t.Helper()
	ctx := t.Context()
	def, err := app.Store.GetCluster(ctx, db.DefaultClusterID)
	if err != nil {
		t.Fatal(err)
	}
	if clusters.HasSecret(def) {
		return
	}
	sealer, err := seal.New(app.Config.EncryptionKey())
	if err != nil {
		t.Fatal(err)
	}
	key := make([]byte, 32)
	_, _ = rand.Read(key)
	d := clusters.Defaults{DatabrokerURL: def.DatabrokerURL, CAPEM: def.CAPEM, SharedSecret: base64.StdEncoding.EncodeToString(key)}
	if _, err := clusters.NewService(app.Store, sealer, time.Now).EnsureDefault(ctx, d); err != nil {
		t.Fatal(err)
	}
}
