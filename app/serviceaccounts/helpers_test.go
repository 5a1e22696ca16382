package serviceaccounts_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pomerium-console-oss/pomerium-console/app/apptest"
	"github.com/pomerium-console-oss/pomerium-console/app/clusters"
	"github.com/pomerium-console-oss/pomerium-console/app/databroker"
	"github.com/pomerium-console-oss/pomerium-console/app/databroker/databrokertest"
	"github.com/pomerium-console-oss/pomerium-console/app/deploy"
	userpb "github.com/pomerium-console-oss/pomerium-console/app/pb/user"
	"github.com/pomerium-console-oss/pomerium-console/app/rbac"
	"github.com/pomerium-console-oss/pomerium-console/app/serviceaccounts"
	"github.com/pomerium-console-oss/pomerium-console/db"
)

// The fixture tree (apptest.SeedTree):
//
//	Global ─┬─ Engineering ─┬─ production
//	        │               └─ Dev
//	        └─ Finance
const (
	global = apptest.Global
	eng    = apptest.Eng
	prod   = apptest.Prod
	fin    = apptest.Fin
)

// clock is a test clock that only moves when told to.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) skip(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// backoff makes retries wait a minute (give or take a millisecond), then
// two, …
var backoff = databroker.Backoff{Initial: time.Minute, Max: time.Hour, Multiplier: 2, Jitter: 0.00001}

// env is a seeded store, the services around service accounts and an
// in-process databroker the default cluster (serving Global) points at.
type env struct {
	apptest.Callers
	t        testing.TB
	store    db.Store
	clock    *clock
	clusters *clusters.Service
	dep      *deploy.Service
	svc      *serviceaccounts.Service
	broker   *databrokertest.Server
	root     *rbac.Access
}

func newEnv(t testing.TB, s db.Store) *env {
	t.Helper()
	sealer := apptest.NewSealer(t)
	e := &env{Callers: apptest.Seeded(t, s), t: t, store: s, clock: &clock{now: apptest.Now}}
	e.clusters = clusters.NewService(s, sealer, e.clock.Now)
	e.dep = deploy.New(deploy.Options{Store: s, Sealer: sealer, Clusters: e.clusters, Now: e.clock.Now, PushTimeout: 5 * time.Second})
	t.Cleanup(e.dep.Close)
	e.svc = serviceaccounts.New(serviceaccounts.Options{
		Store: s, Secrets: e.clusters, Databrokers: e.dep, Now: e.clock.Now, Backoff: backoff, PushTimeout: 5 * time.Second,
	})
	t.Cleanup(e.svc.Close)
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
}

// create makes an account as root and waits for its push.
func (e *env) create(in serviceaccounts.Input) (serviceaccounts.Account, string) {
	e.t.Helper()
	a, token, err := e.svc.Create(context.Background(), e.root, in)
	if err != nil {
		e.t.Fatalf("create %+v: %v", in, err)
	}
	e.svc.Wait()
	return a, token
}

// get reads an account back as root.
func (e *env) get(id string) serviceaccounts.Account {
	e.t.Helper()
	a, err := e.svc.Get(context.Background(), e.root, id)
	if err != nil {
		e.t.Fatal(err)
	}
	return a
}

// record returns the user.ServiceAccount the databroker holds for id, or
// nil when it holds none.
func (e *env) record(id string) *userpb.ServiceAccount {
	e.t.Helper()
	rec := e.broker.Record(serviceaccounts.RecordType, id)
	if rec == nil {
		return nil
	}
	if rec.GetType() != "type.googleapis.com/user.ServiceAccount" || rec.GetData().GetTypeUrl() != rec.GetType() {
		e.t.Fatalf("record type %q, data type %q", rec.GetType(), rec.GetData().GetTypeUrl())
	}
	out := &userpb.ServiceAccount{}
	if err := rec.GetData().UnmarshalTo(out); err != nil {
		e.t.Fatal(err)
	}
	return out
}

// decoded is a token split into its header and claims, as JSON objects.
type decoded struct {
	header map[string]any
	claims map[string]any
}

// decode reads a compact JWT without verifying it.
func decode(t testing.TB, token string) decoded {
	t.Helper()
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		t.Fatalf("token %q is not a compact JWS", token)
	}
	var d decoded
	for i, dst := range []*map[string]any{&d.header, &d.claims} {
		raw, err := base64.RawURLEncoding.DecodeString(parts[i])
		if err != nil {
			t.Fatal(err)
		}
		dec := json.NewDecoder(strings.NewReader(string(raw)))
		dec.UseNumber()
		if err := dec.Decode(dst); err != nil {
			t.Fatal(err)
		}
	}
	return d
}
