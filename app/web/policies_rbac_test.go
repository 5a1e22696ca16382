package web_test

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/pomerium-console-oss/pomerium-console/app/testutil"
	"github.com/pomerium-console-oss/pomerium-console/db/storetest"
)

func TestPoliciesRBAC(t *testing.T) {
	t.Parallel()
	runPoliciesRBAC(t, testutil.NewApp)
}

func runPoliciesRBAC(t *testing.T, newApp appFactory) {
	f := newPolicyFixture(t, newApp)
	p := putPolicy(t, f.app, f.eng, "Engineers", true, pplEngineers)
	page := nsURL(f.eng, "policies/"+p.ID)
	noRole := "you have no role on namespace &#34;Eng&#34;"
	form := policyForm("New", pplEngineers)
	editor := url.Values{"ppl": {pplEngineers}, "b.r0.action": {"allow"}, "b.r0.g0.op": {"and"}, "b.r0.g0.c0.name": {"accept"}, "b.cmd": {"add-rule"}}
	// writes are every request that changes a policy or serves the editor.
	writes := []testutil.Scenario{
		{Name: "open the new form", URL: nsURL(f.eng, "policies/new")},
		{Name: "create", Method: http.MethodPost, URL: nsURL(f.eng, "policies"), Form: form},
		{Name: "open the edit form", URL: page + "/edit"},
		{Name: "update", Method: http.MethodPost, URL: page, Form: form},
		{Name: "clone", Method: http.MethodPost, URL: page + "/clone"},
		{Name: "delete", Method: http.MethodPost, URL: page + "/delete"},
		{Name: "preview", Method: http.MethodPost, URL: nsURL(f.eng, "policies/preview"), Form: editor},
		{Name: "builder", Method: http.MethodPost, URL: nsURL(f.eng, "policies/builder"), Form: editor},
	}
	tests := []struct {
		who, home string // home is a page the caller may open
		refused   string
		reads     bool // whether the list and the policy's page open
	}{
		{"vic", nsURL(f.eng, "policies"), "this needs the manager role on namespace &#34;Eng&#34;; you are a viewer there", true},
		// A guest may not even read the policy some of these load first.
		{"gus", nsURL(f.eng, "namespaces"), "role on namespace &#34;Eng&#34;; you are a guest there", false},
		// A manager of a child may not touch its parent's policies.
		{"pat", nsURL(f.platform, "policies"), noRole, false},
	}
	for _, tc := range tests {
		for _, sc := range writes {
			t.Run(tc.who+"/"+sc.Name, func(t *testing.T) {
				t.Parallel()
				cl := f.as(t, tc.who, tc.home)
				before := storetest.Capture(t, f.app.Store)
				sc.Status, sc.Contains = http.StatusForbidden, []string{tc.refused}
				sc.Run(t, cl)
				before.Unchanged(t, f.app.Store)
			})
		}
		t.Run(tc.who+"/reads", func(t *testing.T) {
			t.Parallel()
			cl := f.as(t, tc.who, tc.home)
			for _, u := range []string{nsURL(f.eng, "policies"), page} {
				res := cl.Get(u)
				if ok := res.Status == http.StatusOK; ok != tc.reads {
					t.Errorf("GET %s: status %d, want it to open: %v", u, res.Status, tc.reads)
				}
			}
		})
	}
	t.Run("pat/a child's policy through the child's URL", func(t *testing.T) {
		t.Parallel()
		cl := f.as(t, "pat", nsURL(f.platform, "policies"))
		before := storetest.Capture(t, f.app.Store)
		for _, sc := range []testutil.Scenario{
			{Name: "open", URL: nsURL(f.platform, "policies/"+p.ID)},
			{Name: "update", Method: http.MethodPost, URL: nsURL(f.platform, "policies/"+p.ID), Form: form},
			{Name: "delete", Method: http.MethodPost, URL: nsURL(f.platform, "policies/"+p.ID+"/delete")},
		} {
			sc.Status, sc.Contains = http.StatusForbidden, []string{noRole}
			sc.Run(t, cl)
		}
		before.Unchanged(t, f.app.Store)
	})
}

// TestPoliciesCSRF posts every policy form without a valid token: each is
// refused and changes nothing.
func TestPoliciesCSRF(t *testing.T) {
	t.Parallel()
	f := newPolicyFixture(t, testutil.NewApp)
	p := putPolicy(t, f.app, f.eng, "Engineers", true, pplEngineers)
	page := nsURL(f.eng, "policies/"+p.ID)
	editor := url.Values{"ppl": {pplEngineers}, "b.cmd": {"add-rule"}}
	posts := []struct {
		name, path string
		form       url.Values
	}{
		{"create", nsURL(f.eng, "policies"), policyForm("New", pplEngineers)},
		{"update", page, policyForm("Renamed", pplEngineers)},
		{"clone", page + "/clone", url.Values{}},
		{"delete", page + "/delete", url.Values{}},
		{"preview", nsURL(f.eng, "policies/preview"), editor},
		{"builder", nsURL(f.eng, "policies/builder"), editor},
	}
	tokens := []badToken{noToken, forged("a forged token", false), forged("a forged htmx header", true), suffixToken}
	for _, post := range posts {
		for _, tk := range tokens {
			t.Run(post.name+"/"+tk.name, func(t *testing.T) {
				t.Parallel()
				cl := f.as(t, "root", page)
				before := storetest.Capture(t, f.app.Store)
				wantCSRFRefused(t, cl, post.path, post.form, tk)
				before.Unchanged(t, f.app.Store)
			})
		}
	}
	t.Run("the page's own token is accepted", func(t *testing.T) {
		t.Parallel()
		cl := f.as(t, "root", page)
		wantStatus(t, cl.PostForm(nsURL(f.eng, "policies/preview"), editor, "X-CSRF-Token", cl.CSRFToken()), http.StatusOK)
	})
}
