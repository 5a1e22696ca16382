package routes_test

import (
	"strings"
	"testing"

	"github.com/pomerium-console-oss/pomerium-console/app/apptest"
	"github.com/pomerium-console-oss/pomerium-console/app/errs"
	"github.com/pomerium-console-oss/pomerium-console/app/keypairs"
	"github.com/pomerium-console-oss/pomerium-console/app/namespaces"
	"github.com/pomerium-console-oss/pomerium-console/app/rbac"
	"github.com/pomerium-console-oss/pomerium-console/app/routes"
	"github.com/pomerium-console-oss/pomerium-console/db"
	"github.com/pomerium-console-oss/pomerium-console/db/storetest"
)

func TestDelete(t *testing.T) {
	t.Parallel()
	storetest.ForEach(t, func(t *testing.T, s db.Store) {
		e := newEnv(t, s)
		acc := e.Caller(t, apptest.Roles{eng: rbac.RoleManager})
		r := e.seed(t, fullInput())
		before := storetest.Capture(t, s)
		if err := e.svc.Delete(t.Context(), acc, r.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := s.GetRoute(t.Context(), r.ID); err == nil {
			t.Fatal("the route is still stored")
		}
		entry := wantEntry(t, s, before, acc, db.ActivityDelete, r, "Engineering")
		wantSnapshot(t, entry.Before, r, "set", "set")
		if entry.After != "" {
			t.Errorf("a delete has an After: %s", entry.After)
		}
		// Its policies and key pairs are free to go now.
		if err := e.pols.Delete(t.Context(), e.Caller(t, nil), polEngOpt); err != nil {
			t.Errorf("delete the policy it attached: %v", err)
		}
	})
}

func TestDeleteRefuses(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		id     string
		grants apptest.Roles
		want   apptest.Refusal
	}{
		{"a route that does not exist", "nope", nil, apptest.Refusal{Target: errs.ErrNotFound, Msg: "not found: route nope does not exist"}},
		{"a viewer", rtExisting, apptest.Roles{eng: rbac.RoleViewer},
			apptest.Forbidden(`this needs the manager role on namespace "Engineering"; you are a viewer there`)},
		{"a manager of a child namespace", rtExisting, apptest.Roles{prod: rbac.RoleManager},
			apptest.Forbidden(`you have no role on namespace "Engineering"; the manager role is needed`)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			storetest.ForEach(t, func(t *testing.T, s db.Store) {
				e := newEnv(t, s)
				acc := e.Caller(t, tc.grants)
				apptest.WantRefused(t, s, tc.want, func() (db.Route, error) { return db.Route{}, e.svc.Delete(t.Context(), acc, tc.id) })
			})
		})
	}
}

// TestWhatRoutesKeep checks the hooks other services call before deleting
// a policy, a key pair or a namespace that routes still use.
func TestWhatRoutesKeep(t *testing.T) {
	t.Parallel()
	storetest.ForEach(t, func(t *testing.T, s db.Store) {
		e := newEnv(t, s)
		acc := e.Caller(t, nil)
		in := minimal()
		in.Name, in.TLSClientKeyPairID, in.PolicyIDs = "Uses things", kpGlobal, []string{polGlobalOpt}
		if _, err := e.svc.Create(t.Context(), acc, in); err != nil {
			t.Fatal(err)
		}
		kps := keypairs.NewService(s, e.sealer, apptest.Clock, routes.KeyPairUsers)
		nss := namespaces.NewService(s, apptest.Clock, routes.Blocker)
		tests := []struct {
			name string
			del  func() error
			want string
		}{
			{"a policy", func() error { return e.pols.Delete(t.Context(), acc, polGlobalOpt) },
				`conflict: policy "Global optional" is still used by route "Uses things" (namespace "Engineering"): detach it from them first`},
			{"a policy of another namespace's route", func() error { return e.pols.Delete(t.Context(), acc, polFinOpt) },
				`conflict: policy "Fin optional" is still used by route "Ledger" (namespace "Finance"): detach it from them first`},
		}
		for _, tc := range tests {
			before := storetest.Capture(t, s)
			err := tc.del()
			apptest.WantErr(t, err, errs.ErrConflict, tc.want)
			before.Unchanged(t, s)
		}
		for name, del := range map[string]func() error{
			"key pair":  func() error { return kps.Delete(t.Context(), acc, kpGlobal) },
			"namespace": func() error { return nss.Delete(t.Context(), acc, fin) },
		} {
			before := storetest.Capture(t, s)
			if err := del(); err == nil || !strings.Contains(err.Error(), `route "`) {
				t.Errorf("delete the %s: %v, want a refusal naming the route", name, err)
			}
			before.Unchanged(t, s)
		}
	})
}

// TestUsersCountWhatTheyDoNotName checks a refusal names ten routes and
// counts the rest.
func TestUsersCountWhatTheyDoNotName(t *testing.T) {
	t.Parallel()
	s := storetest.OpenSQLite(t)
	newEnv(t, s)
	for i := range 12 {
		r := db.Route{ID: string(rune('a' + i)), NamespaceID: eng, Name: string(rune('a' + i)), From: "https://x.example.com",
			MatchKey: string(rune('a' + i)), PolicyIDs: []string{polGlobalOpt}}
		if err := s.CreateRoute(t.Context(), r); err != nil {
			t.Fatal(err)
		}
	}
	names, err := routes.PolicyUsers(t.Context(), s, polGlobalOpt)
	if err != nil {
		t.Fatal(err)
	}
	if len(names) != 11 || names[0] != `route "a" (namespace "Engineering")` || names[10] != "2 more routes" {
		t.Fatalf("users %q", names)
	}
}
