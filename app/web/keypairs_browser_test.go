package web_test

import (
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/pomerium-console-oss/pomerium-console/app/testutil"
	"github.com/pomerium-console-oss/pomerium-console/views/components/viewtest"
)

// TestBrowserKeyPairs drives the certificates pages in headless Chromium:
// the empty state, the list with its expiry badges and filter, the generate
// form (inline errors through htmx, then success) and an upload refused
// for a mismatched key.
func TestBrowserKeyPairs(t *testing.T) {
	t.Parallel()
	browser := viewtest.StartBrowser(t)
	app := testutil.NewApp(t)
	empty := app.Namespace(t, global, "Empty")
	cl := app.AsRecovery(t, global)
	loadHome(t, cl)
	for name, days := range map[string]int{"api": 200, "legacy": -3, "staging": 12} {
		p := leafFor(t, name+".example.com", days)
		upload(t, cl, global, name, p.CertPEM(), p.PKCS8(t))
	}
	leaf, other := leafFor(t, "web.example.com", 90), leafFor(t, "other.example.com", 90)
	base, token := serve(t, app)
	list := base + certsURL(global, "")
	runBrowserSteps(t, browser, "keypairs", []browserStep{
		{"sign in", signIn(base, token), `true`},
		{"empty state", []chromedp.Action[chromedp.Void]{
			chromedp.Navigate(base + certsURL(empty, "")), chromedp.WaitVisible(chromedp.CSS(`[data-testid="empty-state"]`)),
		}, `document.querySelector('[data-testid="empty-state"] h2').textContent.trim() === "No key pairs"`},
		{"list with expiry badges", []chromedp.Action[chromedp.Void]{
			chromedp.Navigate(list), chromedp.WaitVisible(chromedp.CSS(`[data-testid="key-pair-table"]`)), htmxLoaded,
		}, `[...document.querySelectorAll('[data-testid="key-pair-table"] tbody tr')].map(r => r.dataset.status).join() === "ok,expired,expiring"`},
		{"expired filter chip", []chromedp.Action[chromedp.Void]{
			chromedp.Click(chromedp.CSS(`[data-testid="expiry-chips"] li:last-child a`)),
			chromedp.WaitVisible(chromedp.CSS(`[data-testid="expiry-chips"] li:last-child a[aria-current="true"]`)),
		}, `document.querySelectorAll('[data-testid="key-pair-table"] tbody tr').length === 1 && location.search === "?expiry=expired"`},
		{"generate form submitted empty", []chromedp.Action[chromedp.Void]{
			chromedp.Navigate(list + "/generate"), chromedp.WaitVisible(chromedp.CSS(`[data-testid="generate-form"]`)), htmxLoaded,
			markNotReloaded,
			chromedp.Click(chromedp.CSS(`[data-testid="generate-submit"]`)),
			chromedp.WaitVisible(chromedp.CSS(`[data-testid="field-error-name"]`)),
		}, `window.notReloaded === true && document.querySelector('[data-testid="field-error-commonName"]') !== null`},
		{"generate a certificate", []chromedp.Action[chromedp.Void]{
			setValue("#f-name", "intranet"), setValue("#f-commonName", "intranet.example.com"),
			setValue("#f-sans", "intranet.example.com\n*.intranet.example.com\n10.1.2.3"),
			chromedp.Click(chromedp.CSS(`[data-testid="generate-submit"]`)),
			chromedp.WaitVisible(chromedp.CSS(`[data-testid="key-pair-facts"]`)),
		}, `document.querySelector('h1').textContent.trim() === "intranet" &&
			document.querySelector('[data-testid="toast"]').textContent.includes("Certificate “intranet” generated.")`},
		{"upload with a mismatched key", []chromedp.Action[chromedp.Void]{
			chromedp.Navigate(list + "/new"), chromedp.WaitVisible(chromedp.CSS(`[data-testid="key-pair-form"]`)), htmxLoaded,
			setValue("#f-name", "web"), setValue("#f-certificate", leaf.CertPEM()), setValue("#f-key", other.PKCS8(t)),
			chromedp.Click(chromedp.CSS(`[data-testid="key-pair-submit"]`)),
			chromedp.WaitVisible(chromedp.CSS(`[data-testid="field-error-key"]`)),
		}, `document.querySelector('#f-key').value === "" && document.querySelector('#f-certificate').value.includes("BEGIN CERTIFICATE")`},
		{"an expiring pair's page", []chromedp.Action[chromedp.Void]{
			chromedp.Navigate(list), chromedp.WaitVisible(chromedp.CSS(`[data-testid="key-pair-staging"]`)),
			chromedp.Click(chromedp.CSS(`[data-testid="key-pair-staging"] td.primary a`)),
			chromedp.WaitVisible(chromedp.CSS(`[data-testid="expiry-alert"]`)),
		}, `document.querySelector('[data-testid="expiry-alert"] .alert-title').textContent.startsWith("This certificate expires in 1")`},
		{"its edit form", []chromedp.Action[chromedp.Void]{
			chromedp.Click(chromedp.CSS(`[data-testid="edit-key-pair"]`)),
			chromedp.WaitVisible(chromedp.CSS(`[data-testid="key-status"]`)),
		}, `document.querySelector('[data-testid="key-status"]').textContent.trim() === "Private key: set" &&
			document.querySelector('#f-certificate').value === ""`},
	})
}
