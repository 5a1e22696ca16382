package serviceaccounts_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/pomerium-console-oss/pomerium-console/app/activity"
	"github.com/pomerium-console-oss/pomerium-console/app/apptest"
	"github.com/pomerium-console-oss/pomerium-console/app/errs"
	"github.com/pomerium-console-oss/pomerium-console/app/rbac"
	"github.com/pomerium-console-oss/pomerium-console/app/serviceaccounts"
	"github.com/pomerium-console-oss/pomerium-console/db"
	"github.com/pomerium-console-oss/pomerium-console/db/storetest"
)

func TestUpdate(t *testing.T) {
	t.Parallel()
	storetest.ForEach(t, func(t *testing.T, s db.Store) {
		e := newEnv(t, s)
		a, oldToken := e.create(serviceaccounts.Input{NamespaceID: eng, Description: "CI"})
		e.clock.skip(time.Hour)
		before := storetest.Capture(t, s)
		desc, exp := "CI (nightly)", apptest.Now.Add(48*time.Hour).Truncate(time.Second)
		got, token, err := e.svc.Update(t.Context(), e.root, a.ID, serviceaccounts.UpdateInput{Description: &desc, ExpiresAt: &exp})
		if err != nil {
			t.Fatal(err)
		}
		e.svc.Wait()
		if got.Description != desc || !got.ExpiresAt.Equal(exp) || got.IssuedAt != a.IssuedAt || got.UserID != a.UserID {
			t.Fatalf("updated %+v", got)
		}
		if token == oldToken || decode(t, token).claims["exp"] == nil {
			t.Fatalf("the new token must carry the expiry: %v", decode(t, token).claims)
		}
		// Core ignores exp: the record's expiry decides, so both tokens work
		// until it passes.
		for _, tok := range []string{oldToken, token} {
			if _, err := e.svc.Verify(t.Context(), tok); err != nil {
				t.Fatal(err)
			}
		}
		if rec := e.record(a.ID); rec.GetDescription() != desc || !rec.GetExpiresAt().AsTime().Equal(exp) {
			t.Fatalf("record %v", rec)
		}
		entry := before.OnlyNewActivity(t, s)
		if entry.ActivityType != db.ActivityUpdate || entry.EntityType != activity.EntityServiceAccount ||
			entry.EntityID != a.ID || entry.EntityName != desc || entry.Before == "" || entry.After == "" {
			t.Fatalf("entry %+v", entry)
		}

		// Clearing the expiry: the zero time.
		got, token, err = e.svc.Update(t.Context(), e.root, a.ID, serviceaccounts.UpdateInput{ExpiresAt: &time.Time{}})
		if err != nil || !got.ExpiresAt.IsZero() || decode(t, token).claims["exp"] != nil {
			t.Fatalf("clear expiry: %+v %v", got, err)
		}
		e.svc.Wait()
		if rec := e.record(a.ID); rec.GetExpiresAt() != nil {
			t.Fatalf("record still expires: %v", rec)
		}

		// Nothing to change: the token again, no entry, no push.
		puts := e.broker.PutCalls()
		before = storetest.Capture(t, s)
		_, again, err := e.svc.Update(t.Context(), e.root, a.ID, serviceaccounts.UpdateInput{Description: &desc})
		e.svc.Wait()
		if err != nil || again != token {
			t.Fatalf("an empty update: %v, token changed %v", err, again != token)
		}
		before.Unchanged(t, s)
		if e.broker.PutCalls() != puts {
			t.Fatal("an empty update pushed")
		}
	})
}

func TestUpdateRefused(t *testing.T) {
	t.Parallel()
	storetest.ForEach(t, func(t *testing.T, s db.Store) {
		e := newEnv(t, s)
		a, _ := e.create(serviceaccounts.Input{NamespaceID: eng, Description: "CI", UserID: "alice@example.com"})
		revoked, _ := e.create(serviceaccounts.Input{NamespaceID: eng, Description: "old"})
		if _, err := e.svc.Revoke(t.Context(), e.root, revoked.ID); err != nil {
			t.Fatal(err)
		}
		long, past := strings.Repeat("d", 501), apptest.Now.Add(-time.Minute)
		tests := []struct {
			name   string
			grants apptest.Roles
			id     string
			in     serviceaccounts.UpdateInput
			want   apptest.Refusal
		}{
			{"bad fields", nil, a.ID, serviceaccounts.UpdateInput{Description: &long, ExpiresAt: &past}, apptest.Refusal{
				Fields: map[string]errs.FieldError{
					"description": {Code: errs.CodeTooLong, Message: "must be at most 500 characters (got 501)"},
					"expires_at":  {Code: errs.CodeInvalid, Message: "must be in the future (got 2026-02-03T04:04:06Z)"},
				},
			}},
			{"a manager, for an account impersonating a user", apptest.Roles{eng: rbac.RoleManager}, a.ID, serviceaccounts.UpdateInput{},
				apptest.Forbidden(`this needs the admin role on namespace "Engineering"; you are a manager there`)},
			{"a revoked account", nil, revoked.ID, serviceaccounts.UpdateInput{},
				apptest.Refusal{Target: errs.ErrConflict, Msg: `conflict: service account "old" is revoked: it cannot be changed`}},
			{"a missing account", nil, "nope", serviceaccounts.UpdateInput{},
				apptest.Refusal{Target: errs.ErrNotFound, Msg: `not found: service account "nope" does not exist`}},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				acc := e.Caller(t, tc.grants)
				apptest.WantRefused(t, s, tc.want, func() (string, error) {
					_, token, err := e.svc.Update(context.Background(), acc, tc.id, tc.in)
					return token, err
				})
			})
		}
	})
}

func TestRevoke(t *testing.T) {
	t.Parallel()
	storetest.ForEach(t, func(t *testing.T, s db.Store) {
		e := newEnv(t, s)
		a, token := e.create(serviceaccounts.Input{NamespaceID: prod, Description: "CI"})
		if e.record(a.ID) == nil {
			t.Fatal("no record before the revocation")
		}
		e.clock.skip(time.Minute)
		before := storetest.Capture(t, s)
		admin := e.Caller(t, apptest.Roles{eng: rbac.RoleAdmin})
		got, err := e.svc.Revoke(t.Context(), admin, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		e.svc.Wait()
		if got.Status != serviceaccounts.StatusRevoked || !got.RevokedAt.Equal(e.clock.Now()) {
			t.Fatalf("revoked %+v", got)
		}
		if rec := e.record(a.ID); rec != nil {
			t.Fatalf("the databroker still holds %v", rec)
		}
		if st := e.get(a.ID).Sync; st.State != serviceaccounts.SyncDone || st.ClusterID != "" {
			t.Fatalf("sync after the tombstone: %+v", st)
		}
		_, err = e.svc.Verify(t.Context(), token)
		apptest.WantErr(t, err, errs.ErrUnauthenticated,
			`unauthenticated: service account "CI" was revoked at 2026-02-03T04:06:06Z`)
		entry := before.OnlyNewActivity(t, s)
		if entry.ActivityType != db.ActivityDelete || entry.EntityID != a.ID || entry.Before == "" || entry.After != "" {
			t.Fatalf("entry %+v", entry)
		}
		apptest.WantRefused(t, s, apptest.Refusal{Target: errs.ErrConflict, Msg: `conflict: service account "CI" is already revoked`},
			func() (serviceaccounts.Account, error) { return e.svc.Revoke(t.Context(), e.root, a.ID) })
		viewer := e.Caller(t, apptest.Roles{prod: rbac.RoleViewer})
		b, _ := e.create(serviceaccounts.Input{NamespaceID: prod})
		apptest.WantRefused(t, s, apptest.Forbidden(`this needs the manager role on namespace "production"; you are a viewer there`),
			func() (serviceaccounts.Account, error) { return e.svc.Revoke(t.Context(), viewer, b.ID) })
	})
}

func TestGetAndList(t *testing.T) {
	t.Parallel()
	storetest.ForEach(t, func(t *testing.T, s db.Store) {
		e := newEnv(t, s)
		exp := apptest.Now.Add(time.Hour)
		inEng, _ := e.create(serviceaccounts.Input{NamespaceID: eng, Description: "eng", ExpiresAt: &exp})
		e.clock.skip(time.Second)
		inProd, _ := e.create(serviceaccounts.Input{NamespaceID: prod, Description: "prod"})
		e.clock.skip(time.Second)
		inFin, _ := e.create(serviceaccounts.Input{NamespaceID: fin, Description: "fin"})
		e.clock.skip(2 * time.Hour) // inEng expires

		viewer := e.Caller(t, apptest.Roles{eng: rbac.RoleViewer})
		list, err := e.svc.List(t.Context(), viewer, eng, false)
		if err != nil || len(list) != 1 || list[0].ID != inEng.ID || list[0].Status != serviceaccounts.StatusExpired {
			t.Fatalf("eng only: %+v %v", list, err)
		}
		list, err = e.svc.List(t.Context(), viewer, eng, true)
		if err != nil || len(list) != 2 || list[0].ID != inProd.ID || list[1].ID != inEng.ID {
			t.Fatalf("eng and below, newest first: %+v %v", list, err)
		}
		list, err = e.svc.List(t.Context(), e.root, global, true)
		if err != nil || len(list) != 3 || list[0].ID != inFin.ID {
			t.Fatalf("root sees all: %+v %v", list, err)
		}
		if _, err := e.svc.Get(t.Context(), viewer, inProd.ID); err != nil {
			t.Fatal(err)
		}
		_, err = e.svc.Get(t.Context(), viewer, inFin.ID)
		apptest.WantErr(t, err, errs.ErrForbidden, `forbidden: you have no role on namespace "Finance"; the viewer role is needed`)
		_, err = e.svc.List(t.Context(), viewer, fin, false)
		apptest.WantErr(t, err, errs.ErrForbidden, `forbidden: you have no role on namespace "Finance"; the viewer role is needed`)
		guest := e.Caller(t, apptest.Roles{eng: rbac.RoleGuest})
		_, err = e.svc.List(t.Context(), guest, eng, false)
		apptest.WantErr(t, err, errs.ErrForbidden, `forbidden: this needs the viewer role on namespace "Engineering"; you are a guest there`)
		if got := e.get(inProd.ID); got.Status != serviceaccounts.StatusActive || got.Sync.ClusterID != db.DefaultClusterID {
			t.Fatalf("get %+v", got)
		}
		if rec := e.record(inEng.ID); rec.GetExpiresAt().AsTime() != exp.Truncate(time.Second) {
			t.Fatalf("record of the expiring account: %v", rec)
		}
	})
}

// Managers handle the accounts of their namespace that carry no one
// else's grants: those with a generated user id.
func TestManagersHandleGeneratedAccounts(t *testing.T) {
	t.Parallel()
	storetest.ForEach(t, func(t *testing.T, s db.Store) {
		e := newEnv(t, s)
		manager := e.Caller(t, apptest.Roles{eng: rbac.RoleManager})
		a, _, err := e.svc.Create(t.Context(), manager, serviceaccounts.Input{NamespaceID: eng, Description: "CI"})
		if err != nil {
			t.Fatalf("a manager creating an account with a generated id: %v", err)
		}
		e.svc.Wait()
		desc := "CI (nightly)"
		if _, _, err := e.svc.Update(t.Context(), manager, a.ID, serviceaccounts.UpdateInput{Description: &desc}); err != nil {
			t.Fatalf("a manager updating it: %v", err)
		}
		impersonating, _ := e.create(serviceaccounts.Input{NamespaceID: eng, UserID: "alice@example.com"})
		if _, err := e.svc.Revoke(t.Context(), manager, impersonating.ID); err != nil {
			t.Fatalf("a manager revoking an account: %v", err)
		}
		e.svc.Wait()
		viewer := e.Caller(t, apptest.Roles{eng: rbac.RoleViewer})
		apptest.WantRefused(t, s, apptest.Forbidden(`this needs the manager role on namespace "Engineering"; you are a viewer there`),
			func() (serviceaccounts.Account, error) { return e.svc.Revoke(t.Context(), viewer, a.ID) })
	})
}
