package web_test

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/pomerium-console-oss/pomerium-console/app/testutil"
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

// browserStep is one action of a browser flow and what must hold after it.
type browserStep struct {
	name    string
	actions []chromedp.Action[chromedp.Void]
	check   string // JavaScript that must be true afterwards
}

// runBrowserSteps runs steps in order, each time-boxed, saving a
// screenshot of each under $UI_SHOTS_DIR/prefix when that is set; it
// fails t on a failed check and on any error the browser console showed.
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

// stepFile names the screenshot of step i: its number, then its name.
func stepFile(i int, name string) string {
	return strconv.Itoa(i+1) + "-" + strings.NewReplacer(" ", "-", ":", "", ",", "").Replace(name) + ".png"
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

// serve starts app for a browser and returns its base URL and a fresh
// recovery token of Global.
func serve(t *testing.T, app *testutil.App) (base, token string) {
	t.Helper()
	return app.Serve(t), app.RecoveryToken(t, global, time.Hour)
}

// signIn is the actions of signing in at base with a recovery token,
// ending on the namespaces page.
func signIn(base, token string) []chromedp.Action[chromedp.Void] {
	return []chromedp.Action[chromedp.Void]{
		chromedp.Navigate(base + "/sign-in"), chromedp.WaitVisible(chromedp.CSS("#recovery-token")),
		setValue("#recovery-token", token), chromedp.Click(chromedp.CSS(`[data-testid="sign-in"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="ns-row-Global"]`)),
	}
}

// setValue sets the value of the input sel, as pasting would.
func setValue(sel, value string) chromedp.Action[chromedp.Void] {
	return chromedp.SetValue(chromedp.CSS(sel), value)
}

// js runs a script in the page for its effect.
func js(script string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		_, err := chromedp.Run(ctx, chromedp.Evaluate[bool]("(() => { "+script+"; return true })()"))
		return err
	})
}

// until waits for a JavaScript condition to hold.
func until(cond string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		_, err := chromedp.Run(ctx, chromedp.Poll[bool](cond))
		return err
	})
}

// htmxLoaded waits for the deferred scripts of a freshly loaded page.
var htmxLoaded = until(`document.readyState === "complete" && !!window.htmx`)

// markNotReloaded flags the page, so that a check of window.notReloaded
// shows the page was changed in place rather than loaded again.
var markNotReloaded = js(`window.notReloaded = true`)

// idle waits until htmx has no request in flight and has settled its last
// swap, so that what it swapped in answers events.
var idle = until(`!document.querySelector(".htmx-request, .htmx-swapping, .htmx-settling, .htmx-added")`)

// pick chooses value in the select (or sets the input) sel as a person
// would: the change event bubbles to the form, which posts it.
func pick(sel, value string) chromedp.Action[chromedp.Void] {
	return js(`const s = document.querySelector(` + strconv.Quote(sel) + `); s.value = ` + strconv.Quote(value) +
		`; s.dispatchEvent(new Event("change", {bubbles: true}))`)
}
