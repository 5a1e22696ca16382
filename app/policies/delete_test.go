package policies_test

import (
	"errors"
	"slices"
	"testing"

	"github.com/pomerium-console-oss/pomerium-console/app/apptest"
	"github.com/pomerium-console-oss/pomerium-console/app/errs"
	"github.com/pomerium-console-oss/pomerium-console/app/policies"
	"github.com/pomerium-console-oss/pomerium-console/app/rbac"
	"github.com/pomerium-console-oss/pomerium-console/db"
	"github.com/pomerium-console-oss/pomerium-console/db/storetest"
)

func TestDelete(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		grants apptest.Roles // nil: act as root
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
				e := newEnv(t, s, nil, unused.Hook)
				p := e.put(t, engineersOnly)
				other := e.put(t, db.Policy{ID: "p-other", NamespaceID: eng, Name: "Other", PPL: denyContractor})
				acc := e.Caller(t, tc.grants)
				before := storetest.Capture(t, s)

				if err := e.svc.Delete(t.Context(), acc, p.ID); err != nil {
					t.Fatal(err)
				}
				if _, err := s.GetPolicy(t.Context(), p.ID); !errors.Is(err, db.ErrNotFound) {
					t.Fatalf("policy still there: %v", err)
				}
				wantStored(t, s, other)
				if asked := unused.Asked(); !slices.Equal(asked, []string{p.ID}) {
					t.Errorf("the Users hook was asked about %v, want [%s]", asked, p.ID)
				}
				wantEntry(t, before.OnlyNewActivity(t, s), apptest.Actor(acc.Principal, db.ActivityEntry{
					ActivityType: db.ActivityDelete, EntityID: p.ID, EntityName: p.Name,
					NamespaceID: eng, NamespaceName: "Engineering",
				}), snapOf(p), nil)
			})
		})
	}
}

func TestDeleteRefused(t *testing.T) {
	t.Parallel()
	errRoutes := errors.New("routes table unreadable")
	tests := []struct {
		name  string
		hooks []*apptest.Users
		want  apptest.Refusal
	}{
		{"used by routes, named", []*apptest.Users{{Names: []string{"route “app”", "route “api”"}}},
			apptest.Refusal{Target: errs.ErrConflict, Msg: `conflict: policy "Engineers only" is still used by route “app”, route “api”: detach it from them first`}},
		{"every hook's users are named", []*apptest.Users{{Names: []string{"route “app”"}}, {}, {Names: []string{"route “web”"}}},
			apptest.Refusal{Target: errs.ErrConflict, Msg: `conflict: policy "Engineers only" is still used by route “app”, route “web”: detach it from them first`}},
		{"a failing hook fails the delete", []*apptest.Users{{}, {Err: errRoutes}},
			apptest.Refusal{Target: errRoutes, Msg: "policies: find users: routes table unreadable"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			storetest.ForEach(t, func(t *testing.T, s db.Store) {
				var hooks []policies.Users
				for _, h := range tc.hooks {
					// A fresh hook per run: the table is shared by parallel runs.
					h := &apptest.Users{Names: h.Names, Err: h.Err}
					hooks = append(hooks, h.Hook)
				}
				e := newEnv(t, s, nil, hooks...)
				p := e.put(t, engineersOnly)
				acc := e.Resolve(t, root)
				apptest.WantRefused(t, s, tc.want, func() (int, error) { return 0, e.svc.Delete(t.Context(), acc, p.ID) })
			})
		})
	}
}

func TestDeleteRefusesCallers(t *testing.T) {
	t.Parallel()
	for _, tc := range writeRefusals {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			storetest.ForEach(t, func(t *testing.T, s db.Store) {
				e := newEnv(t, s, nil)
				e.put(t, engineersOnly)
				acc := e.Caller(t, tc.grants)
				apptest.WantRefused(t, s, tc.want, func() (int, error) { return 0, e.svc.Delete(t.Context(), acc, tc.id) })
			})
		})
	}
}
