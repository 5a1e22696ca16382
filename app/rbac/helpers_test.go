package rbac_test

import (
	"testing"
	"time"

	"github.com/pomerium-console-oss/pomerium-console/app/authn"
	"github.com/pomerium-console-oss/pomerium-console/app/rbac"
	"github.com/pomerium-console-oss/pomerium-console/db"
	"github.com/pomerium-console-oss/pomerium-console/db/storetest"
)

// The fixture tree:
//
//	Global ─┬─ Engineering ─┬─ production
//	        │               └─ Dev
//	        └─ Finance
const (
	global = db.GlobalNamespaceID
	eng    = "eng"
	prod   = "prod"
	dev    = "dev"
	fin    = "fin"
)

// fixtureIDs lists every fixture namespace, Global first.
var fixtureIDs = []string{global, eng, prod, dev, fin}

// forEachStore runs fn on a fresh SQLite store and, when POSTGRES_TEST_URL
// is set, on a fresh Postgres one.
func forEachStore(t *testing.T, fn func(t *testing.T, s db.Store)) {
	t.Helper()
	for name, open := range map[string]func(testing.TB) db.Store{
		"sqlite":   storetest.OpenSQLite,
		"postgres": storetest.OpenPostgres,
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			fn(t, open(t))
		})
	}
}

// seedTree creates the fixture tree below the migrated Global.
func seedTree(t *testing.T, s db.Store) {
	t.Helper()
	for _, ns := range []db.Namespace{
		{ID: eng, ParentID: global, Name: "Engineering"},
		{ID: prod, ParentID: eng, Name: "production"},
		{ID: dev, ParentID: eng, Name: "Dev"},
		{ID: fin, ParentID: global, Name: "Finance"},
	} {
		if err := s.CreateNamespace(t.Context(), ns); err != nil {
			t.Fatalf("seed %s: %v", ns.ID, err)
		}
	}
}

// grant stores one permission.
type grant struct {
	ns, subjectType, subjectID string
	role                       rbac.Role
}

// put stores every grant.
func put(t *testing.T, s db.Store, grants ...grant) {
	t.Helper()
	for _, g := range grants {
		_, err := s.PutPermission(t.Context(), db.Permission{
			ID: g.ns + "/" + g.subjectType + "/" + g.subjectID, NamespaceID: g.ns,
			SubjectType: g.subjectType, SubjectID: g.subjectID, Role: g.role.String(),
			CreatedAt: time.Unix(1, 0), ModifiedAt: time.Unix(1, 0),
		})
		if err != nil {
			t.Fatalf("put %+v: %v", g, err)
		}
	}
}

// resolve builds p's access with the configured administrators admins.
func resolve(t *testing.T, s db.Store, p authn.Principal, admins ...string) *rbac.Access {
	t.Helper()
	acc, err := rbac.NewAuthorizer(s, admins).Resolve(t.Context(), p)
	if err != nil {
		t.Fatalf("resolve %+v: %v", p, err)
	}
	return acc
}

// pomerium is a user signed in through Pomerium.
func pomerium(id, email string, groups ...string) authn.Principal {
	return authn.Principal{Kind: authn.KindPomerium, UserID: id, Email: email, Groups: groups}
}

// roles returns the effective role on each fixture namespace.
func roles(acc *rbac.Access) map[string]rbac.Role {
	out := map[string]rbac.Role{}
	for _, id := range fixtureIDs {
		out[id] = acc.Role(id)
	}
	return out
}
