package web_test

import (
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/pomerium-console-oss/pomerium-console/app/databroker/databrokertest"
	"github.com/pomerium-console-oss/pomerium-console/app/testutil"
	"github.com/pomerium-console-oss/pomerium-console/views/components/viewtest"
)

// TestBrowserServiceAccounts drives the Service Accounts page in headless
// Chromium: the empty state, the add dialog with inline errors through
// htmx, the token shown once in its dialog with a copy button, the new
// row in the table without a reload, and revocation through its
// confirmation dialog.
func TestBrowserServiceAccounts(t *testing.T) {
	t.Parallel()
	browser := viewtest.StartBrowser(t)
	broker := databrokertest.Start(t)
	app := testutil.NewApp(t, withDatabroker(broker))
	eng := app.Namespace(t, global, "Eng")
	addUser(t, app, "idp|carol", "carol@example.com", "Carol")
	base, token := serve(t, app)
	page := base + nsURL(eng, "service-accounts")
	runBrowserSteps(t, browser, "serviceaccounts", []browserStep{
		{"sign in", signIn(base, token), `true`},
		{"empty state", []chromedp.Action[chromedp.Void]{
			chromedp.Navigate(page), chromedp.WaitVisible(chromedp.CSS(`[data-testid="sa-empty"]`)), htmxLoaded,
		}, `document.querySelector('[data-testid="sa-empty"] h2').textContent.trim() === "No service accounts yet"`},
		{"the add dialog", []chromedp.Action[chromedp.Void]{
			markNotReloaded,
			chromedp.Click(chromedp.CSS(`[data-testid="page-header"] [data-testid="add-sa"]`)),
			chromedp.WaitVisible(chromedp.CSS(`#add-sa`)),
		}, `document.querySelector('#add-sa').matches(':modal') && location.pathname.endsWith("/service-accounts")`},
		{"an existing user without id, expiring in the past", []chromedp.Action[chromedp.Void]{
			chromedp.SetValue(chromedp.CSS(`#f-identity`), "user"),
			setValue("#f-expires_at", "2001-01-01T00:00"),
			chromedp.Click(chromedp.CSS(`[data-testid="add-sa-submit"]`)),
			chromedp.WaitVisible(chromedp.CSS(`[data-testid="field-error-user_id"]`)),
			until(`document.querySelector('#add-sa').matches(':modal')`),
		}, `window.notReloaded === true && document.querySelector('#add-sa').matches(':modal') &&
			document.querySelector('[data-testid="field-error-expires_at"]').textContent.includes("must be in the future")`},
		{"a unique account", []chromedp.Action[chromedp.Void]{
			chromedp.SetValue(chromedp.CSS(`#f-identity`), "unique"),
			setValue("#f-expires_at", ""),
			setValue("#f-description", "CI deployer"),
			chromedp.Click(chromedp.CSS(`[data-testid="add-sa-submit"]`)),
			chromedp.WaitVisible(chromedp.CSS(`#sa-token`)),
			until(`document.querySelector('#sa-token').matches(':modal')`),
		}, `window.notReloaded === true && document.querySelector('#sa-token').matches(':modal') &&
			document.querySelector('#sa-token [data-testid="secret-value"]').value.split(".").length === 3 &&
			!document.querySelector('#sa-token [data-copy-target]').hidden &&
			document.querySelector('#sa-token .alert').textContent.includes("you will not see it again") &&
			document.querySelectorAll('[data-testid="sa-table"] tbody tr').length === 1 &&
			!document.querySelector('#add-sa').open`},
		{"copy and close", []chromedp.Action[chromedp.Void]{
			chromedp.Click(chromedp.CSS(`#sa-token [data-copy-target]`)),
			until(`document.querySelector('#sa-token [data-copy-label]').textContent === "Copied"`),
			chromedp.Click(chromedp.CSS(`#sa-token .modal-foot button`)),
			until(`!document.querySelector('#sa-token').open`),
		}, `document.querySelector('[data-testid="sa-table"] [data-testid="sa-description"]').textContent === "CI deployer"`},
		{"the token is not shown again", []chromedp.Action[chromedp.Void]{
			chromedp.Navigate(page), chromedp.WaitVisible(chromedp.CSS(`[data-testid="sa-table"]`)), htmxLoaded,
		}, `document.querySelector('#sa-token') === null && document.querySelector('[data-testid="sa-table"] tbody tr').dataset.sync === "synced"`},
		{"revoke", []chromedp.Action[chromedp.Void]{
			chromedp.Click(chromedp.CSS(`[data-testid="sa-table"] [data-testid^="revoke-"]`)),
			chromedp.WaitVisible(chromedp.CSS(`dialog[id^="revoke-"][open] [data-testid$="-confirm"]`)),
			chromedp.Click(chromedp.CSS(`dialog[id^="revoke-"][open] [data-testid$="-confirm"]`)),
			chromedp.WaitVisible(chromedp.CSS(`[data-testid="sa-table"] tbody tr[data-status="revoked"]`)),
		}, `document.querySelector('[data-testid="toast"]').textContent.includes("Revoked service account “CI deployer”.")`},
	})
}
