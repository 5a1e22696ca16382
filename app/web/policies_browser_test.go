package web_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/pomerium-console-oss/pomerium-console/app/testutil"
	"github.com/pomerium-console-oss/pomerium-console/views/components/viewtest"
)

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
	base, token := serve(t, app)
	built := canonicalPPL(t, "allow: {and: [{domain: {is: example.com}}, {user: {in: [alice, bob]}}], or: [{email: {ends_with: '@example.com'}}]}")
	broken := "    - email: {contain: x}"
	problem := `allow.or[1].email: unknown operator "contain"; did you mean "contains"?`
	saved := built + "    - email: {contains: x}"
	runBrowserSteps(t, browser, "policies", []browserStep{
		{"sign in with a recovery token", signIn(base, token),
			`document.querySelector('[data-testid="user-role"]').textContent.trim() === "Admin in Global"`},
		{"open Policies", []chromedp.Action[chromedp.Void]{
			chromedp.Click(chromedp.CSS(`[data-testid="nav-policies"]`)),
			chromedp.WaitVisible(chromedp.CSS(`[data-testid="empty-state"]`)),
		}, `location.pathname === "` + nsURL(global, "policies") + `"`},
		{"add a policy", []chromedp.Action[chromedp.Void]{
			chromedp.Click(chromedp.CSS(`[data-testid="add-policy"]`)),
			chromedp.WaitVisible(chromedp.CSS(`[data-testid="ppl-builder"]`)),
			htmxLoaded,
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
	})
	p, ok := policyByName(t, app, global, "Engineers only")
	if !ok || p.PPL != saved || !strings.HasPrefix(p.Rego, "package pomerium.policy") {
		t.Errorf("stored %+v, want the PPL typed and its Rego", p)
	}
}
