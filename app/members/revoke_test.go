package members_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/pomerium-console-oss/pomerium-console/app/apptest"
	"github.com/pomerium-console-oss/pomerium-console/app/errs"
	"github.com/pomerium-console-oss/pomerium-console/app/members"
	"github.com/pomerium-console-oss/pomerium-console/app/rbac"
	"github.com/pomerium-console-oss/pomerium-console/db"
	"github.com/pomerium-console-oss/pomerium-console/db/storetest"
)

// Grants every revoke test starts from.
var (
	onGlobal = db.Permission{ID: "p-global", NamespaceID: global, SubjectType: db.SubjectGroup, SubjectID: "admins", Role: "admin"}
	onEng    = db.Permission{ID: "p-eng", NamespaceID: eng, SubjectType: db.SubjectUser, SubjectID: "bob@example.com", Role: "viewer"}
	onProd   = db.Permission{ID: "p-prod", NamespaceID: prod, SubjectType: db.SubjectGroup, SubjectID: "oncall", Role: "manager"}
)

func TestRevoke(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		caller func(t *testing.T, e *env) *rbac.Access
	}{
		{"configured administrator", func(t *testing.T, e *env) *rbac.Access { return e.Resolve(t, root) }},
		{"admin of the namespace", role(eng, rbac.RoleAdmin)},
		{"admin inherited from Global", role(global, rbac.RoleAdmin)},
		{"recovery principal", func(t *testing.T, e *env) *rbac.Access { return e.Resolve(t, apptest.Recovery(eng)) }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			storetest.ForEach(t, func(t *testing.T, s db.Store) {
				e := newEnv(t, s)
				e.Put(t, onGlobal, onEng, onProd)
				acc := tc.caller(t, e)
				before := storetest.Capture(t, s)

				if err := e.svc.Revoke(t.Context(), acc, eng, onEng.ID); err != nil {
					t.Fatal(err)
				}
				if _, err := s.GetPermission(t.Context(), onEng.ID); !errors.Is(err, db.ErrNotFound) {
					t.Fatalf("grant still there: %v", err)
				}
				if after := storetest.Capture(t, s).Permissions; len(after) != len(before.Permissions)-1 {
					t.Fatalf("%d grants left, want %d", len(after), len(before.Permissions)-1)
				}
				revoked := onEng
				e.wantEntry(t, before.OnlyNewActivity(t, s), acc.Principal, db.ActivityDelete, &revoked, nil)
			})
		})
	}
}

func TestRevokeRefused(t *testing.T) {
	t.Parallel()
	notHere := apptest.Refusal{Target: errs.ErrNotFound, Msg: `not found: no such member grant on namespace "Engineering"`}
	tests := []struct {
		name   string
		caller func(t *testing.T, e *env) *rbac.Access
		permID string
		want   apptest.Refusal
	}{
		{name: "a grant inherited from an ancestor", permID: onGlobal.ID, want: notHere},
		{name: "a grant made on a child", permID: onProd.ID, want: notHere},
		{name: "an unknown grant", permID: "nope", want: notHere},
		{name: "manager of the namespace", caller: role(eng, rbac.RoleManager), permID: onEng.ID,
			want: apptest.Forbidden(`this needs the admin role on namespace "Engineering"; you are a manager there`)},
		{name: "viewer of the namespace", caller: role(eng, rbac.RoleViewer), permID: onEng.ID,
			want: apptest.Forbidden(`this needs the admin role on namespace "Engineering"; you are a viewer there`)},
		{name: "admin of a child", caller: role(prod, rbac.RoleAdmin), permID: onEng.ID,
			want: apptest.Forbidden(`you have no role on namespace "Engineering"; the admin role is needed`)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			storetest.ForEach(t, func(t *testing.T, s db.Store) {
				e := newEnv(t, s)
				e.Put(t, onGlobal, onEng, onProd)
				acc := e.caller(t, tc.caller)
				before := storetest.Capture(t, s)
				tc.want.Check(t, e.svc.Revoke(t.Context(), acc, eng, tc.permID))
				before.Unchanged(t, s)
			})
		})
	}
}

// brokenReads fails GetPermission, inside transactions too.
type brokenReads struct{ db.Store }

var errDisk = errors.New("disk on fire")

func (b brokenReads) InTx(ctx context.Context, fn func(tx db.Store) error) error {
	return b.Store.InTx(ctx, func(tx db.Store) error { return fn(brokenReads{tx}) })
}

func (brokenReads) GetPermission(context.Context, string) (db.Permission, error) {
	return db.Permission{}, errDisk
}

// TestRevokeStoreError: a failing read is an internal error, not "no such
// grant", so that it is logged rather than shown as the user's mistake.
func TestRevokeStoreError(t *testing.T) {
	t.Parallel()
	storetest.ForEach(t, func(t *testing.T, s db.Store) {
		e := newEnv(t, s)
		e.Put(t, onEng)
		before := storetest.Capture(t, s)
		svc := members.NewService(brokenReads{s}, func() time.Time { return e.now })
		err := svc.Revoke(t.Context(), e.Resolve(t, root), eng, onEng.ID)
		if !errors.Is(err, errDisk) || errors.Is(err, errs.ErrNotFound) || err.Error() != "members: get grant: disk on fire" {
			t.Fatalf("Revoke = %v, want the wrapped store error", err)
		}
		before.Unchanged(t, s)
	})
}
