package web_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/pomerium-console-oss/pomerium-console/app/testutil"
	"github.com/pomerium-console-oss/pomerium-console/views/components/viewtest"
)

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

// pick chooses value in the select sel as a person would: the change
// event bubbles to the rule builder, which posts the edit.
func pick(sel, value string) chromedp.Action[chromedp.Void] {
	return js(`const s = document.querySelector(` + strconv.Quote(sel) + `); s.value = ` + strconv.Quote(value) +
		`; s.dispatchEvent(new Event("change", {bubbles: true}))`)
}

// idle waits until htmx has no request in flight and has settled its last
// swap, so that what it swapped in answers events.
var idle = until(`!document.querySelector(".htmx-request, .htmx-swapping, .htmx-settling, .htmx-added")`)

// yamlHas is a condition on the text of the YAML editor.
func yamlHas(s string) string {
	return `document.querySelector("#ppl-source").value.includes(` + strconv.Quote(s) + `)`
}

// TestBrowserBuildPolicy drives the policy editor in headless Chromium:
// build rules with the rule builder, watch the YAML follow, break the YAML
// and see the problem inline, fix it, save, and read the compiled Rego.
func TestBrowserBuildPolicy(t *testing.T) {
	t.Parallel()
	browser := viewtest.StartBrowser(t)
	app := testutil.NewApp(t)
	base := app.Serve(t)
	token := app.RecoveryToken(t, global, time.Hour)
	errs := watchConsole(browser)
	shotsDir := os.Getenv("UI_SHOTS_DIR")
	built := canonicalPPL(t, "allow: {and: [{domain: {is: example.com}}, {user: {in: [alice, bob]}}], or: [{email: {ends_with: '@example.com'}}]}")
	broken := "    - email: {contain: x}"
	problem := `allow.or[1].email: unknown operator "contain"; did you mean "contains"?`
	saved := built + "    - email: {contains: x}"
	steps := []struct {
		name    string
		actions []chromedp.Action[chromedp.Void]
		check   string // JavaScript that must be true afterwards
	}{
		{"sign in with a recovery token", []chromedp.Action[chromedp.Void]{
			chromedp.Navigate(base + "/sign-in"),
			chromedp.WaitVisible(chromedp.CSS("#recovery-token")),
			chromedp.SetValue(chromedp.CSS("#recovery-token"), token),
			chromedp.Click(chromedp.CSS(`[data-testid="sign-in"]`)),
			chromedp.WaitVisible(chromedp.CSS(`[data-testid="ns-row-Global"]`)),
		}, `document.querySelector('[data-testid="user-role"]').textContent.trim() === "Admin in Global"`},
		{"open Policies", []chromedp.Action[chromedp.Void]{
			chromedp.Click(chromedp.CSS(`[data-testid="nav-policies"]`)),
			chromedp.WaitVisible(chromedp.CSS(`[data-testid="empty-state"]`)),
		}, `location.pathname === "` + nsURL(global, "policies") + `"`},
		{"add a policy", []chromedp.Action[chromedp.Void]{
			chromedp.Click(chromedp.CSS(`[data-testid="add-policy"]`)),
			chromedp.WaitVisible(chromedp.CSS(`[data-testid="ppl-builder"]`)),
			until(`document.readyState === "complete" && !!window.htmx`),
		}, `location.pathname === "` + nsURL(global, "policies/new") + `" && ` + yamlHas("is: example.com")},
		{"add a criterion", []chromedp.Action[chromedp.Void]{
			chromedp.Click(chromedp.CSS(`[data-testid="pb-add-row:0:0"]`)),
			chromedp.WaitVisible(chromedp.CSS("#pb-r0-g0-c1-name")),
			idle,
		}, yamlHas("- email:\n        is: \"\"")},
		{"make it a user criterion", []chromedp.Action[chromedp.Void]{
			pick("#pb-r0-g0-c1-name", "user"),
			until(yamlHas("- user:")),
			idle,
		}, `document.querySelector("#pb-r0-g0-c1-name").value === "user"`},
		{"match users in a list", []chromedp.Action[chromedp.Void]{
			pick("#pb-r0-g0-c1-m", "in"),
			until(yamlHas("in:")),
			idle,
			chromedp.SendKeys(chromedp.CSS("#pb-r0-g0-c1-v"), "alice, bob"),
			chromedp.Blur(chromedp.CSS("#pb-r0-g0-c1-v")),
			until(yamlHas("- alice\n          - bob")),
			idle,
		}, `document.querySelector("#pb-r0-g0-c1-v").value === "alice, bob"`},
		{"add an or group", []chromedp.Action[chromedp.Void]{
			chromedp.Click(chromedp.CSS(`[data-testid="pb-add-group:0"]`)),
			chromedp.WaitVisible(chromedp.CSS("#pb-r0-g1-c0-m")),
			idle,
			pick("#pb-r0-g1-c0-m", "ends_with"),
			until(yamlHas("ends_with")),
			idle,
			chromedp.SendKeys(chromedp.CSS("#pb-r0-g1-c0-v"), "@example.com"),
			chromedp.Blur(chromedp.CSS("#pb-r0-g1-c0-v")),
			until(yamlHas("ends_with: \"@example.com\"")),
			idle,
		}, `document.querySelector("#ppl-source").value === ` + strconv.Quote(built) +
			` && document.querySelector("#pb-r0-g1-op").value === "or"`},
		{"type a broken line into the YAML", []chromedp.Action[chromedp.Void]{
			js(`const a = document.querySelector("#ppl-source"); a.focus(); a.setSelectionRange(a.value.length, a.value.length)`),
			chromedp.SendKeys(chromedp.CSS("#ppl-source"), broken),
			chromedp.WaitVisible(chromedp.CSS("#ppl-problems li")),
			idle,
		}, `[...document.querySelectorAll("#ppl-problems li")].map(li => li.textContent.trim()).join("|") === ` + strconv.Quote(problem) +
			` && document.querySelector("#ppl-builder fieldset").disabled` +
			` && document.querySelectorAll('[data-testid="pb-row"]').length === 3`},
		{"fix it", []chromedp.Action[chromedp.Void]{
			chromedp.SendKeys(chromedp.CSS("#ppl-source"), strings.Repeat(kb.Backspace, len("contain: x}"))+"contains: x}"),
			chromedp.WaitNotPresent(chromedp.CSS("#ppl-problems li")),
			until(`document.querySelectorAll('[data-testid="pb-row"]').length === 4`),
			idle,
		}, `document.querySelector("#ppl-source").value === ` + strconv.Quote(saved) +
			` && document.querySelector("#rego-preview-code").textContent.startsWith("package pomerium.policy")`},
		{"name it and save", []chromedp.Action[chromedp.Void]{
			chromedp.SendKeys(chromedp.CSS("#f-name"), "Engineers only"),
			chromedp.Click(chromedp.CSS(`[data-testid="policy-submit"]`)),
			chromedp.WaitVisible(chromedp.CSS(`[data-testid="policy-facts"]`)),
			js(`document.querySelector("#rego-code").closest("details").open = true`),
		}, `document.querySelector("h1").textContent.trim() === "Engineers only" &&
			document.querySelector('[data-testid="toast"]').textContent.trim() === "Policy “Engineers only” created." &&
			document.querySelector("#ppl-code").textContent === ` + strconv.Quote(saved) + ` &&
			document.querySelector("#rego-code").textContent.startsWith("package pomerium.policy")`},
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
			saveScreenshot(t, ctx, filepath.Join(shotsDir, fmt.Sprintf("policy-%02d-%s.png", i+1, strings.ReplaceAll(st.name, " ", "-"))))
		}
		cancel()
		if err != nil {
			t.Fatalf("step %q: %v (console: %q)", st.name, err, errs.list())
		}
	}
	p, ok := policyByName(t, app, global, "Engineers only")
	if !ok || p.PPL != saved || !strings.HasPrefix(p.Rego, "package pomerium.policy") {
		t.Errorf("stored %+v, want the PPL typed and its Rego", p)
	}
	if msgs := errs.list(); len(msgs) > 0 {
		t.Errorf("browser console errors:\n%s", strings.Join(msgs, "\n"))
	}
}
