package web_test

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/pomerium-console-oss/pomerium-console/app/testutil"
	"github.com/pomerium-console-oss/pomerium-console/db"
)

func TestRouteEditAndSecrets(t *testing.T) {
	t.Parallel()
	runRouteEditAndSecrets(t, testutil.NewApp)
}

func runRouteEditAndSecrets(t *testing.T, newApp appFactory) {
	f := newRouteFixture(t, newApp)
	cl := f.as(t, "max", nsURL(f.eng, "routes/new"))
	wantStatus(t, cl.PostForm(nsURL(f.eng, "routes"), fullRouteForm(f)), http.StatusSeeOther)
	r, _ := routeByName(t, f.app, f.eng, "Grafana")
	page := nsURL(f.eng, "routes/"+r.ID)
	edit := cl.Get(page + "/edit")
	wantStatus(t, edit, http.StatusOK)
	for sel, want := range map[string]string{
		`#f-name`: "Grafana", `#f-from`: "https://grafana.eng.example.com", `#f-prefix`: "/app", `#f-regexPriorityOrder`: "-2",
		`input[name="healthChecks.0.httpHealthCheck.expectedStatuses"]`: "200-300, 404-405",
		`input[name="rewriteResponseHeaders.0.header"]`:                 "Location", `#f-identityProviderClientId`: "grafana-client",
	} {
		if got := edit.Doc.Find(sel).AttrOr("value", ""); got != want {
			t.Errorf("%s = %q, want %q", sel, got, want)
		}
	}
	if got := edit.Text(`#f-setRequestHeaders`); got != "X-Empty: \nX-Team: eng" {
		t.Errorf("request headers %q", got)
	}
	if !edit.Has(`[data-testid="secret-identityProviderClientSecret"] .badge`) || edit.Has(`[data-testid="secret-kubernetesServiceAccountToken"] .badge`) {
		t.Error("the edit form does not say which secrets are set")
	}
	if strings.Contains(edit.Body, "s3cret-value") || strings.Contains(edit.Body, r.Spec.SealedIdentityProviderClientSecret) {
		t.Fatal("the edit form holds the client secret")
	}
	form := with(fullRouteForm(f), "name", "Grafana 2")
	form.Del("identityProviderClientSecret")
	tests := []struct {
		name   string
		change url.Values
		secret string // "kept", "replaced" or "cleared"
	}{
		{"kept when left alone", form, "kept"},
		{"replaced", with(form, "identityProviderClientSecret.action", "set", "identityProviderClientSecret", "n3w"), "replaced"},
		{"cleared with its client id", with(form, "identityProviderClientSecret.action", "clear", "identityProviderClientId", ""), "cleared"},
	}
	for _, tc := range tests {
		before, _ := routeByName(t, f.app, f.eng, "Grafana 2")
		if before.ID == "" {
			before = r
		}
		res := cl.PostForm(page, tc.change)
		wantStatus(t, res, http.StatusSeeOther)
		after, _ := routeByName(t, f.app, f.eng, "Grafana 2")
		got := "replaced"
		switch after.Spec.SealedIdentityProviderClientSecret {
		case "":
			got = "cleared"
		case before.Spec.SealedIdentityProviderClientSecret:
			got = "kept"
		}
		if got != tc.secret {
			t.Errorf("%s: secret %s", tc.name, got)
		}
	}
	if got := cl.Get(page).Text(`[data-testid="toast"]`); got != "Route “Grafana 2” saved." {
		t.Errorf("flash %q", got)
	}
	updates := 0
	for _, e := range activityEntries(t, f.app) {
		if e.EntityID == r.ID && e.ActivityType == db.ActivityUpdate {
			updates++
			if strings.Contains(e.Before+e.After, "n3w") || strings.Contains(e.Before+e.After, "v1.") {
				t.Errorf("an activity entry holds a secret: %s", e.After)
			}
		}
	}
	if updates != 3 {
		t.Errorf("%d update entries, want 3", updates)
	}
}

func TestRouteClone(t *testing.T) {
	t.Parallel()
	f := newRouteFixture(t, testutil.NewApp)
	cl := f.as(t, "max", nsURL(f.eng, "routes/new"))
	src := nsURL(f.eng, "routes/"+f.wiki.ID)
	res := cl.Get(src + "/clone")
	wantStatus(t, res, http.StatusOK)
	form := res.Doc.Find(`form[data-testid="route-form"]`)
	if action, _ := form.Attr("action"); action != nsURL(f.eng, "routes") || res.Text("h1") != "Clone route" {
		t.Errorf("clone form posts to %q, titled %q", action, res.Text("h1"))
	}
	if got := res.Doc.Find("#f-name").AttrOr("value", ""); got != "Wiki (copy)" {
		t.Errorf("clone named %q", got)
	}
	checked := res.Doc.Find(`input[name="policyIds"][checked]`).AttrOr("value", "")
	if checked != f.engineers.ID {
		t.Errorf("clone attaches %q", checked)
	}
	copyForm := url.Values{"clone": {"1"}, "name": {"Wiki (copy)"}, "from": {f.wiki.From}, "action": {"to"},
		"to": {"http://wiki.internal"}, "policyIds": {f.engineers.ID}}
	res = cl.PostForm(nsURL(f.eng, "routes"), copyForm)
	wantStatus(t, res, http.StatusUnprocessableEntity)
	wantFieldErrors(t, res, map[string]string{"from": `route "Wiki" in namespace "Eng" already answers these requests`})
	if res.Text("h1") != "Clone route" {
		t.Errorf("a refused clone is titled %q", res.Text("h1"))
	}
	res = cl.PostForm(nsURL(f.eng, "routes"), with(copyForm, "from", "https://wiki2.eng.example.com"))
	wantStatus(t, res, http.StatusSeeOther)
	if r, ok := routeByName(t, f.app, f.eng, "Wiki (copy)"); !ok || !slices.Equal(r.PolicyIDs, []string{f.engineers.ID}) {
		t.Fatalf("clone stored as %+v", r)
	}
}

func TestRouteDelete(t *testing.T) {
	t.Parallel()
	f := newRouteFixture(t, testutil.NewApp)
	page := nsURL(f.eng, "routes/"+f.wiki.ID)
	cl := f.as(t, "max", page)
	shown := cl.Get(page)
	if msg := shown.Text(`dialog#delete-route .modal-body p`); !strings.HasPrefix(msg, "https://wiki.eng.example.com stops answering") {
		t.Errorf("delete dialog says %q", msg)
	}
	res := cl.PostForm(page+"/delete", nil)
	wantStatus(t, res, http.StatusSeeOther)
	if res.Location() != nsURL(f.eng, "routes") {
		t.Errorf("redirect to %q", res.Location())
	}
	if got := cl.Get(res.Location()).Text(`[data-testid="toast"]`); got != "Route “Wiki” deleted." {
		t.Errorf("flash %q", got)
	}
	if _, ok := routeByName(t, f.app, f.eng, "Wiki"); ok {
		t.Fatal("the route is still stored")
	}
	if e := activityEntries(t, f.app)[0]; e.ActivityType != db.ActivityDelete || e.EntityID != f.wiki.ID || e.UserID != "max" {
		t.Errorf("activity %+v", e)
	}
	wantStatus(t, cl.PostForm(page+"/delete", nil), http.StatusNotFound)
}

func TestRoutePage(t *testing.T) {
	t.Parallel()
	f := newRouteFixture(t, testutil.NewApp)
	page := nsURL(f.eng, "routes/"+f.wiki.ID)
	res := f.as(t, "vic", page).Get(page)
	wantStatus(t, res, http.StatusOK)
	if got := res.Text("h1"); got != "Wiki" {
		t.Errorf("title %q", got)
	}
	facts := map[string]string{}
	for _, item := range res.Doc.Find(`[data-testid="route-facts"] > div`).EachIter() {
		facts[strings.TrimSpace(item.Find("dt").Text())] = strings.TrimSpace(item.Find("dd").Text())
	}
	for term, want := range map[string]string{"Namespace": "Eng", "From": "https://wiki.eng.example.com", "Matching": "every path", "To": "http://wiki.internal"} {
		if facts[term] != want {
			t.Errorf("%s: %q, want %q", term, facts[term], want)
		}
	}
	eff := res.Doc.Find(`[data-testid="effective-policy"]`)
	var names []string
	for _, a := range eff.Find(`.effective-head a`).EachIter() {
		names = append(names, strings.TrimSpace(a.Text()))
	}
	if !slices.Equal(names, []string{"Staff", "Engineers"}) {
		t.Errorf("effective policies %q, want Staff then Engineers", names)
	}
	for _, p := range []db.Policy{f.staff, f.engineers} {
		if code := res.Text("#rego-" + p.ID + "-code"); code != strings.TrimSpace(p.Rego) || !strings.HasPrefix(code, "package pomerium.policy") {
			t.Errorf("Rego of %s: %.80q", p.Name, code)
		}
	}
	if got := texts(res, `[data-testid="effective-policy"] .badge`); !slices.Equal(got, []string{"Enforced", "Attached"}) {
		t.Errorf("badges %q", got)
	}
	cert := res.Doc.Find(`[data-testid="route-certificates"] [data-testid="cert-row"]`)
	if cert.Length() != 1 || !strings.Contains(cert.Text(), "eng wildcard") || strings.TrimSpace(cert.Find(".badge").Text()) != "Expiring" {
		t.Errorf("certificates:\n%s", cert.Text())
	}
	if res.Has(`[data-testid="edit-route"]`) {
		t.Error("a viewer is offered Edit")
	}
}

// TestPolicyPageListsRoutes checks a policy's page names the routes it
// applies to: attached (REST routes) and, when enforced, in its scope.
func TestPolicyPageListsRoutes(t *testing.T) {
	t.Parallel()
	f := newRouteFixture(t, testutil.NewApp)
	putRoute(t, f.app, db.Route{ID: "rt-crm", NamespaceID: f.sales, Name: "CRM", From: "https://crm.example.com", MatchKey: "crm"})
	cl := f.as(t, "root", nsURL(global, "policies"))
	tests := []struct {
		policy             db.Policy
		attached, enforced []string
	}{
		{f.engineers, []string{"Wiki"}, nil},
		{f.staff, nil, []string{"CRM", "Wiki"}},
		{f.salesOnly, nil, nil},
	}
	for _, tc := range tests {
		res := cl.Get(nsURL(tc.policy.NamespaceID, "policies/"+tc.policy.ID))
		wantStatus(t, res, http.StatusOK)
		if got := texts(res, `[data-testid="attached-routes"] a`); !slices.Equal(got, tc.attached) {
			t.Errorf("%s attached to %q, want %q", tc.policy.Name, got, tc.attached)
		}
		if got := texts(res, `[data-testid="enforced-routes"] a`); !slices.Equal(got, tc.enforced) {
			t.Errorf("%s enforced on %q, want %q", tc.policy.Name, got, tc.enforced)
		}
	}
	if got := texts(cl.Get(nsURL(global, "policies/"+f.staff.ID)), `[data-testid="policy-routes"] h3`); !slices.Equal(got, []string{"Enforced on 2 routes", "Attached to no route"}) {
		t.Errorf("headings %q", got)
	}
	res := cl.PostForm(nsURL(f.eng, "policies/"+f.engineers.ID+"/delete"), nil)
	wantStatus(t, res, http.StatusSeeOther)
	if got := cl.Get(res.Location()).Text(`[data-testid="toast"]`); got != `policy "Engineers" is still used by route "Wiki" (namespace "Eng"): detach it from them first` {
		t.Errorf("delete refusal %q", got)
	}
}
