package storetest

import (
	"testing"
	"time"

	"github.com/pomerium-console-oss/pomerium-console/db"
)

// permission is a grant created at base.
func permission(id, namespaceID, subjectType, subjectID, role string) db.Permission {
	return db.Permission{
		ID: id, NamespaceID: namespaceID, SubjectType: subjectType, SubjectID: subjectID, Role: role,
		CreatedAt: at(0), ModifiedAt: at(0),
	}
}

// normalizedPermission is p as a store returns it.
func normalizedPermission(p db.Permission) db.Permission {
	p.CreatedAt = stored(p.CreatedAt)
	p.ModifiedAt = stored(p.ModifiedAt)
	return p
}

// permissionIDs lists the ids of list, in order.
func permissionIDs(list []db.Permission) []string {
	out := []string{}
	for _, p := range list {
		out = append(out, p.ID)
	}
	return out
}

// seedPermissions grants on Global and on team (see seedNamespaces).
func seedPermissions(t *testing.T, s db.Store) {
	t.Helper()
	seedNamespaces(t, s)
	for _, p := range []db.Permission{
		permission("p1", "team", db.SubjectUser, "u1", "admin"),
		permission("p2", "team", db.SubjectGroup, "ops", "viewer"),
		permission("p3", db.GlobalNamespaceID, db.SubjectUser, "ada@example.com", "manager"),
		permission("p4", db.GlobalNamespaceID, db.SubjectGroup, "u1", "guest"), // a group named like a user
		permission("p5", "team", db.SubjectUser, "ada@example.com", "viewer"),
	} {
		_, err := s.PutPermission(t.Context(), p)
		must(t, err)
	}
}

func testPermissions(t *testing.T, newStore NewStore) {
	subtests(t, newStore, map[string]func(t *testing.T, s db.Store){
		"put inserts and returns the row": func(t *testing.T, s db.Store) {
			p := permission("p1", db.GlobalNamespaceID, db.SubjectUser, "u1", "admin")
			got, err := s.PutPermission(t.Context(), p)
			must(t, err)
			wantEqual(t, "returned", got, normalizedPermission(p))
			got, err = s.GetPermission(t.Context(), "p1")
			must(t, err)
			wantEqual(t, "stored", got, normalizedPermission(p))
		},
		"put replaces the grant to the same subject": func(t *testing.T, s db.Store) {
			_, err := s.PutPermission(t.Context(), permission("p1", db.GlobalNamespaceID, db.SubjectUser, "u1", "admin"))
			must(t, err)
			again := permission("p2", db.GlobalNamespaceID, db.SubjectUser, "u1", "viewer")
			again.CreatedAt, again.ModifiedAt = at(time.Hour), at(time.Hour)
			got, err := s.PutPermission(t.Context(), again)
			must(t, err)
			want := normalizedPermission(again)
			want.ID, want.CreatedAt = "p1", stored(at(0))
			wantEqual(t, "returned", got, want)
			list, err := s.ListPermissions(t.Context(), "")
			must(t, err)
			wantEqual(t, "all grants", list, []db.Permission{want})
			_, err = s.GetPermission(t.Context(), "p2")
			wantErr(t, err, db.ErrNotFound)
		},
		"put errors": func(t *testing.T, s db.Store) {
			_, err := s.PutPermission(t.Context(), permission("p1", db.GlobalNamespaceID, db.SubjectUser, "u1", "admin"))
			must(t, err)
			tests := []struct {
				name string
				p    db.Permission
				want error
			}{
				{"taken id for another subject", permission("p1", db.GlobalNamespaceID, db.SubjectUser, "u2", "admin"), db.ErrConflict},
				{"missing namespace", permission("p2", "nope", db.SubjectUser, "u1", "admin"), db.ErrNotFound},
			}
			for _, tc := range tests {
				t.Run(tc.name, func(t *testing.T) {
					_, err := s.PutPermission(t.Context(), tc.p)
					wantErr(t, err, tc.want)
				})
			}
			for _, p := range []db.Permission{
				permission("p3", db.GlobalNamespaceID, "robot", "u1", "admin"),
				permission("p4", db.GlobalNamespaceID, db.SubjectUser, "u1", "owner"),
			} {
				if _, err := s.PutPermission(t.Context(), p); err == nil {
					t.Errorf("put %+v: no error for an invalid subject type or role", p)
				}
			}
		},
		"get and delete": func(t *testing.T, s db.Store) {
			seedPermissions(t, s)
			_, err := s.GetPermission(t.Context(), "nope")
			wantErr(t, err, db.ErrNotFound)
			wantErr(t, s.DeletePermission(t.Context(), "nope"), db.ErrNotFound)
			must(t, s.DeletePermission(t.Context(), "p1"))
			_, err = s.GetPermission(t.Context(), "p1")
			wantErr(t, err, db.ErrNotFound)
			wantErr(t, s.DeletePermission(t.Context(), "p1"), db.ErrNotFound)
		},
		"list": func(t *testing.T, s db.Store) {
			seedPermissions(t, s)
			tests := []struct {
				namespaceID string
				want        []string
			}{
				{"team", []string{"p2", "p5", "p1"}},
				{db.GlobalNamespaceID, []string{"p4", "p3"}},
				{"", []string{"p2", "p4", "p3", "p5", "p1"}},
				{"other", []string{}},
			}
			for _, tc := range tests {
				t.Run("namespace "+tc.namespaceID, func(t *testing.T) {
					list, err := s.ListPermissions(t.Context(), tc.namespaceID)
					must(t, err)
					wantEqual(t, "ids", permissionIDs(list), tc.want)
				})
			}
		},
		"list for subjects": func(t *testing.T, s db.Store) {
			seedPermissions(t, s)
			tests := []struct {
				name          string
				users, groups []string
				want          []string
			}{
				{"nothing", nil, nil, []string{}},
				{"empty slices", []string{}, []string{}, []string{}},
				{"user id", []string{"u1"}, nil, []string{"p1"}},
				{"user id and email", []string{"u1", "ada@example.com"}, nil, []string{"p3", "p5", "p1"}},
				{"groups", nil, []string{"ops", "u1", "unknown"}, []string{"p2", "p4"}},
				{"both", []string{"u1"}, []string{"ops"}, []string{"p2", "p1"}},
				{"no match", []string{"ops"}, []string{"ada@example.com"}, []string{}},
			}
			for _, tc := range tests {
				t.Run(tc.name, func(t *testing.T) {
					list, err := s.ListPermissionsForSubjects(t.Context(), tc.users, tc.groups)
					must(t, err)
					wantEqual(t, "ids", permissionIDs(list), tc.want)
				})
			}
		},
	})
}
