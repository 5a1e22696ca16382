package activity_test

import (
	"testing"
	"time"

	"github.com/pomerium-console-oss/pomerium-console/app/apptest"
	"github.com/pomerium-console-oss/pomerium-console/app/authn"
	"github.com/pomerium-console-oss/pomerium-console/app/rbac"
	"github.com/pomerium-console-oss/pomerium-console/db"
)

// The shared fixture tree (apptest.SeedTree):
//
//	Global ─┬─ Engineering ─┬─ production
//	        │               └─ Dev
//	        └─ Finance
//
// gone is a namespace that was deleted: the log still names it.
const (
	global = apptest.Global
	eng    = apptest.Eng
	prod   = apptest.Prod
	dev    = apptest.Dev
	fin    = apptest.Fin
	gone   = "gone"
)

// base is the time of the fixtures.
var base = time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)

// root is the configured administrator.
var root = authn.Principal{Kind: authn.KindPomerium, UserID: "u-root", Email: "root@example.com", Name: "Root"}

// seedLog seeds the fixture tree and logEntries.
func seedLog(t *testing.T, s db.Store) {
	t.Helper()
	apptest.SeedTree(t, s, base)
	insert(t, s, logEntries()...)
}

// callers resolves on s with root configured as administrator.
func callers(s db.Store) apptest.Callers {
	return apptest.Callers{Store: s, Admins: []string{root.UserID}, At: base}
}

// holding resolves a caller whose only grant is r on nsID, through a group.
func holding(nsID string, r rbac.Role) func(t *testing.T, s db.Store) *rbac.Access {
	return func(t *testing.T, s db.Store) *rbac.Access {
		t.Helper()
		return callers(s).Group(t, nsID, r)
	}
}

// asRoot resolves root.
func asRoot(t *testing.T, s db.Store) *rbac.Access {
	t.Helper()
	return callers(s).Resolve(t, root)
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
