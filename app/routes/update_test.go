package routes_test

import (
	"reflect"
	"testing"

	"github.com/pomerium-console-oss/pomerium-console/app/apptest"
	"github.com/pomerium-console-oss/pomerium-console/app/errs"
	"github.com/pomerium-console-oss/pomerium-console/app/rbac"
	"github.com/pomerium-console-oss/pomerium-console/app/routes"
	"github.com/pomerium-console-oss/pomerium-console/db"
	"github.com/pomerium-console-oss/pomerium-console/db/storetest"
)

func TestUpdate(t *testing.T) {
	t.Parallel()
	storetest.ForEach(t, func(t *testing.T, s db.Store) {
		e := newEnv(t, s)
		acc := e.Caller(t, apptest.Roles{eng: rbac.RoleManager})
		old := e.seed(t, fullInput())
		in := routes.InputOf(old)
		in.NamespaceID, in.Name, in.Prefix, in.Path, in.To = fin, "Renamed", "", "/exact", []string{"http://c.internal"}
		in.PolicyIDs = []string{polGlobalOpt}
		in.Spec.HealthChecks, in.Spec.LoadBalancingPolicy = nil, ""
		in.KubernetesServiceAccountToken = routes.Secret{Action: routes.SecretClear}
		before := storetest.Capture(t, s)
		r, err := e.svc.Update(t.Context(), acc, old.ID, in)
		if err != nil {
			t.Fatal(err)
		}
		want := old
		want.Name, want.Prefix, want.Path, want.To, want.PolicyIDs = "Renamed", "", "/exact", []string{"http://c.internal"}, []string{polGlobalOpt}
		want.MatchKey, want.Spec.HealthChecks, want.Spec.LoadBalancingPolicy = "https://all.example.com|path:/exact", nil, ""
		want.Spec.SealedKubernetesServiceAccountToken, want.ModifiedAt = "", atStore(now)
		if got := stored(t, s, old.ID); !equalRoutes(got, want) || !equalRoutes(r, want) {
			t.Fatalf("stored\n%+v\nreturned\n%+v\nwant\n%+v", got, r, want)
		}
		if r.Spec.SealedIdentityProviderClientSecret != old.Spec.SealedIdentityProviderClientSecret {
			t.Error("a kept secret was sealed again")
		}
		entry := wantEntry(t, s, before, acc, db.ActivityUpdate, want, "Engineering")
		wantSnapshot(t, entry.Before, old, "set", "set")
		wantSnapshot(t, entry.After, want, "set", "not set")
	})
}

// equalRoutes compares routes as the store gives them back.
func equalRoutes(a, b db.Route) bool {
	a.CreatedAt, a.ModifiedAt = atStore(a.CreatedAt), atStore(a.ModifiedAt)
	b.CreatedAt, b.ModifiedAt = atStore(b.CreatedAt), atStore(b.ModifiedAt)
	return reflect.DeepEqual(a, b)
}

func TestUpdateSecrets(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name         string
		change       routes.Secret
		clientID     string
		wantSecret   string // "kept", "replaced" or "cleared"
		wantActivity bool
	}{
		{"kept by default", routes.Secret{}, "client", "kept", false},
		{"kept with a value given", routes.Secret{Value: "ignored"}, "client", "kept", false},
		{"replaced", routes.Secret{Action: routes.SecretSet, Value: "new-s3cret"}, "client", "replaced", true},
		{"cleared with its client id", routes.Secret{Action: routes.SecretClear}, "", "cleared", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := storetest.OpenSQLite(t)
			e := newEnv(t, s)
			acc := e.Caller(t, nil)
			in := minimal()
			in.Spec.IdentityProviderClientID = "client"
			in.IdentityProviderClientSecret = routes.Secret{Action: routes.SecretSet, Value: "old-s3cret"}
			old := e.seed(t, in)
			in.Spec.IdentityProviderClientID, in.IdentityProviderClientSecret = tc.clientID, tc.change
			before := storetest.Capture(t, s)
			r, err := e.svc.Update(t.Context(), acc, old.ID, in)
			if err != nil {
				t.Fatal(err)
			}
			sealed := stored(t, s, old.ID).Spec.SealedIdentityProviderClientSecret
			got := "replaced"
			switch {
			case sealed == "":
				got = "cleared"
			case sealed == old.Spec.SealedIdentityProviderClientSecret:
				got = "kept"
			}
			if got != tc.wantSecret || r.Spec.SealedIdentityProviderClientSecret != sealed {
				t.Fatalf("secret %s, want %s", got, tc.wantSecret)
			}
			if got == "replaced" {
				if plain, err := e.sealer.Open(sealed, routes.SealContext(old.ID, "idp_client_secret")); err != nil || string(plain) != "new-s3cret" {
					t.Errorf("replaced secret opens to %q, %v", plain, err)
				}
			}
			if fresh := before.NewActivity(t, s); (len(fresh) == 1) != tc.wantActivity || len(fresh) > 1 {
				t.Errorf("%d new activity entries, want one: %v", len(fresh), tc.wantActivity)
			}
		})
	}
}

// TestUpdateWithoutChangesWritesNothing checks that saving a route as it
// is neither logs nor marks the configuration changed.
func TestUpdateWithoutChangesWritesNothing(t *testing.T) {
	t.Parallel()
	storetest.ForEach(t, func(t *testing.T, s db.Store) {
		e := newEnv(t, s)
		acc := e.Caller(t, nil)
		old := e.seed(t, fullInput())
		in := routes.InputOf(old)
		in.Name, in.From = " "+old.Name+" ", "HTTPS://ALL.example.com/" // the same once trimmed and normalised
		before := storetest.Capture(t, s)
		r, err := e.svc.Update(t.Context(), acc, old.ID, in)
		if err != nil {
			t.Fatal(err)
		}
		if !equalRoutes(r, old) {
			t.Errorf("returned\n%+v, want\n%+v", r, old)
		}
		before.Unchanged(t, s)
	})
}

func TestUpdateRefuses(t *testing.T) {
	t.Parallel()
	needsManager := apptest.Forbidden(`this needs the manager role on namespace "Engineering"; you are a viewer there`)
	tests := []struct {
		name   string
		id     string
		grants apptest.Roles
		want   apptest.Refusal
	}{
		{"a route that does not exist", "nope", nil, apptest.Refusal{Target: errs.ErrNotFound, Msg: "not found: route nope does not exist"}},
		{"a viewer", rtExisting, apptest.Roles{eng: rbac.RoleViewer}, needsManager},
		{"a manager of another namespace", rtExisting, apptest.Roles{fin: rbac.RoleManager},
			apptest.Forbidden(`you have no role on namespace "Engineering"; the manager role is needed`)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			storetest.ForEach(t, func(t *testing.T, s db.Store) {
				e := newEnv(t, s)
				acc := e.Caller(t, tc.grants)
				apptest.WantRefused(t, s, tc.want, func() (db.Route, error) { return e.svc.Update(t.Context(), acc, tc.id, minimal()) })
				err := e.svc.Validate(t.Context(), acc, tc.id, minimal())
				apptest.WantErr(t, err, tc.want.Target, tc.want.Msg)
			})
		})
	}
}
