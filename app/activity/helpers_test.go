package activity_test

import (
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/pomerium-console-oss/pomerium-console/app/authn"
	"github.com/pomerium-console-oss/pomerium-console/app/errs"
	"github.com/pomerium-console-oss/pomerium-console/app/rbac"
	"github.com/pomerium-console-oss/pomerium-console/db"
	"github.com/pomerium-console-oss/pomerium-console/db/storetest"
)

// The fixture tree:
//
//	Global ─┬─ Engineering ─┬─ production
//	        │               └─ Dev
//	        └─ Finance
//
// gone is a namespace that was deleted: the log still names it.
const (
	global = db.GlobalNamespaceID
	eng    = "eng"
	prod   = "prod"
	dev    = "dev"
	fin    = "fin"
	gone   = "gone"
)

// base is the time of the fixtures.
var base = time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)

// root is the configured administrator.
var root = authn.Principal{Kind: authn.KindPomerium, UserID: "u-root", Email: "root@example.com", Name: "Root"}

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
		ns.CreatedAt, ns.ModifiedAt = base, base
		if err := s.CreateNamespace(t.Context(), ns); err != nil {
			t.Fatalf("seed %s: %v", ns.ID, err)
		}
	}
}

// resolve builds p's access, with root configured as administrator.
func resolve(t *testing.T, s db.Store, p authn.Principal) *rbac.Access {
	t.Helper()
	acc, err := rbac.NewAuthorizer(s, []string{root.UserID}).Resolve(t.Context(), p)
	if err != nil {
		t.Fatalf("resolve: %v", err)
	}
	return acc
}

// holding resolves a caller whose only grant is r on nsID, through a group.
func holding(nsID string, r rbac.Role) func(t *testing.T, s db.Store) *rbac.Access {
	return func(t *testing.T, s db.Store) *rbac.Access {
		t.Helper()
		group := "g-" + r.String() + "-" + nsID
		_, err := s.PutPermission(t.Context(), db.Permission{
			ID: group, NamespaceID: nsID, SubjectType: db.SubjectGroup, SubjectID: group, Role: r.String(),
			CreatedAt: base, ModifiedAt: base,
		})
		if err != nil {
			t.Fatal(err)
		}
		return resolve(t, s, authn.Principal{Kind: authn.KindPomerium, UserID: "u-caller", Groups: []string{group}})
	}
}

// asRoot resolves root.
func asRoot(t *testing.T, s db.Store) *rbac.Access {
	t.Helper()
	return resolve(t, s, root)
}

// insert stores entries as they are.
func insert(t *testing.T, s db.Store, entries ...db.ActivityEntry) {
	t.Helper()
	for _, e := range entries {
		if err := s.InsertActivity(t.Context(), e); err != nil {
			t.Fatalf("insert %s: %v", e.ID, err)
		}
	}
}

// ids returns the ids of entries in order.
func ids(entries []db.ActivityEntry) []string {
	out := []string{}
	for _, e := range entries {
		out = append(out, e.ID)
	}
	return out
}

// wantForbidden checks err is ErrForbidden reading "forbidden: " + msg.
func wantForbidden(t *testing.T, err error, msg string) {
	t.Helper()
	if !errors.Is(err, errs.ErrForbidden) || err.Error() != "forbidden: "+msg {
		t.Fatalf("err = %v, want forbidden: %s", err, msg)
	}
}

// state is everything a mutation may change.
type state struct {
	Namespaces  []db.Namespace
	Permissions []db.Permission
	Activity    []db.ActivityEntry
}

// capture reads the whole state of s.
func capture(t *testing.T, s db.Store) state {
	t.Helper()
	ns, err := s.ListNamespaces(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	perms, err := s.ListPermissions(t.Context(), "")
	if err != nil {
		t.Fatal(err)
	}
	act, _, err := s.ListActivity(t.Context(), db.ActivityFilter{Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	return state{Namespaces: ns, Permissions: perms, Activity: act}
}

// unchanged fails t when s no longer holds st.
func (st state) unchanged(t *testing.T, s db.Store) {
	t.Helper()
	if got := capture(t, s); !reflect.DeepEqual(got, st) {
		t.Fatalf("a failed mutation changed the store:\nbefore %+v\nafter  %+v", st, got)
	}
}
