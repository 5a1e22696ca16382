package web_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/pomerium-console-oss/pomerium-console/app/testutil"
	"github.com/pomerium-console-oss/pomerium-console/views/components/viewtest"
)

// consoleErrors collects the page's errors and uncaught exceptions, such
// as a script or style the CSP refused.
type consoleErrors struct {
	mu   sync.Mutex
	msgs []string
}

func watchConsole(ctx context.Context) *consoleErrors {
	ce := &consoleErrors{}
	go func() {
		for m, err := range chromedp.Console(ctx) {
			if err != nil {
				return
			}
			// A 422 is how the server answers an invalid form; the browser logs it.
			if (m.Type == chromedp.ConsoleError || m.Type == chromedp.ConsoleException) && !strings.Contains(m.Text, "status of 422") {
				ce.mu.Lock()
				ce.msgs = append(ce.msgs, string(m.Type)+": "+m.Text+" ("+m.URL+")")
				ce.mu.Unlock()
			}
		}
	}()
	return ce
}

func (ce *consoleErrors) list() []string {
	ce.mu.Lock()
	defer ce.mu.Unlock()
	return append([]string(nil), ce.msgs...)
}

// TestBrowserRecoverySignInAndCreateNamespace drives the real console in
// headless Chromium: recovery sign-in, then the htmx namespace form, once
// empty (inline error, no reload) and once filled in.
func TestBrowserRecoverySignInAndCreateNamespace(t *testing.T) {
	t.Parallel()
	browser := viewtest.StartBrowser(t)
	app := testutil.NewApp(t)
	base := app.Serve(t)
	token := app.RecoveryToken(t, global, time.Hour)
	errs := watchConsole(browser)
	shotsDir := os.Getenv("UI_SHOTS_DIR")

	// htmxReady waits for the deferred scripts of a freshly loaded page.
	htmxReady := chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		_, err := chromedp.Run(ctx, chromedp.Poll[bool](`document.readyState === "complete" && !!window.htmx`))
		return err
	})
	steps := []struct {
		name    string
		actions []chromedp.Action[chromedp.Void]
		check   string // JavaScript that must be true afterwards
	}{
		{
			name:    "sign-in page",
			actions: []chromedp.Action[chromedp.Void]{chromedp.Navigate(base + "/sign-in"), chromedp.WaitVisible(chromedp.CSS("#recovery-token"))},
			check:   `document.title.startsWith("Sign in")`,
		},
		{
			name: "paste the recovery token and sign in",
			actions: []chromedp.Action[chromedp.Void]{
				chromedp.SetValue(chromedp.CSS("#recovery-token"), token),
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
				htmxReady,
			},
			check: `location.pathname === "` + nsURL(global, "namespaces/new") + `"`,
		},
		{
			name: "submit it empty: inline error without reload",
			actions: []chromedp.Action[chromedp.Void]{
				chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
					_, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`window.notReloaded = true`))
					return err
				}),
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
	}
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
			saveScreenshot(t, ctx, filepath.Join(shotsDir, stepFile(i, st.name)))
		}
		cancel()
		if err != nil {
			t.Fatalf("step %q: %v (console: %q)", st.name, err, errs.list())
		}
	}
	if _, ok := namespaceByName(t, app, "Engineering"); !ok {
		t.Error("the namespace is not in the database")
	}
	if msgs := errs.list(); len(msgs) > 0 {
		t.Errorf("browser console errors:\n%s", strings.Join(msgs, "\n"))
	}
}

func stepFile(i int, name string) string {
	return string(rune('1'+i)) + "-" + strings.NewReplacer(" ", "-", ":", "", ",", "").Replace(name) + ".png"
}

func saveScreenshot(t *testing.T, ctx context.Context, path string) {
	t.Helper()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Logf("screenshot %s: %v", path, err)
		return
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatal(err)
	}
}
