package web_test

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/pomerium-console-oss/pomerium-console/app/policies"
	"github.com/pomerium-console-oss/pomerium-console/app/testutil"
	"github.com/pomerium-console-oss/pomerium-console/db"
	"github.com/pomerium-console-oss/pomerium-console/db/storetest"
)

// policyForm is the form of a new policy with every field set.
func policyForm(name, src string) url.Values {
	return url.Values{
		"name": {name}, "description": {" Lets engineers in. "}, "explanation": {"You are not an engineer."},
		"remediation": {"Ask IT."}, "enforced": {"true"}, "ppl": {src},
	}
}

// problemList is the problems the editor lists.
func problemList(res *testutil.Response) []string {
	return texts(res, `#ppl-problems li`)
}

func TestPolicyNewForm(t *testing.T) {
	t.Parallel()
	f := newPolicyFixture(t, testutil.NewApp)
	res := f.as(t, "max", nsURL(f.eng, "policies/new")).Get(nsURL(f.eng, "policies/new"))
	wantStatus(t, res, http.StatusOK)
	form := res.Doc.Find(`form[data-testid="policy-form"]`)
	if action, _ := form.Attr("action"); action != nsURL(f.eng, "policies") {
		t.Errorf("form posts to %q", action)
	}
	if form.Find(`input[name="_csrf"]`).Length() != 1 {
		t.Error("form has no CSRF field")
	}
	for sel, want := range map[string]string{
		"h1": "New policy", `[data-testid="policy-submit"]`: "Create policy", "#ppl-source": strings.TrimSpace(policyStarter),
		".card-header p": "In namespace Eng.",
	} {
		if got := res.Text(sel); got != want {
			t.Errorf("%s reads %q, want %q", sel, got, want)
		}
	}
	if len(problemList(res)) != 0 {
		t.Errorf("the starter has problems: %q", problemList(res))
	}
	if got := res.Text("#rego-preview-code"); !strings.HasPrefix(got, "package pomerium.policy") {
		t.Errorf("no Rego preview: %.100q", got)
	}
	for name, want := range map[string]string{"b.r0.g0.c0.name": "domain", "b.r0.g0.c0.m": "is", "b.r0.action": "allow", "b.r0.g0.op": "and"} {
		if got, _ := res.Doc.Find(`select[name="` + name + `"] option[selected]`).Attr("value"); got != want {
			t.Errorf("builder %s = %q, want %q", name, got, want)
		}
	}
	if v, _ := res.Doc.Find(`input[name="b.r0.g0.c0.v"]`).Attr("value"); v != "example.com" {
		t.Errorf("builder value %q", v)
	}
}

// policyStarter is what a new policy's editor starts with.
const policyStarter = "allow:\n  and:\n    - domain:\n        is: example.com\n"

func TestPolicyCreate(t *testing.T) {
	t.Parallel()
	runPolicyCreate(t, testutil.NewApp)
}

func runPolicyCreate(t *testing.T, newApp appFactory) {
	f := newPolicyFixture(t, newApp)
	for _, tc := range []struct {
		name    string
		headers []string
		status  int
	}{
		{"Engineers", nil, http.StatusSeeOther},
		{"Engineers by htmx", testutil.HTMX("policy-form"), http.StatusNoContent},
	} {
		cl := f.as(t, "max", nsURL(f.eng, "policies/new"))
		settle()
		res := cl.PostForm(nsURL(f.eng, "policies"), policyForm("  "+tc.name+" ", pplEngineers), tc.headers...)
		wantStatus(t, res, tc.status)
		p, ok := policyByName(t, f.app, f.eng, tc.name)
		if !ok {
			t.Fatalf("%s: not stored", tc.name)
		}
		if res.Location() != nsURL(f.eng, "policies/"+p.ID) {
			t.Fatalf("%s: redirects to %q, want the policy's page", tc.name, res.Location())
		}
		module, err := policies.CompilePPL(pplEngineers)
		if err != nil {
			t.Fatal(err)
		}
		if p.Description != "Lets engineers in." || p.Explanation != "You are not an engineer." || p.Remediation != "Ask IT." ||
			!p.Enforced || p.PPL != pplEngineers || p.Rego != module {
			t.Errorf("%s: stored %+v", tc.name, p)
		}
		page := cl.Get(res.Location())
		if got := page.Text(`[data-testid="toast"]`); got != "Policy “"+tc.name+"” created." {
			t.Errorf("%s: toast %q", tc.name, got)
		}
		e := activityEntries(t, f.app)[0]
		if e.ActivityType != db.ActivityCreate || e.EntityType != "policy" || e.EntityID != p.ID || e.NamespaceID != f.eng ||
			e.UserID != "max" || jsonField(t, e.After, "ppl") != pplEngineers || e.Before != "" {
			t.Errorf("%s: activity %+v", tc.name, e)
		}
	}
}

func TestPolicyEdit(t *testing.T) {
	t.Parallel()
	runPolicyEdit(t, testutil.NewApp)
}

func runPolicyEdit(t *testing.T, newApp appFactory) {
	f := newPolicyFixture(t, newApp)
	p := putPolicy(t, f.app, f.eng, "Engineers", true, pplEngineers)
	page := nsURL(f.eng, "policies/"+p.ID)
	cl := f.as(t, "max", page+"/edit")
	edit := cl.Get(page + "/edit")
	wantStatus(t, edit, http.StatusOK)
	if action, _ := edit.Doc.Find(`form[data-testid="policy-form"]`).Attr("action"); action != page {
		t.Errorf("edit form posts to %q, want %q", action, page)
	}
	for sel, want := range map[string]string{"h1": "Edit policy", `[data-testid="policy-submit"]`: "Save policy", "#ppl-source": strings.TrimSpace(pplEngineers), "#f-description": "About Engineers"} {
		if got := edit.Text(sel); got != want {
			t.Errorf("%s reads %q, want %q", sel, got, want)
		}
	}
	if v, _ := edit.Doc.Find(`input[name="name"]`).Attr("value"); v != "Engineers" {
		t.Errorf("name %q", v)
	}
	if _, checked := edit.Doc.Find(`input[name="enforced"]`).Attr("checked"); !checked {
		t.Error("enforced is not checked")
	}

	settle()
	form := policyForm("Engineers and interns", pplNoInterns)
	form.Del("enforced")
	res := cl.PostForm(page, form)
	wantStatus(t, res, http.StatusSeeOther)
	if res.Location() != page {
		t.Fatalf("redirects to %q", res.Location())
	}
	if got := cl.Get(page).Text(`[data-testid="toast"]`); got != "Policy “Engineers and interns” saved." {
		t.Errorf("toast %q", got)
	}
	updated, ok := policyByName(t, f.app, f.eng, "Engineers and interns")
	if !ok || updated.ID != p.ID || updated.Enforced || updated.PPL != pplNoInterns || updated.Rego == p.Rego {
		t.Fatalf("stored %+v", updated)
	}
	e := activityEntries(t, f.app)[0]
	if e.ActivityType != db.ActivityUpdate || jsonField(t, e.Before, "name") != "Engineers" || jsonField(t, e.After, "name") != "Engineers and interns" {
		t.Errorf("activity %+v", e)
	}
}

func TestPolicyFormValidation(t *testing.T) {
	t.Parallel()
	runPolicyFormValidation(t, testutil.NewApp)
}

func runPolicyFormValidation(t *testing.T, newApp appFactory) {
	f := newPolicyFixture(t, newApp)
	p := putPolicy(t, f.app, f.eng, "Engineers", true, pplEngineers)
	putPolicy(t, f.app, f.eng, "Existing", false, pplEngineers)
	long := strings.Repeat("ü", 4097)
	fixEditor, tooLong := "Fix the problems listed under the editor.", "must be at most 4096 characters (got 4097)"
	with := func(field, value string) url.Values {
		form := policyForm("New", pplEngineers)
		form.Set(field, value)
		return form
	}
	tests := []struct {
		name     string
		form     url.Values
		errors   map[string]string
		problems []string
	}{
		{"empty name", with("name", " "), map[string]string{"name": "enter a name"}, nil},
		{"129 characters", with("name", strings.Repeat("n", 129)), map[string]string{"name": "must be at most 128 characters (got 129)"}, nil},
		{"a line break", with("name", "a\nb"), map[string]string{"name": "must not contain control characters such as line breaks"}, nil},
		{"a taken name, other case", with("name", "EXISTING"), map[string]string{"name": `this namespace already has a policy named "Existing"`}, nil},
		{"description too long", with("description", long), map[string]string{"description": tooLong}, nil},
		{"explanation too long", with("explanation", long), map[string]string{"explanation": tooLong}, nil},
		{"remediation too long", with("remediation", long), map[string]string{"remediation": tooLong}, nil},
		{"empty PPL", with("ppl", "  \n"), map[string]string{"ppl": "write the policy's rules in PPL"}, []string{"the policy is empty"}},
		{"PPL too long", with("ppl", strings.Repeat("#", policies.MaxPPLLength+1)), map[string]string{"ppl": "must be at most 262144 bytes (got 262145)"},
			[]string{"the policy must be at most 262144 bytes (got 262145)"}},
		{"PPL with problems", with("ppl", pplTwoProblems), map[string]string{"ppl": fixEditor}, twoProblems},
		{"PPL that is not YAML", with("ppl", "allow: ["), map[string]string{"ppl": fixEditor}, []string{`line 1, column 8: sequence end token ']' not found`}},
		{"every field wrong", url.Values{"name": {""}, "description": {long}, "explanation": {long}, "remediation": {long}, "ppl": {pplTwoProblems}},
			map[string]string{"name": "enter a name", "description": tooLong, "explanation": tooLong, "remediation": tooLong, "ppl": fixEditor}, twoProblems},
	}
	for _, tc := range tests {
		for _, target := range []struct{ name, path, form string }{
			{"create", nsURL(f.eng, "policies"), nsURL(f.eng, "policies/new")},
			{"update", nsURL(f.eng, "policies/"+p.ID), nsURL(f.eng, "policies/"+p.ID+"/edit")},
		} {
			for _, htmx := range []bool{false, true} {
				name := tc.name + "/" + target.name + "/full page"
				var headers []string
				if htmx {
					name, headers = tc.name+"/"+target.name+"/htmx", testutil.HTMX("policy-form")
				}
				t.Run(name, func(t *testing.T) {
					t.Parallel()
					cl := f.as(t, "max", target.form)
					before := storetest.Capture(t, f.app.Store)
					res := cl.PostForm(target.path, tc.form, headers...)
					wantStatus(t, res, http.StatusUnprocessableEntity)
					wantFieldErrors(t, res, tc.errors)
					for field, want := range tc.errors {
						if got := res.FieldErrors()[field]; got != want {
							t.Errorf("%s: %q, want exactly %q", field, got, want)
						}
					}
					if got := problemList(res); !slices.Equal(got, tc.problems) {
						t.Errorf("problems under the editor %q, want %q", got, tc.problems)
					}
					if v, _ := res.Doc.Find(`input[name="name"]`).Attr("value"); v != tc.form.Get("name") {
						t.Errorf("the name field lost its value: %q", v)
					}
					if got := res.Doc.Find("#ppl-source").Text(); got != tc.form.Get("ppl") {
						t.Errorf("the editor lost its text: %q", got)
					}
					if isFragment := !strings.Contains(res.Body, "<html"); isFragment != htmx {
						t.Errorf("htmx %v, but the response is a fragment: %v", htmx, isFragment)
					}
					if htmx && !strings.HasPrefix(strings.TrimSpace(res.Body), `<form`) {
						t.Errorf("the htmx response is not the form: %.80s", res.Body)
					}
					before.Unchanged(t, f.app.Store)
				})
			}
		}
	}
}
