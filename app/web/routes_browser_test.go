package web_test

import (
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/pomerium-console-oss/pomerium-console/app/testutil"
	"github.com/pomerium-console-oss/pomerium-console/views/components/viewtest"
)

// TestBrowserRouteWithKeyPairAndPolicy is the flow in headless
// Chromium: generate a key pair, create a route that uses it and an
// existing policy (seeing an inline error on the way), and read the
// route's effective policy with its compiled Rego and its certificate.
func TestBrowserRouteWithKeyPairAndPolicy(t *testing.T) {
	t.Parallel()
	browser := viewtest.StartBrowser(t)
	app := testutil.NewApp(t)
	policy := putPolicy(t, app, global, "Engineers", false, pplEngineers)
	putPolicy(t, app, global, "No interns", true, pplNoInterns)
	base, token := serve(t, app)
	routesURL := base + nsURL(global, "routes")
	runBrowserSteps(t, browser, "routes", []browserStep{
		{"sign in", signIn(base, token), `true`},
		{"no routes yet", []chromedp.Action[chromedp.Void]{
			chromedp.Navigate(routesURL), chromedp.WaitVisible(chromedp.CSS(`[data-testid="empty-state"]`)),
		}, `document.querySelector('[data-testid="empty-state"] h2').textContent.trim() === "No routes"`},
		{"generate a key pair for the host", []chromedp.Action[chromedp.Void]{
			chromedp.Navigate(base + nsURL(global, "certificates/generate")), chromedp.WaitVisible(chromedp.CSS(`[data-testid="generate-form"]`)),
			htmxLoaded, setValue("#f-name", "app cert"), setValue("#f-commonName", "app.example.com"), setValue("#f-sans", "app.example.com"),
			chromedp.Click(chromedp.CSS(`[data-testid="generate-submit"]`)),
			chromedp.WaitVisible(chromedp.CSS(`[data-testid="key-pair-facts"]`)),
		}, `document.querySelector("h1").textContent.trim() === "app cert"`},
		{"a new route with a path in its from URL", []chromedp.Action[chromedp.Void]{
			chromedp.Navigate(routesURL), chromedp.Click(chromedp.CSS(`[data-testid="add-route"]`)),
			chromedp.WaitVisible(chromedp.CSS(`[data-testid="route-form"]`)), htmxLoaded,
			markNotReloaded,
			setValue("#f-name", "App"),
			pick("#f-from", "https://app.example.com/admin"),
			chromedp.WaitVisible(chromedp.CSS(`[data-testid="field-error-from"]`)), idle,
		}, `window.notReloaded === true && document.querySelector('[data-testid="field-error-from"]').textContent.includes("must not have a path") &&
			document.querySelector("#f-name").value === "App" && !document.querySelector('[data-testid="field-error-to"]') &&
			document.querySelector('[data-testid="form-nav"] a.has-error').textContent.includes("Basics")`},
		{"fix it, attach the policy and the key pair", []chromedp.Action[chromedp.Void]{
			pick("#f-from", "https://app.example.com"),
			chromedp.WaitNotPresent(chromedp.CSS(`[data-testid="field-error-from"]`)), idle,
			pick("#f-to", "http://app.internal:8080"), idle,
			js(`document.querySelector('input[name="policyIds"][value="` + policy.ID + `"]').click()`), idle,
			js(`const s = document.querySelector("#f-tlsClientKeyPairId");
				s.value = [...s.options].find(o => o.textContent.startsWith("app cert")).value;
				s.dispatchEvent(new Event("change", {bubbles: true}))`), idle,
		}, `document.querySelector('input[name="policyIds"][value="` + policy.ID + `"]').checked &&
			document.querySelector("#f-tlsClientKeyPairId").selectedOptions[0].textContent.startsWith("app cert") &&
			document.querySelector("#f-to").value === "http://app.internal:8080" && !document.querySelector('[data-testid="form-error"]')`},
		{"save it and read its effective policy", []chromedp.Action[chromedp.Void]{
			chromedp.Click(chromedp.CSS(`[data-testid="route-submit"]`)),
			chromedp.WaitVisible(chromedp.CSS(`[data-testid="effective-policy"]`)),
			js(`document.querySelectorAll('[data-testid="effective-policy"] details').forEach(d => d.open = true)`),
		}, `document.querySelector("h1").textContent.trim() === "App" &&
			document.querySelector('[data-testid="toast"]').textContent.includes("Route “App” created.") &&
			[...document.querySelectorAll('[data-testid="effective-policy"] .effective-head a')].map(a => a.textContent.trim()).join() === "No interns,Engineers" &&
			document.querySelector("#rego-` + policy.ID + `-code").textContent.startsWith("package pomerium.policy") &&
			document.querySelector('[data-testid="effective-policy"] details[open] pre').offsetHeight > 0`},
		{"its certificate", []chromedp.Action[chromedp.Void]{
			chromedp.ScrollIntoView(chromedp.CSS(`[data-testid="route-certificates"]`)),
		}, `[...document.querySelectorAll('[data-testid="route-certificates"] [data-testid="cert-row"] td.primary a')].map(a => a.textContent.trim()).join() === "app cert,app cert" &&
			document.querySelector('[data-testid="route-certificates"]').textContent.includes("Client certificate to the upstream")`},
		{"the list", []chromedp.Action[chromedp.Void]{
			chromedp.Navigate(routesURL), chromedp.WaitVisible(chromedp.CSS(`[data-testid="route-table"]`)),
		}, `[...document.querySelectorAll('[data-testid="route-row"] td')].map(td => td.textContent.trim()).slice(0, 5).join("|") === "App|https://app.example.com|http://app.internal:8080|Global|1"`},
	})
	r, ok := routeByName(t, app, global, "App")
	if !ok || len(r.PolicyIDs) != 1 || r.PolicyIDs[0] != policy.ID || r.TLSClientKeyPairID == "" {
		t.Fatalf("stored %+v", r)
	}
}
