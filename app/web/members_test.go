package web_test

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pomerium-console-oss/pomerium-console/app/testutil"
	"github.com/pomerium-console-oss/pomerium-console/db"
	"github.com/pomerium-console-oss/pomerium-console/db/storetest"
)

// memberRow is one row of the members table as a reader sees it.
type memberRow struct {
	Subject, Role, GrantedOn string
	CanRevoke                bool
}

func memberRows(res *testutil.Response) []memberRow {
	var rows []memberRow
	for _, tr := range res.Doc.Find(`[data-testid="members-table"] tbody tr`).EachIter() {
		td := tr.Find("td")
		rows = append(rows, memberRow{
			Subject:   strings.Join(strings.Fields(td.Eq(0).Text()), " "),
			Role:      strings.TrimSpace(td.Eq(1).Text()),
			GrantedOn: strings.TrimSpace(td.Eq(2).Text()),
			CanRevoke: td.Eq(3).Find(`[data-testid^="revoke-"]`).Length() > 0,
		})
	}
	return rows
}

func addUser(t testing.TB, app *testutil.App, id, email, name string) {
	t.Helper()
	now := time.Now()
	if err := app.Store.UpsertUser(context.Background(), db.User{ID: id, Email: email, Name: name, CreatedAt: now, LastSeenAt: now}); err != nil {
		t.Fatal(err)
	}
}

func TestMembersGrantRegrantRevoke(t *testing.T) {
	t.Parallel()
	runMembersGrantRegrantRevoke(t, testutil.NewApp)
}

func runMembersGrantRegrantRevoke(t *testing.T, newApp appFactory) {
	app := newApp(t)
	eng := app.Namespace(t, global, "Eng")
	app.Grant(t, global, db.SubjectGroup, "admins", "admin")
	addUser(t, app, "idp|carol", "carol@example.com", "Carol")
	admin := app.AsRecovery(t, global)

	page := admin.Get(nsURL(eng, "members"))
	wantStatus(t, page, http.StatusOK)
	if want := []memberRow{{"admins", "Admin", "Inherited from Global", false}}; !slices.Equal(memberRows(page), want) {
		t.Fatalf("members %v, want %v", memberRows(page), want)
	}

	// grant, to an e-mail in any case
	settle()
	res := admin.PostForm(nsURL(eng, "members"), url.Values{"subjectType": {"user"}, "subjectId": {" Carol@Example.COM "}, "role": {"manager"}})
	wantStatus(t, res, http.StatusSeeOther)
	if res.Location() != nsURL(eng, "members") {
		t.Fatalf("grant redirects to %q", res.Location())
	}
	page = admin.Get(res.Location())
	if got := page.Text(`[data-testid="toast"]`); got != "Granted manager on “Eng” to user carol@example.com." {
		t.Errorf("toast %q", got)
	}
	want := []memberRow{
		{"carol@example.com Carol carol@example.com", "Manager", "This namespace", true},
		{"admins", "Admin", "Inherited from Global", false},
	}
	if got := memberRows(page); !slices.Equal(got, want) {
		t.Fatalf("members:\n got %v\nwant %v", got, want)
	}

	// re-grant changes the role in place
	settle()
	wantStatus(t, admin.PostForm(nsURL(eng, "members"), url.Values{"subjectType": {"user"}, "subjectId": {"carol@example.com"}, "role": {"admin"}}), http.StatusSeeOther)
	perms, err := app.Store.ListPermissions(context.Background(), eng)
	if err != nil {
		t.Fatal(err)
	}
	if len(perms) != 1 || perms[0].Role != "admin" {
		t.Fatalf("grants after re-grant: %+v", perms)
	}
	page = admin.Get(nsURL(eng, "members"))
	if got := memberRows(page)[0].Role; got != "Admin" {
		t.Errorf("role after re-grant %q", got)
	}

	// revoke
	revokeURL, _ := page.Doc.Find(`[data-testid="revoke-carol@example.com"]`).Parent().Find(`form[method="post"]`).Attr("action")
	if revokeURL != nsURL(eng, "members/"+perms[0].ID+"/delete") {
		t.Fatalf("revoke form posts to %q", revokeURL)
	}
	settle()
	res = admin.PostForm(revokeURL, nil)
	wantStatus(t, res, http.StatusSeeOther)
	page = admin.Get(res.Location())
	if got := page.Text(`[data-testid="toast"]`); got != "Access revoked." {
		t.Errorf("toast %q", got)
	}
	if got := memberRows(page); len(got) != 1 || got[0].Subject != "admins" {
		t.Fatalf("members after revoke %v", got)
	}
	wantStatus(t, admin.PostForm(revokeURL, nil), http.StatusNotFound)

	entries := activityEntries(t, app)
	wantLog := []struct{ typ, beforeRole, afterRole string }{
		{db.ActivityDelete, "admin", ""},
		{db.ActivityUpdate, "manager", "admin"},
		{db.ActivityCreate, "", "manager"},
	}
	if len(entries) != len(wantLog) {
		t.Fatalf("%d log entries, want %d", len(entries), len(wantLog))
	}
	for i, w := range wantLog {
		e := entries[i]
		if e.ActivityType != w.typ || e.EntityType != "namespace_permission" || e.EntityName != "user carol@example.com" || e.NamespaceID != eng {
			t.Errorf("entry %d: %s %s %q in %s", i, e.ActivityType, e.EntityType, e.EntityName, e.NamespaceName)
		}
		if got := jsonField(t, e.Before, "role"); got != w.beforeRole {
			t.Errorf("entry %d: before role %q, want %q", i, got, w.beforeRole)
		}
		if got := jsonField(t, e.After, "role"); got != w.afterRole {
			t.Errorf("entry %d: after role %q, want %q", i, got, w.afterRole)
		}
	}
}

func TestMembersGrantValidation(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t)
	tests := []struct {
		name   string
		form   url.Values
		errors map[string]string
	}{
		{"empty subject", url.Values{"subjectType": {"user"}, "subjectId": {" "}, "role": {"viewer"}}, map[string]string{"subjectId": "enter a user id, an e-mail address or a group id"}},
		{"subject too long", url.Values{"subjectType": {"group"}, "subjectId": {strings.Repeat("g", 257)}, "role": {"viewer"}}, map[string]string{"subjectId": "must be at most 256 characters"}},
		{"unknown role", url.Values{"subjectType": {"user"}, "subjectId": {"bob"}, "role": {"owner"}}, map[string]string{"role": `unknown role "owner"`}},
		{"unknown subject type", url.Values{"subjectType": {"robot"}, "subjectId": {"bob"}, "role": {"viewer"}}, map[string]string{"subjectType": "choose user or group"}},
		{"everything missing", url.Values{}, map[string]string{"subjectType": "choose user or group", "subjectId": "enter a user id", "role": "unknown role"}},
	}
	for _, tc := range tests {
		for _, htmx := range []bool{false, true} {
			t.Run(tc.name+map[bool]string{false: "/full page", true: "/htmx"}[htmx], func(t *testing.T) {
				t.Parallel()
				cl := app.AsRecovery(t, global)
				cl.Get(nsURL(global, "members"))
				before := storetest.Capture(t, app.Store)
				var headers []string
				if htmx {
					headers = testutil.HTMX("")
				}
				res := cl.PostForm(nsURL(global, "members"), tc.form, headers...)
				wantStatus(t, res, http.StatusUnprocessableEntity)
				wantFieldErrors(t, res, tc.errors)
				before.Unchanged(t, app.Store)
				if v, _ := res.Doc.Find(`input[name="subjectId"]`).Attr("value"); v != tc.form.Get("subjectId") {
					t.Errorf("form lost the subject: %q", v)
				}
				if got := strings.HasPrefix(res.Body, "<form"); got != htmx {
					t.Errorf("htmx=%v but fragment=%v", htmx, got)
				}
				if !htmx && !res.Has(`[data-testid="members"]`) {
					t.Error("the full page lost the members list")
				}
			})
		}
	}
}

func TestMembersLookup(t *testing.T) {
	t.Parallel()
	runMembersLookup(t, testutil.NewApp)
}

func runMembersLookup(t *testing.T, newApp appFactory) {
	app := newApp(t)
	addUser(t, app, "idp|ada", "ada@example.com", "Ada Lovelace")
	addUser(t, app, "idp|alan", "alan@example.com", "Alan Turing")
	addUser(t, app, "idp|grace", "grace@navy.mil", "Grace Hopper")
	cl := app.AsRecovery(t, global)
	tests := []struct {
		query string
		want  []string
	}{
		{"ada", []string{"ada@example.com=Ada Lovelace (idp|ada)"}},
		{"example.com", []string{"ada@example.com=Ada Lovelace (idp|ada)", "alan@example.com=Alan Turing (idp|alan)"}},
		{"HOPPER", []string{"grace@navy.mil=Grace Hopper (idp|grace)"}},
		{"idp|al", []string{"alan@example.com=Alan Turing (idp|alan)"}},
		{"nobody", nil},
		{"", nil},
	}
	for _, tc := range tests {
		t.Run(tc.query, func(t *testing.T) {
			res := cl.Get(nsURL(global, "members/lookup?subjectId="+url.QueryEscape(tc.query)), testutil.HTMX("subject-suggestions")...)
			wantStatus(t, res, http.StatusOK)
			if !strings.HasPrefix(res.Body, `<datalist id="subject-suggestions">`) {
				t.Fatalf("not a datalist fragment: %s", res.Body)
			}
			var got []string
			for _, o := range res.Doc.Find("datalist option").EachIter() {
				v, _ := o.Attr("value")
				got = append(got, v+"="+o.Text())
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("options %q, want %q", got, tc.want)
			}
		})
	}
}
