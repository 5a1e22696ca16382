package web_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/pomerium-console-oss/pomerium-console/app/settings"
	"github.com/pomerium-console-oss/pomerium-console/app/testutil"
	"github.com/pomerium-console-oss/pomerium-console/views/components/viewtest"
)

// TestBrowserSettings drives the settings page in headless Chromium: an
// invalid save shows every error inline without a reload, a valid one
// shows the saved values, the set secret and a toast. With UI_SHOTS_DIR
// set it saves a screenshot of each step.
func TestBrowserSettings(t *testing.T) {
	t.Parallel()
	browser := viewtest.StartBrowser(t)
	app := testutil.NewApp(t)
	base := app.Serve(t)
	token := app.RecoveryToken(t, global, time.Hour)
	errs := watchConsole(browser)
	shotsDir := os.Getenv("UI_SHOTS_DIR")
	secret := validCookieSecret

	setValue := func(sel, value string) chromedp.Action[chromedp.Void] {
		return chromedp.SetValue(chromedp.CSS(sel), value)
	}
	steps := []struct {
		name    string
		actions []chromedp.Action[chromedp.Void]
		check   string
	}{
		{
			name: "sign in and open the settings",
			actions: []chromedp.Action[chromedp.Void]{
				chromedp.Navigate(base + "/sign-in"),
				setValue("#recovery-token", token),
				chromedp.Click(chromedp.CSS(`[data-testid="sign-in"]`)),
				chromedp.WaitVisible(chromedp.CSS(`[data-testid="ns-row-Global"]`)),
				chromedp.Navigate(base + nsURL(global, "settings")),
				chromedp.WaitVisible(chromedp.CSS(`[data-testid="settings-form"]`)),
				chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
					_, err := chromedp.Run(ctx, chromedp.Poll[bool](`document.readyState === "complete" && !!window.htmx`))
					return err
				}),
			},
			check: `document.querySelector('#f-cookieName').placeholder === "_pomerium" &&
				document.querySelector('[data-testid="secret-status-cookieSecret"]').textContent.trim() === "Not set"`,
		},
		{
			name: "save invalid values: every error inline, no reload",
			actions: []chromedp.Action[chromedp.Void]{
				chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
					_, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`window.notReloaded = true`))
					return err
				}),
				setValue("#f-address", "localhost:443"),
				setValue("#f-cookieSecret", "short"),
				setValue("#f-tracingProvider", "zipkin"),
				chromedp.Click(chromedp.CSS(`[data-testid="settings-submit"]`)),
				chromedp.WaitVisible(chromedp.CSS(`[data-testid="settings-problems"]`)),
			},
			check: `window.notReloaded === true &&
				!!document.querySelector('[data-testid="field-error-address"]') &&
				!!document.querySelector('[data-testid="field-error-cookieSecret"]') &&
				!!document.querySelector('[data-testid="field-error-tracingZipkinEndpoint"]') &&
				document.querySelector('#f-address').value === "localhost:443" &&
				document.querySelector('#f-cookieSecret').value === ""`,
		},
		{
			name: "fix them and save",
			actions: []chromedp.Action[chromedp.Void]{
				setValue("#f-address", ":8443"),
				setValue("#f-cookieSecret", secret),
				setValue("#f-tracingZipkinEndpoint", "http://zipkin.internal:9411/api/v2/spans"),
				setValue("#f-jwtClaimsHeaders", "email\nX-Groups: groups"),
				chromedp.Click(chromedp.CSS(`[data-testid="settings-submit"]`)),
				chromedp.WaitVisible(chromedp.CSS(`[data-testid="toast"]`)),
			},
			check: `window.notReloaded === true &&
				document.querySelector('[data-testid="toast"]').textContent.trim() === "Settings saved." &&
				!document.querySelector('[data-testid="settings-problems"]') &&
				document.querySelector('[data-testid="secret-status-cookieSecret"]').textContent.trim() === "Set" &&
				document.querySelector('#f-jwtClaimsHeaders').value === "X-Groups: groups\nX-Pomerium-Claim-Email: email"`,
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
			saveScreenshot(t, ctx, filepath.Join(shotsDir, "settings-"+stepFile(i, st.name)))
		}
		cancel()
		if err != nil {
			t.Fatalf("step %q: %v (console: %q)", st.name, err, errs.list())
		}
	}
	opened, err := settings.NewService(app.Store, sealerOf(t, app), time.Now).OpenSecrets(t.Context(), settings.DefaultClusterID)
	if err != nil || opened[settings.SecretCookie] != secret {
		t.Errorf("stored cookie secret does not open to the typed one (err %v)", err)
	}
	if msgs := errs.list(); len(msgs) > 0 {
		t.Errorf("browser console errors:\n%s", strings.Join(msgs, "\n"))
	}
}
