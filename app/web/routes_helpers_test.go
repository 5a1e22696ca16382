package web_test

import (
	"context"
	"net/url"
	"testing"
	"time"

	"github.com/pomerium-console-oss/pomerium-console/app/testutil"
	"github.com/pomerium-console-oss/pomerium-console/db"
)

// routeFixture is Global > Eng > Platform and Global > Sales, with a
// manager ("max") and a viewer ("vic") of Eng and a configured
// administrator ("root"); an enforced policy on Global, optional ones on
// Eng and Sales, a key pair of Eng expiring soon and the route "Wiki".
type routeFixture struct {
	orgFixture
	staff, engineers db.Policy
	salesOnly        db.Policy
	cert             db.KeyPair
	wiki             db.Route
}

func newRouteFixture(t *testing.T, newApp appFactory) routeFixture {
	t.Helper()
	app := rootApp(t, newApp)
	f := routeFixture{orgFixture: newOrg(t, app)}
	grantAll(t, app, f.eng, map[string]string{"max": "manager", "vic": "viewer"})
	f.staff = putPolicy(t, app, global, "Staff", true, pplEngineers)
	f.engineers = putPolicy(t, app, f.eng, "Engineers", false, pplEngineers)
	f.salesOnly = putPolicy(t, app, f.sales, "Sales only", false, pplNoInterns)
	now := time.Now()
	f.cert = db.KeyPair{
		ID: "kp-eng", NamespaceID: f.eng, Name: "eng wildcard", CertificatePEM: "pem", SealedKey: "v1.x.key",
		Subject: "CN=*.eng.example.com", DNSNames: []string{"*.eng.example.com"}, NotAfter: now.Add(10 * 24 * time.Hour),
		CreatedAt: now, ModifiedAt: now,
	}
	if err := app.Store.CreateKeyPair(context.Background(), f.cert); err != nil {
		t.Fatal(err)
	}
	f.wiki = putRoute(t, app, db.Route{ID: "rt-wiki", NamespaceID: f.eng, Name: "Wiki", From: "https://wiki.eng.example.com",
		To: []string{"http://wiki.internal"}, MatchKey: "https://wiki.eng.example.com|prefix:/", PolicyIDs: []string{f.engineers.ID}})
	return f
}

// putRoute stores r straight in the store (no activity entry); for
// arranging a test.
func putRoute(t testing.TB, app *testutil.App, r db.Route) db.Route {
	t.Helper()
	r.CreatedAt, r.ModifiedAt = time.Now(), time.Now()
	if err := app.Store.CreateRoute(context.Background(), r); err != nil {
		t.Fatalf("put route %q: %v", r.Name, err)
	}
	return r
}

// routeByName finds a route of nsID in the store.
func routeByName(t testing.TB, app *testutil.App, nsID, name string) (db.Route, bool) {
	t.Helper()
	list, _, err := app.Store.ListRoutes(context.Background(), db.RouteFilter{NamespaceIDs: []string{nsID}, Name: name})
	if err != nil {
		t.Fatal(err)
	}
	if len(list) == 0 {
		return db.Route{}, false
	}
	return list[0], true
}

// routeForm is a valid form for a new route at https://<host>.
func routeForm(name, host string) url.Values {
	return url.Values{"name": {name}, "from": {"https://" + host}, "action": {"to"}, "to": {"http://app.internal:8080"}}
}

// with returns a copy of v with the given key/value pairs set.
func with(v url.Values, kv ...string) url.Values {
	out := url.Values{}
	for k, vals := range v {
		out[k] = append([]string(nil), vals...)
	}
	for i := 0; i+1 < len(kv); i += 2 {
		out.Set(kv[i], kv[i+1])
	}
	return out
}
