package deploy_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/pomerium-console-oss/pomerium-console/app/apptest"
	"github.com/pomerium-console-oss/pomerium-console/app/clusters"
	"github.com/pomerium-console-oss/pomerium-console/app/deploy"
	"github.com/pomerium-console-oss/pomerium-console/app/errs"
	"github.com/pomerium-console-oss/pomerium-console/app/keypairs"
	"github.com/pomerium-console-oss/pomerium-console/app/policies"
	"github.com/pomerium-console-oss/pomerium-console/app/rbac"
	"github.com/pomerium-console-oss/pomerium-console/app/routes"
	"github.com/pomerium-console-oss/pomerium-console/app/settings"
	"github.com/pomerium-console-oss/pomerium-console/db"
	"github.com/pomerium-console-oss/pomerium-console/db/storetest"
)

func TestDiscardRestoresTheLatestDeployment(t *testing.T) {
	t.Parallel()
	storetest.ForEach(t, func(t *testing.T, s db.Store) {
		e := newEnv(t, s)
		ctx := context.Background()
		p := e.policy(eng, "Engineers", allowEmail("alice@example.com"), false)
		kp := e.certificate(eng, "a cert", "a.example.com")
		a := e.route(eng, "a", "https://a.example.com", p.ID)
		in := routes.InputOf(a)
		in.Spec.IdentityProviderClientID = "client-a"
		in.IdentityProviderClientSecret = routes.Secret{Action: routes.SecretSet, Value: "first secret"}
		a, err := e.routes.Update(ctx, e.root, a.ID, in)
		if err != nil {
			t.Fatal(err)
		}
		b := e.route(fin, "b", "https://b.example.com")
		info := "info"
		if _, err := e.settings.Update(ctx, e.root, db.DefaultClusterID, settings.Update{Values: settings.Values{LogLevel: &info}}); err != nil {
			t.Fatal(err)
		}
		first := e.apply("baseline")
		baseline, _ := e.pushed()

		// Change a bit of everything.
		in = routes.InputOf(a)
		in.To = []string{"http://moved.internal"}
		in.IdentityProviderClientSecret = routes.Secret{Action: routes.SecretSet, Value: "second secret"}
		if _, err := e.routes.Update(ctx, e.root, a.ID, in); err != nil {
			t.Fatal(err)
		}
		if err := e.routes.Delete(ctx, e.root, b.ID); err != nil {
			t.Fatal(err)
		}
		c := e.route(eng, "c", "https://c.example.com")
		bob := allowEmail("bob@example.com")
		if _, err := e.policies.Update(ctx, e.root, p.ID, policies.UpdateInput{PPL: &bob}); err != nil {
			t.Fatal(err)
		}
		q := e.policy(eng, "Lockdown", allowEmail("root@example.com"), true)
		debug, secret := "debug", "Yhm2cV1vO3W0yJc2ZmQ5bTFhOWNkZWYwMTIzNDU2Nzg="
		if _, err := e.settings.Update(ctx, e.root, db.DefaultClusterID, settings.Update{
			Values:  settings.Values{LogLevel: &debug},
			Secrets: map[settings.Secret]settings.SecretChange{settings.SecretCookie: {Value: secret}},
		}); err != nil {
			t.Fatal(err)
		}
		name := "renamed cert"
		if _, err := e.keyPairs.Update(ctx, e.root, kp.ID, keypairs.UpdateInput{Name: &name}); err != nil {
			t.Fatal(err)
		}
		discarded := e.pending().Changes
		if len(discarded) != 7 {
			t.Fatalf("%d pending changes, want 7: %+v", len(discarded), discarded)
		}
		before := storetest.Capture(t, s)

		rejected, err := e.dep.Discard(ctx, e.root, db.DefaultClusterID)
		if err != nil {
			t.Fatal(err)
		}
		if n := len(e.pending().Changes); n != 0 {
			t.Fatalf("%d changes pending after the discard: %+v", n, e.pending().Changes)
		}
		if rejected.Status != db.StatusRejected || rejected.Number != 2 || deploy.SummaryOf(rejected).Total() != 7 {
			t.Errorf("rejected changeset #%d %s %+v", rejected.Number, rejected.Status, deploy.SummaryOf(rejected))
		}
		for _, gone := range []string{c.ID} {
			if _, err := s.GetRoute(ctx, gone); !errors.Is(err, db.ErrNotFound) {
				t.Errorf("route %s created since is still there: %v", gone, err)
			}
		}
		if _, err := s.GetPolicy(ctx, q.ID); !errors.Is(err, db.ErrNotFound) {
			t.Errorf("policy created and enforced since is still there: %v", err)
		}
		if got, err := s.GetRoute(ctx, b.ID); err != nil || got.Name != "b" {
			t.Errorf("route b is not back with its id: %+v, %v", got, err)
		}
		// Nothing is left to apply: the cluster already runs the baseline.
		if _, err := e.dep.Apply(ctx, e.root, db.DefaultClusterID, ""); !errors.Is(err, deploy.ErrNothingToApply) {
			t.Errorf("apply after the discard: %v", err)
		}
		if !e.holds(baseline) {
			t.Error("the databroker no longer holds the baseline")
		}
		// Every restore is logged in the changeset's range, then the discard.
		entries := before.NewActivity(t, s)
		var logged []string
		for _, en := range entries {
			logged = append(logged, en.EntityType+" "+en.ActivityType)
			if en.ConfigRevision == 0 && en.EntityType != "changeset" {
				t.Errorf("restore entry %s %s has no configuration revision", en.EntityType, en.EntityName)
			}
			if strings.Contains(en.Before+en.After, "second secret") || strings.Contains(en.Before+en.After, secret) {
				t.Errorf("entry %s logs a secret", en.EntityName)
			}
		}
		slices.Sort(logged)
		want := []string{"changeset update", "key_pair update", "policy delete", "policy update", "route create",
			"route delete", "route update", "settings update"}
		if !slices.Equal(logged, want) {
			t.Errorf("logged %q, want %q", logged, want)
		}
		cmp, err := e.dep.Compare(ctx, e.root, first.ID, rejected.ID)
		if err != nil || len(cmp.Changes) != 7 {
			t.Errorf("comparing the baseline with what was discarded: %v, %d changes", err, len(cmp.Changes))
		}
	})
}

func TestDiscardRefusals(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		arrange func(e *env) *rbac.Access
		want    error
		reason  string
	}{
		{"nothing deployed yet", func(e *env) *rbac.Access {
			e.route(eng, "a", "https://a.example.com")
			return e.root
		}, deploy.ErrNothingToDiscard, ""},
		{"nothing pending", func(e *env) *rbac.Access {
			e.route(eng, "a", "https://a.example.com")
			e.apply("a")
			return e.root
		}, deploy.ErrNothingToDiscard, ""},
		{"a manager of Global", func(e *env) *rbac.Access {
			e.route(eng, "a", "https://a.example.com")
			e.apply("a")
			e.route(eng, "b", "https://b.example.com")
			return e.Caller(e.t, apptest.Roles{global: rbac.RoleManager})
		}, errs.ErrForbidden, ""},
		{"a change from another cluster's namespace", func(e *env) *rbac.Access {
			if _, err := e.clusters.Create(context.Background(), e.root, clusters.Input{Name: "Eng", NamespaceID: eng}); err != nil {
				e.t.Fatal(err)
			}
			e.route(eng, "a", "https://a.example.com")
			e.applyTo(engCluster(e), "a")
			e.policy(global, "Everyone", allowEmail("root@example.com"), true)
			return e.root
		}, errs.ErrConflict, "come from outside the namespaces cluster “Eng” serves"},
		{"a route whose namespace is gone", func(e *env) *rbac.Access {
			r := e.route(apptest.Dev, "a", "https://a.example.com")
			e.apply("a")
			if err := e.routes.Delete(context.Background(), e.root, r.ID); err != nil {
				e.t.Fatal(err)
			}
			if err := e.store.DeleteNamespace(context.Background(), apptest.Dev); err != nil {
				e.t.Fatal(err)
			}
			return e.root
		}, errs.ErrConflict, "no longer exists"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			storetest.ForEach(t, func(t *testing.T, s db.Store) {
				e := newEnv(t, s)
				acc := tc.arrange(e)
				clusterID := db.DefaultClusterID
				if strings.Contains(tc.name, "another cluster") {
					clusterID = engCluster(e).ID
				}
				before := storetest.Capture(t, s)
				_, err := e.dep.Discard(context.Background(), acc, clusterID)
				if !errors.Is(err, tc.want) || !strings.Contains(errs.Reason(err), tc.reason) {
					t.Fatalf("discard: %v, want %v with %q", err, tc.want, tc.reason)
				}
				before.Unchanged(t, s)
			})
		})
	}
}
