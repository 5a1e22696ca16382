package deploy_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pomerium-console-oss/pomerium-console/app/deploy"
	"github.com/pomerium-console-oss/pomerium-console/app/keypairs"
	configpb "github.com/pomerium-console-oss/pomerium-console/app/pb/config"
	"github.com/pomerium-console-oss/pomerium-console/app/rego"
	"github.com/pomerium-console-oss/pomerium-console/app/rego/regotest"
	"github.com/pomerium-console-oss/pomerium-console/db"
	"github.com/pomerium-console-oss/pomerium-console/db/storetest"
)

// allowed evaluates every policy module of route r as Core does (allow and
// deny OR-merged over the modules) for a session of a user with email.
func allowed(t *testing.T, r *configpb.Route, email string) bool {
	t.Helper()
	records := []regotest.Record{regotest.Session("s1", "u1"), regotest.User("u1", email)}
	in := regotest.NewInput(regotest.WithSession("s1"))
	var allow, deny bool
	for _, p := range r.GetPolicies() {
		if len(p.GetRego()) == 0 {
			t.Fatalf("route %s: policy %q carries no Rego, which is all Core enforces", r.GetFrom(), p.GetName())
		}
		for _, module := range p.GetRego() {
			a, d, err := regotest.Eval(module, in, records, time.Now())
			if err != nil {
				t.Fatalf("route %s: policy %q does not evaluate: %v", r.GetFrom(), p.GetName(), err)
			}
			allow, deny = allow || a.Value, deny || d.Value
		}
	}
	return allow && !deny
}

var _ rego.Result // the harness above reads rego.Result values

func TestApplyPushesWhatCoreReads(t *testing.T) {
	t.Parallel()
	storetest.ForEach(t, func(t *testing.T, s db.Store) {
		e := newEnv(t, s)
		p := e.policy(eng, "Engineers", allowEmail("alice@example.com"), false)
		r := e.route(eng, "app", "https://app.example.com", p.ID)

		pend := e.pending()
		var kinds []string
		for _, ch := range pend.Changes {
			kinds = append(kinds, ch.Kind+" "+ch.Type+" "+ch.Name)
		}
		if want := []string{"added policy Engineers", "added route app"}; !slices.Equal(kinds, want) {
			t.Fatalf("pending changes %q, want %q", kinds, want)
		}

		d := e.apply("first")
		if d.Number != 1 || d.Status != db.StatusCurrent || d.Message != "first" || d.UserID != "u-root" {
			t.Fatalf("deployment = #%d %s %q by %q (%s)", d.Number, d.Status, d.Message, d.UserID, d.FailureMessage)
		}
		cfg, version := e.pushed()
		if cfg == nil || version == 0 {
			t.Fatal("the databroker holds no Config record under the console's id")
		}
		if got := routeFroms(cfg); !slices.Equal(got, []string{"https://app.example.com"}) {
			t.Fatalf("pushed routes %v", got)
		}
		route := cfg.GetRoutes()[0]
		if route.GetId() != r.ID || route.GetStatName() == "" {
			t.Errorf("route id %q stat name %q, want the console's id and a stat name", route.GetId(), route.GetStatName())
		}
		for email, want := range map[string]bool{"alice@example.com": true, "bob@example.com": false} {
			if got := allowed(t, route, email); got != want {
				t.Errorf("Core would let %s in: %v, want %v", email, got, want)
			}
		}
		if n := len(e.pending().Changes); n != 0 {
			t.Errorf("%d changes still pending after the apply", n)
		}
		st := e.pushState()
		if !st.Connected || st.LastPushedDeploymentID != d.ID || st.LastError != "" || st.RecordVersion != version ||
			!strings.Contains(st.ServerVersion, "v0.31") {
			t.Errorf("push state %+v", st)
		}
	})
}

func TestDeploymentsFollowTheModel(t *testing.T) {
	t.Parallel()
	storetest.ForEach(t, func(t *testing.T, s db.Store) {
		e := newEnv(t, s)
		a := e.route(eng, "a", "https://a.example.com")
		first := e.apply("a")
		_, v1 := e.pushed()

		e.route(fin, "b", "https://b.example.com")
		second := e.apply("b")
		cfg, v2 := e.pushed()
		if v2 <= v1 || !slices.Equal(routeFroms(cfg), []string{"https://a.example.com", "https://b.example.com"}) {
			t.Fatalf("after #2: version %d (was %d), routes %v", v2, v1, routeFroms(cfg))
		}
		e.wantStatus(first.ID, db.StatusApplied)
		e.wantStatus(second.ID, db.StatusCurrent)

		if err := e.routes.Delete(context.Background(), e.root, a.ID); err != nil {
			t.Fatal(err)
		}
		third := e.apply("without a")
		cfg, v3 := e.pushed()
		if v3 <= v2 || !slices.Equal(routeFroms(cfg), []string{"https://b.example.com"}) {
			t.Fatalf("after #3: version %d (was %d), routes %v: a removed route must be gone", v3, v2, routeFroms(cfg))
		}
		if third.Number != 3 {
			t.Errorf("third deployment numbered %d", third.Number)
		}

		puts := e.puts()
		if err := e.dep.PushNow(context.Background(), e.root, db.DefaultClusterID); err != nil {
			t.Fatal(err)
		}
		if e.puts() != puts {
			t.Error("pushing an unchanged configuration again wrote the record")
		}
		_, err := e.dep.Apply(context.Background(), e.root, db.DefaultClusterID, "")
		if !errors.Is(err, deploy.ErrNothingToApply) {
			t.Errorf("apply without changes: %v, want ErrNothingToApply", err)
		}
	})
}

func TestEqualConfigurationIsNotWrittenAgain(t *testing.T) {
	t.Parallel()
	storetest.ForEach(t, func(t *testing.T, s db.Store) {
		e := newEnv(t, s)
		e.route(eng, "a", "https://a.example.com")
		kp := e.certificate(eng, "a cert", "a.example.com")
		first := e.apply("a with its certificate")
		cfg, version := e.pushed()
		if len(cfg.GetSettings().GetCertificates()) != 1 || cfg.GetSettings().GetCertificates()[0].GetId() != kp.ID {
			t.Fatalf("pushed certificates %v, want the key pair serving a.example.com", cfg.GetSettings().GetCertificates())
		}
		puts := e.puts()

		// A key pair's name is in the model but not in what Core reads:
		// the deployment is made, and nothing is written.
		name := "renamed cert"
		if _, err := e.keyPairs.Update(context.Background(), e.root, kp.ID, keypairs.UpdateInput{Name: &name}); err != nil {
			t.Fatal(err)
		}
		if n := len(e.pending().Changes); n != 1 {
			t.Fatalf("%d pending changes after a rename, want 1", n)
		}
		second := e.apply("rename")
		if e.puts() != puts {
			t.Errorf("an unchanged configuration was written again (%d puts, want %d)", e.puts(), puts)
		}
		if _, v := e.pushed(); v != version {
			t.Errorf("record version %d, want %d (untouched)", v, version)
		}
		e.wantStatus(second.ID, db.StatusCurrent)
		e.wantStatus(first.ID, db.StatusApplied)
		if st := e.pushState(); st.LastPushedDeploymentID != second.ID || !st.Connected {
			t.Errorf("push state %+v, want #2 pushed", st)
		}
	})
}
