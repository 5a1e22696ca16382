package web_test

import (
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/pomerium-console-oss/pomerium-console/app/runtime"
	"github.com/pomerium-console-oss/pomerium-console/app/testutil"
	"github.com/pomerium-console-oss/pomerium-console/views/components/viewtest"
)

// TestBrowserSessions lists a cluster's sessions in headless Chromium,
// narrows them with the search box, revokes one through its confirmation
// dialog, and visits the devices, enrollment and users pages.
func TestBrowserSessions(t *testing.T) {
	t.Parallel()
	browser := viewtest.StartBrowser(t)
	f := newRuntimeFixture(t)
	base, token := serve(t, f.app)
	list := base + nsURL(global, "sessions")
	runBrowserSteps(t, browser, "sessions", []browserStep{
		{"sign in", signIn(base, token), `true`},
		{"the sessions", []chromedp.Action[chromedp.Void]{
			chromedp.Navigate(list), chromedp.WaitVisible(chromedp.CSS(`[data-testid="session-table"]`)),
		}, `document.querySelectorAll('[data-testid="session-table"] tbody tr').length === 3 &&
			document.querySelector('[data-testid="session-sess-bob"]').textContent.includes("Bob Builder")`},
		{"search as you type", []chromedp.Action[chromedp.Void]{
			htmxLoaded, markNotReloaded, setValue("#search-q", "ada"),
			js(`document.querySelector("#search-q").dispatchEvent(new Event("input", {bubbles: true}))`),
			until(`document.querySelectorAll('[data-testid="session-table"] tbody tr').length === 2`), idle,
		}, `window.notReloaded === true && location.search.includes("q=ada") && !document.querySelector('[data-testid="session-sess-bob"]')`},
		{"open the revoke dialog", []chromedp.Action[chromedp.Void]{
			chromedp.Navigate(list), chromedp.WaitVisible(chromedp.CSS(`[data-testid="session-table"]`)), htmxLoaded,
			chromedp.Click(chromedp.CSS(`[data-testid="revoke-sess-bob-open"]`)),
			chromedp.WaitVisible(chromedp.CSS(`dialog#revoke-sess-bob`)),
		}, `document.querySelector("dialog#revoke-sess-bob").open &&
			document.querySelector("dialog#revoke-sess-bob").textContent.includes("Bob Builder is signed out")`},
		{"revoke", []chromedp.Action[chromedp.Void]{
			chromedp.Click(chromedp.CSS(`[data-testid="revoke-sess-bob-confirm"]`)),
			chromedp.WaitVisible(chromedp.CSS(`[data-testid="toast"]`)),
		}, `document.querySelector('[data-testid="toast"]').textContent.includes("Session revoked.") &&
			!document.querySelector('[data-testid="session-sess-bob"]') &&
			document.querySelectorAll('[data-testid="session-table"] tbody tr').length === 2`},
		{"devices", []chromedp.Action[chromedp.Void]{
			chromedp.Navigate(base + nsURL(global, "devices")), chromedp.WaitVisible(chromedp.CSS(`[data-testid="device-table"]`)),
		}, `document.querySelector('[data-testid="device-cred-bob"]').dataset.status === "unapproved"`},
		{"enrollment link", []chromedp.Action[chromedp.Void]{
			chromedp.Click(chromedp.CSS(`[data-testid="new-enrollment"]`)), chromedp.WaitVisible(chromedp.CSS(`[data-testid="enroll-form"]`)),
			setValue("#f-user_id", "cyd"), setValue("#f-route_url", "https://app.example.com"),
			chromedp.Click(chromedp.CSS(`[data-testid="enroll-submit"]`)),
			chromedp.WaitVisible(chromedp.CSS(`[data-testid="secret-value"]`)),
		}, `document.querySelector('[data-testid="secret-value"]').value.startsWith("https://app.example.com/.pomerium/webauthn?")`},
		{"users", []chromedp.Action[chromedp.Void]{
			chromedp.Navigate(base + nsURL(global, "users")), chromedp.WaitVisible(chromedp.CSS(`[data-testid="user-table"]`)),
		}, `!!document.querySelector('[data-testid="user-cyd"]') && !!document.querySelector('[data-testid="user-ada"]')`},
	})
	if f.broker.Record(runtime.SessionType, "sess-bob") != nil {
		t.Error("the revoked session is still in the databroker")
	}
}

// TestBrowserRuntimeNotice shows the runtime pages of a console whose
// cluster has no databroker: a notice, not an error page.
func TestBrowserRuntimeNotice(t *testing.T) {
	t.Parallel()
	browser := viewtest.StartBrowser(t)
	app := testutil.NewApp(t)
	base, token := serve(t, app)
	var steps []browserStep
	steps = append(steps, browserStep{"sign in", signIn(base, token), `true`})
	for _, section := range []string{"sessions", "devices", "users"} {
		steps = append(steps, browserStep{section + " without a databroker", []chromedp.Action[chromedp.Void]{
			chromedp.Navigate(base + nsURL(global, section)), chromedp.WaitVisible(chromedp.CSS(`[data-testid="runtime-notice"]`)),
		}, `document.querySelector('[data-testid="runtime-notice"]').textContent.includes("no databroker configured")`})
	}
	runBrowserSteps(t, browser, "runtime-notice", steps)
}
