package namespaces_test

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
	"github.com/pomerium-console-oss/pomerium-console/app/namespaces"
	"github.com/pomerium-console-oss/pomerium-console/app/rbac"
	"github.com/pomerium-console-oss/pomerium-console/db"
	"github.com/pomerium-console-oss/pomerium-console/db/storetest"
)

// The fixture tree:
//
//	Global ─┬─ Engineering ─┬─ production
//	        │               └─ Dev
//	        ├─ Finance ── dev
//	        └─ Équipe
const (
	global = db.GlobalNamespaceID
	eng    = "eng"
	prod   = "prod"
	dev    = "dev"
	fin    = "fin"
	finDev = "fin-dev"
	team   = "team"
)

// created is when the fixtures were made; now is the service's clock.
var (
	created = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	now     = time.Date(2026, 2, 3, 4, 5, 6, 7_000_000, time.UTC)
)

// root is the configured administrator (by e-mail) every happy path acts as.
var root = authn.Principal{Kind: authn.KindPomerium, UserID: "u-root", Email: "Root@Example.com", Name: "Root Admin"}

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

// env is a seeded store with a Service over it.
type env struct {
	s   db.Store
	svc *namespaces.Service
}

// newEnv seeds the fixture tree into s.
func newEnv(t *testing.T, s db.Store, blockers ...namespaces.Blocker) *env {
	t.Helper()
	for _, ns := range []db.Namespace{
		{ID: eng, ParentID: global, Name: "Engineering"},
		{ID: prod, ParentID: eng, Name: "production"},
		{ID: dev, ParentID: eng, Name: "Dev"},
		{ID: fin, ParentID: global, Name: "Finance"},
		{ID: finDev, ParentID: fin, Name: "dev"},
		{ID: team, ParentID: global, Name: "Équipe"},
	} {
		ns.CreatedAt, ns.ModifiedAt = created, created
		if err := s.CreateNamespace(t.Context(), ns); err != nil {
			t.Fatalf("seed %s: %v", ns.ID, err)
		}
	}
	return &env{s: s, svc: namespaces.NewService(s, func() time.Time { return now }, blockers...)}
}

// grant is one role held on a namespace by the principal being built.
type grant struct {
	ns   string
	role rbac.Role
}

// root resolves the configured administrator's access.
func (e *env) root(t *testing.T) *rbac.Access {
	t.Helper()
	return e.resolve(t, root)
}

// resolve builds p's access, with root configured as administrator.
func (e *env) resolve(t *testing.T, p authn.Principal) *rbac.Access {
	t.Helper()
	acc, err := rbac.NewAuthorizer(e.s, []string{"root@example.com"}).Resolve(t.Context(), p)
	if err != nil {
		t.Fatalf("resolve: %v", err)
	}
	return acc
}

// holder grants roles to a new user named id and resolves its access.
func (e *env) holder(t *testing.T, id string, grants ...grant) *rbac.Access {
	t.Helper()
	for _, g := range grants {
		_, err := e.s.PutPermission(t.Context(), db.Permission{
			ID: id + "@" + g.ns, NamespaceID: g.ns, SubjectType: db.SubjectUser, SubjectID: id,
			Role: g.role.String(), CreatedAt: created, ModifiedAt: created,
		})
		if err != nil {
			t.Fatalf("grant %s %s on %s: %v", id, g.role, g.ns, err)
		}
	}
	return e.resolve(t, authn.Principal{Kind: authn.KindPomerium, UserID: id})
}

// recovery resolves a recovery principal of nsID.
func (e *env) recovery(t *testing.T, nsID string) *rbac.Access {
	t.Helper()
	return e.resolve(t, authn.Principal{
		Kind: authn.KindRecovery, UserID: "recovery:tok", Name: "Recovery admin", RecoveryNamespaceID: nsID,
	})
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

// newActivity returns the entries written since st. The fixed clock gives
// them all one timestamp, so they are told apart by id, not by position.
func (st state) newActivity(t *testing.T, s db.Store) []db.ActivityEntry {
	t.Helper()
	old := map[string]bool{}
	for _, e := range st.Activity {
		old[e.ID] = true
	}
	var out []db.ActivityEntry
	for _, e := range capture(t, s).Activity {
		if !old[e.ID] {
			out = append(out, e)
		}
	}
	return out
}

// onlyNewActivity returns the single entry written since st.
func (st state) onlyNewActivity(t *testing.T, s db.Store) db.ActivityEntry {
	t.Helper()
	fresh := st.newActivity(t, s)
	if len(fresh) != 1 {
		t.Fatalf("%d new activity entries, want 1: %+v", len(fresh), fresh)
	}
	return fresh[0]
}

// snap is a namespace as the activity log shows it.
type snap struct {
	ID         string          `json:"id"`
	Name       string          `json:"name"`
	ParentID   string          `json:"parentId"`
	ParentName string          `json:"parentName"`
	Members    []db.Permission `json:"members"`
}

// decode reads an activity snapshot; "" (no side) is the zero snap.
func decode(t *testing.T, s string) snap {
	t.Helper()
	var out snap
	if s == "" {
		return out
	}
	dec := json.NewDecoder(strings.NewReader(s))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&out); err != nil {
		t.Fatalf("decode snapshot %s: %v", s, err)
	}
	return out
}

// wantEntry checks the parts of e every namespace entry shares with want
// (ID and CreatedAt are checked against the clock).
func wantEntry(t *testing.T, e, want db.ActivityEntry) {
	t.Helper()
	if !e.CreatedAt.Equal(now.Truncate(time.Millisecond)) {
		t.Errorf("CreatedAt = %v, want %v", e.CreatedAt, now)
	}
	if e.ID == "" {
		t.Error("entry has no id")
	}
	e.ID, e.CreatedAt, e.Before, e.After = "", time.Time{}, "", ""
	want.EntityType = activity.EntityNamespace
	if e != want {
		t.Errorf("entry =\n%+v, want\n%+v", e, want)
	}
}

// actor fills the actor fields of an entry made by p.
func actor(p authn.Principal, e db.ActivityEntry) db.ActivityEntry {
	e.UserID, e.UserName, e.UserEmail, e.AuthMethod = p.UserID, p.DisplayName(), p.Email, p.Kind
	return e
}

// wantFields checks err is a validation error with exactly want.
func wantFields(t *testing.T, err error, want map[string]errs.FieldError) {
	t.Helper()
	ve, ok := errs.AsValidation(err)
	if !ok {
		t.Fatalf("err = %v, want a validation error", err)
	}
	if !reflect.DeepEqual(ve.Fields, want) || ve.Form != "" {
		t.Fatalf("fields = %+v (form %q), want %+v", ve.Fields, ve.Form, want)
	}
}

// wantErr checks err matches target and reads exactly msg.
func wantErr(t *testing.T, err, target error, msg string) {
	t.Helper()
	if !errors.Is(err, target) || err.Error() != msg {
		t.Fatalf("err = %v, want %v reading %q", err, target, msg)
	}
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
		wantFields(t, err, o.fields)
		return
	}
	wantErr(t, err, o.target, o.msg)
}

// forbidden is the refusal with msg after "forbidden: ".
func forbidden(msg string) outcome {
	return outcome{target: errs.ErrForbidden, msg: "forbidden: " + msg}
}

// field is a one-field validation refusal.
func field(name, code, msg string) outcome {
	return outcome{fields: map[string]errs.FieldError{name: {Code: code, Message: msg}}}
}

func ptr(s string) *string { return &s }
