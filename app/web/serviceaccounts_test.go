package web_test

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pomerium-console-oss/pomerium-console/app/databroker/databrokertest"
	"github.com/pomerium-console-oss/pomerium-console/app/serviceaccounts"
	"github.com/pomerium-console-oss/pomerium-console/app/testutil"
	"github.com/pomerium-console-oss/pomerium-console/db"
)

// saApp is a console whose default cluster pushes to an in-process
// databroker, with the namespace Eng below Global.
func saApp(t *testing.T) (*testutil.App, *databrokertest.Server, string) {
	t.Helper()
	broker := databrokertest.Start(t)
	app := testutil.NewApp(t, withDatabroker(broker))
	return app, broker, app.Namespace(t, global, "Eng")
}

// saRow is one row of the accounts table as a reader sees it.
type saRow struct {
	UserID, Status, Sync string
	CanRevoke            bool
}

// localUTC is a datetime-local value, read in the console's time zone, in
// UTC as the service words it.
func localUTC(t *testing.T, v string) string {
	t.Helper()
	at, err := time.ParseInLocation("2006-01-02T15:04", v, time.Local)
	if err != nil {
		t.Fatal(err)
	}
	return at.UTC().Format(time.RFC3339)
}

func saRows(res *testutil.Response) []saRow {
	var rows []saRow
	for _, tr := range res.Doc.Find(`[data-testid="sa-table"] tbody tr`).EachIter() {
		status, _ := tr.Attr("data-status")
		sync, _ := tr.Attr("data-sync")
		rows = append(rows, saRow{
			UserID: strings.TrimSpace(tr.Find("td.primary .mono").Text()), Status: status, Sync: sync,
			CanRevoke: tr.Find(`[data-testid^="revoke-"]`).Length() > 0,
		})
	}
	return rows
}

func TestServiceAccountsCreateWithHTMX(t *testing.T) {
	t.Parallel()
	app, broker, eng := saApp(t)
	admin := app.AsRecovery(t, global)
	page := admin.Get(nsURL(eng, "service-accounts"))
	wantStatus(t, page, http.StatusOK)
	if !page.Has(`[data-testid="sa-empty"]`) || !page.Has(`[data-testid="add-sa"]`) || !page.Has(`dialog[data-testid="add-sa-dialog"]:not([open])`) {
		t.Fatalf("empty page:\n%s", page.Body)
	}
	if href, _ := page.Doc.Find(`[data-testid="members-link"]`).Attr("href"); href != nsURL(eng, "members") {
		t.Fatalf("members link %q", href)
	}

	res := admin.PostForm(nsURL(eng, "service-accounts"), url.Values{
		"identity": {"unique"}, "user_id": {"ignored for a unique account"}, "description": {"CI deployer"},
	}, testutil.HTMX("sa-dialogs")...)
	wantStatus(t, res, http.StatusOK)
	if res.Header.Get("Cache-Control") != "no-store" {
		t.Fatalf("the token's answer may be cached: %q", res.Header.Get("Cache-Control"))
	}
	token, _ := res.Doc.Find(`[data-testid="sa-token"] [data-testid="secret-value"]`).Attr("value")
	p, err := app.Console.ServiceAccounts.Verify(t.Context(), token)
	if err != nil {
		t.Fatalf("the token shown is not accepted: %v", err)
	}
	if !strings.HasSuffix(p.UserID, "@"+eng+".pomerium") || p.Name != "CI deployer" {
		t.Fatalf("principal %+v", p)
	}
	if !res.Has(`dialog[data-testid="sa-token"][open][data-modal-autoopen]`) || !res.Has(`dialog[data-testid="add-sa-dialog"]:not([open])`) {
		t.Fatalf("the answer must open the token dialog and reset the form:\n%s", res.Body)
	}
	if v, _ := res.Doc.Find(`[hx-swap-oob^="outerHTML:#sa-list"]`).Attr("hx-swap-oob"); v != "outerHTML:#sa-list" {
		t.Fatalf("the table is not swapped out of band:\n%s", res.Body)
	}
	if got := saRows(res); len(got) != 1 || got[0].UserID != p.UserID {
		t.Fatalf("rows in the answer %+v", got)
	}
	if !strings.Contains(res.Text(`.toast`), "Service account added.") {
		t.Fatalf("no toast:\n%s", res.Body)
	}

	app.Console.ServiceAccounts.Wait()
	page = admin.Get(nsURL(eng, "service-accounts"))
	if strings.Contains(page.Body, token) || strings.Contains(page.Body, strings.Split(token, ".")[2]) {
		t.Fatal("the list shows the token again")
	}
	if got, want := saRows(page), []saRow{{p.UserID, "active", "synced", true}}; len(got) != 1 || got[0] != want[0] {
		t.Fatalf("rows %+v, want %+v", got, want)
	}
	if broker.Record(serviceaccounts.RecordType, p.ServiceAccountID) == nil {
		t.Fatal("the databroker has no record of the account")
	}
}

func TestServiceAccountsCreateWithoutJavaScript(t *testing.T) {
	t.Parallel()
	app, _, eng := saApp(t)
	admin := app.AsRecovery(t, global)
	page := admin.Get(nsURL(eng, "service-accounts/new"))
	wantStatus(t, page, http.StatusOK)
	if !page.Has(`dialog[data-testid="add-sa-dialog"][open]`) {
		t.Fatal("/new must render the add dialog open")
	}
	res := admin.PostForm(nsURL(eng, "service-accounts"), url.Values{
		"identity": {"user"}, "user_id": {" robot@example.com "}, "expires_at": {"2999-12-31T23:00"},
	})
	wantStatus(t, res, http.StatusOK)
	if !res.Has(`[data-testid="page-header"]`) || !res.Has(`dialog[data-testid="sa-token"][open]`) {
		t.Fatalf("a plain POST must answer with the page and the token dialog open:\n%s", res.Body)
	}
	if got := saRows(res); len(got) != 1 || got[0].UserID != "robot@example.com" {
		t.Fatalf("rows %+v", got)
	}
	if !strings.Contains(res.Text(`[data-testid="sa-table"] tbody tr`), "2999-12-31 23:00") {
		t.Fatalf("expiry not shown: %q", res.Text(`[data-testid="sa-table"] tbody tr`))
	}
}

func TestServiceAccountsCreateRefused(t *testing.T) {
	t.Parallel()
	app, _, eng := saApp(t)
	admin := app.AsRecovery(t, global)
	admin.Get(nsURL(eng, "service-accounts"))
	tests := []struct {
		name   string
		form   url.Values
		fields map[string]string
	}{
		{
			name: "every field wrong",
			form: url.Values{"identity": {"user"}, "user_id": {" "}, "description": {strings.Repeat("d", 501)}, "expires_at": {"tomorrow"}},
			fields: map[string]string{
				"user_id":     "enter the user id of the user to act as, or choose a new unique id",
				"description": "must be at most 500 characters (got 501)",
				"expires_at":  "enter a date and time such as 2030-01-31T17:00",
			},
		},
		{
			name: "an expiry in the past and a user id with a line break",
			form: url.Values{"identity": {"user"}, "user_id": {"a\nb"}, "expires_at": {"2001-01-01T00:00"}},
			fields: map[string]string{
				"user_id":    "must not contain control characters such as line breaks",
				"expires_at": "must be in the future (got " + localUTC(t, "2001-01-01T00:00") + ")",
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := admin.PostForm(nsURL(eng, "service-accounts"), tc.form, testutil.HTMX("sa-dialogs")...)
			wantStatus(t, res, http.StatusUnprocessableEntity)
			got := res.FieldErrors()
			for name, msg := range tc.fields {
				if got[name] != msg {
					t.Errorf("field %s: %q, want %q", name, got[name], msg)
				}
			}
			if len(got) != len(tc.fields) {
				t.Errorf("fields with errors %v, want exactly %v", got, tc.fields)
			}
			if !res.Has(`dialog[data-testid="add-sa-dialog"][open]`) || res.Has(`[data-testid="sa-token"]`) {
				t.Fatalf("the form must come back open, without a token:\n%s", res.Body)
			}
		})
	}
	list, err := app.Store.ListServiceAccounts(t.Context(), db.ServiceAccountFilter{})
	if err != nil || len(list) != 0 {
		t.Fatalf("refused forms created %d accounts (%v)", len(list), err)
	}
}

func TestServiceAccountsWithoutSharedSecret(t *testing.T) {
	t.Parallel()
	app := testutil.NewApp(t)
	eng := app.Namespace(t, global, "Eng")
	admin := app.AsRecovery(t, global)
	admin.Get(nsURL(eng, "service-accounts"))
	res := admin.PostForm(nsURL(eng, "service-accounts"), url.Values{"identity": {"unique"}}, testutil.HTMX("sa-dialogs")...)
	wantStatus(t, res, http.StatusServiceUnavailable)
	if got := res.Text(`[data-testid="form-error"]`); !strings.Contains(got, `cluster "Default" has no shared secret`) {
		t.Fatalf("form error %q", got)
	}
}

func TestServiceAccountsRevokeAndRoles(t *testing.T) {
	t.Parallel()
	app, broker, eng := saApp(t)
	app.Grant(t, eng, db.SubjectUser, "idp|mia", "manager")
	app.Grant(t, eng, db.SubjectUser, "idp|val", "viewer")
	admin := app.AsRecovery(t, global)
	admin.Get(nsURL(eng, "service-accounts"))
	res := admin.PostForm(nsURL(eng, "service-accounts"), url.Values{"identity": {"unique"}, "description": {"nightly"}})
	wantStatus(t, res, http.StatusOK)
	id, _ := res.Doc.Find(`[data-testid="sa-table"] tbody tr`).Attr("data-testid")
	id = strings.TrimPrefix(id, "sa-")

	// A manager adds accounts with a generated id and revokes, but cannot
	// make one that acts as an existing user (it would carry their roles).
	mia := app.AsUser(t, testutil.Claims{Subject: "idp|mia", Email: "mia@example.com"})
	page := mia.Get(nsURL(eng, "service-accounts/new"))
	wantStatus(t, page, http.StatusOK)
	if !page.Has(`[data-testid="add-sa"]`) || !page.Has(`[data-testid="revoke-`+id+`"]`) || page.Has(`input[name="user_id"]`) {
		t.Fatalf("a manager's page: want add and revoke, without the user id field:\n%s", page.Body)
	}
	refused := mia.PostForm(nsURL(eng, "service-accounts"), url.Values{"identity": {"user"}, "user_id": {"alice@example.com"}})
	wantStatus(t, refused, http.StatusUnprocessableEntity)
	if !strings.Contains(refused.Body, "only admins can make an account that acts as an existing user") {
		t.Fatalf("the refusal does not say why:\n%s", refused.Body)
	}
	wantStatus(t, mia.Get(nsURL(eng, "service-accounts/lookup?user_id=a")), http.StatusForbidden)
	wantStatus(t, mia.PostForm(nsURL(eng, "service-accounts"), url.Values{"identity": {"unique"}, "description": {"by mia"}}), http.StatusOK)
	val := app.AsUser(t, testutil.Claims{Subject: "idp|val", Email: "val@example.com"})
	valPage := val.Get(nsURL(eng, "service-accounts"))
	wantStatus(t, valPage, http.StatusOK)
	if valPage.Has(`[data-testid="add-sa"]`) || valPage.Has(`[data-testid="revoke-`+id+`"]`) {
		t.Fatalf("a viewer's page offers changes:\n%s", valPage.Body)
	}
	wantStatus(t, val.PostForm(nsURL(eng, "service-accounts"), url.Values{"identity": {"unique"}}), http.StatusForbidden)
	wantStatus(t, val.PostForm(nsURL(eng, "service-accounts/"+id+"/revoke"), nil), http.StatusForbidden)
	wantStatus(t, val.Get(nsURL(eng, "service-accounts/new")), http.StatusForbidden)
	wantStatus(t, app.AsUser(t, testutil.Claims{Subject: "idp|nobody"}).Get(nsURL(eng, "service-accounts")), http.StatusForbidden)

	res = admin.PostForm(nsURL(eng, "service-accounts/"+id+"/revoke"), nil)
	wantStatus(t, res, http.StatusSeeOther)
	app.Console.ServiceAccounts.Wait()
	page = admin.Get(res.Location())
	if got := page.Text(`[data-testid="toast"]`); got != "Revoked service account “nightly”." {
		t.Errorf("toast %q", got)
	}
	rows := saRows(page)
	revoked := slices.IndexFunc(rows, func(r saRow) bool { return strings.HasPrefix(r.UserID, id+"@") })
	if len(rows) != 2 || revoked < 0 || rows[revoked].Status != "revoked" || rows[revoked].CanRevoke {
		t.Fatalf("rows after revoke %+v", rows)
	}
	if broker.Record(serviceaccounts.RecordType, id) != nil {
		t.Fatal("the revoked account is still in the databroker")
	}
	wantStatus(t, admin.PostForm(nsURL(eng, "service-accounts/"+id+"/revoke"), nil), http.StatusConflict)
}

func TestServiceAccountsChildrenAndLookup(t *testing.T) {
	t.Parallel()
	app, _, eng := saApp(t)
	addUser(t, app, "idp|carol", "carol@example.com", "Carol")
	admin := app.AsRecovery(t, global)
	admin.Get(nsURL(eng, "service-accounts"))
	wantStatus(t, admin.PostForm(nsURL(eng, "service-accounts"), url.Values{"identity": {"unique"}}), http.StatusOK)

	page := admin.Get(nsURL(global, "service-accounts"))
	if len(saRows(page)) != 0 {
		t.Fatal("Global lists the accounts of its children by default")
	}
	page = admin.Get(nsURL(global, "service-accounts?children=1"))
	if len(saRows(page)) != 1 || !strings.Contains(page.Text(`[data-testid="sa-table"] tbody tr`), "Eng") {
		t.Fatalf("with children:\n%s", page.Text(`[data-testid="sa-table"]`))
	}

	res := admin.Get(nsURL(eng, "service-accounts/lookup?user_id=caro"), testutil.HTMX("sa-user-suggestions")...)
	wantStatus(t, res, http.StatusOK)
	if v, _ := res.Doc.Find(`datalist#sa-user-suggestions option`).Attr("value"); v != "idp|carol" {
		t.Fatalf("suggestions:\n%s", res.Body)
	}
}
