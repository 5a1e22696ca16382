package namespaces_test

import (
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pomerium-console-oss/pomerium-console/app/apptest"
	"github.com/pomerium-console-oss/pomerium-console/app/errs"
	"github.com/pomerium-console-oss/pomerium-console/app/namespaces"
	"github.com/pomerium-console-oss/pomerium-console/app/rbac"
	"github.com/pomerium-console-oss/pomerium-console/db"
	"github.com/pomerium-console-oss/pomerium-console/db/storetest"
)

func TestCreate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		caller func(t *testing.T, e *env) *rbac.Access
	}{
		{"configured administrator", func(t *testing.T, e *env) *rbac.Access { return e.Resolve(t, root) }},
		{"admin of the parent", func(t *testing.T, e *env) *rbac.Access {
			return e.User(t, "u-eng-admin", apptest.Roles{eng: rbac.RoleAdmin})
		}},
		{"recovery principal of the parent", func(t *testing.T, e *env) *rbac.Access { return e.Resolve(t, apptest.Recovery(eng)) }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			storetest.ForEach(t, func(t *testing.T, s db.Store) {
				e := newEnv(t, s)
				acc := tc.caller(t, e)
				before := storetest.Capture(t, s)

				ns, err := e.svc.Create(t.Context(), acc, namespaces.CreateInput{ParentID: eng, Name: "  Platform \t"})
				if err != nil {
					t.Fatal(err)
				}
				want := db.Namespace{ID: ns.ID, ParentID: eng, Name: "Platform", CreatedAt: now, ModifiedAt: now}
				if ns != want || ns.ID == "" {
					t.Fatalf("Create = %+v, want %+v", ns, want)
				}
				stored, err := s.GetNamespace(t.Context(), ns.ID)
				if err != nil {
					t.Fatal(err)
				}
				if stored.Name != "Platform" || stored.ParentID != eng || !stored.CreatedAt.Equal(now.Truncate(time.Millisecond)) {
					t.Fatalf("stored %+v", stored)
				}

				entry := before.OnlyNewActivity(t, s)
				wantEntry(t, entry, apptest.Actor(acc.Principal, db.ActivityEntry{
					ActivityType: db.ActivityCreate, EntityID: ns.ID, EntityName: "Platform",
					NamespaceID: eng, NamespaceName: "Engineering",
				}))
				if entry.Before != "" {
					t.Errorf("Before = %q, want empty for a create", entry.Before)
				}
				if got, want := decode(t, entry.After), (snap{ID: ns.ID, Name: "Platform", ParentID: eng, ParentName: "Engineering"}); !snapEqual(got, want) {
					t.Errorf("After = %+v, want %+v", got, want)
				}
			})
		})
	}
}

// snapEqual compares snapshots without members.
func snapEqual(a, b snap) bool {
	return a.ID == b.ID && a.Name == b.Name && a.ParentID == b.ParentID && a.ParentName == b.ParentName &&
		len(a.Members) == 0 && len(b.Members) == 0
}

func TestCreateAccepts(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		in     namespaces.CreateInput
		stored string
	}{
		{"a name taken under another parent", namespaces.CreateInput{ParentID: fin, Name: "production"}, "production"},
		{"a name taken by a cousin, case changed", namespaces.CreateInput{ParentID: team, Name: "DEV"}, "DEV"},
		{"128 multibyte runes", namespaces.CreateInput{ParentID: global, Name: strings.Repeat("é", 128)}, strings.Repeat("é", 128)},
		{"inner spaces and symbols", namespaces.CreateInput{ParentID: global, Name: " Ops & Sécurité ✓ "}, "Ops & Sécurité ✓"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			storetest.ForEach(t, func(t *testing.T, s db.Store) {
				e := newEnv(t, s)
				ns, err := e.svc.Create(t.Context(), e.Resolve(t, root), tc.in)
				if err != nil {
					t.Fatal(err)
				}
				stored, err := s.GetNamespace(t.Context(), ns.ID)
				if err != nil || stored.Name != tc.stored || stored.ParentID != tc.in.ParentID {
					t.Fatalf("stored %+v, %v; want name %q under %s", stored, err, tc.stored, tc.in.ParentID)
				}
			})
		})
	}
}

func TestCreateRefused(t *testing.T) {
	t.Parallel()
	required := errs.FieldError{Code: errs.CodeRequired, Message: "enter a name"}
	control := errs.FieldError{Code: errs.CodeInvalid, Message: "must not contain control characters such as line breaks"}
	noParent := errs.FieldError{Code: errs.CodeRequired, Message: "choose a parent namespace"}
	unknownParent := errs.FieldError{Code: errs.CodeNotFound, Message: "parent namespace nope does not exist"}
	tests := []struct {
		name   string
		grants apptest.Roles // nil: act as root
		in     namespaces.CreateInput
		want   apptest.Refusal
	}{
		{name: "empty name", in: namespaces.CreateInput{ParentID: eng},
			want: apptest.Refusal{Fields: map[string]errs.FieldError{"name": required}}},
		{name: "whitespace-only name", in: namespaces.CreateInput{ParentID: eng, Name: " \t \u00a0 "},
			want: apptest.Refusal{Fields: map[string]errs.FieldError{"name": required}}},
		{name: "129 multibyte runes", in: namespaces.CreateInput{ParentID: eng, Name: strings.Repeat("é", 129)},
			want: apptest.Field("name", errs.CodeTooLong, "must be at most 128 characters (got 129)")},
		{name: "300 ASCII characters", in: namespaces.CreateInput{ParentID: eng, Name: strings.Repeat("a", 300)},
			want: apptest.Field("name", errs.CodeTooLong, "must be at most 128 characters (got 300)")},
		{name: "line break", in: namespaces.CreateInput{ParentID: eng, Name: "two\nlines"},
			want: apptest.Refusal{Fields: map[string]errs.FieldError{"name": control}}},
		{name: "NUL", in: namespaces.CreateInput{ParentID: eng, Name: "a\x00b"},
			want: apptest.Refusal{Fields: map[string]errs.FieldError{"name": control}}},
		{name: "DEL", in: namespaces.CreateInput{ParentID: eng, Name: "a\x7fb"},
			want: apptest.Refusal{Fields: map[string]errs.FieldError{"name": control}}},
		{name: "missing parent", in: namespaces.CreateInput{Name: "Ops"},
			want: apptest.Refusal{Fields: map[string]errs.FieldError{"parentId": noParent}}},
		{name: "unknown parent", in: namespaces.CreateInput{ParentID: "nope", Name: "Ops"},
			want: apptest.Refusal{Fields: map[string]errs.FieldError{"parentId": unknownParent}}},
		{name: "duplicate sibling, other case", in: namespaces.CreateInput{ParentID: global, Name: "engineering"},
			want: apptest.Field("name", errs.CodeConflict, `a namespace named "Engineering" already exists in "Global"`)},
		{name: "duplicate sibling, padded and upper case", in: namespaces.CreateInput{ParentID: eng, Name: "  PRODUCTION "},
			want: apptest.Field("name", errs.CodeConflict, `a namespace named "production" already exists in "Engineering"`)},
		{name: "duplicate sibling, non-ASCII case", in: namespaces.CreateInput{ParentID: global, Name: "ÉQUIPE"},
			want: apptest.Field("name", errs.CodeConflict, `a namespace named "Équipe" already exists in "Global"`)},
		{name: "empty name and missing parent together", in: namespaces.CreateInput{Name: "  "},
			want: apptest.Refusal{Fields: map[string]errs.FieldError{"name": required, "parentId": noParent}}},
		{name: "bad name and unknown parent together", in: namespaces.CreateInput{ParentID: "nope", Name: "a\tb"},
			want: apptest.Refusal{Fields: map[string]errs.FieldError{"name": control, "parentId": unknownParent}}},
		{name: "manager of the parent", grants: apptest.Roles{eng: rbac.RoleManager},
			in:   namespaces.CreateInput{ParentID: eng, Name: "Ops"},
			want: apptest.Forbidden(`this needs the admin role on namespace "Engineering"; you are a manager there`)},
		{name: "viewer of the parent", grants: apptest.Roles{eng: rbac.RoleViewer},
			in:   namespaces.CreateInput{ParentID: eng, Name: "Ops"},
			want: apptest.Forbidden(`this needs the admin role on namespace "Engineering"; you are a viewer there`)},
		{name: "guest of the parent", grants: apptest.Roles{eng: rbac.RoleGuest},
			in:   namespaces.CreateInput{ParentID: eng, Name: "Ops"},
			want: apptest.Forbidden(`this needs the admin role on namespace "Engineering"; you are a guest there`)},
		{name: "manager inherited from Global", grants: apptest.Roles{global: rbac.RoleManager},
			in:   namespaces.CreateInput{ParentID: prod, Name: "Ops"},
			want: apptest.Forbidden(`this needs the admin role on namespace "production"; you are a manager there`)},
		{name: "admin of a child creating a sibling", grants: apptest.Roles{prod: rbac.RoleAdmin},
			in:   namespaces.CreateInput{ParentID: eng, Name: "Ops"},
			want: apptest.Forbidden(`you have no role on namespace "Engineering"; the admin role is needed`)},
		{name: "admin of a namespace creating its sibling", grants: apptest.Roles{eng: rbac.RoleAdmin},
			in:   namespaces.CreateInput{ParentID: global, Name: "Ops"},
			want: apptest.Forbidden(`you have no role on namespace "Global"; the admin role is needed`)},
		{name: "authorization comes before validation", grants: apptest.Roles{eng: rbac.RoleViewer},
			in:   namespaces.CreateInput{ParentID: eng, Name: ""},
			want: apptest.Forbidden(`this needs the admin role on namespace "Engineering"; you are a viewer there`)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			storetest.ForEach(t, func(t *testing.T, s db.Store) {
				e := newEnv(t, s)
				acc := e.Caller(t, tc.grants)
				apptest.WantRefused(t, s, tc.want, func() (db.Namespace, error) { return e.svc.Create(t.Context(), acc, tc.in) })
			})
		})
	}
}

func TestCreateRecoveryPrincipalOutsideItsSubtree(t *testing.T) {
	t.Parallel()
	storetest.ForEach(t, func(t *testing.T, s db.Store) {
		e := newEnv(t, s)
		before := storetest.Capture(t, s)
		_, err := e.svc.Create(t.Context(), e.Resolve(t, apptest.Recovery(prod)), namespaces.CreateInput{ParentID: eng, Name: "Ops"})
		apptest.WantErr(t, err, errs.ErrForbidden, `forbidden: you have no role on namespace "Engineering"; the admin role is needed`)
		before.Unchanged(t, s)
	})
}

// TestCreateConcurrentSameName races two creates of one name under one
// parent, several times: the store's unique index or the in-transaction
// check must let exactly one through and give the other the field error.
func TestCreateConcurrentSameName(t *testing.T) {
	t.Parallel()
	storetest.ForEach(t, func(t *testing.T, s db.Store) {
		e := newEnv(t, s)
		acc := e.Resolve(t, root)
		const rounds, racers = 5, 2
		for round := range rounds {
			name := "Ops " + string(rune('A'+round))
			before := storetest.Capture(t, s)
			start := make(chan struct{})
			errc := make(chan error, racers)
			var wg sync.WaitGroup
			for range racers {
				wg.Go(func() {
					<-start
					_, err := e.svc.Create(t.Context(), acc, namespaces.CreateInput{ParentID: global, Name: name})
					errc <- err
				})
			}
			close(start)
			wg.Wait()
			close(errc)
			ok := 0
			for err := range errc {
				if err == nil {
					ok++
					continue
				}
				apptest.WantFields(t, err, map[string]errs.FieldError{"name": {
					Code: errs.CodeConflict, Message: `a namespace named "` + name + `" already exists in "Global"`,
				}})
			}
			if ok != 1 {
				t.Fatalf("round %d: %d creates succeeded, want exactly 1", round, ok)
			}
			if n := len(before.NewActivity(t, s)); n != 1 {
				t.Fatalf("round %d: %d activity entries, want 1", round, n)
			}
			count := 0
			for _, ns := range storetest.Capture(t, s).Namespaces {
				if ns.Name == name {
					count++
				}
			}
			if count != 1 {
				t.Fatalf("round %d: %d namespaces named %q, want 1", round, count, name)
			}
		}
	})
}
