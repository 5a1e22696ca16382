package storetest

import (
	"testing"
	"time"

	"github.com/pomerium-console-oss/pomerium-console/db"
)

// normalized is ns as a store returns it.
func normalized(ns db.Namespace) db.Namespace {
	ns.CreatedAt = stored(ns.CreatedAt)
	ns.ModifiedAt = stored(ns.ModifiedAt)
	return ns
}

// names lists the names of list, in order.
func names(list []db.Namespace) []string {
	out := make([]string, 0, len(list))
	for _, ns := range list {
		out = append(out, ns.Name)
	}
	return out
}

// seedNamespaces creates Global → team, other → other/team.
func seedNamespaces(t *testing.T, s db.Store) {
	t.Helper()
	for _, ns := range []db.Namespace{
		child("team", "Team"),
		child("other", "Other"),
		{ID: "other-team", ParentID: "other", Name: "Team"}, // same name, other parent
	} {
		must(t, s.CreateNamespace(t.Context(), ns))
	}
}

func testNamespaces(t *testing.T, newStore NewStore) {
	subtests(t, newStore, map[string]func(t *testing.T, s db.Store){
		"the migration creates Global": func(t *testing.T, s db.Store) {
			list, err := s.ListNamespaces(t.Context())
			must(t, err)
			wantEqual(t, "namespaces", list, []db.Namespace{{ID: db.GlobalNamespaceID, Name: "Global"}})
		},
		"create and get round-trip": func(t *testing.T, s db.Store) {
			ns := db.Namespace{
				ID: "n1", ParentID: db.GlobalNamespaceID, Name: "Ünïcødé 名前 🚀 'quoted'",
				CreatedAt: at(0), ModifiedAt: at(time.Hour + 999*time.Microsecond),
			}
			must(t, s.CreateNamespace(t.Context(), ns))
			got, err := s.GetNamespace(t.Context(), "n1")
			must(t, err)
			wantEqual(t, "namespace", got, normalized(ns))
			if got.CreatedAt.Location() != time.UTC {
				t.Errorf("CreatedAt in %v, want UTC", got.CreatedAt.Location())
			}
		},
		"get a missing namespace": func(t *testing.T, s db.Store) {
			_, err := s.GetNamespace(t.Context(), "nope")
			wantErr(t, err, db.ErrNotFound)
		},
		"list is ordered by name": func(t *testing.T, s db.Store) {
			for i, name := range []string{"charlie", "Bravo", "alpha", "Delta"} {
				must(t, s.CreateNamespace(t.Context(), child(string(rune('a'+i)), name)))
			}
			list, err := s.ListNamespaces(t.Context())
			must(t, err)
			wantEqual(t, "names", names(list), []string{"alpha", "Bravo", "charlie", "Delta", "Global"})
		},
		"create": func(t *testing.T, s db.Store) {
			seedNamespaces(t, s)
			tests := []struct {
				name string
				ns   db.Namespace
				want error
			}{
				{"taken id", child("team", "Fresh"), db.ErrConflict},
				{"sibling with the same name", child("x1", "Team"), db.ErrConflict},
				{"sibling with the same name in other case", child("x2", "tEAM"), db.ErrConflict},
				{"second root named like Global", db.Namespace{ID: "x3", Name: "global"}, db.ErrConflict},
				{"missing parent", db.Namespace{ID: "x4", ParentID: "nope", Name: "Orphan"}, db.ErrNotFound},
				{"same name under another parent", db.Namespace{ID: "x5", ParentID: "team", Name: "Team"}, nil},
				{"new name", child("x6", "Fresh"), nil},
			}
			for _, tc := range tests {
				t.Run(tc.name, func(t *testing.T) {
					err := s.CreateNamespace(t.Context(), tc.ns)
					wantErr(t, err, tc.want)
					if tc.want == nil {
						got, err := s.GetNamespace(t.Context(), tc.ns.ID)
						must(t, err)
						wantEqual(t, "namespace", got, normalized(tc.ns))
					}
				})
			}
		},
		"update": func(t *testing.T, s db.Store) {
			seedNamespaces(t, s)
			tests := []struct {
				name string
				ns   db.Namespace
				want error
			}{
				{"rename onto a sibling", db.Namespace{ID: "team", ParentID: db.GlobalNamespaceID, Name: "OTHER"}, db.ErrConflict},
				{"move next to a namesake", db.Namespace{ID: "other-team", ParentID: db.GlobalNamespaceID, Name: "Team"}, db.ErrConflict},
				{"move under a missing parent", db.Namespace{ID: "team", ParentID: "nope", Name: "Team"}, db.ErrNotFound},
				{"missing namespace", db.Namespace{ID: "nope", ParentID: db.GlobalNamespaceID, Name: "Nope"}, db.ErrNotFound},
				{"rename changing case only", db.Namespace{ID: "team", ParentID: db.GlobalNamespaceID, Name: "TEAM"}, nil},
				{"same values again", db.Namespace{ID: "team", ParentID: db.GlobalNamespaceID, Name: "TEAM"}, nil},
				{"move and rename", db.Namespace{ID: "other-team", ParentID: "team", Name: "Sub"}, nil},
			}
			for _, tc := range tests {
				t.Run(tc.name, func(t *testing.T) {
					before, _ := s.GetNamespace(t.Context(), tc.ns.ID)
					tc.ns.CreatedAt = at(-time.Hour) // must be ignored
					tc.ns.ModifiedAt = at(time.Hour)
					err := s.UpdateNamespace(t.Context(), tc.ns)
					wantErr(t, err, tc.want)
					if tc.want != nil {
						after, _ := s.GetNamespace(t.Context(), tc.ns.ID)
						wantEqual(t, "namespace after a failed update", after, before)
						return
					}
					got, err := s.GetNamespace(t.Context(), tc.ns.ID)
					must(t, err)
					want := normalized(tc.ns)
					want.CreatedAt = before.CreatedAt
					wantEqual(t, "namespace", got, want)
				})
			}
		},
		"delete": func(t *testing.T, s db.Store) {
			seedNamespaces(t, s)
			_, err := s.PutPermission(t.Context(), permission("p1", "other-team", db.SubjectUser, "u1", "admin"))
			must(t, err)

			wantErr(t, s.DeleteNamespace(t.Context(), "nope"), db.ErrNotFound)
			wantErr(t, s.DeleteNamespace(t.Context(), "other"), db.ErrReferenced)
			if !exists(t, s, "other") {
				t.Fatal("a namespace with children was deleted")
			}
			must(t, s.DeleteNamespace(t.Context(), "other-team"))
			_, err = s.GetPermission(t.Context(), "p1")
			wantErr(t, err, db.ErrNotFound) // cascaded
			must(t, s.DeleteNamespace(t.Context(), "other"))
			if exists(t, s, "other") || exists(t, s, "other-team") {
				t.Fatal("deleted namespaces are still there")
			}
		},
	})
}
