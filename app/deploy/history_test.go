package deploy_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pomerium-console-oss/pomerium-console/app/configyaml"
	"github.com/pomerium-console-oss/pomerium-console/app/deploy"
	"github.com/pomerium-console-oss/pomerium-console/app/routes"
	"github.com/pomerium-console-oss/pomerium-console/app/settings"
	"github.com/pomerium-console-oss/pomerium-console/db"
	"github.com/pomerium-console-oss/pomerium-console/db/storetest"
)

func TestRedeployMakesANewDeploymentFromTheSnapshot(t *testing.T) {
	t.Parallel()
	storetest.ForEach(t, func(t *testing.T, s db.Store) {
		e := newEnv(t, s)
		a := e.route(eng, "a", "https://a.example.com")
		first := e.apply("a")
		firstCfg, _ := e.pushed()
		e.retarget(a, "http://moved.internal")
		e.route(fin, "b", "https://b.example.com")
		second := e.apply("move a, add b")

		third, err := e.dep.Redeploy(context.Background(), e.root, first.ID, "")
		if err != nil {
			t.Fatal(err)
		}
		if third.Number != 3 || third.SourceID != first.ID || third.Status != db.StatusCurrent || third.Message != "Re-deploy of #1" {
			t.Fatalf("re-deploy = #%d from %q, %s, %q", third.Number, third.SourceID, third.Status, third.Message)
		}
		if !e.holds(firstCfg) {
			t.Fatal("the databroker does not hold #1's configuration again")
		}
		e.wantStatus(second.ID, db.StatusApplied)
		if got := e.wantStatus(first.ID, db.StatusApplied); got.Model == "" {
			t.Error("#1 lost its snapshot")
		}
		// The console's entities stay: what differs from #1 is pending.
		var pending []string
		for _, ch := range e.pending().Changes {
			pending = append(pending, ch.Kind+" "+ch.Name)
		}
		if want := []string{"changed a", "added b"}; !slices.Equal(pending, want) {
			t.Errorf("pending after the re-deploy %q, want %q", pending, want)
		}
		if _, err := e.dep.Redeploy(context.Background(), e.root, third.ID, ""); err == nil {
			t.Error("re-deploying the latest deployment was accepted")
		}
	})
}

func TestCompareShowsEntitiesAndTheConfigDiff(t *testing.T) {
	t.Parallel()
	storetest.ForEach(t, func(t *testing.T, s db.Store) {
		e := newEnv(t, s)
		a := e.route(eng, "a", "https://a.example.com")
		in := routes.InputOf(a)
		in.IdentityProviderClientSecret = routes.Secret{Action: routes.SecretSet, Value: "s3cr3t-client-value"}
		in.Spec.IdentityProviderClientID = "client-a"
		a, err := e.routes.Update(context.Background(), e.root, a.ID, in)
		if err != nil {
			t.Fatal(err)
		}
		first := e.apply("a")
		e.retarget(a, "http://moved.internal")
		e.route(fin, "b", "https://b.example.com")
		second := e.apply("second")

		cmp, err := e.dep.Compare(context.Background(), e.root, first.ID, second.ID)
		if err != nil {
			t.Fatal(err)
		}
		var entities []string
		for _, ch := range cmp.Changes {
			entities = append(entities, ch.Kind+" "+ch.Type+" "+ch.Name)
		}
		if want := []string{"changed route a", "added route b"}; !slices.Equal(entities, want) {
			t.Errorf("entities %q, want %q", entities, want)
		}
		unified := cmp.Diff.Unified("#1", "#2")
		for _, want := range []string{"-      - http://a.internal:8080", "+      - http://moved.internal", "+    from: https://b.example.com", "idp_client_secret: (secret, fingerprint"} {
			if !strings.Contains(unified, want) {
				t.Errorf("diff lacks %q:\n%s", want, unified)
			}
		}
		if strings.Contains(unified, "s3cr3t") || cmp.Diff.Identical() {
			t.Errorf("diff shows a secret or nothing:\n%s", unified)
		}
		for _, h := range cmp.Diff.Hunks {
			for _, r := range h.SideBySide() {
				if r.Left.Num == 0 && r.Right.Num == 0 {
					t.Errorf("side-by-side row with two empty sides in %s", h.Header())
				}
			}
		}

		same, err := e.dep.Compare(context.Background(), e.root, second.ID, deploy.PendingID)
		if err != nil {
			t.Fatal(err)
		}
		if len(same.Changes) != 0 || !same.Diff.Identical() {
			t.Errorf("#2 against no pending changes: %d changes, diff:\n%s", len(same.Changes), same.Diff.Unified("a", "b"))
		}
		cfg, _, err := e.dep.Config(context.Background(), e.root, first.ID)
		if err != nil {
			t.Fatal(err)
		}
		yaml, err := configyaml.Export(cfg)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(yaml), "s3cr3t-client-value") || !strings.Contains(string(yaml), "https://a.example.com") {
			t.Errorf("the downloaded config.yaml lacks the route or its secret, which Core needs:\n%s", yaml)
		}
	})
}

func TestAutoApplyDeploysEachChange(t *testing.T) {
	t.Parallel()
	storetest.ForEach(t, func(t *testing.T, s db.Store) {
		e := newEnv(t, s)
		on := true
		if _, err := e.settings.Update(context.Background(), e.root, db.DefaultClusterID, settings.Update{
			Values: settings.Values{AutoApplyChangesets: &on},
		}); err != nil {
			t.Fatal(err)
		}
		e.dep.Wait()
		e.route(eng, "a", "https://a.example.com")
		e.dep.Wait()
		page, err := e.dep.List(context.Background(), e.root, db.DefaultClusterID, 0)
		if err != nil {
			t.Fatal(err)
		}
		if page.Total != 2 {
			t.Fatalf("%d deployments, want 2 (the setting, then the route)", page.Total)
		}
		latest := page.Deployments[0]
		if latest.Status != db.StatusCurrent || latest.Message != deploy.AutoMessage || latest.UserID != "u-root" {
			t.Errorf("latest deployment %+v", latest)
		}
		cfg, _ := e.pushed()
		if !slices.Equal(routeFroms(cfg), []string{"https://a.example.com"}) {
			t.Errorf("pushed routes %v", routeFroms(cfg))
		}
		if n := len(e.pending().Changes); n != 0 {
			t.Errorf("%d changes left pending with auto-apply on", n)
		}
	})
}

func TestSingleChangeReachesTheDatabrokerQuickly(t *testing.T) {
	t.Parallel()
	s := storetest.OpenSQLite(t)
	e := newEnv(t, s)
	on := true
	if _, err := e.settings.Update(context.Background(), e.root, db.DefaultClusterID, settings.Update{Values: settings.Values{AutoApplyChangesets: &on}}); err != nil {
		t.Fatal(err)
	}
	e.dep.Wait()
	start := time.Now()
	e.route(eng, "a", "https://a.example.com")
	for {
		if cfg, _ := e.pushed(); len(cfg.GetRoutes()) == 1 {
			break
		}
		if time.Since(start) > 5*time.Second {
			t.Fatal("the change did not reach the databroker")
		}
		time.Sleep(time.Millisecond)
	}
	t.Logf("a route change reached the databroker in %v", time.Since(start))
}
