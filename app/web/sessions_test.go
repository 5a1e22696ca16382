package web_test

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/pomerium-console-oss/pomerium-console/app/activity"
	sessionpb "github.com/pomerium-console-oss/pomerium-console/app/pb/session"
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

// impersonationFixture is the runtime fixture plus Pomerium sessions of
// root (sess-root) and vic (sess-vic), and root signed in through
// Pomerium with that session.
func impersonationFixture(t *testing.T) (runtimeFixture, *testutil.Client) {
	t.Helper()
	f := newRuntimeFixture(t)
	now := time.Now()
	f.broker.Seed(t,
		&sessionpb.Session{Id: "sess-root", UserId: "root", IssuedAt: timestamppb.New(now.Add(-4 * time.Hour)), ExpiresAt: timestamppb.New(now.Add(time.Hour))},
		&sessionpb.Session{Id: "sess-vic", UserId: "vic", IssuedAt: timestamppb.New(now.Add(-5 * time.Hour)), ExpiresAt: timestamppb.New(now.Add(time.Hour))},
	)
	root := f.app.AsUser(t, testutil.Claims{Subject: "root", Name: "root", Email: rootEmail, SessionID: "sess-root"})
	loadHome(t, root)
	return f, root
}

// impersonating is what the databroker holds as sid's impersonation.
func impersonating(t *testing.T, f runtimeFixture, sid string) string {
	t.Helper()
	s := &sessionpb.Session{}
	if !f.broker.Message(t, runtime.SessionType, sid, s) {
		t.Fatalf("session %s is gone", sid)
	}
	return s.GetImpersonateSessionId()
}

func TestSessionsImpersonate(t *testing.T) {
	t.Parallel()
	f, root := impersonationFixture(t)
	list := nsURL(global, "sessions")
	res := root.Get(list)
	wantStatus(t, res, http.StatusOK)
	if !res.Has(`[data-testid="impersonate-sess-bob-open"]:not([disabled])`) || res.Has(`[data-testid="impersonate-sess-root-open"]`) ||
		!res.Has(`[data-testid="own-sess-root"]`) || res.Has(`[data-testid="impersonation-banner"]`) {
		t.Fatalf("before impersonating:\n%s", res.Text("main"))
	}
	if got := res.Text(`dialog#impersonate-sess-bob`); !strings.Contains(got, "Pomerium will treat you as Bob Builder on every route until you stop; the console keeps your own role") {
		t.Errorf("dialog says %q", got)
	}

	wantStatus(t, root.PostFormRaw(list+"/sess-bob/impersonate", nil), http.StatusForbidden) // no CSRF token
	if got := impersonating(t, f, "sess-root"); got != "" {
		t.Fatalf("a refused request impersonates %q", got)
	}
	res = root.PostForm(list+"/sess-bob/impersonate", nil)
	wantStatus(t, res, http.StatusSeeOther)
	if got := impersonating(t, f, "sess-root"); got != "sess-bob" {
		t.Fatalf("root's session impersonates %q, want sess-bob", got)
	}
	page := root.Get(res.Location())
	banner := strings.Join(strings.Fields(page.Text(`[data-testid="impersonation-banner"]`)), " ")
	if !strings.Contains(banner, "You are impersonating Bob Builder <bob@example.com> (session sess-bob) through Pomerium") ||
		!page.Has(`[data-testid="impersonation-stop"]`) || !strings.Contains(page.Text(`[data-testid="toast"]`), "Impersonation started") {
		t.Errorf("banner %q, toast %q", banner, page.Text(`[data-testid="toast"]`))
	}
	if !page.Has(`[data-testid="impersonated-sess-bob"]`) || page.Has(`[data-testid="impersonated-sess-ada-1"]`) || page.Has(`[data-testid="impersonate-sess-bob-open"]`) {
		t.Errorf("rows after impersonating:\n%s", page.Text(`[data-testid="session-table"]`))
	}
	entries := activityEntries(t, f.app)
	if len(entries) == 0 || entries[0].EntityType != activity.EntitySession || entries[0].EntityID != "sess-root" || !strings.Contains(string(entries[0].After), "sess-bob") {
		t.Errorf("activity %+v", entries)
	}
	// The search re-renders the rows with their badge; a page without the
	// target still names it in the banner.
	frag := root.Get(list+"?q=bob", testutil.HTMX("session-list")...)
	if !frag.Has(`[data-testid="impersonated-sess-bob"]`) || frag.Has(`[data-testid="impersonation-banner"]`) {
		t.Errorf("search fragment:\n%s", frag.Body)
	}
	if got := root.Get(list + "?user=ada").Text(`[data-testid="impersonation-banner"]`); !strings.Contains(got, "Bob Builder") {
		t.Errorf("banner away from the target's row: %q", got)
	}

	refusals := []struct{ target, want string }{
		{"sess-root", "That is your own session."},
		{"sess-gone", "Session sess-gone does not exist in cluster"},
	}
	for _, tc := range refusals {
		res := root.PostForm(list+"/"+tc.target+"/impersonate", nil)
		wantStatus(t, res, http.StatusSeeOther)
		if got := root.Get(res.Location()).Text(`[data-testid="toast"]`); !strings.Contains(got, tc.want) {
			t.Errorf("impersonating %s: toast %q, want %q", tc.target, got, tc.want)
		}
	}
	if got := impersonating(t, f, "sess-root"); got != "sess-bob" {
		t.Errorf("refusals changed the impersonation to %q", got)
	}

	res = root.PostForm(list+"/impersonation/stop", nil, testutil.HTMX("")...)
	wantStatus(t, res, http.StatusNoContent)
	if res.Header.Get("HX-Redirect") != list {
		t.Errorf("HX-Redirect %q", res.Header.Get("HX-Redirect"))
	}
	if got := impersonating(t, f, "sess-root"); got != "" {
		t.Fatalf("still impersonating %q after stopping", got)
	}
	page = root.Get(list)
	if page.Has(`[data-testid="impersonation-banner"]`) || page.Has(`[data-testid="impersonated-sess-bob"]`) ||
		!strings.Contains(page.Text(`[data-testid="toast"]`), "Stopped impersonating") {
		t.Errorf("after stopping: toast %q\n%s", page.Text(`[data-testid="toast"]`), page.Text("main"))
	}
}

func TestSessionsImpersonateRefused(t *testing.T) {
	t.Parallel()
	f, _ := impersonationFixture(t)
	list := nsURL(global, "sessions")

	vic := f.app.AsUser(t, testutil.Claims{Subject: "vic", Name: "vic", SessionID: "sess-vic"})
	res := vic.Get(list)
	wantStatus(t, res, http.StatusOK)
	if res.Has(`[data-testid="impersonate-sess-bob-open"]`) || !res.Has(`[data-testid="own-sess-vic"]`) {
		t.Errorf("a viewer's page:\n%s", res.Text("main"))
	}
	wantStatus(t, vic.PostForm(list+"/sess-bob/impersonate", nil), http.StatusForbidden)
	if got := impersonating(t, f, "sess-vic"); got != "" {
		t.Errorf("a viewer impersonates %q", got)
	}

	rec := f.app.AsRecovery(t, global)
	res = rec.Get(list)
	wantStatus(t, res, http.StatusOK)
	btn := res.Doc.Find(`[data-testid="impersonate-sess-bob-open"]`)
	title, _ := btn.Attr("title")
	if _, disabled := btn.Attr("disabled"); !disabled || !strings.Contains(title, "a recovery sign-in has none") || res.Has(`dialog#impersonate-sess-bob`) {
		t.Errorf("recovery sign-in: button disabled=%v title %q", disabled, title)
	}
	res = rec.PostForm(list+"/sess-bob/impersonate", nil)
	wantStatus(t, res, http.StatusSeeOther)
	if got := rec.Get(res.Location()).Text(`[data-testid="toast"]`); !strings.Contains(got, "this sign-in has none: sign in to the console through Pomerium") {
		t.Errorf("recovery sign-in: toast %q", got)
	}

	// A Pomerium session of another cluster is not this databroker's to patch.
	away := f.app.AsUser(t, testutil.Claims{Subject: "root", Name: "root", Email: rootEmail, SessionID: "sess-elsewhere"})
	loadHome(t, away)
	res = away.PostForm(list+"/sess-bob/impersonate", nil)
	wantStatus(t, res, http.StatusSeeOther)
	if got := away.Get(res.Location()).Text(`[data-testid="toast"]`); !strings.Contains(got, "is not in the databroker of cluster") {
		t.Errorf("session of another cluster: toast %q", got)
	}
	for _, sid := range []string{"sess-root", "sess-vic", "sess-bob"} {
		if got := impersonating(t, f, sid); got != "" {
			t.Errorf("%s impersonates %q", sid, got)
		}
	}
}
