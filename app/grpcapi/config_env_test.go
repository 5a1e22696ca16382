package grpcapi_test

import (
	"strings"
	"testing"
	"time"

	"google.golang.org/grpc"

	"github.com/pomerium-console-oss/pomerium-console/app/rbac"
	"github.com/pomerium-console-oss/pomerium-console/app/testutil"
	"github.com/pomerium-console-oss/pomerium-console/db"
)

// Namespaces of configEnv, below Global.
const (
	nsProduction = "ns-production"
	nsStaging    = "ns-staging"
)

// configEnv is a console with two namespaces (Production and Staging
// below Global) and a connection of a configured administrator, for the
// route, policy, key pair and report services.
type configEnv struct {
	app   *testutil.App
	admin *grpc.ClientConn
}

func newConfigEnv(t *testing.T) *configEnv {
	t.Helper()
	app := testutil.NewApp(t, testutil.WithAdministrators("admin@example.com"))
	at := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, ns := range []db.Namespace{
		{ID: nsProduction, ParentID: db.GlobalNamespaceID, Name: "Production"},
		{ID: nsStaging, ParentID: db.GlobalNamespaceID, Name: "Staging"},
	} {
		ns.CreatedAt, ns.ModifiedAt = at, at
		if err := app.Store.CreateNamespace(t.Context(), ns); err != nil {
			t.Fatal(err)
		}
	}
	return &configEnv{app: app, admin: app.DialGRPC(t, callerMD(t, app, "u-admin", "admin@example.com"))}
}

// as connects as a user holding role on each namespace of nsIDs (none:
// a user without any role).
func (e *configEnv) as(t *testing.T, userID string, role rbac.Role, nsIDs ...string) *grpc.ClientConn {
	t.Helper()
	for _, ns := range nsIDs {
		e.app.Grant(t, ns, db.SubjectUser, userID, role.String())
	}
	return e.app.DialGRPC(t, callerMD(t, e.app, userID, userID+"@example.com"))
}

// containsAll reports whether s holds every one of parts.
func containsAll(s string, parts ...string) bool {
	for _, p := range parts {
		if !strings.Contains(s, p) {
			return false
		}
	}
	return true
}
