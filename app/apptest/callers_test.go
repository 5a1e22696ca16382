package apptest_test

import (
	"maps"
	"slices"
	"testing"
	"time"

	"github.com/pomerium-console-oss/pomerium-console/app/apptest"
	"github.com/pomerium-console-oss/pomerium-console/app/rbac"
	"github.com/pomerium-console-oss/pomerium-console/db"
	"github.com/pomerium-console-oss/pomerium-console/db/storetest"
)

// at is when the fixtures are made.
var at = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)

func TestSeedTree(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		ids  []string
		want map[string]string // id → parent/name
	}{
		{"the whole tree", nil, map[string]string{
			apptest.Global: "/Global", apptest.Eng: apptest.Global + "/Engineering", apptest.Prod: apptest.Eng + "/production",
			apptest.Dev: apptest.Eng + "/Dev", apptest.Fin: apptest.Global + "/Finance",
		}},
		{"some of it", []string{apptest.Eng, apptest.Fin}, map[string]string{
			apptest.Global: "/Global", apptest.Eng: apptest.Global + "/Engineering", apptest.Fin: apptest.Global + "/Finance",
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := storetest.OpenSQLite(t)
			apptest.SeedTree(t, s, at, tc.ids...)
			all, err := s.ListNamespaces(t.Context())
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]string{}
			for _, ns := range all {
				got[ns.ID] = ns.ParentID + "/" + ns.Name
				if ns.ID != apptest.Global && (!ns.CreatedAt.Equal(at) || !ns.ModifiedAt.Equal(at)) {
					t.Errorf("%s stamped %v/%v, want %v", ns.ID, ns.CreatedAt, ns.ModifiedAt, at)
				}
			}
			if !maps.Equal(got, tc.want) {
				t.Fatalf("tree = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestCallers(t *testing.T) {
	t.Parallel()
	roles := func(acc *rbac.Access) map[string]rbac.Role {
		out := map[string]rbac.Role{}
		for _, id := range []string{apptest.Global, apptest.Eng, apptest.Prod, apptest.Dev, apptest.Fin} {
			out[id] = acc.Role(id)
		}
		return out
	}
	none, viewer, admin := rbac.RoleNone, rbac.RoleViewer, rbac.RoleAdmin
	tests := []struct {
		name    string
		resolve func(t *testing.T, c apptest.Callers) *rbac.Access
		want    map[string]rbac.Role
		grants  []string // ids of the stored grants
	}{
		{"a configured administrator", func(t *testing.T, c apptest.Callers) *rbac.Access {
			return c.Resolve(t, apptest.Pomerium("u-x", "Root@Example.com"))
		}, map[string]rbac.Role{apptest.Global: admin, apptest.Eng: admin, apptest.Prod: admin, apptest.Dev: admin, apptest.Fin: admin}, nil},
		{"an unknown user", func(t *testing.T, c apptest.Callers) *rbac.Access {
			return c.Resolve(t, apptest.Pomerium("u-x", "x@example.com"))
		}, map[string]rbac.Role{apptest.Global: none, apptest.Eng: none, apptest.Prod: none, apptest.Dev: none, apptest.Fin: none}, nil},
		{"a user holding roles", func(t *testing.T, c apptest.Callers) *rbac.Access {
			return c.User(t, "u1", apptest.Roles{apptest.Prod: admin, apptest.Fin: viewer})
		}, map[string]rbac.Role{apptest.Global: none, apptest.Eng: none, apptest.Prod: admin, apptest.Dev: none, apptest.Fin: viewer},
			[]string{"u1@" + apptest.Fin, "u1@" + apptest.Prod}},
		{"a group member", func(t *testing.T, c apptest.Callers) *rbac.Access {
			return c.Group(t, apptest.Eng, viewer)
		}, map[string]rbac.Role{apptest.Global: none, apptest.Eng: viewer, apptest.Prod: viewer, apptest.Dev: viewer, apptest.Fin: none},
			[]string{"g-viewer-" + apptest.Eng}},
		{"a recovery principal", func(t *testing.T, c apptest.Callers) *rbac.Access {
			return c.Resolve(t, apptest.Recovery(apptest.Eng))
		}, map[string]rbac.Role{apptest.Global: none, apptest.Eng: admin, apptest.Prod: admin, apptest.Dev: admin, apptest.Fin: none}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := storetest.OpenSQLite(t)
			apptest.SeedTree(t, s, at)
			c := apptest.Callers{Store: s, Admins: []string{"root@example.com"}, At: at}
			if got := roles(tc.resolve(t, c)); !maps.Equal(got, tc.want) {
				t.Fatalf("roles = %v, want %v", got, tc.want)
			}
			perms, err := s.ListPermissions(t.Context(), "")
			if err != nil {
				t.Fatal(err)
			}
			var ids []string
			for _, p := range perms {
				ids = append(ids, p.ID)
				if !p.CreatedAt.Equal(at) || !p.ModifiedAt.Equal(at) {
					t.Errorf("grant %s stamped %v/%v, want %v", p.ID, p.CreatedAt, p.ModifiedAt, at)
				}
			}
			slices.Sort(ids)
			if !slices.Equal(ids, tc.grants) {
				t.Fatalf("grants %v, want %v", ids, tc.grants)
			}
		})
	}
}

// TestPutIgnoresGivenTimes checks Put stamps c.At over whatever it is given.
func TestPutIgnoresGivenTimes(t *testing.T) {
	t.Parallel()
	s := storetest.OpenSQLite(t)
	apptest.Callers{Store: s, At: at}.Put(t, db.Permission{
		ID: "p", NamespaceID: apptest.Global, SubjectType: db.SubjectUser, SubjectID: "u", Role: "admin",
		CreatedAt: time.Unix(5, 0), ModifiedAt: time.Unix(6, 0),
	})
	p, err := s.GetPermission(t.Context(), "p")
	if err != nil || !p.CreatedAt.Equal(at) || !p.ModifiedAt.Equal(at) {
		t.Fatalf("stored %+v, %v; want it stamped %v", p, err, at)
	}
}
