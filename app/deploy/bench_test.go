package deploy_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"google.golang.org/protobuf/proto"

	"github.com/pomerium-console-oss/pomerium-console/app/apptest"
	"github.com/pomerium-console-oss/pomerium-console/app/clusters"
	"github.com/pomerium-console-oss/pomerium-console/app/configyaml"
	"github.com/pomerium-console-oss/pomerium-console/app/deploy"
	"github.com/pomerium-console-oss/pomerium-console/app/policies"
	"github.com/pomerium-console-oss/pomerium-console/app/render"
	"github.com/pomerium-console-oss/pomerium-console/app/routes"
	"github.com/pomerium-console-oss/pomerium-console/app/settings"
	"github.com/pomerium-console-oss/pomerium-console/db"
	"github.com/pomerium-console-oss/pomerium-console/db/storetest"
)

// benchRoutes is the size of the benchmarks' configuration.
const benchRoutes = 10_000

// seedRoutes stores n routes over the fixture namespaces straight in the
// store, one in twenty attaching one of 20 optional policies (compiled
// PPL, as the policy service stores them), with one configuration
// revision. NB: every attachment carries the policy's whole Rego module
// (about 2.7 KiB) in the pushed Config, and Core takes at most 4 MiB per
// gRPC message: far more attachments would not fit in one Put.
func seedRoutes(b *testing.B, s db.Store, n int) {
	b.Helper()
	nss := []string{global, eng, apptest.Prod, apptest.Dev, fin}
	now := time.Now()
	err := s.InTx(b.Context(), func(tx db.Store) error {
		for i := range 20 {
			src := allowEmail(fmt.Sprintf("user%d@example.com", i))
			module, err := policies.CompilePPL(src)
			if err != nil {
				return err
			}
			p := db.Policy{ID: fmt.Sprintf("pol-%02d", i), NamespaceID: global, Name: fmt.Sprintf("Policy %02d", i),
				PPL: src, Rego: module, CreatedAt: now, ModifiedAt: now}
			if err := tx.CreatePolicy(b.Context(), p); err != nil {
				return err
			}
		}
		for i := range n {
			host := fmt.Sprintf("app-%05d.example.com", i)
			r := db.Route{ID: fmt.Sprintf("rt-%05d", i), NamespaceID: nss[i%len(nss)], Name: fmt.Sprintf("App %05d", i),
				From: "https://" + host, To: []string{fmt.Sprintf("http://app-%05d.internal:8080", i)},
				MatchKey: "https://" + host + "|prefix:/", CreatedAt: now, ModifiedAt: now}
			if i%20 == 0 {
				r.PolicyIDs = []string{fmt.Sprintf("pol-%02d", i/20%20)}
			}
			if err := tx.CreateRoute(b.Context(), r); err != nil {
				return err
			}
		}
		_, err := tx.MarkConfigChanged(b.Context(), now)
		return err
	})
	if err != nil {
		b.Fatal(err)
	}
}

// BenchmarkRenderAndDiff10000Routes renders a model of 10,000 routes and
// compares two deployments of them as the compare page does (the entities
// from both snapshots, then the line diff of both stored config.yaml
// files), on a fresh service each time so that nothing is cached.
func BenchmarkRenderAndDiff10000Routes(b *testing.B) {
	s := storetest.OpenSQLite(b)
	e := newEnv(b, s)
	e.pointDefaultAt("", "") // rendering and diffing only
	seedRoutes(b, s, benchRoutes)
	first := e.apply("10,000 routes")
	r, err := s.GetRoute(b.Context(), "rt-00042")
	if err != nil {
		b.Fatal(err)
	}
	e.retarget(r, "http://moved.internal")
	second := e.apply("one route moved")
	m := render.Model{}
	sealer := apptest.NewSealer(b)
	if m, err = freshModel(b, s); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		fresh := deploy.New(deploy.Options{Store: s, Sealer: sealer, Clusters: e.clusters, Now: time.Now, Export: configyaml.Export,
			RedactionKey: []byte("k")})
		if _, err := render.Render(m, sealer); err != nil {
			b.Fatal(err)
		}
		cmp, err := fresh.Compare(b.Context(), e.root, first.ID, second.ID)
		if err != nil {
			b.Fatal(err)
		}
		if len(cmp.Changes) != 1 || cmp.Diff.Added != 1 {
			b.Fatalf("%d changes, +%d", len(cmp.Changes), cmp.Diff.Added)
		}
		fresh.Close()
	}
}

// freshModel loads the default cluster's model from the store.
func freshModel(b *testing.B, s db.Store) (render.Model, error) {
	cov, err := clusters.Load(b.Context(), s)
	if err != nil {
		return render.Model{}, err
	}
	return render.Load(b.Context(), s, cov.Tree(db.DefaultClusterID), db.DefaultClusterID, global)
}

// BenchmarkSingleRouteChange10000Routes measures, with auto-apply on, how
// long a change of one route among 10,000 takes to reach the in-process
// databroker: the route's transaction, loading and rendering the model,
// storing the deployment and pushing the Config.
func BenchmarkSingleRouteChange10000Routes(b *testing.B) {
	s := storetest.OpenSQLite(b)
	e := newEnv(b, s)
	seedRoutes(b, s, benchRoutes)
	on := true
	if _, err := e.settings.Update(b.Context(), e.root, db.DefaultClusterID, settings.Update{Values: settings.Values{AutoApplyChangesets: &on}}); err != nil {
		b.Fatal(err)
	}
	e.dep.Wait()
	cfg, _ := e.pushed()
	if len(cfg.GetRoutes()) != benchRoutes {
		b.Fatalf("the databroker holds %d routes (%s)", len(cfg.GetRoutes()), e.pushState().LastError)
	}
	size := float64(proto.Size(cfg)) / (1 << 20)
	r, err := s.GetRoute(b.Context(), "rt-00042")
	if err != nil {
		b.Fatal(err)
	}
	i := 0
	b.ResetTimer()
	for b.Loop() {
		i++
		target := fmt.Sprintf("http://moved-%d.internal", i)
		in := routes.InputOf(r)
		in.To = []string{target}
		puts := e.puts()
		if r, err = e.routes.Update(context.Background(), e.root, r.ID, in); err != nil {
			b.Fatal(err)
		}
		for e.puts() == puts { // cheap to poll, unlike decoding the record
			time.Sleep(100 * time.Microsecond)
		}
		b.StopTimer()
		if !pushedTarget(e, target) {
			b.Fatalf("the databroker does not send the route to %s (%s)", target, e.pushState().LastError)
		}
		e.dep.Wait()
		b.StartTimer()
	}
	b.ReportMetric(size, "MiB/config")
}

// pushedTarget reports whether the databroker's Config sends a route to target.
func pushedTarget(e *env, target string) bool {
	cfg, _ := e.pushed()
	for _, r := range cfg.GetRoutes() {
		if strings.Join(r.GetTo(), ",") == target {
			return true
		}
	}
	return false
}
