package web_test

import (
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/pomerium-console-oss/pomerium-console/app/databroker/databrokertest"
	"github.com/pomerium-console-oss/pomerium-console/app/testutil"
	"github.com/pomerium-console-oss/pomerium-console/views/components/viewtest"
)

// TestBrowserDeployments drives the deployment flow in headless Chromium
// with auto-apply off: a route is changed, the pending-changes pill and bar
// appear, the review lists the change and its diff, the apply makes
// deployment #2 (pushed to the in-process databroker), and #1 and #2 are
// compared in both diff layouts.
func TestBrowserDeployments(t *testing.T) {
	t.Parallel()
	browser := viewtest.StartBrowser(t)
	broker := databrokertest.Start(t)
	app := testutil.NewApp(t, withDatabroker(broker))
	cl := app.AsRecovery(t, global)
	loadHome(t, cl)
	addRoute(t, cl, global, "app")
	applied(t, cl, "First routes")
	r, ok := routeByName(t, app, global, "app")
	if !ok {
		t.Fatal("no route app")
	}
	base, token := serve(t, app)
	runBrowserSteps(t, browser, "deployments", []browserStep{
		{"sign in", signIn(base, token), `true`},
		{"nothing pending", []chromedp.Action[chromedp.Void]{
			chromedp.Navigate(base + deployURL(global, "")), chromedp.WaitVisible(chromedp.CSS(`[data-testid="deployment-table"]`)),
		}, `!document.querySelector('[data-testid="pending-bar"]') && !document.querySelector('[data-testid="pending-changes"]') &&
			document.querySelector('[data-testid="deployment-1"]').dataset.status === "current"`},
		{"change the route", []chromedp.Action[chromedp.Void]{
			chromedp.Navigate(base + nsURL(global, "routes/"+r.ID+"/edit")), chromedp.WaitVisible(chromedp.CSS(`[data-testid="route-form"]`)),
			htmxLoaded, pick("#f-to", "http://app-v2.internal:8080"), idle,
			chromedp.Click(chromedp.CSS(`[data-testid="route-submit"]`)),
			chromedp.WaitVisible(chromedp.CSS(`[data-testid="pending-changes"]`)),
		}, `document.querySelector('[data-testid="pending-changes"]').textContent.trim() === "1 pending change"`},
		{"the pill leads to the bar", []chromedp.Action[chromedp.Void]{
			chromedp.Click(chromedp.CSS(`[data-testid="pending-changes"]`)),
			chromedp.WaitVisible(chromedp.CSS(`[data-testid="pending-bar"]`)),
		}, `document.querySelector('[data-testid="pending-bar"]').textContent.includes("1 pending change") &&
			document.querySelector('[data-testid="pending-bar"]').textContent.includes("1 changed")`},
		{"review", []chromedp.Action[chromedp.Void]{
			chromedp.Click(chromedp.CSS(`[data-testid="review-changes"]`)),
			chromedp.WaitVisible(chromedp.CSS(`[data-testid="apply-form"]`)),
		}, `[...document.querySelectorAll('[data-testid="pending-changes"] td.primary')].map(td => td.textContent.trim()).join() === "app" &&
			document.querySelector('[data-testid="diff-unified"] tr.diff-ins').textContent.includes("http://app-v2.internal:8080") &&
			document.querySelector('[data-testid="diff-unified"] tr.diff-rem').textContent.includes("http://app.internal:8080")`},
		{"apply with a message", []chromedp.Action[chromedp.Void]{
			htmxLoaded, setValue("#f-message", "Move app to v2"),
			chromedp.Click(chromedp.CSS(`[data-testid="apply-submit"]`)),
			chromedp.WaitVisible(chromedp.CSS(`[data-testid="deployment-facts"]`)),
		}, `document.querySelector("h1").textContent.trim() === "Deployment #2" &&
			document.querySelector('[data-testid="toast"]').textContent.includes("Deployment #2 applied.") &&
			document.querySelector('[data-testid="deployment-facts"]').textContent.includes("Move app to v2") &&
			!document.querySelector('[data-testid="pending-changes"]')`},
		{"the history", []chromedp.Action[chromedp.Void]{
			chromedp.Navigate(base + deployURL(global, "")), chromedp.WaitVisible(chromedp.CSS(`[data-testid="deployment-2"]`)),
		}, `document.querySelector('[data-testid="deployment-2"]').dataset.status === "current" &&
			document.querySelector('[data-testid="deployment-1"]').dataset.status === "applied" &&
			document.querySelector('[data-testid="deployment-2"]').textContent.includes("Move app to v2")`},
		{"compare #1 with #2", []chromedp.Action[chromedp.Void]{
			chromedp.Click(chromedp.CSS(`[data-testid="deployment-2"] td.actions a`)),
			chromedp.WaitVisible(chromedp.CSS(`[data-testid="diff-unified"]`)),
		}, `document.querySelector("h1").textContent.trim() === "Compare #1 with #2" &&
			[...document.querySelectorAll('[data-testid="compare-change-table"] td.primary')].map(td => td.textContent.trim()).join() === "app"`},
		{"side by side", []chromedp.Action[chromedp.Void]{
			chromedp.Click(chromedp.CSS(`[data-testid="view-split"]`)),
			chromedp.WaitVisible(chromedp.CSS(`[data-testid="diff-split"]`)),
		}, `document.querySelector('[data-testid="diff-split"] td.diff-code.diff-ins').textContent.includes("http://app-v2.internal:8080") &&
			document.querySelector('[data-testid="diff-split"] td.diff-code.diff-rem').textContent.includes("http://app.internal:8080")`},
	})
	cfg := broker.Records("")
	if len(cfg) != 1 {
		t.Fatalf("the databroker holds %d records, want the console's Config", len(cfg))
	}
}

// TestBrowserClusters shows the cluster pages: the list with push states,
// a cluster's page, and the add form with its errors in place.
func TestBrowserClusters(t *testing.T) {
	t.Parallel()
	browser := viewtest.StartBrowser(t)
	broker := databrokertest.Start(t)
	app := testutil.NewApp(t, withDatabroker(broker))
	cl := app.AsRecovery(t, global)
	loadHome(t, cl)
	eng := app.Namespace(t, global, "Eng")
	addRoute(t, cl, global, "app")
	applied(t, cl, "First routes")
	base, token := serve(t, app)
	runBrowserSteps(t, browser, "clusters", []browserStep{
		{"sign in", signIn(base, token), `true`},
		{"the list", []chromedp.Action[chromedp.Void]{
			chromedp.Navigate(base + nsURL(global, "clusters")), chromedp.WaitVisible(chromedp.CSS(`[data-testid="cluster-table"]`)),
		}, `document.querySelector('[data-testid="cluster-default"]').dataset.push === "connected"`},
		{"the default cluster", []chromedp.Action[chromedp.Void]{
			chromedp.Click(chromedp.CSS(`[data-testid="cluster-default"] td.primary a`)),
			chromedp.WaitVisible(chromedp.CSS(`[data-testid="cluster-push"]`)),
		}, `document.querySelector('[data-testid="cluster-push"]').textContent.includes("#1") &&
			document.querySelector('[data-testid="cluster-push"]').textContent.includes("v0.31 or newer")`},
		{"add form errors in place", []chromedp.Action[chromedp.Void]{
			chromedp.Navigate(base + nsURL(global, "clusters/new")), chromedp.WaitVisible(chromedp.CSS(`[data-testid="cluster-form"]`)),
			htmxLoaded, markNotReloaded, pick("#f-namespaceId", eng),
			setValue("#f-databrokerServiceUrl", "ftp://pomerium"), chromedp.Click(chromedp.CSS(`[data-testid="cluster-submit"]`)),
			chromedp.WaitVisible(chromedp.CSS(`[data-testid="field-error-name"]`)),
		}, `window.notReloaded === true && !!document.querySelector('[data-testid="field-error-databrokerServiceUrl"]') &&
			!!document.querySelector('[data-testid="field-error-sharedSecret"]')`},
		{"add a cluster", []chromedp.Action[chromedp.Void]{
			setValue("#f-name", "Edge"), setValue("#f-databrokerServiceUrl", broker.URL()), setValue("#f-sharedSecret", broker.SharedSecret()),
			chromedp.Click(chromedp.CSS(`[data-testid="cluster-submit"]`)),
			chromedp.WaitVisible(chromedp.CSS(`[data-testid="cluster-connection"]`)),
		}, `document.querySelector("h1").textContent.trim() === "Edge" && document.querySelector('[data-testid="toast"]').textContent.includes("Cluster “Edge” added.")`},
	})
	broker.Stop()
	runBrowserSteps(t, browser, "clusters-failing", []browserStep{
		{"a failing push", []chromedp.Action[chromedp.Void]{
			chromedp.Navigate(base + nsURL(global, "clusters/default")), chromedp.WaitVisible(chromedp.CSS(`[data-testid="push-now-button"]`)),
			chromedp.Click(chromedp.CSS(`[data-testid="push-now-button"]`)),
			chromedp.WaitVisible(chromedp.CSS(`[data-testid="push-error"]`)),
		}, `document.querySelector('[data-testid="push-error"]').textContent.includes("cannot reach the databroker")`},
		{"the list says so", []chromedp.Action[chromedp.Void]{
			chromedp.Navigate(base + nsURL(global, "clusters")), chromedp.WaitVisible(chromedp.CSS(`[data-testid="cluster-table"]`)),
		}, `document.querySelector('[data-testid="cluster-default"]').dataset.push === "failing"`},
	})
}
