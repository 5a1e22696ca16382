package web_test

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/pomerium-console-oss/pomerium-console/app/activity"
	"github.com/pomerium-console-oss/pomerium-console/app/runtime"
	"github.com/pomerium-console-oss/pomerium-console/app/testutil"
)

func TestSessionsPage(t *testing.T) {
	t.Parallel()
	f := newRuntimeFixture(t)
	root := atHome(t, f.app, "root")
	tests := []struct {
		name, query string
		want        []string
	}{
		{"newest first", "", []string{"session-sess-ada-2", "session-sess-bob", "session-sess-ada-1"}},
		{"search by e-mail", "?q=bob%40example", []string{"session-sess-bob"}},
		{"one user", "?user=ada", []string{"session-sess-ada-2", "session-sess-ada-1"}},
		{"by user name", "?sort=user&dir=asc", []string{"session-sess-ada-1", "session-sess-ada-2", "session-sess-bob"}},
		{"by expiry, latest first", "?sort=expires_at&dir=desc", []string{"session-sess-ada-2", "session-sess-bob", "session-sess-ada-1"}},
	}
	for _, tc := range tests {
		res := root.Get(nsURL(global, "sessions") + tc.query)
		wantStatus(t, res, http.StatusOK)
		if got := sessionIDs(res); !slices.Equal(got, tc.want) {
			t.Errorf("%s: rows %v, want %v", tc.name, got, tc.want)
		}
	}
	res := root.Get(nsURL(global, "sessions?user=ada"))
	if !strings.Contains(res.Text(`[data-testid="session-sess-ada-1"]`), "Ada Lovelace") || !res.Has(`[data-testid="revoke-sess-ada-1-open"]`) ||
		!strings.Contains(res.Text(`[data-testid="filter-chips"]`), "User: Ada Lovelace") {
		t.Errorf("row or filter chip missing:\n%s", res.Text("main"))
	}
	// The search box re-renders only the list.
	frag := root.Get(nsURL(global, "sessions?q=ada"), testutil.HTMX("session-list")...)
	wantStatus(t, frag, http.StatusOK)
	if frag.Has(`[data-testid="nav"]`) || len(sessionIDs(frag)) != 2 {
		t.Errorf("htmx search answered %v with the layout=%v", sessionIDs(frag), frag.Has(`[data-testid="nav"]`))
	}

	vic := signedIn(t, f.app, "vic")
	res = vic.Get(nsURL(global, "sessions"))
	wantStatus(t, res, http.StatusOK)
	if len(sessionIDs(res)) != 3 || res.Has(`[data-testid="revoke-sess-bob-open"]`) {
		t.Errorf("a viewer sees %v and revoke buttons=%v", sessionIDs(res), res.Has(`[data-testid="revoke-sess-bob-open"]`))
	}
	wantStatus(t, signedIn(t, f.app, "nobody").Get(nsURL(global, "sessions")), http.StatusForbidden)
}

func TestSessionsRevoke(t *testing.T) {
	t.Parallel()
	f := newRuntimeFixture(t)
	vic := signedIn(t, f.app, "vic")
	wantStatus(t, vic.Get(nsURL(global, "sessions")), http.StatusOK)
	wantStatus(t, vic.PostForm(nsURL(global, "sessions/sess-bob/revoke"), nil), http.StatusForbidden)
	root := atHome(t, f.app, "root")
	wantStatus(t, root.Get(nsURL(global, "sessions")), http.StatusOK)
	wantStatus(t, root.PostFormRaw(nsURL(global, "sessions/sess-bob/revoke"), nil), http.StatusForbidden) // no CSRF token
	if f.broker.Record(runtime.SessionType, "sess-bob") == nil {
		t.Fatal("a refused revocation removed the session")
	}
	res := root.PostForm(nsURL(global, "sessions/sess-bob/revoke"), nil)
	wantStatus(t, res, http.StatusSeeOther)
	if f.broker.Record(runtime.SessionType, "sess-bob") != nil {
		t.Fatal("the session is still in the databroker")
	}
	page := root.Get(res.Location())
	if !strings.Contains(page.Text(`[data-testid="toast"]`), "Session revoked.") || slices.Contains(sessionIDs(page), "session-sess-bob") {
		t.Errorf("after revoking: toast %q, rows %v", page.Text(`[data-testid="toast"]`), sessionIDs(page))
	}
	entries := activityEntries(t, f.app)
	if len(entries) == 0 || entries[0].EntityType != activity.EntitySession || entries[0].EntityID != "sess-bob" || entries[0].UserEmail != rootEmail {
		t.Errorf("activity %+v", entries)
	}
	wantStatus(t, root.PostForm(nsURL(global, "sessions/sess-bob/revoke"), nil), http.StatusNotFound)

	res = root.PostForm(nsURL(global, "sessions/sess-ada-1/revoke"), url.Values{"block_user": {"on"}})
	wantStatus(t, res, http.StatusSeeOther)
	if len(f.broker.Records(runtime.SessionType)) != 0 {
		t.Errorf("blocking left sessions %v", f.broker.Records(runtime.SessionType))
	}
	page = root.Get(res.Location())
	if !strings.Contains(page.Text(`[data-testid="toast"]`), "2 session(s) revoked") || !page.Has(`[data-testid="pending-changes"]`) {
		t.Errorf("after blocking: toast %q, pending pill %v", page.Text(`[data-testid="toast"]`), page.Has(`[data-testid="pending-changes"]`))
	}
}

func TestRuntimePagesWithoutDatabroker(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t, testutil.WithAdministrators(rootEmail))
	root := atHome(t, app, "root")
	for _, section := range []string{"sessions", "devices", "users"} {
		res := root.Get(nsURL(global, section))
		wantStatus(t, res, http.StatusOK)
		if !strings.Contains(res.Text(`[data-testid="runtime-notice"]`), "no databroker configured") {
			t.Errorf("%s: notice %q", section, res.Text(`[data-testid="runtime-notice"]`))
		}
	}
	// The console's own users are still listed.
	res := root.Get(nsURL(global, "users"))
	if !res.Has(`[data-testid="user-root"]`) {
		t.Errorf("users without a databroker:\n%s", res.Text("main"))
	}
}
