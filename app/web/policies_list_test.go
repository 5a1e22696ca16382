package web_test

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/pomerium-console-oss/pomerium-console/app/testutil"
)

// policyRows lists the names in the policy table, in order.
func policyRows(res *testutil.Response) []string {
	return texts(res, `[data-testid="policy-table"] tbody td.primary a`)
}

func TestPoliciesList(t *testing.T) {
	t.Parallel()
	runPoliciesList(t, testutil.NewApp)
}

func runPoliciesList(t *testing.T, newApp appFactory) {
	f := newPolicyFixture(t, newApp)
	putPolicy(t, f.app, f.eng, "Engineers", true, pplEngineers)
	putPolicy(t, f.app, f.eng, "No interns", false, pplNoInterns)
	putPolicy(t, f.app, f.platform, "Platform only", true, pplEngineers)
	putPolicy(t, f.app, f.sales, "Sales only", false, pplEngineers)
	list := func(query string) string { return nsURL(f.eng, "policies"+query) }
	tests := []struct {
		name, who, url string
		headers        []string
		rows           []string
		namespaces     []string // the Namespace column, when checked
		addPolicy      bool
		fragment       bool
	}{
		{name: "a namespace's own policies", who: "vic", url: list(""), rows: []string{"Engineers", "No interns"}, namespaces: []string{"Eng", "Eng"}},
		{name: "with child namespaces", who: "vic", url: list("?descendants=on"),
			rows: []string{"Engineers", "No interns", "Platform only"}, namespaces: []string{"Eng", "Eng", "Platform"}},
		{name: "from Global with every descendant", who: "root", url: nsURL(global, "policies?descendants=on"),
			rows: []string{"Engineers", "No interns", "Platform only", "Sales only"}, addPolicy: true},
		{name: "search by name, any case", who: "vic", url: list("?q=INTERN"), rows: []string{"No interns"}},
		{name: "search by description", who: "vic", url: list("?q=about+eng&descendants=on"), rows: []string{"Engineers"}},
		{name: "enforced only", who: "vic", url: list("?enforced=true&descendants=on"), rows: []string{"Engineers", "Platform only"}},
		{name: "optional only", who: "vic", url: list("?enforced=false"), rows: []string{"No interns"}},
		{name: "an unknown enforcement filter is ignored", who: "vic", url: list("?enforced=maybe"), rows: []string{"Engineers", "No interns"}},
		{name: "a manager may add policies", who: "max", url: list(""), rows: []string{"Engineers", "No interns"}, addPolicy: true},
		{name: "an admin may add policies", who: "ann", url: list(""), rows: []string{"Engineers", "No interns"}, addPolicy: true},
		{name: "a manager of a child may add policies there", who: "pat", url: nsURL(f.platform, "policies"), rows: []string{"Platform only"}, addPolicy: true},
		{name: "htmx filter: the table only", who: "vic", url: list("?q=engineers"), headers: testutil.HTMX("policy-list"), rows: []string{"Engineers"}, fragment: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			res := f.as(t, tc.who, tc.url).Get(tc.url, tc.headers...)
			wantStatus(t, res, http.StatusOK)
			if got := policyRows(res); !slices.Equal(got, tc.rows) {
				t.Errorf("rows %q, want %q", got, tc.rows)
			}
			if tc.namespaces != nil {
				if got := texts(res, `[data-testid="policy-table"] tbody td:nth-child(3)`); !slices.Equal(got, tc.namespaces) {
					t.Errorf("namespace column %q, want %q", got, tc.namespaces)
				}
			}
			if got := res.Has(`[data-testid="add-policy"]`); got != tc.addPolicy {
				t.Errorf("Add policy shown: %v, want %v", got, tc.addPolicy)
			}
			if tc.fragment != !strings.Contains(res.Body, "<html") || res.Has(`[data-testid="page-header"]`) == tc.fragment {
				t.Errorf("fragment %v, but the body is %.300s", tc.fragment, res.Body)
			}
			if !res.Has("#policy-list") {
				t.Error("no #policy-list to swap")
			}
		})
	}
}

func TestPoliciesListRow(t *testing.T) {
	t.Parallel()
	f := newPolicyFixture(t, testutil.NewApp)
	p := putPolicy(t, f.app, f.platform, "Platform only", true, pplEngineers)
	res := f.as(t, "vic", nsURL(f.eng, "policies?descendants=on")).Get(nsURL(f.eng, "policies?descendants=on"))
	row := res.Doc.Find(`[data-testid="policy-Platform only"]`)
	if href, _ := row.Find("a").Attr("href"); href != nsURL(f.platform, "policies/"+p.ID) {
		t.Errorf("row links to %q, want the policy in its own namespace", href)
	}
	var cells []string
	for _, td := range row.Find("td").EachIter() {
		cells = append(cells, strings.TrimSpace(td.Text()))
	}
	if want := []string{"Platform only", "Enforced", "Platform", "About Platform only"}; len(cells) != 5 || !slices.Equal(cells[:4], want) || cells[4] == "" {
		t.Errorf("row cells %q, want %q and the time", cells, want)
	}
}

func TestPoliciesListEmpty(t *testing.T) {
	t.Parallel()
	f := newPolicyFixture(t, testutil.NewApp)
	putPolicy(t, f.app, f.sales, "Elsewhere", false, pplEngineers)
	tests := []struct {
		name, who, query string
		text             string
		action           bool
	}{
		{"a manager is invited to write one", "max", "", "Write the first one.", true},
		{"a viewer is not", "vic", "", "Write the first one.", false},
		{"filters that match nothing", "max", "?q=zzz", "No policy matches these filters.", false},
		{"an enforcement filter that matches nothing", "max", "?enforced=true", "No policy matches these filters.", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			res := f.as(t, tc.who, nsURL(f.eng, "policies")).Get(nsURL(f.eng, "policies"+tc.query))
			wantStatus(t, res, http.StatusOK)
			empty := res.Doc.Find(`[data-testid="empty-state"]`)
			if empty.Length() != 1 || !strings.Contains(empty.Text(), "No policies") || !strings.Contains(empty.Text(), tc.text) {
				t.Fatalf("empty state %q, want %q", strings.TrimSpace(empty.Text()), tc.text)
			}
			if got := empty.Find(`a[href="`+nsURL(f.eng, "policies/new")+`"]`).Length() == 1; got != tc.action {
				t.Errorf("empty state offers Add policy: %v, want %v", got, tc.action)
			}
			if res.Has(`[data-testid="policy-table"]`) || res.Has(`[data-testid="pagination"]`) {
				t.Error("an empty list shows a table")
			}
		})
	}
}

func TestPoliciesListPages(t *testing.T) {
	t.Parallel()
	runPoliciesListPages(t, testutil.NewApp)
}

func runPoliciesListPages(t *testing.T, newApp appFactory) {
	f := newPolicyFixture(t, newApp)
	for i := range 57 {
		putPolicy(t, f.app, f.platform, fmt.Sprintf("Policy %02d", i), i%2 == 0, pplEngineers)
	}
	putPolicy(t, f.app, f.eng, "Other", true, pplEngineers)
	cl := f.as(t, "vic", nsURL(f.eng, "policies"))
	name := func(i int) string { return fmt.Sprintf("Policy %02d", i) }
	tests := []struct {
		name, query string
		first, last string
		count       int
		next, prev  string // the links' targets, "" for none
		summary     string
	}{
		{"first page", "?descendants=on&q=policy", name(0), name(49), 50,
			nsURL(f.eng, "policies?descendants=on&page=2&q=policy"), "", "Showing 1–50 of 57"},
		{"second page", "?descendants=on&q=policy&page=2", name(50), name(56), 7,
			"", nsURL(f.eng, "policies?descendants=on&q=policy"), "Showing 51–57 of 57"},
		{"a filter keeps to one page", "?descendants=on&enforced=true", "Other", name(56), 30,
			"", "", "Showing 1–30 of 30"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := cl.Get(nsURL(f.eng, "policies"+tc.query))
			wantStatus(t, res, http.StatusOK)
			rows := policyRows(res)
			if len(rows) != tc.count || rows[0] != tc.first || rows[len(rows)-1] != tc.last {
				t.Fatalf("%d rows from %q to %q, want %d from %q to %q", len(rows), rows[0], rows[len(rows)-1], tc.count, tc.first, tc.last)
			}
			for rel, want := range map[string]string{"next": tc.next, "prev": tc.prev} {
				href, ok := res.Doc.Find(`[data-testid="pagination-` + rel + `"]`).Attr("href")
				if want == "" && ok || want != "" && href != want {
					t.Errorf("%s link %q, want %q", rel, href, want)
				}
			}
			if got := res.Text(`[data-testid="pagination-summary"]`); got != tc.summary {
				t.Errorf("summary %q, want %q", got, tc.summary)
			}
		})
	}
}
