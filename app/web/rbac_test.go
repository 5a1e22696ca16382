package web_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/pomerium-console-oss/pomerium-console/app/testutil"
	"github.com/pomerium-console-oss/pomerium-console/db"
	"github.com/pomerium-console-oss/pomerium-console/db/storetest"
)

// rbacFixture is Global > Eng > Platform, and Global > Sales, with one
// user per role on Eng and a config-file administrator.
type rbacFixture struct {
	orgFixture
	engGrant, salesMember string
}

func newRBACFixture(t *testing.T, newApp appFactory) rbacFixture {
	t.Helper()
	f := rbacFixture{orgFixture: newOrg(t, rootApp(t, newApp))}
	f.engGrant = grantAll(t, f.app, f.eng, staff)["vic"]
	f.salesMember = f.app.Grant(t, f.sales, db.SubjectUser, "sam", "viewer")
	return f
}

func (f rbacFixture) as(t *testing.T, who string) *testutil.Client { return signedIn(t, f.app, who) }

func TestRBAC(t *testing.T) {
	t.Parallel()
	runRBAC(t, testutil.NewApp)
}

func runRBAC(t *testing.T, newApp appFactory) {
	f := newRBACFixture(t, newApp)
	needsAdmin := func(role string) string {
		return "this needs the admin role on namespace &#34;Eng&#34;; you are a " + role + " there"
	}
	newNS := func(parent string) url.Values { return url.Values{"name": {"New"}, "parentId": {parent}} }
	grant := url.Values{"subjectType": {"user"}, "subjectId": {"zed"}, "role": {"viewer"}}
	tests := []struct {
		who string
		testutil.Scenario
	}{
		// viewer on Eng
		{"vic", testutil.Scenario{Name: "viewer lists namespaces", URL: nsURL(f.eng, "namespaces"), Status: http.StatusOK, Absent: []string{`data-testid="add-namespace"`, `data-testid="edit-Platform"`}}},
		{"vic", testutil.Scenario{Name: "viewer role is inherited by children", URL: nsURL(f.platform, "activity"), Status: http.StatusOK}},
		{"vic", testutil.Scenario{Name: "viewer sees no sibling", URL: nsURL(f.sales, "namespaces"), Status: http.StatusForbidden, Contains: []string{"you have no role on namespace &#34;Sales&#34;"}}},
		{"vic", testutil.Scenario{Name: "viewer sees no parent", URL: nsURL(global, "members"), Status: http.StatusForbidden}},
		{"vic", testutil.Scenario{Name: "viewer opens the new-namespace form", URL: nsURL(f.eng, "namespaces/new"), Status: http.StatusForbidden, Contains: []string{needsAdmin("viewer")}}},
		{"vic", testutil.Scenario{Name: "viewer creates a namespace", Method: http.MethodPost, URL: nsURL(f.eng, "namespaces"), Form: newNS(f.eng), Status: http.StatusForbidden, Contains: []string{needsAdmin("viewer")}}},
		{"vic", testutil.Scenario{Name: "viewer reads members without the grant form", URL: nsURL(f.eng, "members"), Status: http.StatusOK, Contains: []string{`data-testid="members-table"`}, Absent: []string{`data-testid="grant-form"`, `data-testid="revoke-`}}},
		{"vic", testutil.Scenario{Name: "viewer reads a coming-soon section", URL: nsURL(f.eng, "policies"), Status: http.StatusOK}},
		// manager on Eng
		{"max", testutil.Scenario{Name: "manager grants a member", Method: http.MethodPost, URL: nsURL(f.eng, "members"), Form: grant, Status: http.StatusForbidden, Contains: []string{needsAdmin("manager")}}},
		{"max", testutil.Scenario{Name: "manager revokes a member", Method: http.MethodPost, URL: nsURL(f.eng, "members/"+f.engGrant+"/delete"), Status: http.StatusForbidden}},
		{"max", testutil.Scenario{Name: "manager edits a child namespace", URL: nsURL(f.eng, "namespaces/"+f.platform+"/edit"), Status: http.StatusForbidden}},
		{"max", testutil.Scenario{Name: "manager deletes a child namespace", Method: http.MethodPost, URL: nsURL(f.eng, "namespaces/"+f.platform+"/delete"), Status: http.StatusForbidden}},
		{"max", testutil.Scenario{Name: "manager looks up users", URL: nsURL(f.eng, "members/lookup?subjectId=a"), Status: http.StatusForbidden}},
		// guest on Eng
		{"gus", testutil.Scenario{Name: "guest sees the namespace exists", URL: nsURL(f.eng, "namespaces"), Status: http.StatusOK, Contains: []string{`data-testid="ns-row-Eng"`}}},
		{"gus", testutil.Scenario{Name: "guest opens activity", URL: nsURL(f.eng, "activity"), Status: http.StatusForbidden, Contains: []string{"this needs the viewer role on namespace &#34;Eng&#34;; you are a guest there"}}},
		{"gus", testutil.Scenario{Name: "guest opens members", URL: nsURL(f.eng, "members"), Status: http.StatusForbidden}},
		{"gus", testutil.Scenario{Name: "guest opens a coming-soon section", URL: nsURL(f.eng, "routes"), Status: http.StatusForbidden}},
		{"gus", testutil.Scenario{Name: "guest opens an activity entry", URL: nsURL(f.eng, "activity/nope"), Status: http.StatusNotFound}},
		// admin on Eng
		{"ann", testutil.Scenario{Name: "admin creates inside Eng", Method: http.MethodPost, URL: nsURL(f.eng, "namespaces"), Form: newNS(f.platform), Status: http.StatusSeeOther}},
		{"ann", testutil.Scenario{Name: "admin of Eng creates under Global", Method: http.MethodPost, URL: nsURL(f.eng, "namespaces"), Form: newNS(global), Status: http.StatusForbidden, Contains: []string{"you have no role on namespace &#34;Global&#34;"}}},
		{"ann", testutil.Scenario{Name: "admin of Eng deletes Eng", Method: http.MethodPost, URL: nsURL(f.eng, "namespaces/"+f.eng+"/delete"), Status: http.StatusForbidden}},
		{"ann", testutil.Scenario{Name: "admin of Eng moves Platform to Sales", Method: http.MethodPost, URL: nsURL(f.eng, "namespaces/"+f.platform), Form: url.Values{"name": {"Platform"}, "parentId": {f.sales}}, Status: http.StatusForbidden}},
		{"ann", testutil.Scenario{Name: "admin of Eng revokes a Sales grant through Eng", Method: http.MethodPost, URL: nsURL(f.eng, "members/"+f.salesMember+"/delete"), Status: http.StatusNotFound}},
		// config-file administrator and strangers
		{"root", testutil.Scenario{Name: "configured administrator is a Global admin", Method: http.MethodPost, URL: nsURL(global, "namespaces"), Form: newNS(global), Status: http.StatusSeeOther}},
		{"root", testutil.Scenario{Name: "unknown namespace", URL: nsURL("no-such-ns", "namespaces"), Status: http.StatusNotFound, Contains: []string{"namespace no-such-ns does not exist"}}},
		{"root", testutil.Scenario{Name: "unknown page", URL: nsURL(global, "nothing-here"), Status: http.StatusNotFound}},
		{"sam", testutil.Scenario{Name: "stranger to Eng", URL: nsURL(f.platform, "namespaces"), Status: http.StatusForbidden}},
	}
	check := func(t *testing.T, who string, sc testutil.Scenario) {
		cl := f.as(t, who)
		loadHome(t, cl)
		before := storetest.Capture(t, f.app.Store)
		res := sc.Run(t, cl)
		switch res.Status {
		case http.StatusForbidden, http.StatusNotFound:
			if res.Text(`[data-testid="error-status"]`) != strconv.Itoa(res.Status) {
				t.Errorf("no error page with the status:\n%s", res.Body)
			}
			if !res.Has(`[data-testid="nav"]`) {
				t.Error("the error page lost the navigation")
			}
			if sc.Method == http.MethodPost {
				before.Unchanged(t, f.app.Store)
			}
		}
	}
	// Refusals run in parallel and check that nothing changed, so the
	// permitted changes wait until they are done.
	t.Run("refused and read-only", func(t *testing.T) {
		for _, tc := range tests {
			if tc.Status != http.StatusSeeOther {
				t.Run(tc.Name, func(t *testing.T) { t.Parallel(); check(t, tc.who, tc.Scenario) })
			}
		}
	})
	for _, tc := range tests {
		if tc.Status == http.StatusSeeOther {
			t.Run(tc.Name, func(t *testing.T) { check(t, tc.who, tc.Scenario) })
		}
	}
}

func TestForbiddenHTMXRequestGetsAFragment(t *testing.T) {
	t.Parallel()
	f := newRBACFixture(t, testutil.NewApp)
	cl := f.as(t, "vic")
	cl.Get(nsURL(f.eng, "namespaces"))
	res := cl.PostForm(nsURL(f.eng, "namespaces"), url.Values{"name": {"x"}, "parentId": {f.eng}}, testutil.HTMX("namespace-form")...)
	wantStatus(t, res, http.StatusForbidden)
	if !res.Has(`[data-testid="error-fragment"]`) || strings.Contains(res.Body, "<html") {
		t.Fatalf("not a fragment:\n%s", res.Body)
	}
}
