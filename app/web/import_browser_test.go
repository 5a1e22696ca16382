package web_test

import (
	"strconv"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/pomerium-console-oss/pomerium-console/app/testutil"
	"github.com/pomerium-console-oss/pomerium-console/views/components/viewtest"
)

// TestBrowserImport pastes a config.yaml with a problem, sees where it is,
// pastes the good file, previews it and imports it, in headless Chromium.
func TestBrowserImport(t *testing.T) {
	t.Parallel()
	browser := viewtest.StartBrowser(t)
	app := testutil.NewApp(t)
	base, token := serve(t, app)
	page := base + nsURL(global, "import")
	paste := func(text string) chromedp.Action[chromedp.Void] {
		return js(`document.querySelector('textarea[name="pasted"]').value = ` + strconv.Quote(text))
	}
	runBrowserSteps(t, browser, "import", []browserStep{
		{"sign in", signIn(base, token), `true`},
		{"upload form", []chromedp.Action[chromedp.Void]{chromedp.Navigate(page), chromedp.WaitVisible(chromedp.CSS(`[data-testid="import-form"]`))},
			`document.querySelector('h1').textContent.trim() === "Import config.yaml"`},
		{"a file with problems", []chromedp.Action[chromedp.Void]{
			paste("log_levle: debug\nroutes:\n  - to: http://a\n"), chromedp.Click(chromedp.CSS(`[data-testid="import-preview"]`)),
			chromedp.WaitVisible(chromedp.CSS(`[data-testid="upload-problems"]`)),
		}, `document.querySelectorAll('[data-testid="import-problem"]').length === 2 && document.querySelector('textarea[name="pasted"]').value.startsWith("log_levle")`},
		{"preview", []chromedp.Action[chromedp.Void]{
			paste(string(ossConfig(t))), chromedp.Click(chromedp.CSS(`[data-testid="import-preview"]`)),
			chromedp.WaitVisible(chromedp.CSS(`[data-testid="import-summary"]`)),
		}, `document.querySelector('[data-testid="import-summary"]').textContent.includes("6 routes") && !!document.querySelector('[data-testid="import-apply"]')`},
		{"import", []chromedp.Action[chromedp.Void]{
			chromedp.Click(chromedp.CSS(`[data-testid="import-apply"]`)), chromedp.WaitVisible(chromedp.CSS(`[data-testid="toasts"] .toast`)),
		}, `location.pathname.endsWith("/routes") && document.querySelector('[data-testid="toasts"]').textContent.includes("Imported 6 routes")`},
	})
}
