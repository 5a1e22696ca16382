package apptest

import (
	"slices"
	"testing"
	"time"

	"github.com/pomerium-console-oss/pomerium-console/db"
)

// Ids of the fixture tree most service tests run against:
//
//	Global ─┬─ Engineering ─┬─ production
//	        │               └─ Dev
//	        └─ Finance
const (
	Global = db.GlobalNamespaceID
	Eng    = "eng"
	Prod   = "prod"
	Dev    = "dev"
	Fin    = "fin"
)

// tree is the fixture tree below the migrated Global, parents first.
var tree = []db.Namespace{
	{ID: Eng, ParentID: Global, Name: "Engineering"},
	{ID: Prod, ParentID: Eng, Name: "production"},
	{ID: Dev, ParentID: Eng, Name: "Dev"},
	{ID: Fin, ParentID: Global, Name: "Finance"},
}

// SeedTree creates the fixture namespaces below Global, stamped at; given
// ids, only those (a parent must be among them).
func SeedTree(t testing.TB, s db.Store, at time.Time, ids ...string) {
	t.Helper()
	for _, ns := range tree {
		if len(ids) == 0 || slices.Contains(ids, ns.ID) {
			Seed(t, s, at, ns)
		}
	}
}

// Seed creates each namespace in order with CreatedAt and ModifiedAt set
// to at, stopping t on a store error.
func Seed(t testing.TB, s db.Store, at time.Time, nss ...db.Namespace) {
	t.Helper()
	for _, ns := range nss {
		ns.CreatedAt, ns.ModifiedAt = at, at
		if err := s.CreateNamespace(t.Context(), ns); err != nil {
			t.Fatalf("seed %s: %v", ns.ID, err)
		}
	}
}
