package web_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/pomerium-console-oss/pomerium-console/app/testutil"
	"github.com/pomerium-console-oss/pomerium-console/views/components/viewtest"
)

// browserStep is one action of a browser flow and what must hold after it.
type browserStep struct {
	name    string
	actions []chromedp.Action[chromedp.Void]
	check   string // JavaScript that must be true afterwards
}

// runBrowserSteps runs steps in order, each time-boxed, saving a
// screenshot of each under $UI_SHOTS_DIR/prefix when that is set.
func runBrowserSteps(t *testing.T, browser context.Context, prefix string, steps []browserStep) {
	t.Helper()
	errs := watchConsole(browser)
	shotsDir := os.Getenv("UI_SHOTS_DIR")
	for i, st := range steps {
		ctx, cancel := context.WithTimeout(browser, 20*time.Second)
		err := chromedp.Do(ctx, st.actions...)
		if err == nil {
			var ok bool
			ok, err = chromedp.Run(ctx, chromedp.Evaluate[bool](st.check))
			if err == nil && !ok {
				t.Errorf("step %q: check failed: %s", st.name, st.check)
			}
		}
		if shotsDir != "" {
			saveScreenshot(t, ctx, filepath.Join(shotsDir, prefix, stepFile(i, st.name)))
		}
		cancel()
		if err != nil {
			t.Fatalf("step %q: %v (console: %q)", st.name, err, errs.list())
		}
	}
	if msgs := errs.list(); len(msgs) > 0 {
		t.Errorf("browser console errors:\n%s", strings.Join(msgs, "\n"))
	}
}

// htmxLoaded waits for the deferred scripts of a freshly loaded page.
var htmxLoaded = chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
	_, err := chromedp.Run(ctx, chromedp.Poll[bool](`document.readyState === "complete" && !!window.htmx`))
	return err
})

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
	base := app.Serve(t)
	token := app.RecoveryToken(t, global, time.Hour)
	list := base + certsURL(global, "")
	setValue := func(sel, value string) chromedp.Action[chromedp.Void] {
		return chromedp.SetValue(chromedp.CSS(sel), value)
	}
	runBrowserSteps(t, browser, "keypairs", []browserStep{
		{"sign in", []chromedp.Action[chromedp.Void]{
			chromedp.Navigate(base + "/sign-in"), chromedp.WaitVisible(chromedp.CSS("#recovery-token")),
			setValue("#recovery-token", token), chromedp.Click(chromedp.CSS(`[data-testid="sign-in"]`)),
			chromedp.WaitVisible(chromedp.CSS(`[data-testid="ns-row-Global"]`)),
		}, `true`},
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
			chromedp.Evaluate[chromedp.Void](`window.notReloaded = true`),
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
