package web_test

import (
	"context"
	"maps"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pomerium-console-oss/pomerium-console/app/testutil"
	"github.com/pomerium-console-oss/pomerium-console/db"
)

// nsURL mirrors the console's namespace-scoped URLs: /ns/{id}/{rest}.
func nsURL(id, rest string) string { return "/ns/" + id + "/" + rest }

// wantStatus stops the test when res has another status, showing the body.
func wantStatus(t testing.TB, res *testutil.Response, want int) {
	t.Helper()
	if res.Status != want {
		body := res.Body
		if len(body) > 2000 {
			body = body[:2000] + "…"
		}
		t.Fatalf("status %d, want %d\n%s", res.Status, want, body)
	}
}

// wantFieldErrors checks the exact set of fields shown with an error, and
// that each message contains the expected text.
func wantFieldErrors(t testing.TB, res *testutil.Response, want map[string]string) {
	t.Helper()
	got := res.FieldErrors()
	if !slices.Equal(slices.Sorted(maps.Keys(got)), slices.Sorted(maps.Keys(want))) {
		t.Fatalf("field errors %v, want fields %v", got, slices.Sorted(maps.Keys(want)))
	}
	for field, text := range want {
		if !strings.Contains(got[field], text) {
			t.Errorf("field %s: error %q, want it to contain %q", field, got[field], text)
		}
	}
}

// activityEntries returns the whole log, newest first.
func activityEntries(t testing.TB, app *testutil.App) []db.ActivityEntry {
	t.Helper()
	entries, _, err := app.Store.ListActivity(context.Background(), db.ActivityFilter{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	return entries
}

// sessionCookie returns the console's Set-Cookie of res, or nil.
func sessionCookie(res *testutil.Response) *http.Cookie {
	for _, line := range res.Header.Values("Set-Cookie") {
		if c, err := http.ParseSetCookie(line); err == nil && c.Name == "_pomerium_console" {
			return c
		}
	}
	return nil
}

// texts returns the trimmed text of every element matching sel.
func texts(res *testutil.Response, sel string) []string {
	var out []string
	if res.Doc == nil {
		return out
	}
	for _, n := range res.Doc.Find(sel).EachIter() {
		out = append(out, strings.TrimSpace(n.Text()))
	}
	return out
}

// loadHome opens the caller's home page, as a browser does after sign-in,
// so the client holds a CSRF token.
func loadHome(t testing.TB, cl *testutil.Client) {
	t.Helper()
	res := cl.Get("/")
	wantStatus(t, res, http.StatusSeeOther)
	wantStatus(t, cl.Get(res.Location()), http.StatusOK)
}

// settle keeps consecutive mutations in distinct milliseconds: the log
// orders entries by millisecond timestamps, then by random id.
func settle() { time.Sleep(2 * time.Millisecond) }

// rootEmail is the e-mail of "root", the configured administrator of the
// consoles rootApp builds.
const rootEmail = "root@example.com"

// rootApp builds a console with root as configured administrator.
func rootApp(t *testing.T, newApp appFactory) *testutil.App {
	t.Helper()
	return newApp(t, testutil.WithAdministrators(rootEmail))
}

// signedIn is a browser signed in through Pomerium as who; "root" signs
// in with rootEmail.
func signedIn(t *testing.T, app *testutil.App, who string) *testutil.Client {
	t.Helper()
	claims := testutil.Claims{Subject: who, Name: who}
	if who == "root" {
		claims.Email = rootEmail
	}
	return app.AsUser(t, claims)
}

// atHome is signedIn, having opened its home page for a CSRF token.
func atHome(t *testing.T, app *testutil.App, who string) *testutil.Client {
	t.Helper()
	cl := signedIn(t, app, who)
	loadHome(t, cl)
	return cl
}

// staff is one user per role, as the fixtures grant them on a namespace.
var staff = map[string]string{"ann": "admin", "max": "manager", "vic": "viewer", "gus": "guest"}

// grantAll grants each user its role on nsID and returns the grant ids by
// user.
func grantAll(t *testing.T, app *testutil.App, nsID string, roles map[string]string) map[string]string {
	t.Helper()
	ids := map[string]string{}
	for user, role := range roles {
		ids[user] = app.Grant(t, nsID, db.SubjectUser, user, role)
	}
	return ids
}

// orgFixture is Global > Eng > Platform and Global > Sales.
type orgFixture struct {
	app                  *testutil.App
	eng, platform, sales string
}

func newOrg(t *testing.T, app *testutil.App) orgFixture {
	t.Helper()
	f := orgFixture{app: app}
	f.eng = app.Namespace(t, global, "Eng")
	f.platform = app.Namespace(t, f.eng, "Platform")
	f.sales = app.Namespace(t, global, "Sales")
	return f
}

// as is a browser signed in as who, holding the CSRF token of the page at
// path (which must load).
func (f orgFixture) as(t *testing.T, who, path string) *testutil.Client {
	t.Helper()
	cl := signedIn(t, f.app, who)
	wantStatus(t, cl.Get(path), http.StatusOK)
	return cl
}
