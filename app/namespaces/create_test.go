package namespaces_test

import (
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pomerium-console-oss/pomerium-console/app/errs"
	"github.com/pomerium-console-oss/pomerium-console/app/namespaces"
	"github.com/pomerium-console-oss/pomerium-console/app/rbac"
	"github.com/pomerium-console-oss/pomerium-console/db"
)

func TestCreate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		caller func(t *testing.T, e *env) *rbac.Access
	}{
		{"configured administrator", func(t *testing.T, e *env) *rbac.Access { return e.root(t) }},
		{"admin of the parent", func(t *testing.T, e *env) *rbac.Access {
			return e.holder(t, "u-eng-admin", grant{eng, rbac.RoleAdmin})
		}},
		{"recovery principal of the parent", func(t *testing.T, e *env) *rbac.Access { return e.recovery(t, eng) }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			forEachStore(t, func(t *testing.T, s db.Store) {
				e := newEnv(t, s)
				acc := tc.caller(t, e)
				before := capture(t, s)

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

				entry := before.onlyNewActivity(t, s)
				wantEntry(t, entry, actor(acc.Principal, db.ActivityEntry{
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
			forEachStore(t, func(t *testing.T, s db.Store) {
				e := newEnv(t, s)
				ns, err := e.svc.Create(t.Context(), e.root(t), tc.in)
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
		grants []grant // nil: act as root
		in     namespaces.CreateInput
		want   outcome
	}{
		{name: "empty name", in: namespaces.CreateInput{ParentID: eng},
			want: outcome{fields: map[string]errs.FieldError{"name": required}}},
		{name: "whitespace-only name", in: namespaces.CreateInput{ParentID: eng, Name: " \t \u00a0 "},
			want: outcome{fields: map[string]errs.FieldError{"name": required}}},
		{name: "129 multibyte runes", in: namespaces.CreateInput{ParentID: eng, Name: strings.Repeat("é", 129)},
			want: field("name", errs.CodeTooLong, "must be at most 128 characters (got 129)")},
		{name: "300 ASCII characters", in: namespaces.CreateInput{ParentID: eng, Name: strings.Repeat("a", 300)},
			want: field("name", errs.CodeTooLong, "must be at most 128 characters (got 300)")},
		{name: "line break", in: namespaces.CreateInput{ParentID: eng, Name: "two\nlines"},
			want: outcome{fields: map[string]errs.FieldError{"name": control}}},
		{name: "NUL", in: namespaces.CreateInput{ParentID: eng, Name: "a\x00b"},
			want: outcome{fields: map[string]errs.FieldError{"name": control}}},
		{name: "DEL", in: namespaces.CreateInput{ParentID: eng, Name: "a\x7fb"},
			want: outcome{fields: map[string]errs.FieldError{"name": control}}},
		{name: "missing parent", in: namespaces.CreateInput{Name: "Ops"},
			want: outcome{fields: map[string]errs.FieldError{"parentId": noParent}}},
		{name: "unknown parent", in: namespaces.CreateInput{ParentID: "nope", Name: "Ops"},
			want: outcome{fields: map[string]errs.FieldError{"parentId": unknownParent}}},
		{name: "duplicate sibling, other case", in: namespaces.CreateInput{ParentID: global, Name: "engineering"},
			want: field("name", errs.CodeConflict, `a namespace named "Engineering" already exists in "Global"`)},
		{name: "duplicate sibling, padded and upper case", in: namespaces.CreateInput{ParentID: eng, Name: "  PRODUCTION "},
			want: field("name", errs.CodeConflict, `a namespace named "production" already exists in "Engineering"`)},
		{name: "duplicate sibling, non-ASCII case", in: namespaces.CreateInput{ParentID: global, Name: "ÉQUIPE"},
			want: field("name", errs.CodeConflict, `a namespace named "Équipe" already exists in "Global"`)},
		{name: "empty name and missing parent together", in: namespaces.CreateInput{Name: "  "},
			want: outcome{fields: map[string]errs.FieldError{"name": required, "parentId": noParent}}},
		{name: "bad name and unknown parent together", in: namespaces.CreateInput{ParentID: "nope", Name: "a\tb"},
			want: outcome{fields: map[string]errs.FieldError{"name": control, "parentId": unknownParent}}},
		{name: "manager of the parent", grants: []grant{{eng, rbac.RoleManager}},
			in:   namespaces.CreateInput{ParentID: eng, Name: "Ops"},
			want: forbidden(`this needs the admin role on namespace "Engineering"; you are a manager there`)},
		{name: "viewer of the parent", grants: []grant{{eng, rbac.RoleViewer}},
			in:   namespaces.CreateInput{ParentID: eng, Name: "Ops"},
			want: forbidden(`this needs the admin role on namespace "Engineering"; you are a viewer there`)},
		{name: "guest of the parent", grants: []grant{{eng, rbac.RoleGuest}},
			in:   namespaces.CreateInput{ParentID: eng, Name: "Ops"},
			want: forbidden(`this needs the admin role on namespace "Engineering"; you are a guest there`)},
		{name: "manager inherited from Global", grants: []grant{{global, rbac.RoleManager}},
			in:   namespaces.CreateInput{ParentID: prod, Name: "Ops"},
			want: forbidden(`this needs the admin role on namespace "production"; you are a manager there`)},
		{name: "admin of a child creating a sibling", grants: []grant{{prod, rbac.RoleAdmin}},
			in:   namespaces.CreateInput{ParentID: eng, Name: "Ops"},
			want: forbidden(`you have no role on namespace "Engineering"; the admin role is needed`)},
		{name: "admin of a namespace creating its sibling", grants: []grant{{eng, rbac.RoleAdmin}},
			in:   namespaces.CreateInput{ParentID: global, Name: "Ops"},
			want: forbidden(`you have no role on namespace "Global"; the admin role is needed`)},
		{name: "authorization comes before validation", grants: []grant{{eng, rbac.RoleViewer}},
			in:   namespaces.CreateInput{ParentID: eng, Name: ""},
			want: forbidden(`this needs the admin role on namespace "Engineering"; you are a viewer there`)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			forEachStore(t, func(t *testing.T, s db.Store) {
				e := newEnv(t, s)
				acc := e.root(t)
				if tc.grants != nil {
					acc = e.holder(t, "u-caller", tc.grants...)
				}
				before := capture(t, s)
				ns, err := e.svc.Create(t.Context(), acc, tc.in)
				tc.want.check(t, err)
				if ns != (db.Namespace{}) {
					t.Errorf("Create returned %+v with its error", ns)
				}
				before.unchanged(t, s)
			})
		})
	}
}

func TestCreateRecoveryPrincipalOutsideItsSubtree(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, s db.Store) {
		e := newEnv(t, s)
		before := capture(t, s)
		_, err := e.svc.Create(t.Context(), e.recovery(t, prod), namespaces.CreateInput{ParentID: eng, Name: "Ops"})
		wantErr(t, err, errs.ErrForbidden, `forbidden: you have no role on namespace "Engineering"; the admin role is needed`)
		before.unchanged(t, s)
	})
}

// TestCreateConcurrentSameName races two creates of one name under one
// parent, several times: the store's unique index or the in-transaction
// check must let exactly one through and give the other the field error.
func TestCreateConcurrentSameName(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, s db.Store) {
		e := newEnv(t, s)
		acc := e.root(t)
		const rounds, racers = 5, 2
		for round := range rounds {
			name := "Ops " + string(rune('A'+round))
			before := capture(t, s)
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
				wantFields(t, err, map[string]errs.FieldError{"name": {
					Code: errs.CodeConflict, Message: `a namespace named "` + name + `" already exists in "Global"`,
				}})
			}
			if ok != 1 {
				t.Fatalf("round %d: %d creates succeeded, want exactly 1", round, ok)
			}
			if n := len(before.newActivity(t, s)); n != 1 {
				t.Fatalf("round %d: %d activity entries, want 1", round, n)
			}
			count := 0
			for _, ns := range capture(t, s).Namespaces {
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
