package policies_test

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"

	"github.com/pomerium-console-oss/pomerium-console/app/apptest"
	"github.com/pomerium-console-oss/pomerium-console/app/errs"
	"github.com/pomerium-console-oss/pomerium-console/app/policies"
	"github.com/pomerium-console-oss/pomerium-console/app/rbac"
	"github.com/pomerium-console-oss/pomerium-console/db"
	"github.com/pomerium-console-oss/pomerium-console/db/storetest"
)

// usedBy is a Users hook naming routes that use any policy, recording the
// ids it was asked about.
type usedBy struct {
	mu     sync.Mutex
	routes []string
	err    error
	asked  []string
}

func (u *usedBy) hook(_ context.Context, tx db.Store, policyID string) ([]string, error) {
	u.mu.Lock()
	defer u.mu.Unlock()
	u.asked = append(u.asked, policyID)
	if tx == nil {
		return nil, errors.New("no transaction")
	}
	return u.routes, u.err
}

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
				unused := &usedBy{}
				e := newEnv(t, s, nil, unused.hook)
				p := e.put(t, engineersOnly)
				other := e.put(t, db.Policy{ID: "p-other", NamespaceID: eng, Name: "Other", PPL: denyContractor})
				acc := e.caller(t, tc.grants)
				before := storetest.Capture(t, s)

				if err := e.svc.Delete(t.Context(), acc, p.ID); err != nil {
					t.Fatal(err)
				}
				if _, err := s.GetPolicy(t.Context(), p.ID); !errors.Is(err, db.ErrNotFound) {
					t.Fatalf("policy still there: %v", err)
				}
				wantStored(t, s, other)
				if !slices.Equal(unused.asked, []string{p.ID}) {
					t.Errorf("the Users hook was asked about %v, want [%s]", unused.asked, p.ID)
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
		hooks []*usedBy
		want  apptest.Refusal
	}{
		{"used by routes, named", []*usedBy{{routes: []string{"route “app”", "route “api”"}}},
			apptest.Refusal{Target: errs.ErrConflict, Msg: `conflict: policy "Engineers only" is still used by route “app”, route “api”: detach it from them first`}},
		{"every hook's users are named", []*usedBy{{routes: []string{"route “app”"}}, {}, {routes: []string{"route “web”"}}},
			apptest.Refusal{Target: errs.ErrConflict, Msg: `conflict: policy "Engineers only" is still used by route “app”, route “web”: detach it from them first`}},
		{"a failing hook fails the delete", []*usedBy{{}, {err: errRoutes}},
			apptest.Refusal{Target: errRoutes, Msg: "policies: find users: routes table unreadable"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			storetest.ForEach(t, func(t *testing.T, s db.Store) {
				var hooks []policies.Users
				for _, h := range tc.hooks {
					h := &usedBy{routes: h.routes, err: h.err}
					hooks = append(hooks, h.hook)
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
				acc := e.caller(t, tc.grants)
				apptest.WantRefused(t, s, tc.want, func() (int, error) { return 0, e.svc.Delete(t.Context(), acc, tc.id) })
			})
		})
	}
}
