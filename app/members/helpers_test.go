package members_test

import (
	"reflect"
	"testing"
	"time"

	"github.com/pomerium-console-oss/pomerium-console/app/activity"
	"github.com/pomerium-console-oss/pomerium-console/app/apptest"
	"github.com/pomerium-console-oss/pomerium-console/app/authn"
	"github.com/pomerium-console-oss/pomerium-console/app/members"
	"github.com/pomerium-console-oss/pomerium-console/app/rbac"
	"github.com/pomerium-console-oss/pomerium-console/db"
)

// Part of the shared fixture tree (apptest.SeedTree):
//
//	Global ─┬─ Engineering ── production
//	        └─ Finance
const (
	global = apptest.Global
	eng    = apptest.Eng
	prod   = apptest.Prod
	fin    = apptest.Fin
)

// created is when the fixtures were made.
var created = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)

// root is the configured administrator (by user id).
var root = authn.Principal{Kind: authn.KindPomerium, UserID: "u-root", Email: "root@example.com"}

// env is a seeded store, its callers (root configured as administrator),
// a Service over it and the Service's clock.
type env struct {
	apptest.Callers
	svc *members.Service
	now time.Time
}

// newEnv seeds the fixture tree into s; the clock starts a year after it.
func newEnv(t *testing.T, s db.Store) *env {
	t.Helper()
	apptest.SeedTree(t, s, created, eng, prod, fin)
	e := &env{Callers: apptest.Callers{Store: s, Admins: []string{root.UserID}, At: created}, now: created.AddDate(1, 0, 0)}
	e.svc = members.NewService(s, func() time.Time { return e.now })
	return e
}

// caller resolves root when c is nil, otherwise c's caller.
func (e *env) caller(t *testing.T, c func(t *testing.T, e *env) *rbac.Access) *rbac.Access {
	t.Helper()
	if c == nil {
		return e.Resolve(t, root)
	}
	return c(t, e)
}

// grant grants in on nsID as acc, stopping t when that fails.
func (e *env) grant(t *testing.T, acc *rbac.Access, nsID string, in members.GrantInput) db.Permission {
	t.Helper()
	p, err := e.svc.Grant(t.Context(), acc, nsID, in)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// role is a caller holding r on nsID through a group.
func role(nsID string, r rbac.Role) func(t *testing.T, e *env) *rbac.Access {
	return func(t *testing.T, e *env) *rbac.Access { return e.Group(t, nsID, r) }
}

// snap is a grant as the activity log shows it.
type snap struct {
	ID          string `json:"id"`
	NamespaceID string `json:"namespaceId"`
	SubjectType string `json:"subjectType"`
	SubjectID   string `json:"subjectId"`
	Role        string `json:"role"`
}

// snapOf is p as the activity log should show it; nil stays nil.
func snapOf(p *db.Permission) *snap {
	if p == nil {
		return nil
	}
	return &snap{ID: p.ID, NamespaceID: p.NamespaceID, SubjectType: p.SubjectType, SubjectID: p.SubjectID, Role: p.Role}
}

// wantEntry checks a grant's activity entry: made by p at e.now on nsID
// ("Engineering" in every test), describing before → after.
func (e *env) wantEntry(t *testing.T, got db.ActivityEntry, p authn.Principal, typ string, before, after *db.Permission) {
	t.Helper()
	subject := after
	if subject == nil {
		subject = before
	}
	want := apptest.Actor(p, db.ActivityEntry{
		ID: got.ID, CreatedAt: e.now.UTC(), ActivityType: typ,
		NamespaceID: subject.NamespaceID, NamespaceName: "Engineering",
		EntityType: activity.EntityNamespacePermission, EntityID: subject.ID,
		EntityName: subject.SubjectType + " " + subject.SubjectID,
		Before:     got.Before, After: got.After,
	})
	if got != want {
		t.Errorf("entry =\n%+v, want\n%+v", got, want)
	}
	for side, pair := range map[string][2]*snap{
		"Before": {apptest.DecodeSnapshot[snap](t, got.Before), snapOf(before)},
		"After":  {apptest.DecodeSnapshot[snap](t, got.After), snapOf(after)},
	} {
		if !reflect.DeepEqual(pair[0], pair[1]) {
			t.Errorf("%s = %+v, want %+v", side, pair[0], pair[1])
		}
	}
}
