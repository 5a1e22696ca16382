package web_test

import (
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
	base, token := serve(t, app)
	secret := validCookieSecret
	runBrowserSteps(t, browser, "settings", []browserStep{
		{
			name: "sign in and open the settings",
			actions: append(signIn(base, token),
				chromedp.Navigate(base+nsURL(global, "settings")),
				chromedp.WaitVisible(chromedp.CSS(`[data-testid="settings-form"]`)),
				htmxLoaded,
			),
			check: `document.querySelector('#f-cookieName').placeholder === "_pomerium" &&
				document.querySelector('[data-testid="secret-status-cookieSecret"]').textContent.trim() === "Not set"`,
		},
		{
			name: "save invalid values: every error inline, no reload",
			actions: []chromedp.Action[chromedp.Void]{
				markNotReloaded,
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
	})
	opened, err := settings.NewService(app.Store, sealerOf(t, app), time.Now).OpenSecrets(t.Context(), settings.DefaultClusterID)
	if err != nil || opened[settings.SecretCookie] != secret {
		t.Errorf("stored cookie secret does not open to the typed one (err %v)", err)
	}
}
