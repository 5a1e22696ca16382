package runtime_test

import (
	"errors"
	"maps"
	"slices"
	"testing"

	"github.com/pomerium-console-oss/pomerium-console/app/apptest"
	"github.com/pomerium-console-oss/pomerium-console/app/errs"
	"github.com/pomerium-console-oss/pomerium-console/app/rbac"
	"github.com/pomerium-console-oss/pomerium-console/app/runtime"
	"github.com/pomerium-console-oss/pomerium-console/db"
)

func userIDs(list []runtime.UserInfo) []string {
	var out []string
	for _, u := range list {
		out = append(out, u.ID)
	}
	return out
}

// knownUser records a console sign-in.
func (f fixture) knownUser(t *testing.T, u db.User) {
	t.Helper()
	u.CreatedAt, u.LastSeenAt = apptest.Now, apptest.Now
	if err := f.store.UpsertUser(t.Context(), u); err != nil {
		t.Fatal(err)
	}
}

func TestQueryUsersMergesEverySource(t *testing.T) {
	t.Parallel()
	f := newFixture(t, true)
	f.people(t)
	f.knownUser(t, db.User{ID: "ada", Email: "ada@example.com", Groups: []string{"idp-admins"}})
	f.knownUser(t, db.User{ID: "dan", Name: "Dan", Email: "dan@example.com"})
	f.callers.User(t, "ada", apptest.Roles{apptest.Eng: rbac.RoleManager})
	devAdmin := f.as(t, "eve", "", apptest.Roles{apptest.Dev: rbac.RoleAdmin})
	tests := []struct {
		name      string
		q         runtime.UserQuery
		want      []string
		wantTotal int
	}{
		{"everyone, by name", runtime.UserQuery{}, []string{"ada", "bob", "cyd", "dan"}, 4},
		{"by e-mail in a Core user", runtime.UserQuery{Query: "bob@"}, []string{"bob"}, 1},
		{"by directory name", runtime.UserQuery{Query: "charisse"}, []string{"cyd"}, 1},
		{"by console e-mail", runtime.UserQuery{Query: "dan@example"}, []string{"dan"}, 1},
		{"a page", runtime.UserQuery{Offset: 1, Limit: 2}, []string{"bob", "cyd"}, 4},
	}
	for _, tc := range tests {
		page, err := f.svc.QueryUsers(t.Context(), devAdmin, tc.q)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if !slices.Equal(userIDs(page.Users), tc.want) || page.Total != tc.wantTotal || page.Unavailable != nil {
			t.Errorf("%s: %v (total %d, %v), want %v (total %d)", tc.name, userIDs(page.Users), page.Total, page.Unavailable, tc.want, tc.wantTotal)
		}
	}
	page, err := f.svc.QueryUsers(t.Context(), f.root(t, ""), runtime.UserQuery{Query: "ada"})
	if err != nil || len(page.Users) != 1 {
		t.Fatalf("%v, %v", page, err)
	}
	ada := page.Users[0]
	if ada.Name != "Ada Lovelace" || ada.Email != "ada@example.com" || !slices.Equal(ada.Groups, []string{"g-eng", "g-gone", "idp-admins"}) ||
		!slices.Equal(ada.Sources, []string{runtime.SourcePomerium, runtime.SourceDirectory, runtime.SourceConsole}) {
		t.Errorf("merged ada: %+v", ada)
	}
	wantRoles := map[string]string{apptest.Eng: "manager", apptest.Prod: "manager", apptest.Dev: "manager"}
	if !maps.Equal(ada.NamespaceRoles, wantRoles) {
		t.Errorf("roles %v, want %v", ada.NamespaceRoles, wantRoles)
	}
	_, err = f.svc.QueryUsers(t.Context(), f.callers.Resolve(t, principal("nobody", "")), runtime.UserQuery{})
	wantErr(t, err, errs.ErrForbidden)
}

func TestQueryUsersWithoutDatabroker(t *testing.T) {
	t.Parallel()
	f := newFixture(t, false)
	f.knownUser(t, db.User{ID: "dan", Name: "Dan", Email: "dan@example.com"})
	page, err := f.svc.QueryUsers(t.Context(), f.root(t, ""), runtime.UserQuery{})
	if err != nil {
		t.Fatal(err)
	}
	if !errors.Is(page.Unavailable, errs.ErrUnavailable) || !slices.Equal(userIDs(page.Users), []string{"dan"}) {
		t.Errorf("page %+v: want the console's users and the reason the directory is missing", page)
	}
}

func TestGetUserInfo(t *testing.T) {
	t.Parallel()
	f := newFixture(t, true)
	f.people(t)
	f.callers.User(t, "cyd", apptest.Roles{apptest.Fin: rbac.RoleViewer})
	ctx := t.Context()
	root := f.root(t, "")
	cyd, err := f.svc.GetUserInfo(ctx, root, "", "cyd")
	if err != nil {
		t.Fatal(err)
	}
	if cyd.Name != "Cyd Charisse" || cyd.Email != "cyd@corp.example" || !slices.Equal(cyd.Groups, []string{"g-fin"}) ||
		!maps.Equal(cyd.NamespaceRoles, map[string]string{apptest.Fin: "viewer"}) || cyd.IsImpersonated {
		t.Errorf("cyd %+v", cyd)
	}
	self, err := f.svc.GetUserInfo(ctx, root, "", "")
	if err != nil || self.ID != apptest.Root.UserID || self.NamespaceRoles[apptest.Global] != "admin" || self.NamespaceRoles[apptest.Dev] != "admin" {
		t.Errorf("self %+v, %v", self, err)
	}
	_, err = f.svc.GetUserInfo(ctx, root, "", "nobody")
	wantErr(t, err, errs.ErrNotFound)
	finViewer := f.as(t, "fred", "", apptest.Roles{apptest.Fin: rbac.RoleViewer})
	if _, err := f.svc.GetUserInfo(ctx, finViewer, "", "cyd"); err != nil {
		t.Errorf("a viewer of a namespace the cluster serves looks a user up: %v", err)
	}
}

func TestGroups(t *testing.T) {
	t.Parallel()
	f := newFixture(t, true)
	f.people(t)
	ctx := t.Context()
	root := f.root(t, "")
	page, err := f.svc.QueryGroups(ctx, root, runtime.GroupQuery{})
	if err != nil || page.Total != 2 || page.Groups[0].ID != "g-eng" || page.Groups[1].ID != "g-fin" {
		t.Fatalf("groups %+v, %v", page, err)
	}
	page, err = f.svc.QueryGroups(ctx, root, runtime.GroupQuery{Query: "corp.example"})
	if err != nil || page.Total != 1 || page.Groups[0] != (runtime.Group{ID: "g-eng", Name: "Engineering", Email: "eng@corp.example"}) {
		t.Fatalf("query by e-mail %+v, %v", page, err)
	}
	g, err := f.svc.GetGroupInfo(ctx, root, "", "g-fin")
	if err != nil || g.Name != "Finance" {
		t.Fatalf("group %+v, %v", g, err)
	}
	_, err = f.svc.GetGroupInfo(ctx, root, "", "g-none")
	wantErr(t, err, errs.ErrNotFound)
	_, err = f.svc.GetGroupInfo(ctx, root, "", "")
	wantField(t, err, "group_id", errs.CodeRequired)
}
