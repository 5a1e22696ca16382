package rbac_test

import (
	"context"
	"errors"
	"maps"
	"reflect"
	"testing"
	"time"

	"github.com/pomerium-console-oss/pomerium-console/app/apptest"
	"github.com/pomerium-console-oss/pomerium-console/app/authn"
	"github.com/pomerium-console-oss/pomerium-console/app/errs"
	"github.com/pomerium-console-oss/pomerium-console/app/rbac"
	"github.com/pomerium-console-oss/pomerium-console/db"
	"github.com/pomerium-console-oss/pomerium-console/db/storetest"
)

const (
	none    = rbac.RoleNone
	guest   = rbac.RoleGuest
	viewer  = rbac.RoleViewer
	manager = rbac.RoleManager
	admin   = rbac.RoleAdmin
)

// everywhere is role on every fixture namespace.
func everywhere(role rbac.Role) map[string]rbac.Role {
	return map[string]rbac.Role{global: role, eng: role, prod: role, dev: role, fin: role}
}

func TestResolveRoles(t *testing.T) {
	t.Parallel()
	alice := apptest.Pomerium("u-alice", "Alice@Example.COM", "ops", "sre")
	tests := []struct {
		name      string
		grants    []grant
		admins    []string
		principal authn.Principal
		want      map[string]rbac.Role
	}{
		{
			name:      "no grants",
			principal: alice,
			want:      everywhere(none),
		},
		{
			name:      "a grant applies to the namespace and its children, not to its sibling or ancestors",
			grants:    []grant{{eng, db.SubjectUser, "u-alice", viewer}},
			principal: alice,
			want:      map[string]rbac.Role{global: none, eng: viewer, prod: viewer, dev: viewer, fin: none},
		},
		{
			name:      "a grant to the e-mail address matches case-insensitively",
			grants:    []grant{{fin, db.SubjectUser, "alice@example.com", manager}},
			principal: alice,
			want:      map[string]rbac.Role{global: none, eng: none, prod: none, dev: none, fin: manager},
		},
		{
			name:      "a grant to one of the principal's groups applies",
			grants:    []grant{{prod, db.SubjectGroup, "sre", admin}},
			principal: alice,
			want:      map[string]rbac.Role{global: none, eng: none, prod: admin, dev: none, fin: none},
		},
		{
			name: "grants to other users and groups do not apply",
			grants: []grant{
				{global, db.SubjectUser, "u-bob", admin},
				{global, db.SubjectUser, "bob@example.com", admin},
				{global, db.SubjectGroup, "finance", admin},
				{global, db.SubjectUser, "sre", admin}, // a user id that looks like one of alice's groups
				{global, db.SubjectGroup, "u-alice", admin},
			},
			principal: alice,
			want:      everywhere(none),
		},
		{
			name: "the strongest role wins across user id, e-mail and groups",
			grants: []grant{
				{global, db.SubjectUser, "u-alice", guest},
				{eng, db.SubjectUser, "alice@example.com", viewer},
				{eng, db.SubjectGroup, "ops", manager},
				{dev, db.SubjectGroup, "sre", admin},
			},
			principal: alice,
			want:      map[string]rbac.Role{global: guest, eng: manager, prod: manager, dev: admin, fin: guest},
		},
		{
			name: "a weaker grant on a child does not lower the inherited role",
			grants: []grant{
				{eng, db.SubjectUser, "u-alice", admin},
				{prod, db.SubjectUser, "u-alice", guest},
			},
			principal: alice,
			want:      map[string]rbac.Role{global: none, eng: admin, prod: admin, dev: admin, fin: none},
		},
		{
			name:      "a configured administrator named by user id is admin of Global",
			admins:    []string{"someone-else", "u-alice"},
			principal: alice,
			want:      everywhere(admin),
		},
		{
			name:      "a configured administrator named by e-mail matches case-insensitively",
			grants:    []grant{{fin, db.SubjectUser, "u-root", guest}},
			admins:    []string{" ROOT@example.com "},
			principal: apptest.Pomerium("u-root", "root@EXAMPLE.com"),
			want:      everywhere(admin),
		},
		{
			name:      "a configured administrator named by user id matches case-insensitively",
			admins:    []string{"U-Root"},
			principal: apptest.Pomerium("u-root", ""),
			want:      everywhere(admin),
		},
		{
			name:      "empty administrator entries make nobody an admin",
			admins:    []string{"", "  "},
			principal: authn.Principal{Kind: authn.KindServiceAccount},
			want:      everywhere(none),
		},
		{
			name:      "a principal that is not configured gets only its grants",
			grants:    []grant{{dev, db.SubjectUser, "u-alice", viewer}},
			admins:    []string{"root@example.com"},
			principal: alice,
			want:      map[string]rbac.Role{global: none, eng: none, prod: none, dev: viewer, fin: none},
		},
		{
			name:   "a recovery principal is admin of its namespace subtree only",
			grants: []grant{{global, db.SubjectUser, "recovery:t1", admin}},
			admins: []string{"recovery:t1"},
			principal: authn.Principal{
				Kind: authn.KindRecovery, UserID: "recovery:t1", Name: "Recovery admin", RecoveryNamespaceID: eng,
			},
			want: map[string]rbac.Role{global: none, eng: admin, prod: admin, dev: admin, fin: none},
		},
		{
			name: "a service account's grants, inherited ones too, hold only in its namespace subtree",
			grants: []grant{
				{global, db.SubjectUser, "u-alice", viewer},
				{eng, db.SubjectUser, "u-alice", manager},
				{fin, db.SubjectUser, "u-alice", admin},
			},
			principal: authn.Principal{
				Kind: authn.KindServiceAccount, UserID: "u-alice", ServiceAccountID: "sa1", ServiceAccountNamespaceID: prod,
			},
			want: map[string]rbac.Role{global: none, eng: none, prod: manager, dev: none, fin: none},
		},
		{
			name:   "a service account impersonating a configured administrator is admin of its namespace subtree only",
			admins: []string{"u-root"},
			principal: authn.Principal{
				Kind: authn.KindServiceAccount, UserID: "u-root", ServiceAccountID: "sa1", ServiceAccountNamespaceID: eng,
			},
			want: map[string]rbac.Role{global: none, eng: admin, prod: admin, dev: admin, fin: none},
		},
		{
			name:   "a service account of Global keeps every role of its user",
			grants: []grant{{eng, db.SubjectUser, "robot", admin}},
			principal: authn.Principal{
				Kind: authn.KindServiceAccount, UserID: "robot", ServiceAccountID: "sa1", ServiceAccountNamespaceID: global,
			},
			want: map[string]rbac.Role{global: none, eng: admin, prod: admin, dev: admin, fin: none},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			storetest.ForEach(t, func(t *testing.T, s db.Store) {
				apptest.SeedTree(t, s, time.Time{})
				put(t, s, tc.grants...)
				got := roles(resolve(t, s, tc.principal, tc.admins...))
				if !maps.Equal(got, tc.want) {
					t.Fatalf("roles = %v, want %v", got, tc.want)
				}
			})
		})
	}
}

func TestRequire(t *testing.T) {
	t.Parallel()
	storetest.ForEach(t, func(t *testing.T, s db.Store) {
		apptest.SeedTree(t, s, time.Time{})
		put(t, s, grant{eng, db.SubjectUser, "u1", viewer})
		acc := resolve(t, s, apptest.Pomerium("u1", ""))
		tests := []struct {
			name    string
			ns      string
			min     rbac.Role
			wantErr string
		}{
			{"inherited role is enough", prod, viewer, ""},
			{"a weaker role is enough", eng, guest, ""},
			{"a weaker role names both roles", eng, admin,
				`forbidden: this needs the admin role on namespace "Engineering"; you are a viewer there`},
			{"an inherited weaker role names both roles", dev, manager,
				`forbidden: this needs the manager role on namespace "Dev"; you are a viewer there`},
			{"no role on a sibling", fin, guest,
				`forbidden: you have no role on namespace "Finance"; the guest role is needed`},
			{"no role on an ancestor", global, viewer,
				`forbidden: you have no role on namespace "Global"; the viewer role is needed`},
			{"an unknown namespace is named by id", "missing", viewer,
				`forbidden: you have no role on namespace "missing"; the viewer role is needed`},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				err := acc.Require(tc.ns, tc.min)
				if tc.wantErr == "" {
					if err != nil {
						t.Fatalf("Require(%s, %s) = %v, want nil", tc.ns, tc.min, err)
					}
					return
				}
				if !errors.Is(err, errs.ErrForbidden) || err.Error() != tc.wantErr {
					t.Fatalf("Require(%s, %s) = %v, want ErrForbidden %q", tc.ns, tc.min, err, tc.wantErr)
				}
			})
		}
	})
}

func TestVisible(t *testing.T) {
	t.Parallel()
	storetest.ForEach(t, func(t *testing.T, s db.Store) {
		apptest.SeedTree(t, s, time.Time{})
		put(t, s, grant{eng, db.SubjectGroup, "g", guest})
		acc := resolve(t, s, apptest.Pomerium("u1", "", "g"))
		want := map[string]bool{global: false, eng: true, prod: true, dev: true, fin: false, "missing": false}
		for id, visible := range want {
			if got := acc.Visible(id); got != visible {
				t.Errorf("Visible(%s) = %v, want %v", id, got, visible)
			}
		}
	})
}

func TestSubtreeWith(t *testing.T) {
	t.Parallel()
	storetest.ForEach(t, func(t *testing.T, s db.Store) {
		apptest.SeedTree(t, s, time.Time{})
		put(t, s, grant{eng, db.SubjectUser, "u1", guest}, grant{prod, db.SubjectUser, "u1", viewer})
		acc := resolve(t, s, apptest.Pomerium("u1", ""))
		if got := acc.SubtreeWith(eng, rbac.RoleViewer); !reflect.DeepEqual(got, []string{prod}) {
			t.Fatalf("viewable below eng = %v, want only prod (eng itself is guest)", got)
		}
		if got := acc.SubtreeWith(eng, rbac.RoleGuest); len(got) != 3 || got[0] != eng {
			t.Fatalf("visible below eng = %v, want eng and its two children", got)
		}
		if got := acc.SubtreeWith(fin, rbac.RoleGuest); got == nil || len(got) != 0 {
			t.Fatalf("nothing of fin is visible; want an empty, non-nil list, got %#v", got)
		}
	})
}

func TestHome(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		grants []grant
		admins []string
		want   string
	}{
		{name: "configured admin lands on Global", admins: []string{"u1"}, want: global},
		{name: "a guest of Global lands on Global", grants: []grant{{global, db.SubjectUser, "u1", guest}}, want: global},
		{
			name:   "otherwise the first visible namespace in tree order",
			grants: []grant{{fin, db.SubjectUser, "u1", admin}, {prod, db.SubjectUser, "u1", guest}},
			want:   prod,
		},
		{
			name:   "siblings are ordered by name case-insensitively",
			grants: []grant{{prod, db.SubjectUser, "u1", admin}, {dev, db.SubjectUser, "u1", guest}},
			want:   dev,
		},
		{name: "a single grant", grants: []grant{{fin, db.SubjectUser, "u1", viewer}}, want: fin},
		{name: "nothing visible", grants: []grant{{fin, db.SubjectUser, "u2", admin}}, want: ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			storetest.ForEach(t, func(t *testing.T, s db.Store) {
				apptest.SeedTree(t, s, time.Time{})
				put(t, s, tc.grants...)
				if got := resolve(t, s, apptest.Pomerium("u1", ""), tc.admins...).Home(); got != tc.want {
					t.Fatalf("Home() = %q, want %q", got, tc.want)
				}
			})
		})
	}
}

// brokenStore fails the call named by fail.
type brokenStore struct {
	db.Store
	fail string
}

var errBroken = errors.New("disk on fire")

func (b brokenStore) ListNamespaces(ctx context.Context) ([]db.Namespace, error) {
	if b.fail == "namespaces" {
		return nil, errBroken
	}
	return b.Store.ListNamespaces(ctx)
}

func (b brokenStore) ListPermissionsForSubjects(ctx context.Context, users, groups []string) ([]db.Permission, error) {
	if b.fail == "permissions" {
		return nil, errBroken
	}
	return b.Store.ListPermissionsForSubjects(ctx, users, groups)
}

func TestResolveStoreErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		fail, want string
	}{
		{"namespaces", "rbac: list namespaces: disk on fire"},
		{"permissions", "rbac: list permissions: disk on fire"},
	}
	for _, tc := range tests {
		t.Run(tc.fail, func(t *testing.T) {
			t.Parallel()
			storetest.ForEach(t, func(t *testing.T, s db.Store) {
				acc, err := rbac.NewAuthorizer(brokenStore{s, tc.fail}, nil).Resolve(t.Context(), apptest.Pomerium("u1", ""))
				if !errors.Is(err, errBroken) || err.Error() != tc.want || acc != nil {
					t.Fatalf("Resolve = %v, %v; want nil, %q", acc, err, tc.want)
				}
			})
		})
	}
}

// ResolveIn answers as Resolve does without reading the namespaces again.
func TestResolveInReusesTheTree(t *testing.T) {
	t.Parallel()
	storetest.ForEach(t, func(t *testing.T, s db.Store) {
		apptest.SeedTree(t, s, time.Time{})
		put(t, s, grant{eng, db.SubjectUser, "u-alice", manager})
		alice := apptest.Pomerium("u-alice", "")
		want := roles(resolve(t, s, alice))
		tree := resolve(t, s, apptest.Pomerium("u-other", "")).Tree()
		acc, err := rbac.NewAuthorizer(brokenStore{s, "namespaces"}, nil).ResolveIn(t.Context(), tree, alice)
		if err != nil {
			t.Fatal(err)
		}
		if got := roles(acc); !maps.Equal(got, want) || acc.Tree() != tree {
			t.Fatalf("ResolveIn roles = %v (same tree: %v), want %v", got, acc.Tree() == tree, want)
		}
	})
}
