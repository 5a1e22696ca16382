package web_test

import (
	"maps"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/pomerium-console-oss/pomerium-console/app/testutil"
	"github.com/pomerium-console-oss/pomerium-console/db"
	"github.com/pomerium-console-oss/pomerium-console/db/storetest"
)

const csrfReason = "this form expired or did not come from this console"

// badToken is a way of posting without the session's CSRF token: what goes
// in the form's _csrf field and in the htmx X-CSRF-Token header ("" for
// none), given the poster's own client.
type badToken struct {
	name  string
	token func(own *testutil.Client) (field, header string)
}

// Bad tokens every CSRF test tries.
var (
	noToken     = badToken{"no token", func(*testutil.Client) (string, string) { return "", "" }}
	suffixToken = badToken{"own token with a suffix", func(own *testutil.Client) (string, string) { return own.CSRFToken() + "x", "" }}
)

// forged is a made-up token in the form field, or with htmx in the header.
func forged(name string, htmx bool) badToken {
	return badToken{name, func(*testutil.Client) (string, string) {
		if htmx {
			return "", "forged-token"
		}
		return "forged-token", ""
	}}
}

// wantCSRFRefused posts form (left as it is) to path from cl with the
// token tk gives, and stops t unless the console refuses it with a 403
// that says why.
func wantCSRFRefused(t *testing.T, cl *testutil.Client, path string, form url.Values, tk badToken) {
	t.Helper()
	sent := maps.Clone(form)
	if sent == nil {
		sent = url.Values{}
	}
	field, header := tk.token(cl)
	if field != "" {
		sent.Set("_csrf", field)
	}
	var headers []string
	if header != "" {
		headers = append(testutil.HTMX(""), "X-CSRF-Token", header)
	}
	res := cl.PostFormRaw(path, sent, headers...)
	wantStatus(t, res, http.StatusForbidden)
	if !strings.Contains(res.Body, csrfReason) {
		t.Errorf("the 403 does not say why:\n%.300s", res.Body)
	}
}

func TestPostsWithoutValidCSRFTokenAreRefused(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t)
	team := app.Namespace(t, global, "Team")
	grant := app.Grant(t, team, db.SubjectUser, "bob@example.com", "viewer")
	other := app.AsRecovery(t, global)
	other.Get(nsURL(global, "namespaces"))
	posts := []struct {
		name string
		path string
		form url.Values
	}{
		{"create namespace", nsURL(global, "namespaces"), url.Values{"name": {"New"}, "parentId": {global}}},
		{"rename namespace", nsURL(global, "namespaces/"+team), url.Values{"name": {"Renamed"}, "parentId": {global}}},
		{"delete namespace", nsURL(global, "namespaces/"+team+"/delete"), url.Values{}},
		{"grant role", nsURL(team, "members"), url.Values{"subjectType": {"user"}, "subjectId": {"eve@example.com"}, "role": {"admin"}}},
		{"revoke role", nsURL(team, "members/"+grant+"/delete"), url.Values{}},
		{"sign out", "/sign-out", url.Values{}},
	}
	tokens := []badToken{
		noToken, forged("wrong token", false), forged("wrong htmx header", true),
		{"another session's token", func(*testutil.Client) (string, string) { return other.CSRFToken(), "" }},
		suffixToken,
	}
	for _, p := range posts {
		for _, tk := range tokens {
			t.Run(p.name+"/"+tk.name, func(t *testing.T) {
				t.Parallel()
				cl := app.AsRecovery(t, global)
				cl.Get(nsURL(global, "namespaces"))
				before := storetest.Capture(t, app.Store)
				wantCSRFRefused(t, cl, p.path, p.form, tk)
				before.Unchanged(t, app.Store)
				// A refused sign-out leaves the session signed in.
				wantStatus(t, cl.Get(nsURL(global, "namespaces")), http.StatusOK)
			})
		}
	}
}

func TestRecoverySignInNeedsCSRFToken(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t)
	tok := app.RecoveryToken(t, global, time.Hour)
	cl := app.NewClient(t)
	res := cl.PostFormRaw("/sign-in/recovery", url.Values{"token": {tok}})
	wantStatus(t, res, http.StatusForbidden)
	wantStatus(t, cl.Get(nsURL(global, "namespaces")), http.StatusSeeOther)
}

func TestHTMXHeaderCSRFTokenIsAccepted(t *testing.T) {
	t.Parallel()
	runHTMXHeaderCSRFTokenIsAccepted(t, testutil.NewApp)
}

func runHTMXHeaderCSRFTokenIsAccepted(t *testing.T, newApp appFactory) {
	app := newApp(t)
	cl := app.AsRecovery(t, global)
	cl.Get(nsURL(global, "namespaces/new"))
	headers := append(testutil.HTMX("namespace-form"), "X-CSRF-Token", cl.CSRFToken())
	res := cl.PostFormRaw(nsURL(global, "namespaces"), url.Values{"name": {"Via htmx"}, "parentId": {global}}, headers...)
	wantStatus(t, res, http.StatusNoContent)
	if !strings.HasPrefix(res.Header.Get("HX-Redirect"), "/ns/") {
		t.Fatalf("HX-Redirect %q", res.Header.Get("HX-Redirect"))
	}
	list := cl.Get(res.Header.Get("HX-Redirect"))
	if !list.Has(`[data-testid="ns-row-Via htmx"]`) {
		t.Fatal("namespace not created")
	}
}
