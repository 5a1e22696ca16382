package web_test

import (
	"context"
	"net/http"
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
	app                  *testutil.App
	eng, platform, sales string
	staff, engineers     db.Policy
	salesOnly            db.Policy
	cert                 db.KeyPair
	wiki                 db.Route
}

func newRouteFixture(t *testing.T, newApp appFactory) routeFixture {
	t.Helper()
	app := newApp(t, testutil.WithAdministrators("root@example.com"))
	f := routeFixture{app: app}
	f.eng = app.Namespace(t, global, "Eng")
	f.platform = app.Namespace(t, f.eng, "Platform")
	f.sales = app.Namespace(t, global, "Sales")
	app.Grant(t, f.eng, db.SubjectUser, "max", "manager")
	app.Grant(t, f.eng, db.SubjectUser, "vic", "viewer")
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

// as is a browser signed in through Pomerium as who, holding the CSRF
// token of the page at path (which must load).
func (f routeFixture) as(t *testing.T, who, path string) *testutil.Client {
	t.Helper()
	claims := testutil.Claims{Subject: who, Name: who}
	if who == "root" {
		claims.Email = "root@example.com"
	}
	cl := f.app.AsUser(t, claims)
	wantStatus(t, cl.Get(path), http.StatusOK)
	return cl
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

// allRoutes is every stored route, for "nothing changed" checks.
func allRoutes(t testing.TB, app *testutil.App) []db.Route {
	t.Helper()
	list, _, err := app.Store.ListRoutes(context.Background(), db.RouteFilter{Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	return list
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
