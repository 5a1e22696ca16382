package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/pomerium-console-oss/pomerium-console/app/testutil"
	"github.com/pomerium-console-oss/pomerium-console/db"
)

const csrfReason = "this form expired or did not come from this console"

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
	tokens := []struct {
		name  string
		token func(own *testutil.Client) (field, header string)
	}{
		{"no token", func(*testutil.Client) (string, string) { return "", "" }},
		{"wrong token", func(*testutil.Client) (string, string) { return "forged-token", "" }},
		{"wrong htmx header", func(*testutil.Client) (string, string) { return "", "forged-token" }},
		{"another session's token", func(*testutil.Client) (string, string) { return other.CSRFToken(), "" }},
		{"own token with a suffix", func(own *testutil.Client) (string, string) { return own.CSRFToken() + "x", "" }},
	}
	for _, p := range posts {
		for _, tk := range tokens {
			t.Run(p.name+"/"+tk.name, func(t *testing.T) {
				t.Parallel()
				cl := app.AsRecovery(t, global)
				cl.Get(nsURL(global, "namespaces"))
				before := takeSnapshot(t, app)
				form := url.Values{}
				for k, v := range p.form {
					form[k] = v
				}
				field, header := tk.token(cl)
				if field != "" {
					form.Set("_csrf", field)
				}
				var headers []string
				if header != "" {
					headers = append(testutil.HTMX(""), "X-CSRF-Token", header)
				}
				res := cl.PostFormRaw(p.path, form, headers...)
				wantStatus(t, res, http.StatusForbidden)
				if !strings.Contains(res.Body, csrfReason) {
					t.Errorf("403 does not say why:\n%s", res.Body)
				}
				wantUnchanged(t, app, before)
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
