package web_test

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/pomerium-console-oss/pomerium-console/app/testutil"
	"github.com/pomerium-console-oss/pomerium-console/db"
	"github.com/pomerium-console-oss/pomerium-console/db/storetest"
)

func TestRoutesList(t *testing.T) {
	t.Parallel()
	runRoutesList(t, testutil.NewApp)
}

func runRoutesList(t *testing.T, newApp appFactory) {
	f := newRouteFixture(t, newApp)
	for _, r := range []struct{ ns, name, host string }{
		{f.platform, "Grafana", "grafana.eng.example.com"}, {f.platform, "Kibana", "a-kibana.eng.example.com"},
		{f.sales, "CRM", "crm.example.com"},
	} {
		putRoute(t, f.app, db.Route{ID: "rt-" + r.name, NamespaceID: r.ns, Name: r.name, From: "https://" + r.host,
			To: []string{"http://" + strings.ToLower(r.name) + ".internal"}, MatchKey: r.host})
	}
	cl := f.as(t, "max", nsURL(f.eng, "routes"))
	rows := func(res *testutil.Response) []string { return texts(res, `[data-testid="route-row"] td.primary`) }
	tests := []struct {
		name, query string
		want        []string
		sorted      string // the column marked sorted, and how
	}{
		{"the namespace's own", "", []string{"Wiki"}, "Name ascending"},
		{"with child namespaces", "?descendants=on", []string{"Grafana", "Kibana", "Wiki"}, "Name ascending"},
		{"searching to URLs", "?descendants=on&q=KIBANA.internal", []string{"Kibana"}, "Name ascending"},
		{"searching from URLs", "?descendants=on&q=wiki.eng", []string{"Wiki"}, "Name ascending"},
		{"sorted by from", "?descendants=on&sort=from", []string{"Kibana", "Grafana", "Wiki"}, "From ascending"},
		{"sorted by name, descending", "?descendants=on&sort=name&dir=desc", []string{"Wiki", "Kibana", "Grafana"}, "Name descending"},
		{"an unknown order sorts by name", "?descendants=on&sort=drop+table", []string{"Grafana", "Kibana", "Wiki"}, "Name ascending"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := cl.Get(nsURL(f.eng, "routes") + tc.query)
			wantStatus(t, res, http.StatusOK)
			if got := rows(res); !slices.Equal(got, tc.want) {
				t.Errorf("rows %q, want %q", got, tc.want)
			}
			th := res.Doc.Find(`th[aria-sort]`)
			if got := strings.TrimSpace(th.Text()) + " " + th.AttrOr("aria-sort", ""); got != tc.sorted {
				t.Errorf("sorted column %q, want %q", got, tc.sorted)
			}
		})
	}
	res := cl.Get(nsURL(f.eng, "routes?descendants=on&q=grafana"))
	row := res.Doc.Find(`[data-testid="route-row"]`).First()
	cells := texts(res, `[data-testid="route-row"] td`)
	if want := []string{"Grafana", "https://grafana.eng.example.com", "http://grafana.internal", "Platform", "—"}; len(cells) != 6 || !slices.Equal(cells[:5], want) {
		t.Errorf("row reads %q, want %q and a time", cells, want)
	}
	if href, _ := row.Find("a").Attr("href"); href != nsURL(f.platform, "routes/rt-Grafana") {
		t.Errorf("row links to %q", href)
	}
	if !res.Has(`[data-testid="add-route"]`) {
		t.Error("a manager has no Add route button")
	}
	// The search box swaps only the table, which an htmx request gets alone.
	frag := cl.Get(nsURL(f.eng, "routes?q=wiki"), append(testutil.HTMX("route-list"), "HX-Target", "route-list")...)
	wantStatus(t, frag, http.StatusOK)
	if frag.Has(`[data-testid="nav"]`) || !frag.Has(`#route-list [data-testid="route-row"]`) {
		t.Errorf("htmx list fragment:\n%s", frag.Body)
	}
	viewer := f.as(t, "vic", nsURL(f.eng, "routes"))
	if viewer.Get(nsURL(f.eng, "routes")).Has(`[data-testid="add-route"]`) {
		t.Error("a viewer is offered Add route")
	}
	empty := f.as(t, "root", nsURL(f.sales, "routes")).Get(nsURL(f.sales, "routes?q=nothing"))
	if got := empty.Text(`[data-testid="empty-state"] p`); got != "No route matches this search." {
		t.Errorf("empty search says %q", got)
	}
}

func TestRoutesListEmptyAndPages(t *testing.T) {
	t.Parallel()
	f := newRouteFixture(t, testutil.NewApp)
	root := f.as(t, "root", nsURL(f.sales, "routes"))
	res := root.Get(nsURL(f.platform, "routes"))
	empty := res.Doc.Find(`[data-testid="empty-state"]`)
	if !strings.HasPrefix(strings.TrimSpace(empty.Find("p").Text()), "A route sends the requests of an external URL") ||
		empty.Find(`a[href="`+nsURL(f.platform, "routes/new")+`"]`).Length() != 1 {
		t.Errorf("empty state:\n%s", empty.Text())
	}
	for i := range 53 {
		host := fmt.Sprintf("app%02d.example.com", i)
		putRoute(t, f.app, db.Route{ID: "p" + host, NamespaceID: f.platform, Name: fmt.Sprintf("App %02d", i), From: "https://" + host, MatchKey: host})
	}
	res = root.Get(nsURL(f.platform, "routes?q=app&sort=from&dir=desc"))
	if got := res.Text(`[data-testid="pagination-summary"]`); got != "Showing 1–50 of 53" {
		t.Errorf("summary %q", got)
	}
	next, _ := res.Doc.Find(`[data-testid="pagination-next"]`).Attr("href")
	page2 := root.Get(next)
	if got := texts(page2, `[data-testid="route-row"] td.primary`); !slices.Equal(got, []string{"App 02", "App 01", "App 00"}) {
		t.Errorf("page 2 via %q: %q", next, got)
	}
}

func TestRoutesRBAC(t *testing.T) {
	t.Parallel()
	f := newRouteFixture(t, testutil.NewApp)
	f.app.Grant(t, f.sales, db.SubjectUser, "gus", "guest")
	vic := f.as(t, "vic", nsURL(f.eng, "routes"))
	wiki := nsURL(f.eng, "routes/"+f.wiki.ID)
	before := storetest.Capture(t, f.app.Store)
	for _, sc := range []testutil.Scenario{
		{Name: "a viewer reads a route", URL: wiki, Status: http.StatusOK, Absent: []string{`data-testid="edit-route"`, `data-testid="delete-route"`}},
		{Name: "a viewer opens no form", URL: nsURL(f.eng, "routes/new"), Status: http.StatusForbidden},
		{Name: "nor an edit form", URL: wiki + "/edit", Status: http.StatusForbidden},
		{Name: "nor a clone", URL: wiki + "/clone", Status: http.StatusForbidden},
		{Name: "a viewer creates nothing", Method: http.MethodPost, URL: nsURL(f.eng, "routes"), Form: routeForm("X", "x.example.com"), Status: http.StatusForbidden},
		{Name: "a viewer validates nothing", Method: http.MethodPost, URL: nsURL(f.eng, "routes/validate"), Form: routeForm("X", "x.example.com"), Status: http.StatusForbidden},
		{Name: "a viewer changes nothing", Method: http.MethodPost, URL: wiki, Form: routeForm("X", "x.example.com"), Status: http.StatusForbidden},
		{Name: "a viewer deletes nothing", Method: http.MethodPost, URL: wiki + "/delete", Status: http.StatusForbidden},
		{Name: "an unknown route", URL: nsURL(f.eng, "routes/nope"), Status: http.StatusNotFound},
	} {
		t.Run(sc.Name, func(t *testing.T) { sc.Run(t, vic) })
	}
	gus := f.as(t, "gus", nsURL(f.sales, "namespaces"))
	testutil.Scenario{URL: nsURL(f.sales, "routes"), Status: http.StatusForbidden}.Run(t, gus)
	testutil.Scenario{URL: wiki, Status: http.StatusForbidden}.Run(t, gus)
	before.Unchanged(t, f.app.Store)
}
