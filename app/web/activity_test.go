package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/pomerium-console-oss/pomerium-console/app/testutil"
	"github.com/pomerium-console-oss/pomerium-console/db"
)

// activityRow is one row of the activity table as a reader sees it; the
// grey sub-lines (auth method, entity type labels) are left out.
type activityRow struct{ Who, Action, Entity, Namespace string }

func activityRows(res *testutil.Response) []activityRow {
	var rows []activityRow
	for _, tr := range res.Doc.Find(`[data-testid="activity-row"]`).EachIter() {
		td := tr.Clone().Find("td")
		td.Find(".sub").Remove()
		rows = append(rows, activityRow{
			Who:       strings.TrimSpace(td.Eq(1).Text()),
			Action:    strings.TrimSpace(td.Eq(2).Text()),
			Entity:    strings.TrimSpace(td.Eq(3).Text()),
			Namespace: strings.TrimSpace(td.Eq(4).Text()),
		})
	}
	return rows
}

func TestActivityLogOfUIChanges(t *testing.T) {
	t.Parallel()
	runActivityLogOfUIChanges(t, testutil.NewApp)
}

func runActivityLogOfUIChanges(t *testing.T, newApp appFactory) {
	app := newApp(t, testutil.WithAdministrators("ada@example.com"))
	ada := app.AsUser(t, testutil.Claims{Subject: "idp|ada", Email: "ada@example.com", Name: "Ada"})
	loadHome(t, ada)
	post := func(path string, form url.Values) {
		t.Helper()
		wantStatus(t, ada.PostForm(path, form), http.StatusSeeOther)
		settle()
	}
	post(nsURL(global, "namespaces"), url.Values{"name": {"Eng"}, "parentId": {global}})
	eng, _ := namespaceByName(t, app, "Eng")
	post(nsURL(eng.ID, "namespaces"), url.Values{"name": {"Platform"}, "parentId": {eng.ID}})
	platform, _ := namespaceByName(t, app, "Platform")
	post(nsURL(eng.ID, "members"), url.Values{"subjectType": {"group"}, "subjectId": {"devs"}, "role": {"viewer"}})
	rec := app.AsRecovery(t, global)
	rec.Get(nsURL(global, "namespaces"))
	wantStatus(t, rec.PostForm(nsURL(global, "namespaces/"+platform.ID), url.Values{"name": {"Infra"}, "parentId": {eng.ID}}), http.StatusSeeOther)

	adaWho := "Ada <ada@example.com>"
	recWho := "Recovery admin"
	all := []activityRow{
		{recWho, "update", "Infra", "Eng"},
		{adaWho, "create", "group devs", "Eng"},
		{adaWho, "create", "Platform", "Eng"},
		{adaWho, "create", "Eng", "Global"},
	}
	tests := []struct {
		name  string
		path  string
		query string
		rows  []activityRow
	}{
		{"Global only", global, "", all[3:]},
		{"with child namespaces, newest first", global, "descendants=on", all},
		{"Eng's own", eng.ID, "", all[:3]},
		{"by entity type", global, "descendants=on&entityType=namespace_permission", all[1:2]},
		{"by user", global, "descendants=on&userId=idp|ada", all[1:]},
		{"by action", global, "descendants=on&activityType=update", all[:1]},
		{"filters combine", global, "descendants=on&userId=idp|ada&entityType=namespace", []activityRow{all[2], all[3]}},
		{"no match", global, "activityType=delete", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := ada.Get(nsURL(tc.path, "activity?"+tc.query))
			wantStatus(t, res, http.StatusOK)
			if got := activityRows(res); !slices.Equal(got, tc.rows) {
				t.Errorf("rows:\n got %v\nwant %v", got, tc.rows)
			}
			if len(tc.rows) == 0 && !res.Has(`[data-testid="empty-state"]`) {
				t.Error("no empty state")
			}
		})
	}
	t.Run("filter menu lists the people of the entries in view", func(t *testing.T) {
		for query, want := range map[string][]string{
			"":               {"Anyone", "Ada <ada@example.com>"},
			"descendants=on": {"Anyone", "Ada <ada@example.com>", "Recovery admin"},
		} {
			res := ada.Get(nsURL(global, "activity?"+query))
			if got := texts(res, `select[name="userId"] option`); !slices.Equal(got, want) {
				t.Errorf("%q: user filter options %q, want %q", query, got, want)
			}
		}
	})
}

func TestActivityDetail(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t)
	admin := app.AsRecovery(t, global)
	admin.Get(nsURL(global, "namespaces"))
	wantStatus(t, admin.PostForm(nsURL(global, "namespaces"), url.Values{"name": {"Eng"}, "parentId": {global}}), http.StatusSeeOther)
	eng, _ := namespaceByName(t, app, "Eng")
	settle()
	wantStatus(t, admin.PostForm(nsURL(global, "namespaces/"+eng.ID), url.Values{"name": {"Engineering"}, "parentId": {global}}), http.StatusSeeOther)
	settle()
	wantStatus(t, admin.PostForm(nsURL(global, "namespaces/"+eng.ID+"/delete"), nil), http.StatusSeeOther)
	entries := activityEntries(t, app) // delete, update, create

	list := admin.Get(nsURL(global, "activity"))
	href, _ := list.Doc.Find(`[data-testid="activity-row"] a`).Eq(1).Attr("href")
	if href != nsURL(global, "activity/"+entries[1].ID) {
		t.Fatalf("second row links to %q, want the update entry", href)
	}
	tests := []struct {
		name          string
		entry         db.ActivityEntry
		title         string   // the entity's name as the title shows it
		before, after []string // text the JSON must hold; nil: the "nothing" note
	}{
		{"create", entries[2], "“Eng”", nil, []string{`"name": "Eng"`, `"parentName": "Global"`}},
		{"update", entries[1], "“Engineering”", []string{`"name": "Eng"`}, []string{`"name": "Engineering"`}},
		{"delete", entries[0], "“Engineering”", []string{`"name": "Engineering"`}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := admin.Get(nsURL(global, "activity/"+tc.entry.ID))
			wantStatus(t, res, http.StatusOK)
			if got := res.Text(`[data-testid="page-header"] h1`); !strings.Contains(got, tc.title) {
				t.Errorf("title %q, want it to name %s", got, tc.title)
			}
			facts := res.Text(`[data-testid="activity-facts"]`)
			for _, want := range []string{"Recovery admin", "recovery:", tc.entry.ActivityType, tc.entry.EntityID, "Global", tc.entry.CreatedAt.UTC().Format(time.RFC3339)} {
				if !strings.Contains(facts, want) {
					t.Errorf("facts lack %q:\n%s", want, facts)
				}
			}
			checkSide(t, res, "before", "Nothing: the entity did not exist.", tc.before)
			checkSide(t, res, "after", "Nothing: the entity was deleted.", tc.after)
		})
	}
	t.Run("unknown entry", func(t *testing.T) {
		wantStatus(t, admin.Get(nsURL(global, "activity/"+uuid.NewString())), http.StatusNotFound)
	})
}

// checkSide checks the before or after card: its JSON holds want, or, for
// nil want, there is no JSON and the card says there is nothing.
func checkSide(t *testing.T, res *testutil.Response, side, nothing string, want []string) {
	t.Helper()
	code := res.Doc.Find("#" + side + "-code")
	if want == nil {
		if code.Length() != 0 || !strings.Contains(res.Body, nothing) {
			t.Errorf("%s: want no JSON and the note %q", side, nothing)
		}
		return
	}
	if code.Length() != 1 {
		t.Fatalf("no %s JSON:\n%s", side, res.Body)
	}
	for _, w := range want {
		if !strings.Contains(code.Text(), w) {
			t.Errorf("%s lacks %q:\n%s", side, w, code.Text())
		}
	}
}

// seedActivity writes n entries straight into the log, one second apart,
// oldest first.
func seedActivity(t *testing.T, app *testutil.App, start time.Time, n int, e db.ActivityEntry) {
	t.Helper()
	for i := range n {
		e.ID = uuid.NewString()
		e.CreatedAt = start.Add(time.Duration(i) * time.Second)
		e.EntityName = fmt.Sprintf("%s-%02d", e.UserID, i)
		if err := app.Store.InsertActivity(context.Background(), e); err != nil {
			t.Fatal(err)
		}
	}
}

func TestActivityPagination(t *testing.T) {
	t.Parallel()
	runActivityPagination(t, testutil.NewApp)
}

func runActivityPagination(t *testing.T, newApp appFactory) {
	app := newApp(t)
	start := time.Now().Add(-time.Hour)
	base := db.ActivityEntry{NamespaceID: global, NamespaceName: "Global", EntityType: "namespace", EntityID: "x", AuthMethod: "pomerium"}
	ada, bob := base, base
	ada.UserID, ada.UserName, ada.ActivityType = "ada", "Ada", "create"
	bob.UserID, bob.UserName, bob.ActivityType = "bob", "Bob", "update"
	seedActivity(t, app, start, 55, ada)
	seedActivity(t, app, start.Add(30*time.Minute), 5, bob)
	cl := app.AsRecovery(t, global)

	tests := []struct {
		name          string
		query         string
		summary       string // "": not checked
		rows          int
		first         string
		next, prev    url.Values // nil: no link
		hxTableTarget bool
	}{
		{name: "first page", summary: "Showing 1–50 of 60", rows: 50, first: "bob-04", next: url.Values{"page": {"2"}}},
		{name: "last page", query: "page=2", summary: "Showing 51–60 of 60", rows: 10, first: "ada-09", prev: url.Values{}},
		{name: "page past the end", query: "page=9", rows: 0, prev: url.Values{"page": {"8"}}},
		{name: "garbage page number", query: "page=abc", summary: "Showing 1–50 of 60", rows: 50, first: "bob-04", next: url.Values{"page": {"2"}}},
		{
			name: "filtered first page keeps its filters", query: "userId=ada&activityType=create", summary: "Showing 1–50 of 55", rows: 50, first: "ada-54",
			next: url.Values{"page": {"2"}, "userId": {"ada"}, "activityType": {"create"}},
		},
		{
			name: "filtered second page", query: "userId=ada&activityType=create&page=2", summary: "Showing 51–55 of 55", rows: 5, first: "ada-04",
			prev: url.Values{"userId": {"ada"}, "activityType": {"create"}},
		},
		{
			name: "table only for the filter bar", query: "userId=bob", summary: "Showing 1–5 of 5", rows: 5, first: "bob-04", hxTableTarget: true,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var headers []string
			if tc.hxTableTarget {
				headers = testutil.HTMX("activity-table")
			}
			res := cl.Get(nsURL(global, "activity?"+tc.query), headers...)
			wantStatus(t, res, http.StatusOK)
			if got := res.Text(`[data-testid="pagination-summary"]`); tc.summary != "" && got != tc.summary {
				t.Errorf("summary %q, want %q", got, tc.summary)
			}
			rows := activityRows(res)
			if len(rows) != tc.rows {
				t.Fatalf("%d rows, want %d", len(rows), tc.rows)
			}
			if tc.rows > 0 && !strings.HasPrefix(rows[0].Entity, tc.first) {
				t.Errorf("first row %q, want %q (newest first)", rows[0].Entity, tc.first)
			}
			checkPageLink(t, res, "next", tc.next)
			checkPageLink(t, res, "prev", tc.prev)
			if got := strings.HasPrefix(res.Body, `<div id="activity-table">`); got != tc.hxTableTarget {
				t.Errorf("table-only=%v, want %v", got, tc.hxTableTarget)
			}
		})
	}
}

func checkPageLink(t *testing.T, res *testutil.Response, rel string, want url.Values) {
	t.Helper()
	href, ok := res.Doc.Find(`[data-testid="pagination-` + rel + `"]`).Attr("href")
	if want == nil {
		if ok {
			t.Errorf("unexpected %s link %q", rel, href)
		}
		return
	}
	u, err := url.Parse(href)
	if !ok || err != nil || u.Path != nsURL(global, "activity") {
		t.Fatalf("%s link %q", rel, href)
	}
	if got := u.Query(); !equalValues(got, want) {
		t.Errorf("%s link query %v, want %v", rel, got, want)
	}
}

func equalValues(a, b url.Values) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if !slices.Equal(v, b[k]) {
			return false
		}
	}
	return true
}

func TestActivityVisibility(t *testing.T) {
	t.Parallel()
	runActivityVisibility(t, testutil.NewApp)
}

func runActivityVisibility(t *testing.T, newApp appFactory) {
	app := newApp(t)
	eng := app.Namespace(t, global, "Eng")
	app.Grant(t, eng, db.SubjectUser, "vic", "viewer")
	now := time.Now()
	entry := func(nsID, nsName string) string {
		e := db.ActivityEntry{ID: uuid.NewString(), CreatedAt: now, ActivityType: "create", NamespaceID: nsID, NamespaceName: nsName,
			UserID: "ada", EntityType: "namespace", EntityID: "x", EntityName: "in " + nsName}
		if err := app.Store.InsertActivity(context.Background(), e); err != nil {
			t.Fatal(err)
		}
		return e.ID
	}
	inGlobal, inEng, inDeleted := entry(global, "Global"), entry(eng, "Eng"), entry(uuid.NewString(), "Gone")
	vic := app.AsUser(t, testutil.Claims{Subject: "vic"})
	tests := []struct {
		name   string
		path   string
		status int
	}{
		{"own namespace's entry", nsURL(eng, "activity/"+inEng), http.StatusOK},
		{"Global's entry through the child", nsURL(eng, "activity/"+inGlobal), http.StatusForbidden},
		{"a deleted namespace's entry belongs to Global", nsURL(eng, "activity/"+inDeleted), http.StatusForbidden},
		{"Global's log", nsURL(global, "activity"), http.StatusForbidden},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			wantStatus(t, vic.Get(tc.path), tc.status)
		})
	}
	res := vic.Get(nsURL(eng, "activity?descendants=on"))
	if got := activityRows(res); len(got) != 1 || got[0].Entity != "in Eng" {
		t.Errorf("viewer of Eng sees %v", got)
	}
}
