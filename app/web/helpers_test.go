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

// snapshot is the state a refused request must leave untouched.
type snapshot struct {
	namespaces []string
	grants     []string
	activity   int
}

func takeSnapshot(t testing.TB, app *testutil.App) snapshot {
	t.Helper()
	ctx := context.Background()
	all, err := app.Store.ListNamespaces(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var s snapshot
	for _, ns := range all {
		s.namespaces = append(s.namespaces, ns.ParentID+"/"+ns.Name)
	}
	perms, err := app.Store.ListPermissions(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range perms {
		s.grants = append(s.grants, p.NamespaceID+"/"+p.SubjectType+"/"+p.SubjectID+"/"+p.Role)
	}
	_, s.activity, err = app.Store.ListActivity(ctx, db.ActivityFilter{Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// wantUnchanged fails when the namespaces, grants or activity log differ
// from before.
func wantUnchanged(t testing.TB, app *testutil.App, before snapshot) {
	t.Helper()
	after := takeSnapshot(t, app)
	if !slices.Equal(before.namespaces, after.namespaces) || !slices.Equal(before.grants, after.grants) || before.activity != after.activity {
		t.Fatalf("state changed:\nbefore %+v\nafter  %+v", before, after)
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
