package routes_test

import (
	"testing"
	"time"

	"github.com/pomerium-console-oss/pomerium-console/app/activity"
	"github.com/pomerium-console-oss/pomerium-console/app/apptest"
	"github.com/pomerium-console-oss/pomerium-console/app/policies"
	"github.com/pomerium-console-oss/pomerium-console/app/rbac"
	"github.com/pomerium-console-oss/pomerium-console/app/routes"
	"github.com/pomerium-console-oss/pomerium-console/app/seal"
	"github.com/pomerium-console-oss/pomerium-console/db"
	"github.com/pomerium-console-oss/pomerium-console/db/storetest"
)

// The shared fixture tree (apptest.SeedTree):
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

// created is when the fixtures were made, now the service's clock.
var created, now = apptest.Created, apptest.Now

// Ids of the policies, key pairs and routes every env holds.
const (
	polGlobalOpt = "pol-global-opt" // optional, Global
	polGlobalEnf = "pol-global-enf" // enforced, Global
	polEngOpt    = "pol-eng-opt"    // optional, Engineering
	polEngEnf    = "pol-eng-enf"    // enforced, Engineering
	polProdOpt   = "pol-prod-opt"   // optional, production (below Engineering)
	polFinOpt    = "pol-fin-opt"    // optional, Finance
	kpGlobal     = "kp-global"      // with a key, Global, *.example.com
	kpEngCA      = "kp-eng-ca"      // a CA without a key, Engineering
	kpFin        = "kp-fin"         // with a key, Finance
	rtExisting   = "rt-existing"    // Engineering, https://taken.example.com prefix /app
	rtFinance    = "rt-finance"     // Finance, https://fin.example.com
)

// env is a seeded store, its callers and a Service over it.
type env struct {
	apptest.Callers
	svc    *routes.Service
	pols   *policies.Service
	sealer *seal.Sealer
}

// newEnv seeds the fixture tree, policies, key pairs and routes into s.
func newEnv(t testing.TB, s db.Store) *env {
	t.Helper()
	sealer := apptest.NewSealer(t)
	pols := policies.NewService(s, apptest.Clock, policies.CompilePPL, routes.PolicyUsers)
	e := &env{Callers: apptest.Seeded(t, s), svc: routes.NewService(s, sealer, apptest.Clock, pols), pols: pols, sealer: sealer}
	for _, p := range []db.Policy{
		{ID: polGlobalOpt, NamespaceID: global, Name: "Global optional"},
		{ID: polGlobalEnf, NamespaceID: global, Name: "Global enforced", Enforced: true},
		{ID: polEngOpt, NamespaceID: eng, Name: "Eng optional"},
		{ID: polEngEnf, NamespaceID: eng, Name: "Eng enforced", Enforced: true},
		{ID: polProdOpt, NamespaceID: prod, Name: "Prod optional"},
		{ID: polFinOpt, NamespaceID: fin, Name: "Fin optional"},
	} {
		p.PPL, p.Rego, p.CreatedAt, p.ModifiedAt = "allow:\n  and:\n    - email:\n        is: a@example.com\n", "package pomerium.policy\n# "+p.Name+"\n", created, created
		if err := s.CreatePolicy(t.Context(), p); err != nil {
			t.Fatal(err)
		}
	}
	for _, k := range []db.KeyPair{
		{ID: kpGlobal, NamespaceID: global, Name: "wildcard", SealedKey: "v1.x.key", DNSNames: []string{"*.example.com"}},
		{ID: kpEngCA, NamespaceID: eng, Name: "internal CA", IsCA: true},
		{ID: kpFin, NamespaceID: fin, Name: "finance", SealedKey: "v1.x.key", DNSNames: []string{"fin.example.com"}},
	} {
		k.CertificatePEM, k.NotAfter, k.CreatedAt, k.ModifiedAt = "pem", now.Add(90*24*time.Hour), created, created
		if err := s.CreateKeyPair(t.Context(), k); err != nil {
			t.Fatal(err)
		}
	}
	for _, r := range []db.Route{
		{ID: rtExisting, NamespaceID: eng, Name: "Existing", From: "https://taken.example.com", Prefix: "/app",
			MatchKey: "https://taken.example.com|prefix:/app", To: []string{"http://taken.internal"}},
		{ID: rtFinance, NamespaceID: fin, Name: "Ledger", From: "https://fin.example.com",
			MatchKey: "https://fin.example.com|prefix:/", To: []string{"http://ledger.internal"}, PolicyIDs: []string{polFinOpt}},
	} {
		r.CreatedAt, r.ModifiedAt = created, created
		if err := s.CreateRoute(t.Context(), r); err != nil {
			t.Fatal(err)
		}
	}
	return e
}

// seed creates in as root through the service, stopping t on error.
func (e *env) seed(t testing.TB, in routes.Input) db.Route {
	t.Helper()
	r, err := e.svc.Create(t.Context(), e.Caller(t, nil), in)
	if err != nil {
		t.Fatalf("seed %q: %v", in.Name, err)
	}
	return r
}

// minimal is the smallest valid input in Engineering.
func minimal() routes.Input {
	return routes.Input{NamespaceID: eng, Name: "App", From: "https://app.example.com", To: []string{"http://app.internal:8080"}}
}

// stored reads route id back, stopping t when it is missing.
func stored(t testing.TB, s db.Store, id string) db.Route {
	t.Helper()
	r, err := s.GetRoute(t.Context(), id)
	if err != nil {
		t.Fatalf("get route %s: %v", id, err)
	}
	return r
}

// atStore is t as the store gives it back.
func atStore(t time.Time) time.Time { return t.Truncate(time.Millisecond).UTC() }

// wantEntry checks the one activity entry written since before, and that
// the configuration revision moved by one.
func wantEntry(t testing.TB, s db.Store, before storetest.Snapshot, acc *rbac.Access, typ string, r db.Route, nsName string) db.ActivityEntry {
	t.Helper()
	e := before.Changed(t, s)
	want := apptest.Actor(acc.Principal, db.ActivityEntry{
		ID: e.ID, CreatedAt: atStore(now), ActivityType: typ, NamespaceID: r.NamespaceID, NamespaceName: nsName,
		EntityType: activity.EntityRoute, EntityID: r.ID, EntityName: r.Name, Before: e.Before, After: e.After,
	})
	if e != want {
		t.Errorf("entry\n%+v, want\n%+v", e, want)
	}
	return e
}
