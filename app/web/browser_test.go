package web_test

import (
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/pomerium-console-oss/pomerium-console/app/testutil"
	"github.com/pomerium-console-oss/pomerium-console/views/components/viewtest"
)

// TestBrowserRecoverySignInAndCreateNamespace drives the real console in
// headless Chromium: recovery sign-in, then the htmx namespace form, once
// empty (inline error, no reload) and once filled in.
func TestBrowserRecoverySignInAndCreateNamespace(t *testing.T) {
	t.Parallel()
	browser := viewtest.StartBrowser(t)
	app := testutil.NewApp(t)
	base, token := serve(t, app)
	runBrowserSteps(t, browser, "namespaces", []browserStep{
		{
			name:    "sign-in page",
			actions: []chromedp.Action[chromedp.Void]{chromedp.Navigate(base + "/sign-in"), chromedp.WaitVisible(chromedp.CSS("#recovery-token"))},
			check:   `document.title.startsWith("Sign in")`,
		},
		{
			name: "paste the recovery token and sign in",
			actions: []chromedp.Action[chromedp.Void]{
				setValue("#recovery-token", token),
				chromedp.Click(chromedp.CSS(`[data-testid="sign-in"]`)),
				chromedp.WaitVisible(chromedp.CSS(`[data-testid="ns-row-Global"]`)),
			},
			check: `location.pathname === "` + nsURL(global, "namespaces") + `" &&
				document.querySelector('[data-testid="user-role"]').textContent.trim() === "Admin in Global"`,
		},
		{
			name: "open the new-namespace form",
			actions: []chromedp.Action[chromedp.Void]{
				chromedp.Click(chromedp.CSS(`[data-testid="add-namespace"]`)),
				chromedp.WaitVisible(chromedp.CSS(`[data-testid="namespace-form"]`)),
				htmxLoaded,
			},
			check: `location.pathname === "` + nsURL(global, "namespaces/new") + `"`,
		},
		{
			name: "submit it empty: inline error without reload",
			actions: []chromedp.Action[chromedp.Void]{
				markNotReloaded,
				chromedp.Click(chromedp.CSS(`[data-testid="namespace-submit"]`)),
				chromedp.WaitVisible(chromedp.CSS(`[data-testid="field-error-name"]`)),
			},
			check: `window.notReloaded === true &&
				document.querySelector('[data-testid="field-error-name"]').textContent.trim() === "enter a name" &&
				document.querySelector('#f-name').getAttribute("aria-invalid") === "true"`,
		},
		{
			name: "fill it in and submit",
			actions: []chromedp.Action[chromedp.Void]{
				chromedp.SendKeys(chromedp.CSS("#f-name"), "Engineering"),
				chromedp.Click(chromedp.CSS(`[data-testid="namespace-submit"]`)),
				chromedp.WaitVisible(chromedp.CSS(`[data-testid="ns-row-Engineering"]`)),
			},
			check: `location.pathname.endsWith("/namespaces") && location.pathname !== "` + nsURL(global, "namespaces") + `" &&
				document.querySelector('[data-testid="toast"]').textContent.trim() === "Namespace “Engineering” created."`,
		},
	})
	if _, ok := namespaceByName(t, app, "Engineering"); !ok {
		t.Error("the namespace is not in the database")
	}
}
