package grpcapi_test

import (
	"strings"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

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
		_, err := e.app.Store.PutPermission(t.Context(), db.Permission{
			ID: userID + "@" + ns, NamespaceID: ns, SubjectType: db.SubjectUser, SubjectID: userID, Role: role.String(),
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return e.app.DialGRPC(t, callerMD(t, e.app, userID, userID+"@example.com"))
}

// wantCode stops t unless err is a status of code whose message holds
// every one of parts.
func wantCode(t *testing.T, err error, code codes.Code, parts ...string) {
	t.Helper()
	st, _ := status.FromError(err)
	if st.Code() != code {
		t.Fatalf("err = %v, want %v", err, code)
	}
	for _, p := range parts {
		if !strings.Contains(st.Message(), p) {
			t.Fatalf("message %q does not hold %q", st.Message(), p)
		}
	}
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
