package keypairs_test

import (
	"errors"
	"slices"
	"testing"

	"github.com/pomerium-console-oss/pomerium-console/app/apptest"
	"github.com/pomerium-console-oss/pomerium-console/app/errs"
	"github.com/pomerium-console-oss/pomerium-console/app/keypairs"
	kpt "github.com/pomerium-console-oss/pomerium-console/app/keypairs/keypairstest"
	"github.com/pomerium-console-oss/pomerium-console/app/rbac"
	"github.com/pomerium-console-oss/pomerium-console/db"
	"github.com/pomerium-console-oss/pomerium-console/db/storetest"
)

func TestDelete(t *testing.T) {
	t.Parallel()
	p := kpt.Issue(t, kpt.Options{CommonName: "web.example.com"})
	tests := []struct {
		name   string
		grants apptest.Roles
	}{
		{"configured administrator", nil},
		{"manager of the namespace", apptest.Roles{eng: rbac.RoleManager}},
		{"manager inherited from Global", apptest.Roles{global: rbac.RoleManager}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			storetest.ForEach(t, func(t *testing.T, s db.Store) {
				unused := &apptest.Users{}
				e := newEnv(t, s, unused.Hook)
				k := e.seed(t, keypairs.Input{NamespaceID: eng, Name: "web", Certificate: p.CertPEM(), Key: p.PKCS8(t)})
				other := e.seed(t, keypairs.Input{NamespaceID: eng, Name: "other", Certificate: p.CertPEM()})
				acc := e.Caller(t, tc.grants)
				before := storetest.Capture(t, s)
				if err := e.svc.Delete(t.Context(), acc, k.ID); err != nil {
					t.Fatal(err)
				}
				if _, err := s.GetKeyPair(t.Context(), k.ID); !errors.Is(err, db.ErrNotFound) {
					t.Fatalf("key pair still there: %v", err)
				}
				stored(t, s, other.ID)
				if asked := unused.Asked(); !slices.Equal(asked, []string{k.ID}) {
					t.Errorf("the Users hook was asked about %v, want [%s]", asked, k.ID)
				}
				b, a := wantEntry(t, before.Changed(t, s), acc, db.ActivityDelete, k, "Engineering")
				if a != nil || b == nil || b.Fingerprint != k.Fingerprint || b.PrivateKey != "set" {
					t.Errorf("before %+v after %+v, want the deleted pair before only", b, a)
				}
			})
		})
	}
}

func TestDeleteRefused(t *testing.T) {
	t.Parallel()
	errRoutes := errors.New("routes table unreadable")
	tests := []struct {
		name   string
		grants apptest.Roles
		id     string
		hooks  []*apptest.Users
		want   apptest.Refusal
	}{
		{"used by routes and settings, named", nil, "", []*apptest.Users{{Names: []string{"route “app”", "route “api”"}}, {}, {Names: []string{"settings (certificate authority)"}}},
			apptest.Refusal{Target: errs.ErrConflict, Msg: `conflict: key pair "web" is still used by route “app”, route “api”, settings (certificate authority): stop using it there first`}},
		{"a failing hook fails the delete", nil, "", []*apptest.Users{{}, {Err: errRoutes}},
			apptest.Refusal{Target: errRoutes, Msg: "keypairs: find users: routes table unreadable"}},
		{"missing key pair", nil, "nope", nil, apptest.Refusal{Target: errs.ErrNotFound, Msg: "not found: key pair nope does not exist"}},
		{"viewer of the namespace", apptest.Roles{eng: rbac.RoleViewer}, "", nil,
			apptest.Forbidden(`this needs the manager role on namespace "Engineering"; you are a viewer there`)},
		{"manager of a child namespace", apptest.Roles{prod: rbac.RoleManager}, "", nil,
			apptest.Forbidden(`you have no role on namespace "Engineering"; the manager role is needed`)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			storetest.ForEach(t, func(t *testing.T, s db.Store) {
				var hooks []keypairs.Users
				for _, h := range tc.hooks {
					// A fresh hook per run: the table is shared by parallel runs.
					h := &apptest.Users{Names: h.Names, Err: h.Err}
					hooks = append(hooks, h.Hook)
				}
				e := newEnv(t, s, hooks...)
				p := kpt.Issue(t, kpt.Options{CommonName: "web.example.com"})
				k := e.seed(t, keypairs.Input{NamespaceID: eng, Name: "web", Certificate: p.CertPEM()})
				id := tc.id
				if id == "" {
					id = k.ID
				}
				acc := e.Caller(t, tc.grants)
				apptest.WantRefused(t, s, tc.want, func() (db.KeyPair, error) { return db.KeyPair{}, e.svc.Delete(t.Context(), acc, id) })
			})
		})
	}
}

func TestUsage(t *testing.T) {
	t.Parallel()
	storetest.ForEach(t, func(t *testing.T, s db.Store) {
		routes := &apptest.Users{Names: []string{"route “app”"}}
		settings := &apptest.Users{Names: []string{"settings"}}
		e := newEnv(t, s, routes.Hook, settings.Hook)
		p := kpt.Issue(t, kpt.Options{CommonName: "web.example.com"})
		k := e.seed(t, keypairs.Input{NamespaceID: eng, Name: "web", Certificate: p.CertPEM()})
		got, err := e.svc.Usage(t.Context(), e.Caller(t, apptest.Roles{prod: rbac.RoleViewer, eng: rbac.RoleViewer}), k.ID)
		if err != nil || !slices.Equal(got, []string{"route “app”", "settings"}) {
			t.Fatalf("Usage = %v, %v", got, err)
		}
		_, err = e.svc.Usage(t.Context(), e.User(t, "u-fin", apptest.Roles{fin: rbac.RoleViewer}), k.ID)
		apptest.Forbidden(`you have no role on namespace "Engineering"; the viewer role is needed`).Check(t, err)
	})
}
