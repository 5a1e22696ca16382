package web_test

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/pomerium-console-oss/pomerium-console/app/ppl"
	"github.com/pomerium-console-oss/pomerium-console/app/testutil"
)

// editorValues collects the fields of the PPL editor in doc as htmx sends
// them (hx-include="#ppl-editor"): inputs, the selected options, the text.
func editorValues(doc *goquery.Document) url.Values {
	form := url.Values{}
	editor := doc.Find("#ppl-editor")
	for _, in := range editor.Find("input[name]").EachIter() {
		name, _ := in.Attr("name")
		value, _ := in.Attr("value")
		form.Add(name, value)
	}
	for _, sel := range editor.Find("select[name]").EachIter() {
		name, _ := sel.Attr("name")
		opt := sel.Find("option[selected]")
		if opt.Length() == 0 {
			opt = sel.Find("option").First()
		}
		value, _ := opt.Attr("value")
		form.Add(name, value)
	}
	form.Set("ppl", editor.Find("textarea#ppl-source").Text())
	return form
}

// canonicalPPL is src as the formatter writes it, which is what the
// builder puts in the text.
func canonicalPPL(t *testing.T, src string) string {
	t.Helper()
	p, err := ppl.Parse([]byte(src))
	if err != nil {
		t.Fatalf("parse %q: %v", src, err)
	}
	out, err := ppl.Format(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

// TestPolicyBuilderEndpoint edits the new form's starter policy with the
// builder, one request after the other as the page does, each posting the
// fields the previous answer drew.
func TestPolicyBuilderEndpoint(t *testing.T) {
	t.Parallel()
	f := newPolicyFixture(t, testutil.NewApp)
	cl := f.as(t, "max", nsURL(f.eng, "policies/new"))
	page := cl.Get(nsURL(f.eng, "policies/new"))
	doc := page.Doc
	steps := []struct {
		name string
		cmd  string
		set  map[string]string // fields changed before posting
		want string            // the text afterwards
	}{
		{"add a criterion", "add-row:0:0", nil, `allow: {and: [{domain: {is: example.com}}, {email: {is: ""}}]}`},
		{"pick its criterion", "", map[string]string{"b.r0.g0.c1.name": "user"}, `allow: {and: [{domain: {is: example.com}}, {user: {is: ""}}]}`},
		{"pick a matcher and type values", "", map[string]string{"b.r0.g0.c1.m": "in", "b.r0.g0.c1.v": "alice, bob"},
			`allow: {and: [{domain: {is: example.com}}, {user: {in: [alice, bob]}}]}`},
		{"add a group", "add-group:0", nil, `allow: {and: [{domain: {is: example.com}}, {user: {in: [alice, bob]}}], or: [{email: {is: ""}}]}`},
		{"make it a not group", "", map[string]string{"b.r0.g1.op": "not"}, `allow: {and: [{domain: {is: example.com}}, {user: {in: [alice, bob]}}], not: [{email: {is: ""}}]}`},
		{"remove the first criterion", "remove-row:0:0:0", nil, `allow: {and: [{user: {in: [alice, bob]}}], not: [{email: {is: ""}}]}`},
		{"remove a group", "remove-group:0:1", nil, `allow: {and: [{user: {in: [alice, bob]}}]}`},
		{"add a rule", "add-rule", nil, "- allow: {and: [{user: {in: [alice, bob]}}]}\n- allow: {and: [{email: {is: \"\"}}]}"},
		{"make it deny", "", map[string]string{"b.r1.action": "deny"}, "- allow: {and: [{user: {in: [alice, bob]}}]}\n- deny: {and: [{email: {is: \"\"}}]}"},
		{"remove the first rule", "remove-rule:0", nil, `deny: {and: [{email: {is: ""}}]}`},
		{"a command that points nowhere keeps the text", "remove-row:3:0:0", nil, `deny: {and: [{email: {is: ""}}]}`},
		{"remove the last rule", "remove-rule:0", nil, ""},
		{"start again", "add-rule", nil, `allow: {and: [{email: {is: ""}}]}`},
	}
	for _, st := range steps {
		form := editorValues(doc)
		for k, v := range st.set {
			if !form.Has(k) {
				t.Fatalf("%s: the editor has no field %s: %v", st.name, k, form)
			}
			form.Set(k, v)
		}
		if st.cmd != "" {
			form.Set("b.cmd", st.cmd)
		}
		res := cl.PostForm(nsURL(f.eng, "policies/builder"), form, testutil.HTMX("ppl-editor")...)
		wantStatus(t, res, http.StatusOK)
		if !strings.HasPrefix(strings.TrimSpace(res.Body), `<div id="ppl-editor"`) {
			t.Fatalf("%s: the answer is not the editor: %.100s", st.name, res.Body)
		}
		want := ""
		if st.want != "" {
			want = canonicalPPL(t, st.want)
		}
		if got := res.Doc.Find("#ppl-source").Text(); got != want {
			t.Fatalf("%s: text\n%s\nwant\n%s", st.name, got, want)
		}
		var wantProblems []string
		if want == "" {
			wantProblems = []string{"the policy is empty"}
		}
		if problems := problemList(res); !slices.Equal(problems, wantProblems) {
			t.Errorf("%s: problems %q, want %q", st.name, problems, wantProblems)
		}
		doc = res.Doc
	}
}

func TestPolicyPreviewEndpoint(t *testing.T) {
	t.Parallel()
	f := newPolicyFixture(t, testutil.NewApp)
	// shape is the builder's fields as the page posts them with the text.
	shape := url.Values{"b.r0.action": {"allow"}, "b.r0.g0.op": {"and"}, "b.r0.g0.c0.name": {"email"}, "b.r0.g0.c0.was": {"email"},
		"b.r0.g0.c0.m": {"is"}, "b.r0.g0.c0.v": {"a@example.com"}}
	tests := []struct {
		name     string
		src      string
		builder  url.Values
		problems []string
		rego     bool
		rows     int
		disabled bool
	}{
		{"a policy", pplEngineers, nil, nil, true, 2, false},
		{"a policy: the builder follows the text", pplEngineers, shape, nil, true, 2, false},
		{"problems with their paths", pplTwoProblems, nil, twoProblems, false, 0, true},
		{"problems: the builder keeps its last shape, disabled", pplTwoProblems, shape, twoProblems, false, 1, true},
		{"a typo in the YAML", "allow:\n  and:\n    - email: {is: a@example.com\n", shape,
			[]string{"line 3, column 14: could not find flow mapping end token '}'"}, false, 1, true},
		{"nothing yet", "", nil, []string{"the policy is empty"}, false, 0, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			cl := f.as(t, "max", nsURL(f.eng, "policies/new"))
			form := url.Values{"ppl": {tc.src}}
			for k, v := range tc.builder {
				form[k] = v
			}
			res := cl.PostForm(nsURL(f.eng, "policies/preview"), form, testutil.HTMX("ppl-builder")...)
			wantStatus(t, res, http.StatusOK)
			parts := res.Doc.Find("body").Children()
			var ids []string
			for _, p := range parts.EachIter() {
				id, _ := p.Attr("id")
				oob, _ := p.Attr("hx-swap-oob")
				ids = append(ids, id+":"+oob)
			}
			if want := []string{"ppl-builder:", "ppl-problems:true", "ppl-rego:true"}; !slices.Equal(ids, want) {
				t.Fatalf("fragment parts %q, want %q", ids, want)
			}
			if got := problemList(res); !slices.Equal(got, tc.problems) {
				t.Errorf("problems %q, want %q", got, tc.problems)
			}
			if n := len(tc.problems); n > 0 && res.Text("#ppl-problems .alert-title") != map[bool]string{true: "1 problem", false: "2 problems"}[n == 1] {
				t.Errorf("problem count %q", res.Text("#ppl-problems .alert-title"))
			}
			if got := res.Text("#rego-preview-code"); strings.HasPrefix(got, "package pomerium.policy") != tc.rego {
				t.Errorf("Rego shown: %.60q, want shown %v", got, tc.rego)
			}
			if got := res.Doc.Find(`[data-testid="pb-row"]`).Length(); got != tc.rows {
				t.Errorf("%d builder rows, want %d", got, tc.rows)
			}
			if _, disabled := res.Doc.Find("#ppl-builder fieldset").Attr("disabled"); disabled != tc.disabled {
				t.Errorf("builder disabled %v, want %v", disabled, tc.disabled)
			}
			if !res.Has(`[data-testid="pb-add-rule"]`) {
				t.Error("no Add rule button")
			}
		})
	}
}

// TestPolicyBuilderRowKinds draws a row of each kind the builder edits.
func TestPolicyBuilderRowKinds(t *testing.T) {
	t.Parallel()
	f := newPolicyFixture(t, testutil.NewApp)
	cl := f.as(t, "max", nsURL(f.eng, "policies/new"))
	src := "allow:\n  and:\n    - claim/groups: {has: admins}\n    - accept: true\n    - source_ip: 10.0.0.0/8\n" +
		"    - time_of_day: {timezone: UTC, after: '9:00', before: '17:00'}\n" +
		"  or: [{accept: true}]\n  not: [{reject: true}]\n  nor: [{reject: true}]\n"
	res := cl.PostForm(nsURL(f.eng, "policies/preview"), url.Values{"ppl": {src}}, testutil.HTMX("ppl-builder")...)
	wantStatus(t, res, http.StatusOK)
	rows := res.Doc.Find(`[data-testid="pb-row"]`)
	for i, want := range []struct{ sub, matcher, value, summary bool }{
		{sub: true, matcher: true, value: true}, {}, {value: true}, {summary: true},
	} {
		row := rows.Eq(i)
		got := struct{ sub, matcher, value, summary bool }{
			row.Find(`input[name$=".sub"]`).Length() == 1, row.Find(`select[name$=".m"]`).Length() == 1,
			row.Find(`input[name$=".v"]`).Length() == 1, row.Find("code.pb-summary").Length() == 1 && row.Find(`input[name$=".raw"]`).Length() == 1,
		}
		if got != want {
			t.Errorf("row %d draws %+v, want %+v", i, got, want)
		}
	}
	if res.Has(`[data-testid="pb-add-group:0"]`) {
		t.Error("a rule with a group of every operator offers another group")
	}
}
