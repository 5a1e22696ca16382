package namespaces_test

import (
	"context"
	"errors"
	"reflect"
	"testing"

	"github.com/pomerium-console-oss/pomerium-console/app/apptest"
	"github.com/pomerium-console-oss/pomerium-console/app/errs"
	"github.com/pomerium-console-oss/pomerium-console/app/rbac"
	"github.com/pomerium-console-oss/pomerium-console/db"
	"github.com/pomerium-console-oss/pomerium-console/db/storetest"
)

// errBlocker is what the failing blocker of the fixtures returns.
var errBlocker = errors.New("routes table unreadable")

// blocker keeps Finance and its child non-empty with two resources and
// fails for Dev.
func blocker(_ context.Context, _ db.Store, nsID string) ([]string, error) {
	switch nsID {
	case fin, finDev:
		return []string{"route “app”", "policy “allow all”"}, nil
	case dev:
		return nil, errBlocker
	}
	return nil, nil
}

func TestDelete(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		grants      apptest.Roles // nil: act as root
		recovery    string
		id          string
		entryNS     string
		entryNSName string
		before      snap
	}{
		{
			name: "root deletes a namespace with members", id: team, entryNS: global, entryNSName: "Global",
			before: snap{ID: team, Name: "Équipe", ParentID: global, ParentName: "Global"},
		},
		{
			name: "an admin of the parent", grants: apptest.Roles{eng: rbac.RoleAdmin}, id: prod,
			entryNS: eng, entryNSName: "Engineering",
			before: snap{ID: prod, Name: "production", ParentID: eng, ParentName: "Engineering"},
		},
		{
			name: "a recovery principal of the parent", recovery: eng, id: prod,
			entryNS: eng, entryNSName: "Engineering",
			before: snap{ID: prod, Name: "production", ParentID: eng, ParentName: "Engineering"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			storetest.ForEach(t, func(t *testing.T, s db.Store) {
				e := newEnv(t, s, blocker)
				acc := e.Caller(t, tc.grants)
				if tc.recovery != "" {
					acc = e.Resolve(t, apptest.Recovery(tc.recovery))
				}
				members := putMembers(t, s, tc.id, eng)
				before := storetest.Capture(t, s)

				if err := e.svc.Delete(t.Context(), acc, tc.id); err != nil {
					t.Fatal(err)
				}
				if _, err := s.GetNamespace(t.Context(), tc.id); !errors.Is(err, db.ErrNotFound) {
					t.Fatalf("namespace still there: %v", err)
				}
				left, err := s.ListPermissions(t.Context(), "")
				if err != nil {
					t.Fatal(err)
				}
				for _, p := range left {
					if p.NamespaceID == tc.id {
						t.Fatalf("grant %+v outlived its namespace", p)
					}
				}
				if len(left) != len(before.Permissions)-len(members) {
					t.Fatalf("%d grants left, want %d (only the deleted namespace's go)", len(left), len(before.Permissions)-len(members))
				}

				entry := before.OnlyNewActivity(t, s)
				wantEntry(t, entry, apptest.Actor(acc.Principal, db.ActivityEntry{
					ActivityType: db.ActivityDelete, EntityID: tc.id, EntityName: tc.before.Name,
					NamespaceID: tc.entryNS, NamespaceName: tc.entryNSName,
				}))
				if entry.After != "" {
					t.Errorf("After = %q, want empty for a delete", entry.After)
				}
				got := decode(t, entry.Before)
				if gotMembers := got.Members; !snapEqual(withoutMembers(got), tc.before) || !sameGrants(gotMembers, members) {
					t.Errorf("Before = %+v, want %+v with members %+v", got, tc.before, members)
				}
			})
		})
	}
}

// putMembers grants roles on nsID (returned) and on other (kept).
func putMembers(t *testing.T, s db.Store, nsID, other string) []db.Permission {
	t.Helper()
	var out []db.Permission
	for _, p := range []db.Permission{
		{ID: "g-ops", NamespaceID: nsID, SubjectType: db.SubjectGroup, SubjectID: "ops", Role: "manager"},
		{ID: "g-bob", NamespaceID: nsID, SubjectType: db.SubjectUser, SubjectID: "bob@example.com", Role: "viewer"},
		{ID: "g-kept", NamespaceID: other, SubjectType: db.SubjectUser, SubjectID: "bob@example.com", Role: "admin"},
	} {
		p.CreatedAt, p.ModifiedAt = created, created
		stored, err := s.PutPermission(t.Context(), p)
		if err != nil {
			t.Fatal(err)
		}
		if p.NamespaceID == nsID {
			out = append(out, stored)
		}
	}
	return out
}

func withoutMembers(s snap) snap {
	s.Members = nil
	return s
}

// sameGrants compares grants by id, subject and role, in any order.
func sameGrants(got, want []db.Permission) bool {
	key := func(ps []db.Permission) map[string]string {
		m := map[string]string{}
		for _, p := range ps {
			m[p.ID] = p.NamespaceID + " " + p.SubjectType + " " + p.SubjectID + " " + p.Role
		}
		return m
	}
	return len(got) == len(want) && reflect.DeepEqual(key(got), key(want))
}

func TestDeleteRefused(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		grants apptest.Roles // nil: act as root
		id     string
		want   apptest.Refusal
	}{
		{name: "Global", id: global,
			want: apptest.Refusal{Target: errs.ErrConflict, Msg: "conflict: the Global namespace is the root of the tree and cannot be deleted"}},
		{name: "unknown namespace", id: "nope",
			want: apptest.Refusal{Target: errs.ErrNotFound, Msg: "not found: namespace nope does not exist"}},
		{name: "a namespace with children names them", id: eng,
			want: apptest.Refusal{Target: errs.ErrConflict, Msg: `conflict: namespace "Engineering" is not empty: it still ` +
				`contains namespace "Dev", namespace "production". Move or delete them first`}},
		{name: "children and blocking resources are named together", id: fin,
			want: apptest.Refusal{Target: errs.ErrConflict, Msg: `conflict: namespace "Finance" is not empty: it still ` +
				`contains namespace "dev", route “app”, policy “allow all”. Move or delete them first`}},
		{name: "a blocker's resources are named", id: finDev,
			want: apptest.Refusal{Target: errs.ErrConflict, Msg: `conflict: namespace "dev" is not empty: it still ` +
				`contains route “app”, policy “allow all”. Move or delete them first`}},
		{name: "a failing blocker fails the delete", id: dev,
			want: apptest.Refusal{Target: errBlocker, Msg: "namespaces: check resources: routes table unreadable"}},
		{name: "an admin of the namespace itself", grants: apptest.Roles{team: rbac.RoleAdmin}, id: team,
			want: apptest.Forbidden(`you have no role on namespace "Global"; the admin role is needed`)},
		{name: "a manager of the parent", grants: apptest.Roles{global: rbac.RoleManager}, id: team,
			want: apptest.Forbidden(`this needs the admin role on namespace "Global"; you are a manager there`)},
		{name: "a viewer of the parent", grants: apptest.Roles{eng: rbac.RoleViewer, prod: rbac.RoleAdmin}, id: prod,
			want: apptest.Forbidden(`this needs the admin role on namespace "Engineering"; you are a viewer there`)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			storetest.ForEach(t, func(t *testing.T, s db.Store) {
				e := newEnv(t, s, blocker)
				acc := e.Caller(t, tc.grants)
				if tc.id != "nope" {
					putMembers(t, s, tc.id, eng)
				}
				before := storetest.Capture(t, s)
				tc.want.Check(t, e.svc.Delete(t.Context(), acc, tc.id))
				before.Unchanged(t, s)
			})
		})
	}
}

func TestDeleteRecoveryPrincipalOfTheNamespace(t *testing.T) {
	t.Parallel()
	storetest.ForEach(t, func(t *testing.T, s db.Store) {
		e := newEnv(t, s)
		before := storetest.Capture(t, s)
		err := e.svc.Delete(t.Context(), e.Resolve(t, apptest.Recovery(team)), team)
		apptest.WantErr(t, err, errs.ErrForbidden, `forbidden: you have no role on namespace "Global"; the admin role is needed`)
		before.Unchanged(t, s)
	})
}
