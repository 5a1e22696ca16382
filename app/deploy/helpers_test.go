package deploy_test

import (
	"context"
	"os"
	"sync"
	"testing"
	"time"

	"google.golang.org/protobuf/proto"

	"github.com/pomerium-console-oss/pomerium-console/app/apptest"
	"github.com/pomerium-console-oss/pomerium-console/app/clusters"
	"github.com/pomerium-console-oss/pomerium-console/app/configyaml"
	"github.com/pomerium-console-oss/pomerium-console/app/databroker"
	"github.com/pomerium-console-oss/pomerium-console/app/databroker/databrokertest"
	"github.com/pomerium-console-oss/pomerium-console/app/deploy"
	"github.com/pomerium-console-oss/pomerium-console/app/keypairs"
	configpb "github.com/pomerium-console-oss/pomerium-console/app/pb/config"
	"github.com/pomerium-console-oss/pomerium-console/app/policies"
	"github.com/pomerium-console-oss/pomerium-console/app/rbac"
	"github.com/pomerium-console-oss/pomerium-console/app/routes"
	"github.com/pomerium-console-oss/pomerium-console/app/settings"
	"github.com/pomerium-console-oss/pomerium-console/db"
)

// The fixture tree (apptest.SeedTree): Global ─┬─ Engineering ─┬─ production
//
//	│               └─ Dev
//	└─ Finance
const (
	global = apptest.Global
	eng    = apptest.Eng
	fin    = apptest.Fin
)

// clock moves one second forward on every reading, from near the real
// time (the test certificates are valid around now), so that every
// entity is created at its own instant.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func newClock() *clock { return &clock{now: time.Now().UTC().Truncate(time.Second)} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(time.Second)
	return c.now
}

// skip moves the clock past d, e.g. past a retry's back-off.
func (c *clock) skip(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// env is a seeded store with the domain services over the watched store,
// the deploy and clusters services, and an in-process databroker the
// default cluster pushes to.
type env struct {
	apptest.Callers
	t        testing.TB
	store    db.Store
	clock    *clock
	dep      *deploy.Service
	clusters *clusters.Service
	routes   *routes.Service
	policies *policies.Service
	keyPairs *keypairs.Service
	settings *settings.Service
	broker   *databrokertest.Server
	root     *rbac.Access
}

// option changes the deploy options of an env.
type option func(*deploy.Options)

// withPushTimeout bounds each push, for the slow databroker.
func withPushTimeout(d time.Duration) option {
	return func(o *deploy.Options) { o.PushTimeout = d }
}

// newEnv builds an env over s; the default cluster pushes to a fresh
// databroker.
func newEnv(t testing.TB, s db.Store, opts ...option) *env {
	t.Helper()
	sealer := apptest.NewSealer(t)
	e := &env{Callers: apptest.Seeded(t, s), t: t, store: s, clock: newClock()}
	e.clusters = clusters.NewService(s, sealer, e.clock.Now)
	o := deploy.Options{
		Store: s, Sealer: sealer, Clusters: e.clusters, Now: e.clock.Now, Export: configyaml.Export,
		RedactionKey: []byte("test redaction key"), PushTimeout: 5 * time.Second,
		Backoff: databroker.Backoff{Initial: time.Minute, Max: time.Hour},
	}
	for _, opt := range opts {
		opt(&o)
	}
	e.dep = deploy.New(o)
	t.Cleanup(e.dep.Close)
	e.clusters.WithHooks(e.dep.Withdraw, e.dep.ClusterChanged)
	watched := e.dep.Watch(s)
	e.policies = policies.NewService(watched, e.clock.Now, policies.CompilePPL, routes.PolicyUsers)
	e.routes = routes.NewService(watched, sealer, e.clock.Now, e.policies)
	e.keyPairs = keypairs.NewService(watched, sealer, e.clock.Now, settings.KeyPairUsers, routes.KeyPairUsers)
	e.settings = settings.NewService(watched, sealer, e.clock.Now)
	e.root = e.Caller(t, nil)
	e.broker = databrokertest.Start(t)
	e.pointDefaultAt(e.broker.URL(), e.broker.SharedSecret())
	return e
}

// pointDefaultAt sets the default cluster's databroker as the config file would.
func (e *env) pointDefaultAt(url, secret string) {
	e.t.Helper()
	if _, err := e.clusters.EnsureDefault(context.Background(), clusters.Defaults{DatabrokerURL: url, SharedSecret: secret}); err != nil {
		e.t.Fatal(err)
	}
	e.dep.Wait() // the change pushes the latest deployment there, if any
}

// policy creates an enforced-or-optional policy through the service.
func (e *env) policy(ns, name, ppl string, enforced bool) db.Policy {
	e.t.Helper()
	p, err := e.policies.Create(context.Background(), e.root, policies.Input{NamespaceID: ns, Name: name, PPL: ppl, Enforced: enforced})
	if err != nil {
		e.t.Fatalf("policy %q: %v", name, err)
	}
	return p
}

// route creates a route through the service.
func (e *env) route(ns, name, from string, policyIDs ...string) db.Route {
	e.t.Helper()
	r, err := e.routes.Create(context.Background(), e.root, routes.Input{
		NamespaceID: ns, Name: name, From: from, To: []string{"http://" + name + ".internal:8080"}, PolicyIDs: policyIDs,
	})
	if err != nil {
		e.t.Fatalf("route %q: %v", name, err)
	}
	return r
}

// retarget points route r somewhere else through the service.
func (e *env) retarget(r db.Route, to string) db.Route {
	e.t.Helper()
	in := routes.InputOf(r)
	in.To = []string{to}
	r, err := e.routes.Update(context.Background(), e.root, r.ID, in)
	if err != nil {
		e.t.Fatalf("update route %q: %v", r.Name, err)
	}
	return r
}

// certificate uploads a fresh self-signed certificate for hosts with its key.
func (e *env) certificate(ns, name string, hosts ...string) db.KeyPair {
	e.t.Helper()
	certFile, keyFile := apptest.WriteCert(e.t, e.t.TempDir(), hosts...)
	cert, err := os.ReadFile(certFile)
	if err != nil {
		e.t.Fatal(err)
	}
	key, err := os.ReadFile(keyFile)
	if err != nil {
		e.t.Fatal(err)
	}
	k, err := e.keyPairs.Create(context.Background(), e.root, keypairs.Input{NamespaceID: ns, Name: name, Certificate: string(cert), Key: string(key)})
	if err != nil {
		e.t.Fatalf("key pair %q: %v", name, err)
	}
	return k
}

// apply applies the default cluster's changes as root.
func (e *env) apply(message string) db.Deployment {
	e.t.Helper()
	d, err := e.dep.Apply(context.Background(), e.root, db.DefaultClusterID, message)
	if err != nil {
		e.t.Fatalf("apply %q: %v", message, err)
	}
	return d
}

// pending returns the default cluster's open changeset.
func (e *env) pending() deploy.Pending {
	e.t.Helper()
	p, err := e.dep.Pending(context.Background(), e.root, db.DefaultClusterID)
	if err != nil {
		e.t.Fatal(err)
	}
	return p
}

// deployment reads d back from the store.
func (e *env) deployment(id string) db.Deployment {
	e.t.Helper()
	d, err := e.store.GetDeployment(context.Background(), id)
	if err != nil {
		e.t.Fatal(err)
	}
	return d
}

// pushed decodes the Config the databroker holds under the console's
// record id, as Core would read it; nil when there is none.
func (e *env) pushed() (*configpb.Config, uint64) {
	e.t.Helper()
	rec := e.broker.Record(databroker.TypeURL(&configpb.Config{}), deploy.RecordID)
	if rec == nil {
		return nil, 0
	}
	cfg := &configpb.Config{}
	if err := rec.GetData().UnmarshalTo(cfg); err != nil {
		e.t.Fatalf("the record does not decode as a pomerium.config.Config: %v", err)
	}
	return cfg, rec.GetVersion()
}

// puts counts the writes of the console's record.
func (e *env) puts() int {
	return e.broker.Puts(databroker.TypeURL(&configpb.Config{}), deploy.RecordID)
}

// routeFroms lists the from URLs of cfg's routes, in order.
func routeFroms(cfg *configpb.Config) []string {
	var out []string
	for _, r := range cfg.GetRoutes() {
		out = append(out, r.GetFrom())
	}
	return out
}

// wantStatus fails t unless the stored deployment id has status.
func (e *env) wantStatus(id, status string) db.Deployment {
	e.t.Helper()
	d := e.deployment(id)
	if d.Status != status {
		e.t.Fatalf("deployment #%d is %s (%q), want %s", d.Number, d.Status, d.FailureMessage, status)
	}
	return d
}

// pushState reads the default cluster's push state.
func (e *env) pushState() db.PushState {
	e.t.Helper()
	st, err := e.store.GetPushState(context.Background(), db.DefaultClusterID)
	if err != nil {
		e.t.Fatal(err)
	}
	return st
}

// holds reports whether the databroker holds cfg.
func (e *env) holds(cfg *configpb.Config) bool {
	got, _ := e.pushed()
	return proto.Equal(got, cfg)
}

// allowEmail is PPL that lets one e-mail address in.
func allowEmail(email string) string {
	return "allow:\n  and:\n    - email:\n        is: " + email + "\n"
}

// engCluster is the cluster a test bound to Engineering.
func engCluster(e *env) db.Cluster {
	e.t.Helper()
	list, err := e.store.ListClusters(context.Background())
	if err != nil {
		e.t.Fatal(err)
	}
	for _, c := range list {
		if c.NamespaceID == eng {
			return c
		}
	}
	e.t.Fatal("no cluster serves Engineering")
	return db.Cluster{}
}

// applyTo applies the changes of cluster c as root.
func (e *env) applyTo(c db.Cluster, message string) db.Deployment {
	e.t.Helper()
	d, err := e.dep.Apply(context.Background(), e.root, c.ID, message)
	if err != nil {
		e.t.Fatalf("apply %q to %s: %v", message, c.Name, err)
	}
	return d
}
