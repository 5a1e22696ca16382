package web_test

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/pomerium-console-oss/pomerium-console/app/testutil"
	"github.com/pomerium-console-oss/pomerium-console/db"
	"github.com/pomerium-console-oss/pomerium-console/db/storetest"
)

// facts reads the policy page's description list as term → value.
func facts(res *testutil.Response) map[string]string {
	out := map[string]string{}
	for _, item := range res.Doc.Find(`[data-testid="policy-facts"] > div`).EachIter() {
		out[strings.TrimSpace(item.Find("dt").Text())] = strings.TrimSpace(item.Find("dd").Text())
	}
	return out
}

func TestPolicyPage(t *testing.T) {
	t.Parallel()
	f := newPolicyFixture(t, testutil.NewApp)
	p := putPolicy(t, f.app, f.eng, "Engineers", true, pplEngineers)
	optional := putPolicy(t, f.app, f.platform, "No interns", false, pplNoInterns)
	page := nsURL(f.eng, "policies/"+p.ID)
	tests := []struct {
		name, who string
		manage    bool
	}{
		{"a viewer reads it", "vic", false},
		{"a manager may change it", "max", true},
		{"an admin may change it", "ann", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			res := f.as(t, tc.who, page).Get(page)
			wantStatus(t, res, http.StatusOK)
			if got := res.Text("h1"); got != "Engineers" {
				t.Errorf("title %q", got)
			}
			got := facts(res)
			want := map[string]string{
				"Namespace": "Eng", "Enforcement": "Enforced: applies to every route of the namespace and its children",
				"Description": "About Engineers", "Explanation": "—", "Remediation": "—", "Id": p.ID,
			}
			for term, value := range want {
				if got[term] != value {
					t.Errorf("%s: %q, want %q", term, got[term], value)
				}
			}
			if got["Created"] == "" || got["Modified"] == "" {
				t.Errorf("no times: %v", got)
			}
			scope := res.Doc.Find(`[data-testid="policy-scope"]`)
			if got := texts(res, `[data-testid="policy-scope"] li`); !slices.Equal(got, []string{"Eng", "Platform"}) {
				t.Errorf("scope %q, want Eng and Platform", got)
			}
			if cls, _ := scope.Find("li").Last().Attr("class"); !strings.Contains(cls, "d1") {
				t.Errorf("Platform's scope item has class %q, want depth 1", cls)
			}
			if got := strings.TrimSpace(scope.Find("p").First().Text()); got != "Enforced on every route in this namespace and the one below it." {
				t.Errorf("scope sentence %q", got)
			}
			if got := res.Text("#ppl-code"); got != strings.TrimSpace(pplEngineers) {
				t.Errorf("PPL shown %q, want %q", got, pplEngineers)
			}
			if got := res.Text("#rego-code"); got != strings.TrimSpace(p.Rego) {
				t.Errorf("Rego shown is not the stored one:\n%.200s", got)
			}
			for _, sel := range []string{`[data-testid="edit-policy"]`, `[data-testid="clone-policy"]`, `[data-testid="delete-policy"]`, `[data-testid="confirm-delete-policy"]`} {
				if res.Has(sel) != tc.manage {
					t.Errorf("%s shown: %v, want %v", sel, res.Has(sel), tc.manage)
				}
			}
			if !tc.manage {
				return
			}
			confirm := res.Doc.Find(`dialog[data-testid="confirm-delete-policy"] form[method="post"]`)
			if action, _ := confirm.Attr("action"); action != page+"/delete" || confirm.Find(`input[name="_csrf"]`).Length() != 1 {
				t.Errorf("delete confirmation posts to %q (CSRF field: %d)", action, confirm.Find(`input[name="_csrf"]`).Length())
			}
			if href, _ := res.Doc.Find(`[data-testid="edit-policy"]`).Attr("href"); href != page+"/edit" {
				t.Errorf("edit links to %q", href)
			}
		})
	}
	t.Run("an optional policy of a leaf", func(t *testing.T) {
		t.Parallel()
		res := f.as(t, "vic", nsURL(f.platform, "policies/"+optional.ID)).Get(nsURL(f.platform, "policies/"+optional.ID))
		if got := facts(res)["Enforcement"]; got != "Optional: attached to routes one by one" {
			t.Errorf("enforcement %q", got)
		}
		if got := strings.TrimSpace(res.Doc.Find(`[data-testid="policy-scope"] p`).First().Text()); got != "Offered to the routes in this namespace." {
			t.Errorf("scope sentence %q", got)
		}
	})
	t.Run("an unknown policy", func(t *testing.T) {
		t.Parallel()
		res := f.as(t, "vic", nsURL(f.eng, "policies")).Get(nsURL(f.eng, "policies/nope"))
		wantStatus(t, res, http.StatusNotFound)
		if !strings.Contains(res.Body, "policy nope does not exist") {
			t.Error("the 404 does not say what is missing")
		}
	})
}

func TestPolicyClone(t *testing.T) {
	t.Parallel()
	f := newPolicyFixture(t, testutil.NewApp)
	p := putPolicy(t, f.app, f.eng, "Engineers", true, pplEngineers)
	page := nsURL(f.eng, "policies/"+p.ID)
	for _, tc := range []struct {
		name    string
		headers []string
		clone   string
	}{
		{"a form post", nil, "Engineers (copy)"},
		{"an htmx post", testutil.HTMX(""), "Engineers (copy 2)"},
	} {
		cl := f.as(t, "max", page)
		res := cl.PostForm(page+"/clone", nil, tc.headers...)
		clone, ok := policyByName(t, f.app, f.eng, tc.clone)
		if !ok {
			t.Fatalf("%s: no policy %q", tc.name, tc.clone)
		}
		want := nsURL(f.eng, "policies/"+clone.ID+"/edit")
		if tc.headers == nil {
			wantStatus(t, res, http.StatusSeeOther)
		} else {
			wantStatus(t, res, http.StatusNoContent)
		}
		if res.Location() != want {
			t.Fatalf("%s: redirects to %q, want the clone's edit page %q", tc.name, res.Location(), want)
		}
		edit := cl.Get(want)
		wantStatus(t, edit, http.StatusOK)
		if got := edit.Text(`[data-testid="toast"]`); got != "Policy cloned as “"+tc.clone+"”." {
			t.Errorf("%s: toast %q", tc.name, got)
		}
		if v, _ := edit.Doc.Find(`input[name="name"]`).Attr("value"); v != tc.clone {
			t.Errorf("%s: edit form name %q", tc.name, v)
		}
		if clone.PPL != p.PPL || clone.Rego != p.Rego || !clone.Enforced || clone.Description != p.Description {
			t.Errorf("%s: clone %+v differs from %+v", tc.name, clone, p)
		}
	}
}

func TestPolicyDelete(t *testing.T) {
	t.Parallel()
	f := newPolicyFixture(t, testutil.NewApp)
	p := putPolicy(t, f.app, f.platform, "Platform only", true, pplEngineers)
	page := nsURL(f.platform, "policies/"+p.ID)
	cl := f.as(t, "max", page)
	res := cl.PostForm(page+"/delete", nil)
	wantStatus(t, res, http.StatusSeeOther)
	if res.Location() != nsURL(f.platform, "policies") {
		t.Fatalf("redirects to %q, want the list", res.Location())
	}
	list := cl.Get(res.Location())
	if got := list.Text(`[data-testid="toast"]`); got != "Policy “Platform only” deleted." {
		t.Errorf("toast %q", got)
	}
	if _, ok := policyByName(t, f.app, f.platform, "Platform only"); ok {
		t.Fatal("the policy is still stored")
	}
	entries := activityEntries(t, f.app)
	if len(entries) != 1 || entries[0].ActivityType != db.ActivityDelete || entries[0].EntityType != "policy" ||
		entries[0].EntityID != p.ID || jsonField(t, entries[0].Before, "name") != "Platform only" || entries[0].UserID != "max" {
		t.Fatalf("activity %+v", entries)
	}
	wantStatus(t, cl.PostForm(page+"/delete", nil), http.StatusNotFound)
}

// TestPolicyDeleteRefused deletes a policy a Users hook says is in use:
// the policy page comes back with the names in an error toast.
func TestPolicyDeleteRefused(t *testing.T) {
	t.Parallel()
	app := newAppWithPolicyUsers(t, func(_ context.Context, _ db.Store, id string) ([]string, error) {
		return []string{"route “app”", "route “wiki”"}, nil
	})
	f := seedPolicyFixture(t, app)
	p := putPolicy(t, app, f.eng, "Engineers", true, pplEngineers)
	page := nsURL(f.eng, "policies/"+p.ID)
	cl := app.AsRecovery(t, global)
	cl.Get(page)
	before := storetest.Capture(t, app.Store)
	res := cl.PostForm(page+"/delete", url.Values{})
	wantStatus(t, res, http.StatusSeeOther)
	if res.Location() != page {
		t.Fatalf("redirects to %q, want back to the policy", res.Location())
	}
	before.Unchanged(t, app.Store)
	shown := cl.Get(page)
	toast := shown.Doc.Find(`[data-testid="toast"]`)
	if got := strings.TrimSpace(toast.Text()); got != `policy "Engineers" is still used by route “app”, route “wiki”: detach it from them first` {
		t.Errorf("toast %q", got)
	}
	if cls, _ := toast.Attr("class"); !strings.Contains(cls, "error") {
		t.Errorf("toast class %q, want an error", cls)
	}
}
