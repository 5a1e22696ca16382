package web_test

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/pomerium-console-oss/pomerium-console/app/testutil"
	"github.com/pomerium-console-oss/pomerium-console/db"
)

// treeRow is one row of the namespaces table as a reader sees it.
type treeRow struct {
	Name, Depth, Role, Children string
	Link                        bool
}

func treeRows(t testing.TB, res *testutil.Response) []treeRow {
	t.Helper()
	var rows []treeRow
	for _, tr := range res.Doc.Find(`[data-testid="ns-tree"] tbody tr`).EachIter() {
		cell := tr.Find("td").First()
		cls, _ := cell.Attr("class")
		depth := ""
		for _, c := range strings.Fields(cls) {
			if len(c) == 2 && c[0] == 'd' {
				depth = c
			}
		}
		rows = append(rows, treeRow{
			Name:     strings.TrimSpace(cell.Text()),
			Depth:    depth,
			Role:     strings.TrimSpace(tr.Find("td").Eq(1).Text()),
			Children: strings.TrimSpace(tr.Find("td").Eq(2).Text()),
			Link:     cell.Find("a").Length() == 1,
		})
	}
	return rows
}

func TestNamespaceTree(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t)
	app.Namespace(t, global, "Zeta")
	beta := app.Namespace(t, global, "Beta")
	b1 := app.Namespace(t, beta, "b1")
	app.Namespace(t, b1, "deep")
	app.Namespace(t, beta, "B2")
	app.Namespace(t, global, "alpha")
	app.Grant(t, b1, db.SubjectUser, "vic", "viewer")

	all := []treeRow{
		{"Global", "d0", "Admin", "3 namespaces", true},
		{"alpha", "d1", "Admin", "—", true},
		{"Beta", "d1", "Admin", "2 namespaces", true},
		{"b1", "d2", "Admin", "1 namespace", true},
		{"deep", "d3", "Admin", "—", true},
		{"B2", "d2", "Admin", "—", true},
		{"Zeta", "d1", "Admin", "—", true},
	}
	pick := func(names ...string) []treeRow {
		var out []treeRow
		for _, r := range all {
			if slices.Contains(names, r.Name) {
				out = append(out, r)
			}
		}
		return out
	}
	tests := []struct {
		name    string
		who     string
		path    string
		headers []string
		rows    []treeRow
		empty   string
		partial bool
	}{
		{name: "whole tree in order with depths", path: nsURL(global, "namespaces"), rows: all},
		{name: "search keeps the ancestors of a match", path: nsURL(global, "namespaces?q=deep"), rows: pick("Global", "Beta", "b1", "deep")},
		{name: "search ignores case", path: nsURL(global, "namespaces?q=b"), rows: pick("Global", "Beta", "b1", "B2")},
		{name: "search without match", path: nsURL(global, "namespaces?q=zzz"), empty: "No namespace matches “zzz”."},
		{name: "search as you type returns only the tree", path: nsURL(global, "namespaces?q=deep"), headers: testutil.HTMX("ns-tree"), rows: pick("Global", "Beta", "b1", "deep"), partial: true},
		{
			name: "viewer of b1 sees its ancestors greyed and no siblings", who: "vic", path: nsURL(b1, "namespaces"),
			rows: []treeRow{
				{"Global", "d0", "No access", "3 namespaces", false},
				{"Beta", "d1", "No access", "2 namespaces", false},
				{"b1", "d2", "Viewer", "1 namespace", true},
				{"deep", "d3", "Viewer", "—", true},
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			cl := app.AsRecovery(t, global)
			if tc.who != "" {
				cl = app.AsUser(t, testutil.Claims{Subject: tc.who})
			}
			res := cl.Get(tc.path, tc.headers...)
			wantStatus(t, res, http.StatusOK)
			if got := treeRows(t, res); !slices.Equal(got, tc.rows) {
				t.Errorf("rows:\n got %v\nwant %v", got, tc.rows)
			}
			if tc.empty != "" && !strings.Contains(res.Text(`[data-testid="empty-state"]`), tc.empty) {
				t.Errorf("empty state %q, want %q", res.Text(`[data-testid="empty-state"]`), tc.empty)
			}
			if got := strings.HasPrefix(res.Body, `<div id="ns-tree">`); got != tc.partial {
				t.Errorf("partial=%v, want %v:\n%.200s", got, tc.partial, res.Body)
			}
			if tc.partial == res.Has(`[data-testid="search"]`) {
				t.Errorf("search box present=%v in a partial=%v response", res.Has(`[data-testid="search"]`), tc.partial)
			}
		})
	}
}

func TestNamespaceRowActionsFollowRoles(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t)
	eng := app.Namespace(t, global, "Eng")
	app.Namespace(t, eng, "Platform")
	app.Grant(t, eng, db.SubjectUser, "ann", "admin")
	res := app.AsUser(t, testutil.Claims{Subject: "ann"}).Get(nsURL(eng, "namespaces"))
	wantStatus(t, res, http.StatusOK)
	tests := []struct {
		testid string
		want   bool
	}{
		{"add-namespace", true},
		{"add-child-Eng", true},
		{"edit-Eng", true},    // renaming needs admin on Eng only
		{"delete-Eng", false}, // deleting needs admin on Global
		{"edit-Platform", true},
		{"delete-Platform", true},
		{"add-child-Global", false},
	}
	for _, tc := range tests {
		if got := res.Has(`[data-testid="` + tc.testid + `"]`); got != tc.want {
			t.Errorf("%s shown=%v, want %v", tc.testid, got, tc.want)
		}
	}
}

func TestNamespaceNamesAreEscaped(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t)
	const evil = `<img src=x onerror="alert(1)">`
	cl := app.AsRecovery(t, global)
	cl.Get(nsURL(global, "namespaces/new"))
	res := cl.PostForm(nsURL(global, "namespaces"), url.Values{"name": {evil}, "parentId": {global}})
	wantStatus(t, res, http.StatusSeeOther)
	for _, path := range []string{res.Location(), strings.TrimSuffix(res.Location(), "namespaces") + "members", nsURL(global, "activity?descendants=on")} {
		page := cl.Get(path)
		wantStatus(t, page, http.StatusOK)
		if page.Doc.Find("img").Length() > 0 || strings.Contains(page.Body, "<img src=x") {
			t.Errorf("%s renders the name as HTML", path)
		}
		if !strings.Contains(page.Doc.Text(), evil) {
			t.Errorf("%s does not show the name as text", path)
		}
	}
}
