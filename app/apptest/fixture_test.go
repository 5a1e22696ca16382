package apptest_test

import (
	"maps"
	"testing"

	"github.com/pomerium-console-oss/pomerium-console/app/apptest"
	"github.com/pomerium-console-oss/pomerium-console/app/rbac"
	"github.com/pomerium-console-oss/pomerium-console/db/storetest"
)

func TestSeededCallers(t *testing.T) {
	t.Parallel()
	ids := []string{apptest.Global, apptest.Eng, apptest.Prod, apptest.Dev, apptest.Fin}
	none, viewer, manager, admin := rbac.RoleNone, rbac.RoleViewer, rbac.RoleManager, rbac.RoleAdmin
	tests := []struct {
		name   string
		grants []apptest.Roles // resolved in turn; the last one is checked
		want   map[string]rbac.Role
		userID string
	}{
		{"nil grants: Root, the configured administrator", []apptest.Roles{nil},
			map[string]rbac.Role{apptest.Global: admin, apptest.Eng: admin, apptest.Prod: admin, apptest.Dev: admin, apptest.Fin: admin}, "u-root"},
		{"exactly the grants", []apptest.Roles{{apptest.Eng: viewer}},
			map[string]rbac.Role{apptest.Global: none, apptest.Eng: viewer, apptest.Prod: viewer, apptest.Dev: viewer, apptest.Fin: none},
			"u-caller:eng=viewer"},
		{"an earlier caller's grants are not shared", []apptest.Roles{{apptest.Eng: manager}, {apptest.Fin: viewer, apptest.Prod: manager}},
			map[string]rbac.Role{apptest.Global: none, apptest.Eng: none, apptest.Prod: manager, apptest.Dev: none, apptest.Fin: viewer},
			"u-caller:fin=viewer:prod=manager"},
		{"the same grants twice are one user", []apptest.Roles{{apptest.Fin: viewer}, {apptest.Fin: viewer}},
			map[string]rbac.Role{apptest.Global: none, apptest.Eng: none, apptest.Prod: none, apptest.Dev: none, apptest.Fin: viewer},
			"u-caller:fin=viewer"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := storetest.OpenSQLite(t)
			c := apptest.Seeded(t, s)
			var acc *rbac.Access
			for _, g := range tc.grants {
				acc = c.Caller(t, g)
			}
			got := map[string]rbac.Role{}
			for _, id := range ids {
				got[id] = acc.Role(id)
			}
			if !maps.Equal(got, tc.want) || acc.Principal.UserID != tc.userID {
				t.Fatalf("%s holds %v, want %s holding %v", acc.Principal.UserID, got, tc.userID, tc.want)
			}
			all, err := s.ListNamespaces(t.Context())
			if err != nil || len(all) != len(ids) {
				t.Fatalf("seeded %d namespaces (%v), want %d", len(all), err, len(ids))
			}
			for _, ns := range all {
				if ns.ID != apptest.Global && !ns.CreatedAt.Equal(apptest.Created) {
					t.Errorf("%s created %v, want %v", ns.ID, ns.CreatedAt, apptest.Created)
				}
			}
		})
	}
}

func TestNewSealerAndClock(t *testing.T) {
	t.Parallel()
	a, b := apptest.NewSealer(t), apptest.NewSealer(t)
	sealed, err := a.Seal([]byte("secret"), "ctx")
	if err != nil {
		t.Fatal(err)
	}
	if plain, err := b.Open(sealed, "ctx"); err != nil || string(plain) != "secret" {
		t.Fatalf("a second sealer opens %q, %v; want the same key", plain, err)
	}
	if got := apptest.Clock(); !got.Equal(apptest.Now) || got.Equal(apptest.Created) {
		t.Fatalf("Clock = %v, want Now %v, not Created", got, apptest.Now)
	}
}

func TestWriters(t *testing.T) {
	t.Parallel()
	want := []struct {
		name      string
		eng, glob rbac.Role // the roles held on Engineering and on Global
		kind      string
	}{
		{"configured administrator", rbac.RoleAdmin, rbac.RoleAdmin, "pomerium"},
		{"manager of the namespace", rbac.RoleManager, rbac.RoleNone, "pomerium"},
		{"manager inherited from Global", rbac.RoleManager, rbac.RoleManager, "pomerium"},
		{"recovery principal of the namespace", rbac.RoleAdmin, rbac.RoleNone, "recovery"},
	}
	got := apptest.Writers(apptest.Eng, rbac.RoleManager)
	if len(got) != len(want) {
		t.Fatalf("%d writers, want %d", len(got), len(want))
	}
	for i, w := range want {
		t.Run(w.name, func(t *testing.T) {
			t.Parallel()
			acc := got[i].Resolve(t, apptest.Seeded(t, storetest.OpenSQLite(t)))
			if got[i].Name != w.name || acc.Role(apptest.Eng) != w.eng || acc.Role(apptest.Global) != w.glob || string(acc.Principal.Kind) != w.kind {
				t.Fatalf("%q holds %v on Engineering and %v on Global as %s; want %q holding %v and %v as %s",
					got[i].Name, acc.Role(apptest.Eng), acc.Role(apptest.Global), acc.Principal.Kind, w.name, w.eng, w.glob, w.kind)
			}
		})
	}
}
