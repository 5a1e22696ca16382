package web_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/pomerium-console-oss/pomerium-console/app/settings"
	"github.com/pomerium-console-oss/pomerium-console/app/testutil"
	"github.com/pomerium-console-oss/pomerium-console/db"
	"github.com/pomerium-console-oss/pomerium-console/db/storetest"
	settingsview "github.com/pomerium-console-oss/pomerium-console/views/settings"
)

// settingsFixture is Global with a CA and a server key pair, Eng, and one
// user per role on Global plus an admin of Eng.
type settingsFixture struct {
	app *testutil.App
	eng string
}

func newSettingsFixture(t *testing.T, newApp appFactory) settingsFixture {
	t.Helper()
	app := newApp(t)
	f := settingsFixture{app: app, eng: app.Namespace(t, global, "Eng")}
	grantAll(t, app, global, staff)
	app.Grant(t, f.eng, db.SubjectUser, "eda", "admin")
	for _, kp := range []db.KeyPair{
		{ID: "kp-ca", NamespaceID: global, Name: "Root CA", Subject: "CN=Root CA", IsCA: true},
		{ID: "kp-web", NamespaceID: global, Name: "web", Subject: "CN=web.example.com"},
	} {
		kp.CertificatePEM, kp.NotAfter = "-----BEGIN CERTIFICATE-----\n", time.Now().Add(time.Hour)
		if err := app.Store.CreateKeyPair(t.Context(), kp); err != nil {
			t.Fatal(err)
		}
	}
	return f
}

func (f settingsFixture) as(t *testing.T, who string) *testutil.Client { return atHome(t, f.app, who) }

func TestSettingsPage(t *testing.T) {
	t.Parallel()
	runSettingsPage(t, testutil.NewApp)
}

// runSettingsPage: every setting has its input, labelled, with Core's
// default as placeholder, in the documented sections; secrets are
// password inputs showing their status only.
func runSettingsPage(t *testing.T, newApp appFactory) {
	f := newSettingsFixture(t, newApp)
	res := f.as(t, "ann").Get(nsURL(global, "settings"))
	wantStatus(t, res, http.StatusOK)
	if got := res.Text(`[data-testid="page-header"] h1`); got != "Settings" {
		t.Errorf("title %q", got)
	}
	if got := res.Text(`[data-testid="nav"] a[aria-current="page"]`); got != "Settings" {
		t.Errorf("current nav entry %q", got)
	}
	for _, name := range settings.FieldNames() {
		sel := `[data-testid="settings-form"] [name="` + name + `"]`
		if !res.Has(sel) {
			t.Errorf("no input for %s", name)
			continue
		}
		if !res.Has(`label[for="f-` + name + `"]`) {
			t.Errorf("%s has no label", name)
		}
		ph, _ := res.Doc.Find(sel).Attr("placeholder")
		first := strings.TrimSpace(res.Doc.Find(sel + ` option`).First().Text())
		if def := settings.CoreDefaults[name]; !strings.Contains(ph, def) && !strings.Contains(first, def) {
			t.Errorf("%s shows neither placeholder nor first option with Core's default %q (got %q / %q)", name, def, ph, first)
		}
	}
	for _, s := range settings.Secrets {
		if typ, _ := res.Doc.Find(`[name="` + string(s) + `"]`).Attr("type"); typ != "password" {
			t.Errorf("secret %s is a %q input", s, typ)
		}
		if got := res.Text(`[data-testid="secret-status-` + string(s) + `"]`); got != "Not set" {
			t.Errorf("secret %s status %q", s, got)
		}
	}
	var nav []string
	for _, a := range res.Doc.Find(`[data-testid="settings-nav"] a`).EachIter() {
		nav = append(nav, strings.TrimSpace(a.Text()))
	}
	if want := "Logging Proxy Timeouts Cookies gRPC Tracing Certificate authority Headers Identity provider Databroker Google Cloud Changesets"; strings.Join(nav, " ") != want {
		t.Errorf("section nav %q", nav)
	}
	// Only CAs of Global can be chosen.
	ca := res.Doc.Find(`#f-certificateAuthorityKeyPairId option[value="kp-ca"]`)
	web := res.Doc.Find(`#f-certificateAuthorityKeyPairId option[value="kp-web"]`)
	if _, disabled := ca.Attr("disabled"); ca.Length() != 1 || disabled {
		t.Error("the CA key pair is not offered")
	}
	if _, disabled := web.Attr("disabled"); !disabled || !strings.Contains(web.Text(), "(not a CA)") {
		t.Errorf("the server key pair is not marked as no CA: %q", web.Text())
	}
}

func TestSettingsCatalogMatchesTheService(t *testing.T) {
	t.Parallel()
	if settingsview.ClearSuffix != settings.ClearSuffix {
		t.Fatalf("the page's clear suffix %q differs from the service's %q", settingsview.ClearSuffix, settings.ClearSuffix)
	}
	want := map[string]bool{}
	for _, name := range settings.FieldNames() {
		want[name] = true
	}
	for _, s := range settings.Secrets {
		want[string(s)] = true
	}
	for _, sec := range settingsview.Catalog {
		for _, f := range sec.Fields {
			if !want[f.Name] {
				t.Errorf("the page has %s twice or the service lacks it", f.Name)
			}
			if isSecret := f.Kind == settingsview.KindSecret; isSecret != settings.IsSecret(f.Name) {
				t.Errorf("%s: the page's secret kind %v differs from the service", f.Name, isSecret)
			}
			delete(want, f.Name)
		}
	}
	if len(want) > 0 {
		t.Errorf("settings missing from the page: %v", want)
	}
}

func TestSettingsSave(t *testing.T) {
	t.Parallel()
	runSettingsSave(t, testutil.NewApp)
}

// runSettingsSave saves the form as a Global admin: without htmx a
// redirect and a toast, with htmx the form and a toast in place; the
// secret is set but never shown.
func runSettingsSave(t *testing.T, newApp appFactory) {
	f := newSettingsFixture(t, newApp)
	cl := f.as(t, "ann")
	cl.Get(nsURL(global, "settings"))
	rev := revision(t, f.app)
	res := cl.PostForm(nsURL(global, "settings"), settingsForm(map[string]string{
		"logLevel": "debug", "address": ":8443", "cookieSecure": "true", "jwtClaimsHeaders": "email\nX-Groups: groups",
		"certificateAuthorityKeyPairId": "kp-ca", "cookieSecret": validCookieSecret,
	}))
	wantStatus(t, res, http.StatusSeeOther)
	if res.Location() != nsURL(global, "settings") {
		t.Errorf("redirect to %q", res.Location())
	}
	page := cl.Get(res.Location())
	if got := page.Text(`[data-testid="toast"]`); got != "Settings saved." {
		t.Errorf("toast %q", got)
	}
	for sel, want := range map[string]string{
		`#f-logLevel option[selected]`:                      "debug",
		`#f-cookieSecure option[selected]`:                  "On",
		`#f-jwtClaimsHeaders`:                               "X-Groups: groups\nX-Pomerium-Claim-Email: email",
		`#f-certificateAuthorityKeyPairId option[selected]`: "Root CA — CN=Root CA",
		`[data-testid="secret-status-cookieSecret"]`:        "Set",
	} {
		if got := page.Text(sel); got != want {
			t.Errorf("%s = %q, want %q", sel, got, want)
		}
	}
	if v, _ := page.Doc.Find("#f-address").Attr("value"); v != ":8443" {
		t.Errorf("address %q", v)
	}
	if strings.Contains(page.Body, validCookieSecret) {
		t.Error("the page shows the cookie secret")
	}
	if _, ok := storedSettings(t, f.app); !ok || revision(t, f.app) != rev+1 {
		t.Errorf("not stored, or revision %d after %d", revision(t, f.app), rev)
	}
	entry := activityEntries(t, f.app)[0]
	if entry.EntityType != "settings" || entry.UserID != "ann" || strings.Contains(entry.After, validCookieSecret) ||
		!strings.Contains(entry.After, `"cookieSecret": "set"`) {
		t.Errorf("activity entry %+v", entry)
	}

	// With htmx: the form as stored and a toast, in place.
	res = cl.PostForm(nsURL(global, "settings"), settingsForm(map[string]string{"logLevel": "warn", "cookieSecret.clear": "true"}), testutil.HTMX(settingsview.FormID)...)
	wantStatus(t, res, http.StatusOK)
	if strings.Contains(res.Body, "<html") || !res.Has(`#`+settingsview.FormID) || !res.Has(`[hx-swap-oob] [data-testid="toast"]`) {
		t.Fatalf("not the form with a toast:\n%s", res.Body)
	}
	if got := res.Text(`[data-testid="secret-status-cookieSecret"]`); got != "Not set" {
		t.Errorf("cleared secret shows %q", got)
	}
	if got := res.Text(`#f-logLevel option[selected]`); got != "warn" {
		t.Errorf("log level %q", got)
	}
}

func TestSettingsValidation(t *testing.T) {
	t.Parallel()
	runSettingsValidation(t, testutil.NewApp)
}

// runSettingsValidation: an invalid form comes back (422) as submitted with
// every error next to its field and in the summary; typed secrets are not
// sent back and nothing is stored.
func runSettingsValidation(t *testing.T, newApp appFactory) {
	f := newSettingsFixture(t, newApp)
	cl := f.as(t, "ann")
	cl.Get(nsURL(global, "settings"))
	form := settingsForm(map[string]string{
		"address": "localhost:443", "timeoutRead": "30 seconds", "setResponseHeaders": "X-Frame-Options DENY",
		"downstreamMtlsCaKeyPairId": "kp-web", "identityProvider": "okta", "cookieSecret": "tooshort-secret-value",
	})
	for _, htmx := range []bool{false, true} {
		var headers []string
		if htmx {
			headers = testutil.HTMX(settingsview.FormID)
		}
		before := storetest.Capture(t, f.app.Store)
		res := cl.PostForm(nsURL(global, "settings"), form, headers...)
		wantStatus(t, res, http.StatusUnprocessableEntity)
		wantFieldErrors(t, res, map[string]string{
			"address": "must use an IP address", "timeoutRead": "must be a number and a unit",
			"setResponseHeaders": "line 1: write each entry as Name: value", "downstreamMtlsCaKeyPairId": "is not a certificate authority",
			"identityProviderClientId": "needs the client id", "identityProviderClientSecret": "needs its client secret",
			"identityProviderUrl": "needs its URL", "cookieSecret": "must be base64",
		})
		if n := res.Doc.Find(`[data-testid="settings-problems"] li`).Length(); n != 8 {
			t.Errorf("summary lists %d problems, want 8", n)
		}
		if v, _ := res.Doc.Find("#f-address").Attr("value"); v != "localhost:443" {
			t.Errorf("submitted address not kept: %q", v)
		}
		if strings.Contains(res.Body, "tooshort-secret-value") {
			t.Error("the typed secret was sent back")
		}
		if htmx == strings.Contains(res.Body, "<html") {
			t.Errorf("htmx=%v: wrong document shape", htmx)
		}
		before.Unchanged(t, f.app.Store)
		if _, ok := storedSettings(t, f.app); ok {
			t.Error("invalid settings were stored")
		}
	}
}

func TestSettingsRBAC(t *testing.T) {
	t.Parallel()
	runSettingsRBAC(t, testutil.NewApp)
}

// runSettingsRBAC: viewers of Global read a disabled form, others get 403;
// only admins of Global save.
func runSettingsRBAC(t *testing.T, newApp appFactory) {
	f := newSettingsFixture(t, newApp)
	save := settingsForm(map[string]string{"logLevel": "debug"})
	needsAdmin := func(role string) string {
		return "this needs the admin role on namespace &#34;Global&#34;; you are a " + role + " there"
	}
	tests := []struct {
		who string
		testutil.Scenario
		readOnly bool
	}{
		{"vic", testutil.Scenario{Name: "viewer reads", URL: nsURL(global, "settings"), Status: http.StatusOK,
			Contains: []string{`data-testid="settings-read-only"`}, Absent: []string{`data-testid="settings-submit"`, `type="password"`}}, true},
		{"max", testutil.Scenario{Name: "manager reads", URL: nsURL(global, "settings"), Status: http.StatusOK}, true},
		{"vic", testutil.Scenario{Name: "viewer reads under a child namespace", URL: nsURL(f.eng, "settings"), Status: http.StatusOK}, true},
		{"gus", testutil.Scenario{Name: "guest cannot read", URL: nsURL(global, "settings"), Status: http.StatusForbidden,
			Contains: []string{"this needs the viewer role on namespace &#34;Global&#34;; you are a guest there"}}, false},
		{"eda", testutil.Scenario{Name: "admin of a child cannot read", URL: nsURL(f.eng, "settings"), Status: http.StatusForbidden,
			Contains: []string{"you have no role on namespace &#34;Global&#34;; the viewer role is needed"}}, false},
		{"vic", testutil.Scenario{Name: "viewer saves", Method: http.MethodPost, URL: nsURL(global, "settings"), Form: save, Status: http.StatusForbidden, Contains: []string{needsAdmin("viewer")}}, false},
		{"max", testutil.Scenario{Name: "manager saves", Method: http.MethodPost, URL: nsURL(global, "settings"), Form: save, Status: http.StatusForbidden, Contains: []string{needsAdmin("manager")}}, false},
		{"eda", testutil.Scenario{Name: "admin of a child saves", Method: http.MethodPost, URL: nsURL(f.eng, "settings"), Form: save, Status: http.StatusForbidden}, false},
		{"ann", testutil.Scenario{Name: "admin reads under a child namespace", URL: nsURL(f.eng, "settings"), Status: http.StatusOK,
			Contains: []string{`action="` + nsURL(f.eng, "settings") + `"`, `data-testid="settings-submit"`}}, false},
	}
	for _, tc := range tests {
		t.Run(tc.Name, func(t *testing.T) {
			cl := f.as(t, tc.who)
			before := storetest.Capture(t, f.app.Store)
			res := tc.Run(t, cl)
			if tc.readOnly {
				if _, disabled := res.Doc.Find(`.settings-fieldset`).Attr("disabled"); !disabled {
					t.Error("the read-only form is not disabled")
				}
			}
			before.Unchanged(t, f.app.Store)
			if _, ok := storedSettings(t, f.app); ok {
				t.Error("settings were stored")
			}
		})
	}
}

func TestSettingsCSRF(t *testing.T) {
	t.Parallel()
	f := newSettingsFixture(t, testutil.NewApp)
	cl := f.as(t, "ann")
	cl.Get(nsURL(global, "settings"))
	for _, tk := range []badToken{noToken, forged("forged token", false), {"token with a suffix", suffixToken.token}} {
		t.Run(tk.name, func(t *testing.T) {
			wantCSRFRefused(t, cl, nsURL(global, "settings"), settingsForm(map[string]string{"logLevel": "debug"}), tk)
			if _, ok := storedSettings(t, f.app); ok {
				t.Error("settings were stored")
			}
		})
	}
	// The htmx header works as the form field does.
	res := cl.PostFormRaw(nsURL(global, "settings"), settingsForm(map[string]string{"logLevel": "debug"}),
		append(testutil.HTMX(settingsview.FormID), "X-CSRF-Token", cl.CSRFToken())...)
	wantStatus(t, res, http.StatusOK)
}

// TestSettingsOnPostgres runs the settings scenarios on Postgres; it skips
// without POSTGRES_TEST_URL.
func TestSettingsOnPostgres(t *testing.T) {
	runOnPostgres(t, []scenario{
		{"page", runSettingsPage}, {"save", runSettingsSave}, {"validation", runSettingsValidation}, {"RBAC", runSettingsRBAC},
	})
}
