package web_test

import (
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/pomerium-console-oss/pomerium-console/app/authn"
	sessionpb "github.com/pomerium-console-oss/pomerium-console/app/pb/session"
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
			document.querySelector('[data-testid="session-sess-bob"]').textContent.includes("Bob Builder") &&
			document.querySelector('[data-testid="impersonate-sess-bob-open"]').disabled`},
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

// TestBrowserImpersonate impersonates a session through its confirmation
// dialog, sees the banner and the row's badge, and stops, signed in the
// way impersonation needs: through Pomerium, with a session of its own.
func TestBrowserImpersonate(t *testing.T) {
	t.Parallel()
	browser := viewtest.StartBrowser(t)
	f := newRuntimeFixture(t)
	now := time.Now()
	f.broker.Seed(t, &sessionpb.Session{Id: "sess-root", UserId: "root", IssuedAt: timestamppb.New(now.Add(-4 * time.Hour)), ExpiresAt: timestamppb.New(now.Add(time.Hour))})
	base := behindPomerium(t, f.app, testutil.Claims{Subject: "root", Name: "Root Admin", Email: rootEmail, SessionID: "sess-root"})
	list := base + nsURL(global, "sessions")
	runBrowserSteps(t, browser, "impersonate", []browserStep{
		{"the sessions", []chromedp.Action[chromedp.Void]{
			chromedp.Navigate(list), chromedp.WaitVisible(chromedp.CSS(`[data-testid="session-table"]`)), htmxLoaded,
		}, `!!document.querySelector('[data-testid="own-sess-root"]') && !document.querySelector('[data-testid="impersonate-sess-root-open"]') &&
			!document.querySelector('[data-testid="impersonation-banner"]')`},
		{"open the impersonate dialog", []chromedp.Action[chromedp.Void]{
			chromedp.Click(chromedp.CSS(`[data-testid="impersonate-sess-bob-open"]`)),
			chromedp.WaitVisible(chromedp.CSS(`dialog#impersonate-sess-bob`)),
		}, `document.querySelector("dialog#impersonate-sess-bob").open &&
			document.querySelector("dialog#impersonate-sess-bob").textContent.includes("Pomerium will treat you as Bob Builder on every route until you stop")`},
		{"impersonate", []chromedp.Action[chromedp.Void]{
			chromedp.Click(chromedp.CSS(`[data-testid="impersonate-sess-bob-confirm"]`)),
			chromedp.WaitVisible(chromedp.CSS(`[data-testid="impersonation-banner"]`)),
		}, `document.querySelector('[data-testid="impersonation-banner"]').textContent.includes("You are impersonating Bob Builder") &&
			!!document.querySelector('[data-testid="impersonated-sess-bob"]') &&
			document.querySelector('[data-testid="toast"]').textContent.includes("Impersonation started")`},
		{"stop impersonating", []chromedp.Action[chromedp.Void]{
			chromedp.Click(chromedp.CSS(`[data-testid="impersonation-stop"]`)),
			// The row offers impersonation again once the page has reloaded.
			chromedp.WaitVisible(chromedp.CSS(`[data-testid="impersonate-sess-bob-open"]`)),
		}, `document.querySelector('[data-testid="toast"]').textContent.includes("Stopped impersonating") &&
			!document.querySelector('[data-testid="impersonation-banner"]') && !document.querySelector('[data-testid="impersonated-sess-bob"]')`},
	})
	if got := impersonating(t, f, "sess-root"); got != "" {
		t.Errorf("still impersonating %q", got)
	}
}

// behindPomerium serves app behind a proxy that adds the identity
// assertion of c to every request, as Pomerium does, and returns its URL.
func behindPomerium(t *testing.T, app *testutil.App, c testutil.Claims) string {
	t.Helper()
	upstream, err := url.Parse(app.Serve(t))
	if err != nil {
		t.Fatal(err)
	}
	if c.Expiry.IsZero() {
		c.Expiry = time.Now().Add(time.Hour) // longer than Pomerium's, for slow browser runs
	}
	assertion := app.Assertion(t, c)
	proxy := httputil.NewSingleHostReverseProxy(upstream)
	direct := proxy.Director
	proxy.Director = func(r *http.Request) {
		direct(r)
		r.Header.Set(authn.AssertionHeader, assertion)
	}
	srv := httptest.NewServer(proxy)
	t.Cleanup(srv.Close)
	return srv.URL
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
