package keypairs_test

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"

	"github.com/pomerium-console-oss/pomerium-console/app/apptest"
	"github.com/pomerium-console-oss/pomerium-console/app/errs"
	"github.com/pomerium-console-oss/pomerium-console/app/keypairs"
	kpt "github.com/pomerium-console-oss/pomerium-console/app/keypairs/keypairstest"
	"github.com/pomerium-console-oss/pomerium-console/app/rbac"
	"github.com/pomerium-console-oss/pomerium-console/db"
	"github.com/pomerium-console-oss/pomerium-console/db/storetest"
)

// usedBy is a Users hook naming what uses any key pair, recording the ids
// it was asked about.
type usedBy struct {
	mu    sync.Mutex
	users []string
	err   error
	asked []string
}

func (u *usedBy) hook(_ context.Context, tx db.Store, id string) ([]string, error) {
	u.mu.Lock()
	defer u.mu.Unlock()
	u.asked = append(u.asked, id)
	if tx == nil {
		return nil, errors.New("no store")
	}
	return u.users, u.err
}

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
				unused := &usedBy{}
				e := newEnv(t, s, unused.hook)
				k := e.seed(t, keypairs.Input{NamespaceID: eng, Name: "web", Certificate: p.CertPEM(), Key: p.PKCS8(t)})
				other := e.seed(t, keypairs.Input{NamespaceID: eng, Name: "other", Certificate: p.CertPEM()})
				acc := e.caller(t, tc.grants)
				before := capture(t, s)
				if err := e.svc.Delete(t.Context(), acc, k.ID); err != nil {
					t.Fatal(err)
				}
				if _, err := s.GetKeyPair(t.Context(), k.ID); !errors.Is(err, db.ErrNotFound) {
					t.Fatalf("key pair still there: %v", err)
				}
				stored(t, s, other.ID)
				if !slices.Equal(unused.asked, []string{k.ID}) {
					t.Errorf("the Users hook was asked about %v, want [%s]", unused.asked, k.ID)
				}
				b, a := wantEntry(t, before.changed(t, s), acc, db.ActivityDelete, k, "Engineering")
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
		hooks  []*usedBy
		want   apptest.Refusal
	}{
		{"used by routes and settings, named", nil, "", []*usedBy{{users: []string{"route “app”", "route “api”"}}, {}, {users: []string{"settings (certificate authority)"}}},
			apptest.Refusal{Target: errs.ErrConflict, Msg: `conflict: key pair "web" is still used by route “app”, route “api”, settings (certificate authority): stop using it there first`}},
		{"a failing hook fails the delete", nil, "", []*usedBy{{}, {err: errRoutes}},
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
					h := &usedBy{users: h.users, err: h.err}
					hooks = append(hooks, h.hook)
				}
				e := newEnv(t, s, hooks...)
				p := kpt.Issue(t, kpt.Options{CommonName: "web.example.com"})
				k := e.seed(t, keypairs.Input{NamespaceID: eng, Name: "web", Certificate: p.CertPEM()})
				id := tc.id
				if id == "" {
					id = k.ID
				}
				acc := e.caller(t, tc.grants)
				wantRefused(t, s, tc.want, func() (db.KeyPair, error) { return db.KeyPair{}, e.svc.Delete(t.Context(), acc, id) })
			})
		})
	}
}

func TestUsage(t *testing.T) {
	t.Parallel()
	storetest.ForEach(t, func(t *testing.T, s db.Store) {
		routes := &usedBy{users: []string{"route “app”"}}
		settings := &usedBy{users: []string{"settings"}}
		e := newEnv(t, s, routes.hook, settings.hook)
		p := kpt.Issue(t, kpt.Options{CommonName: "web.example.com"})
		k := e.seed(t, keypairs.Input{NamespaceID: eng, Name: "web", Certificate: p.CertPEM()})
		got, err := e.svc.Usage(t.Context(), e.caller(t, apptest.Roles{prod: rbac.RoleViewer, eng: rbac.RoleViewer}), k.ID)
		if err != nil || !slices.Equal(got, []string{"route “app”", "settings"}) {
			t.Fatalf("Usage = %v, %v", got, err)
		}
		_, err = e.svc.Usage(t.Context(), e.User(t, "u-fin", apptest.Roles{fin: rbac.RoleViewer}), k.ID)
		apptest.Forbidden(`you have no role on namespace "Engineering"; the viewer role is needed`).Check(t, err)
	})
}
