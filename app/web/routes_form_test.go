package web_test

import (
	"net/http"
	"net/url"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/pomerium-console-oss/pomerium-console/app/routes"
	"github.com/pomerium-console-oss/pomerium-console/app/testutil"
	"github.com/pomerium-console-oss/pomerium-console/db"
	"github.com/pomerium-console-oss/pomerium-console/db/storetest"
)

func TestRouteNewForm(t *testing.T) {
	t.Parallel()
	f := newRouteFixture(t, testutil.NewApp)
	res := f.as(t, "max", nsURL(f.eng, "routes/new")).Get(nsURL(f.platform, "routes/new"))
	wantStatus(t, res, http.StatusOK)
	form := res.Doc.Find(`form[data-testid="route-form"]`)
	if action, _ := form.Attr("action"); action != nsURL(f.platform, "routes") {
		t.Errorf("form posts to %q", action)
	}
	if got, _ := form.Attr("hx-post"); got != nsURL(f.platform, "routes/validate") || form.AttrOr("hx-trigger", "") != "change" {
		t.Errorf("inline validation posts to %q on %q", got, form.AttrOr("hx-trigger", ""))
	}
	if got, _ := res.Doc.Find(`[data-testid="route-submit"]`).Attr("hx-post"); got != nsURL(f.platform, "routes") {
		t.Errorf("the form saves to %q", got)
	}
	wantSections := []string{"Basics", "Matching", "Rewrite", "Headers", "Timeouts", "TLS", "Load balancing & health", "Advanced"}
	if got := texts(res, `[data-testid="form-nav"] a`); !slices.Equal(got, wantSections) {
		t.Errorf("section nav %q, want %q", got, wantSections)
	}
	if got := texts(res, `.card-header h2`); !slices.Equal(got, wantSections) {
		t.Errorf("sections %q, want %q", got, wantSections)
	}
	// Optional policies of the namespace and its ancestors only; enforced ones are named.
	var offered []string
	for _, in := range res.Doc.Find(`input[name="policyIds"]`).EachIter() {
		v, _ := in.Attr("value")
		offered = append(offered, v)
	}
	if !slices.Equal(offered, []string{f.engineers.ID}) {
		t.Errorf("offered policies %q, want only Engineers", offered)
	}
	if got := res.Text(`[data-testid="enforced-policies"]`); !strings.Contains(got, "Staff") {
		t.Errorf("enforced policies %q, want Staff named", got)
	}
	if got := texts(res, `select[name="tlsClientKeyPairId"] option`); !slices.Equal(got, []string{"None", "eng wildcard · Eng (expiring)"}) {
		t.Errorf("key pair options %q", got)
	}
	for sel, want := range map[string]string{
		"h1": "New route", `[data-testid="route-submit"]`: "Create route", `#sec-basics .card-header p`: "In namespace Platform.",
	} {
		if got := res.Text(sel); got != want {
			t.Errorf("%s reads %q, want %q", sel, got, want)
		}
	}
	if !res.Has(`#action-to[checked]`) {
		t.Error("a new route does not start by proxying to upstreams")
	}
	if !res.Has(`input[type="password"][name="identityProviderClientSecret"][hx-preserve]`) {
		t.Error("the IdP client secret is not a preserved password input")
	}
}

// fullRouteForm sets a field of every section.
func fullRouteForm(f routeFixture) url.Values {
	return url.Values{
		"name": {"Grafana"}, "from": {"https://Grafana.eng.example.com/"}, "action": {"to"},
		"to": {"http://grafana-1.internal:3000\r\n\r\nhttp://grafana-2.internal:3000"}, "policyIds": {f.engineers.ID},
		"prefix": {"/app"}, "regexPriorityOrder": {"-2"}, "prefixRewrite": {"/"},
		"regexRewritePattern": {"^/v1/(.*)$"}, "regexRewriteSubstitution": {`/v2/\1`}, "hostRewriteHeader": {"X-Host"},
		"setRequestHeaders": {"X-Team: eng\nX-Empty:"}, "removeRequestHeaders": {"X-Debug\n\nX-Trace"},
		"setResponseHeaders": {"Cache-Control: no-store"}, "passIdentityHeaders": {"false"},
		"rewriteResponseHeaders.0.header": {"Location"}, "rewriteResponseHeaders.0.prefix": {"http://grafana.internal/"},
		"rewriteResponseHeaders.0.value":  {"https://grafana.eng.example.com/"},
		"rewriteResponseHeaders.1.header": {""}, "rewriteResponseHeaders.1.prefix": {""}, "rewriteResponseHeaders.1.value": {""},
		"timeout": {"1m"}, "idleTimeout": {"10m"}, "tlsClientKeyPairId": {f.cert.ID}, "tlsUpstreamServerName": {"grafana.internal"},
		"tlsUpstreamAllowRenegotiation": {"true"}, "loadBalancingPolicy": {"ring_hash"},
		"healthChecks.0.kind": {"http"}, "healthChecks.0.timeout": {"5s"}, "healthChecks.0.interval": {"10s"},
		"healthChecks.0.unhealthyThreshold": {"3"}, "healthChecks.0.healthyThreshold": {"1"},
		"healthChecks.0.httpHealthCheck.path": {"/api/health"}, "healthChecks.0.httpHealthCheck.expectedStatuses": {"200-300, 404"},
		"healthChecks.0.tcpHealthCheck.send": {"left over from another kind"},
		"allowWebsockets":                    {"true"}, "showErrorDetails": {"true"}, "jwtIssuerFormat": {"uri"},
		"identityProviderClientId": {"grafana-client"}, "identityProviderClientSecret": {"s3cret-value"},
		"kubernetesServiceAccountToken": {""},
	}
}

func TestRouteCreate(t *testing.T) {
	t.Parallel()
	runRouteCreate(t, testutil.NewApp)
}

func runRouteCreate(t *testing.T, newApp appFactory) {
	f := newRouteFixture(t, newApp)
	cl := f.as(t, "max", nsURL(f.eng, "routes/new"))
	res := cl.PostForm(nsURL(f.eng, "routes"), fullRouteForm(f))
	wantStatus(t, res, http.StatusSeeOther)
	r, ok := routeByName(t, f.app, f.eng, "Grafana")
	if !ok {
		t.Fatal("the route was not stored")
	}
	if res.Location() != nsURL(f.eng, "routes/"+r.ID) {
		t.Errorf("redirect to %q", res.Location())
	}
	prio, pass := int64(-2), false
	want := db.RouteSpec{
		PrefixRewrite: "/", RegexRewritePattern: "^/v1/(.*)$", RegexRewriteSubstitution: `/v2/\1`, HostRewriteHeader: "X-Host",
		RegexPriorityOrder: &prio, SetRequestHeaders: map[string]string{"X-Team": "eng", "X-Empty": ""},
		RemoveRequestHeaders: []string{"X-Debug", "X-Trace"}, SetResponseHeaders: map[string]string{"Cache-Control": "no-store"},
		RewriteResponseHeaders: []db.RouteRewriteHeader{{Header: "Location", Prefix: "http://grafana.internal/", Value: "https://grafana.eng.example.com/"}},
		PassIdentityHeaders:    &pass, Timeout: "1m", IdleTimeout: "10m", TLSUpstreamServerName: "grafana.internal",
		TLSUpstreamAllowRenegotiation: true, LoadBalancingPolicy: "ring_hash",
		HealthChecks: []db.RouteHealthCheck{{Timeout: "5s", Interval: "10s", UnhealthyThreshold: 3, HealthyThreshold: 1,
			HTTP: &db.RouteHTTPHealthCheck{Path: "/api/health", ExpectedStatuses: []db.RouteStatusRange{{Start: 200, End: 300}, {Start: 404, End: 405}}}}},
		AllowWebsockets: true, ShowErrorDetails: true, JWTIssuerFormat: "uri", IdentityProviderClientID: "grafana-client",
		SealedIdentityProviderClientSecret: r.Spec.SealedIdentityProviderClientSecret,
	}
	if !reflect.DeepEqual(r.Spec, want) {
		t.Errorf("stored spec\n%+v, want\n%+v", r.Spec, want)
	}
	if r.From != "https://grafana.eng.example.com" || r.Prefix != "/app" || r.TLSClientKeyPairID != f.cert.ID ||
		!slices.Equal(r.To, []string{"http://grafana-1.internal:3000", "http://grafana-2.internal:3000"}) ||
		!slices.Equal(r.PolicyIDs, []string{f.engineers.ID}) {
		t.Errorf("stored route %+v", r)
	}
	if plain, err := sealerOf(t, f.app).Open(r.Spec.SealedIdentityProviderClientSecret, routes.SealContext(r.ID, "idp_client_secret")); err != nil || string(plain) != "s3cret-value" {
		t.Errorf("client secret opens to %q, %v", plain, err)
	}
	page := cl.Get(res.Location())
	wantStatus(t, page, http.StatusOK)
	if got := page.Text(`[data-testid="toast"]`); got != "Route “Grafana” created." {
		t.Errorf("flash %q", got)
	}
	if strings.Contains(page.Body, "s3cret-value") || strings.Contains(page.Body, r.Spec.SealedIdentityProviderClientSecret) {
		t.Error("the route page shows the client secret")
	}
	entries := activityEntries(t, f.app)
	if e := entries[0]; e.EntityType != "route" || e.ActivityType != db.ActivityCreate || e.EntityName != "Grafana" ||
		!strings.Contains(e.After, `"identityProviderClientSecret": "set"`) || strings.Contains(e.After, "s3cret") {
		t.Errorf("activity entry %+v", e)
	}
}

func TestRouteFormValidation(t *testing.T) {
	t.Parallel()
	runRouteFormValidation(t, testutil.NewApp)
}

func runRouteFormValidation(t *testing.T, newApp appFactory) {
	f := newRouteFixture(t, newApp)
	cl := f.as(t, "max", nsURL(f.eng, "routes/new"))
	bad := with(fullRouteForm(f), "name", "wiki", "from", "https://x.example.com/admin", "regexPriorityOrder", "first",
		"setRequestHeaders", "X-Team eng", "timeout", "30", "healthChecks.0.httpHealthCheck.expectedStatuses", "2xx",
		"identityProviderClientId", "", "tlsClientKeyPairId", "nope")
	want := map[string]string{
		"name":               `this namespace already has a route named "Wiki"`,
		"from":               `must not have a path (got "/admin")`,
		"regexPriorityOrder": "must be a whole number",
		"setRequestHeaders":  "line 1: write a header as Name: value",
		"timeout":            "must be a number and a unit",
		"healthChecks.0.httpHealthCheck.expectedStatuses": "write statuses as 200 or as ranges like 200-300",
		"identityProviderClientId":                        "enter the client id this secret belongs to",
		"tlsClientKeyPairId":                              "key pair nope does not exist",
		"path":                                            "set only one of prefix, path and regex",
	}
	bad.Set("path", "/x")
	before := storetest.Capture(t, f.app.Store)
	for _, mode := range []struct {
		name    string
		headers []string
	}{{"full page", nil}, {"htmx", testutil.HTMX("")}} {
		t.Run(mode.name, func(t *testing.T) {
			res := cl.PostForm(nsURL(f.eng, "routes"), bad, mode.headers...)
			wantStatus(t, res, http.StatusUnprocessableEntity)
			wantFieldErrors(t, res, want)
			if res.Has(`[data-testid="nav"]`) == (mode.headers != nil) {
				t.Errorf("layout shown: %v", res.Has(`[data-testid="nav"]`))
			}
			if v, _ := res.Doc.Find(`#f-from`).Attr("value"); v != "https://x.example.com/admin" {
				t.Errorf("from came back as %q", v)
			}
			if got := res.Doc.Find(`input[name="healthChecks.0.httpHealthCheck.expectedStatuses"]`).AttrOr("value", ""); got != "2xx" {
				t.Errorf("statuses came back as %q", got)
			}
			if strings.Contains(res.Body, "s3cret-value") {
				t.Error("the typed client secret is rendered back")
			}
			if got := texts(res, `[data-testid="form-error"] a`); !slices.Equal(got, []string{"Basics", "Matching", "Headers", "Timeouts", "TLS", "Load balancing & health", "Advanced"}) {
				t.Errorf("sections with errors %q", got)
			}
			if got := texts(res, `[data-testid="form-nav"] a.has-error`); len(got) != 7 {
				t.Errorf("nav marks %q", got)
			}
		})
	}
	before.Unchanged(t, f.app.Store)
}

// TestRouteInlineValidation posts the form as htmx does on each change:
// the form comes back with its errors, leaving out fields not filled in.
func TestRouteInlineValidation(t *testing.T) {
	t.Parallel()
	f := newRouteFixture(t, testutil.NewApp)
	cl := f.as(t, "max", nsURL(f.eng, "routes/new"))
	before := storetest.Capture(t, f.app.Store)
	tests := []struct {
		name string
		url  string
		form url.Values
		want map[string]string
	}{
		{"a fresh form shows nothing", nsURL(f.eng, "routes/validate"), url.Values{"action": {"to"}}, map[string]string{}},
		{"only what is wrong, not what is missing", nsURL(f.eng, "routes/validate"),
			url.Values{"action": {"to"}, "from": {"https://wiki.eng.example.com"}, "timeout": {"30"}, "regexPriorityOrder": {"x"}},
			map[string]string{
				"from":               `route "Wiki" in namespace "Eng" already answers these requests`,
				"timeout":            "must be a number and a unit",
				"regexPriorityOrder": "must be a whole number",
			}},
		{"a redirect not filled in yet", nsURL(f.eng, "routes/validate"), url.Values{"action": {"redirect"}, "name": {"R"}}, map[string]string{}},
		{"a redirect to a bad port", nsURL(f.eng, "routes/validate"), url.Values{"action": {"redirect"}, "redirect.portRedirect": {"http"}},
			map[string]string{"redirect.portRedirect": "must be a port from 1 to 65535"}},
		{"editing a route checks it against the others", nsURL(f.eng, "routes/"+f.wiki.ID+"/validate"),
			with(routeForm("Wiki", "wiki.eng.example.com"), "timeout", "soon"), map[string]string{"timeout": "must be a number and a unit"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := cl.PostForm(tc.url, tc.form, testutil.HTMX("")...)
			wantStatus(t, res, http.StatusOK)
			wantFieldErrors(t, res, tc.want)
			if !res.Has(`form#route-form`) || res.Has(`[data-testid="nav"]`) {
				t.Errorf("not the form alone:\n%.300s", res.Body)
			}
		})
	}
	before.Unchanged(t, f.app.Store)
}

// TestRouteFormRows adds and removes header rewrites and health checks
// without saving.
func TestRouteFormRows(t *testing.T) {
	t.Parallel()
	f := newRouteFixture(t, testutil.NewApp)
	cl := f.as(t, "max", nsURL(f.eng, "routes/new"))
	form := with(fullRouteForm(f), "name", "Rows")
	tests := []struct {
		cmd              string
		rewrites, health int
	}{
		{"add-rewrite", 3, 1}, {"add-health", 2, 2}, {"remove-rewrite:0", 1, 1}, {"remove-health:0", 2, 0},
		{"remove-health:7", 2, 1}, {"bogus", 2, 1},
	}
	for _, tc := range tests {
		t.Run(tc.cmd, func(t *testing.T) {
			res := cl.PostForm(nsURL(f.eng, "routes"), with(form, "cmd", tc.cmd), testutil.HTMX("")...)
			wantStatus(t, res, http.StatusOK)
			got := [2]int{res.Doc.Find(`[data-testid^="rewrite-"]`).Length(), res.Doc.Find(`[data-testid^="health-"]`).Length()}
			if got != [2]int{tc.rewrites, tc.health} {
				t.Errorf("rows %v, want %v", got, [2]int{tc.rewrites, tc.health})
			}
			if len(res.FieldErrors()) != 0 {
				t.Errorf("a row command shows errors: %v", res.FieldErrors())
			}
		})
	}
	added := cl.PostForm(nsURL(f.eng, "routes"), with(form, "cmd", "add-health"))
	if got := added.Doc.Find(`select[name="healthChecks.1.kind"] option[selected]`).AttrOr("value", ""); got != "http" {
		t.Errorf("a new health check is %q", got)
	}
	if _, ok := routeByName(t, f.app, f.eng, "Rows"); ok {
		t.Fatal("a row command saved the route")
	}
}
