package members_test

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/pomerium-console-oss/pomerium-console/app/activity"
	"github.com/pomerium-console-oss/pomerium-console/app/authn"
	"github.com/pomerium-console-oss/pomerium-console/app/errs"
	"github.com/pomerium-console-oss/pomerium-console/app/members"
	"github.com/pomerium-console-oss/pomerium-console/app/rbac"
	"github.com/pomerium-console-oss/pomerium-console/db"
	"github.com/pomerium-console-oss/pomerium-console/db/storetest"
)

// The fixture tree:
//
//	Global ─┬─ Engineering ── production
//	        └─ Finance
const (
	global = db.GlobalNamespaceID
	eng    = "eng"
	prod   = "prod"
	fin    = "fin"
)

// created is when the fixtures were made.
var created = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)

// root is the configured administrator (by user id).
var root = authn.Principal{Kind: authn.KindPomerium, UserID: "u-root", Email: "root@example.com"}

// recovery is a recovery principal of nsID.
func recovery(nsID string) authn.Principal {
	return authn.Principal{Kind: authn.KindRecovery, UserID: "recovery:tok", Name: "Recovery admin", RecoveryNamespaceID: nsID}
}

// forEachStore runs fn on a fresh SQLite store and, when POSTGRES_TEST_URL
// is set, on a fresh Postgres one.
func forEachStore(t *testing.T, fn func(t *testing.T, s db.Store)) {
	t.Helper()
	for name, open := range map[string]func(testing.TB) db.Store{
		"sqlite":   storetest.OpenSQLite,
		"postgres": storetest.OpenPostgres,
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			fn(t, open(t))
		})
	}
}

// env is a seeded store, a Service over it and the Service's clock.
type env struct {
	s   db.Store
	svc *members.Service
	now time.Time
}

// newEnv seeds the fixture tree into s; the clock starts a year after it.
func newEnv(t *testing.T, s db.Store) *env {
	t.Helper()
	for _, ns := range []db.Namespace{
		{ID: eng, ParentID: global, Name: "Engineering"},
		{ID: prod, ParentID: eng, Name: "production"},
		{ID: fin, ParentID: global, Name: "Finance"},
	} {
		ns.CreatedAt, ns.ModifiedAt = created, created
		if err := s.CreateNamespace(t.Context(), ns); err != nil {
			t.Fatalf("seed %s: %v", ns.ID, err)
		}
	}
	e := &env{s: s, now: created.AddDate(1, 0, 0)}
	e.svc = members.NewService(s, func() time.Time { return e.now })
	return e
}

// resolve builds p's access, with root configured as administrator.
func (e *env) resolve(t *testing.T, p authn.Principal) *rbac.Access {
	t.Helper()
	acc, err := rbac.NewAuthorizer(e.s, []string{root.UserID}).Resolve(t.Context(), p)
	if err != nil {
		t.Fatalf("resolve: %v", err)
	}
	return acc
}

// put stores grants directly, as fixtures.
func (e *env) put(t *testing.T, grants ...db.Permission) {
	t.Helper()
	for _, g := range grants {
		g.CreatedAt, g.ModifiedAt = created, created
		if _, err := e.s.PutPermission(t.Context(), g); err != nil {
			t.Fatalf("put %+v: %v", g, err)
		}
	}
}

// groupRole resolves a user whose only grant is role on nsID through the
// group "g-<role>", so that the caller adds no user grant to any listing.
func (e *env) groupRole(t *testing.T, nsID string, role rbac.Role) *rbac.Access {
	t.Helper()
	group := "g-" + role.String() + "-" + nsID
	e.put(t, db.Permission{ID: group, NamespaceID: nsID, SubjectType: db.SubjectGroup, SubjectID: group, Role: role.String()})
	return e.resolve(t, authn.Principal{Kind: authn.KindPomerium, UserID: "u-caller", Groups: []string{group}})
}

// state is everything a mutation may change.
type state struct {
	Namespaces  []db.Namespace
	Permissions []db.Permission
	Activity    []db.ActivityEntry
}

// capture reads the whole state of s.
func capture(t *testing.T, s db.Store) state {
	t.Helper()
	ns, err := s.ListNamespaces(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	perms, err := s.ListPermissions(t.Context(), "")
	if err != nil {
		t.Fatal(err)
	}
	act, _, err := s.ListActivity(t.Context(), db.ActivityFilter{Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	return state{Namespaces: ns, Permissions: perms, Activity: act}
}

// unchanged fails t when s no longer holds st.
func (st state) unchanged(t *testing.T, s db.Store) {
	t.Helper()
	if got := capture(t, s); !reflect.DeepEqual(got, st) {
		t.Fatalf("a refused mutation changed the store:\nbefore %+v\nafter  %+v", st, got)
	}
}

// onlyNewActivity returns the single entry written since st.
func (st state) onlyNewActivity(t *testing.T, s db.Store) db.ActivityEntry {
	t.Helper()
	all := capture(t, s).Activity
	if len(all) != len(st.Activity)+1 {
		t.Fatalf("%d new activity entries, want 1", len(all)-len(st.Activity))
	}
	// The clock moves between mutations, so the newest entry is first.
	return all[0]
}

// snap is a grant as the activity log shows it.
type snap struct {
	ID          string `json:"id"`
	NamespaceID string `json:"namespaceId"`
	SubjectType string `json:"subjectType"`
	SubjectID   string `json:"subjectId"`
	Role        string `json:"role"`
}

// snapOf is p as the activity log should show it.
func snapOf(p db.Permission) snap {
	return snap{ID: p.ID, NamespaceID: p.NamespaceID, SubjectType: p.SubjectType, SubjectID: p.SubjectID, Role: p.Role}
}

// decode reads an activity snapshot; "" (no side) is nil.
func decode(t *testing.T, s string) *snap {
	t.Helper()
	if s == "" {
		return nil
	}
	var out snap
	dec := json.NewDecoder(strings.NewReader(s))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&out); err != nil {
		t.Fatalf("decode snapshot %s: %v", s, err)
	}
	return &out
}

// wantEntry checks a grant's activity entry: made by p at e.now on nsID
// ("Engineering" in every test), describing before → after.
func (e *env) wantEntry(t *testing.T, got db.ActivityEntry, p authn.Principal, typ string, before, after *db.Permission) {
	t.Helper()
	subject := after
	if subject == nil {
		subject = before
	}
	want := db.ActivityEntry{
		ID: got.ID, CreatedAt: e.now.UTC(), ActivityType: typ,
		NamespaceID: subject.NamespaceID, NamespaceName: "Engineering",
		UserID: p.UserID, UserName: p.DisplayName(), UserEmail: p.Email, AuthMethod: p.Kind,
		EntityType: activity.EntityNamespacePermission, EntityID: subject.ID,
		EntityName: subject.SubjectType + " " + subject.SubjectID,
		Before:     got.Before, After: got.After,
	}
	if got != want {
		t.Errorf("entry =\n%+v, want\n%+v", got, want)
	}
	for side, pair := range map[string][2]any{
		"Before": {decode(t, got.Before), snapPtr(before)},
		"After":  {decode(t, got.After), snapPtr(after)},
	} {
		if !reflect.DeepEqual(pair[0], pair[1]) {
			t.Errorf("%s = %+v, want %+v", side, pair[0], pair[1])
		}
	}
}

func snapPtr(p *db.Permission) *snap {
	if p == nil {
		return nil
	}
	s := snapOf(*p)
	return &s
}

// outcome is what a refused call must return: a validation error with
// fields, or an error matching target with message msg.
type outcome struct {
	fields map[string]errs.FieldError
	target error
	msg    string
}

// check asserts err is the refusal o describes.
func (o outcome) check(t *testing.T, err error) {
	t.Helper()
	if o.fields != nil {
		ve, ok := errs.AsValidation(err)
		if !ok || !reflect.DeepEqual(ve.Fields, o.fields) || ve.Form != "" {
			t.Fatalf("err = %v, want exactly the field errors %+v", err, o.fields)
		}
		return
	}
	if !errors.Is(err, o.target) || err.Error() != o.msg {
		t.Fatalf("err = %v, want %v reading %q", err, o.target, o.msg)
	}
}

// forbidden is the refusal with msg after "forbidden: ".
func forbidden(msg string) outcome {
	return outcome{target: errs.ErrForbidden, msg: "forbidden: " + msg}
}
