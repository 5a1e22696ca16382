package routes_test

import (
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/pomerium-console-oss/pomerium-console/app/activity"
	"github.com/pomerium-console-oss/pomerium-console/app/apptest"
	"github.com/pomerium-console-oss/pomerium-console/app/authn"
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

// created is when the fixtures were made; now is the service's clock.
var (
	created = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	now     = time.Date(2026, 2, 3, 4, 5, 6, 7_000_000, time.UTC)
)

// root is the configured administrator the fixtures act as.
var root = authn.Principal{Kind: authn.KindPomerium, UserID: "u-root", Email: "root@example.com", Name: "Root Admin"}

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

// sealKey is the test database_encryption_key.
var sealKey = []byte("0123456789abcdef0123456789abcdef")

// env is a seeded store, its callers and a Service over it.
type env struct {
	apptest.Callers
	svc    *routes.Service
	pols   *policies.Service
	sealer *seal.Sealer
	users  int
}

// newEnv seeds the fixture tree, policies, key pairs and routes into s.
func newEnv(t testing.TB, s db.Store) *env {
	t.Helper()
	apptest.SeedTree(t, s, created)
	sealer, err := seal.New(sealKey)
	if err != nil {
		t.Fatal(err)
	}
	clock := func() time.Time { return now }
	pols := policies.NewService(s, clock, policies.CompilePPL, routes.PolicyUsers)
	e := &env{
		Callers: apptest.Callers{Store: s, Admins: []string{"root@example.com"}, At: created},
		svc:     routes.NewService(s, sealer, clock, pols),
		pols:    pols,
		sealer:  sealer,
	}
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

// caller resolves root when grants is nil, otherwise a new user holding
// exactly grants.
func (e *env) caller(t testing.TB, grants apptest.Roles) *rbac.Access {
	t.Helper()
	if grants == nil {
		return e.Resolve(t, root)
	}
	e.users++
	return e.User(t, fmt.Sprint("u-caller-", e.users), grants)
}

// minimal is the smallest valid input in Engineering.
func minimal() routes.Input {
	return routes.Input{NamespaceID: eng, Name: "App", From: "https://app.example.com", To: []string{"http://app.internal:8080"}}
}

// state is everything a refused route mutation must leave untouched.
type state struct {
	snap     storetest.Snapshot
	routes   []db.Route
	revision int64
}

func capture(t testing.TB, s db.Store) state {
	t.Helper()
	list, _, err := s.ListRoutes(t.Context(), db.RouteFilter{Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	rev, _, err := s.ConfigRevision(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	return state{snap: storetest.Capture(t, s), routes: list, revision: rev}
}

// unchanged fails t when s differs from st.
func (st state) unchanged(t testing.TB, s db.Store) {
	t.Helper()
	if got := capture(t, s); !reflect.DeepEqual(got, st) {
		t.Fatalf("a refused mutation changed the store:\nbefore %+v\nafter  %+v", st, got)
	}
}

// wantRefused runs call and stops t unless it is refused as want says,
// returns no route, and changes nothing stored.
func wantRefused(t testing.TB, s db.Store, want apptest.Refusal, call func() (db.Route, error)) {
	t.Helper()
	before := capture(t, s)
	got, err := call()
	want.Check(t, err)
	if !reflect.DeepEqual(got, db.Route{}) {
		t.Errorf("a refused call returned %+v with its error", got)
	}
	before.unchanged(t, s)
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
func wantEntry(t testing.TB, s db.Store, before state, acc *rbac.Access, typ string, r db.Route, nsName string) db.ActivityEntry {
	t.Helper()
	e := before.snap.OnlyNewActivity(t, s)
	want := apptest.Actor(acc.Principal, db.ActivityEntry{
		ID: e.ID, CreatedAt: atStore(now), ActivityType: typ, NamespaceID: r.NamespaceID, NamespaceName: nsName,
		EntityType: activity.EntityRoute, EntityID: r.ID, EntityName: r.Name, Before: e.Before, After: e.After,
	})
	if e != want {
		t.Errorf("entry\n%+v, want\n%+v", e, want)
	}
	rev, _, err := s.ConfigRevision(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if rev != before.revision+1 {
		t.Errorf("config revision %d, want %d", rev, before.revision+1)
	}
	return e
}
