package namespaces_test

import (
	"testing"
	"time"

	"github.com/pomerium-console-oss/pomerium-console/app/apptest"
	"github.com/pomerium-console-oss/pomerium-console/app/errs"
	"github.com/pomerium-console-oss/pomerium-console/app/namespaces"
	"github.com/pomerium-console-oss/pomerium-console/app/rbac"
	"github.com/pomerium-console-oss/pomerium-console/db"
	"github.com/pomerium-console-oss/pomerium-console/db/storetest"
)

func TestUpdate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name          string
		grants        apptest.Roles // nil: act as root
		id            string
		in            namespaces.UpdateInput
		want          db.Namespace
		entryNS       string // the namespace the entry is filed under (the new parent)
		entryNSName   string
		before, after snap
	}{
		{
			name: "rename by root", id: eng, in: namespaces.UpdateInput{Name: new("  Platform ")},
			want:    db.Namespace{ID: eng, ParentID: global, Name: "Platform"},
			entryNS: global, entryNSName: "Global",
			before: snap{ID: eng, Name: "Engineering", ParentID: global, ParentName: "Global"},
			after:  snap{ID: eng, Name: "Platform", ParentID: global, ParentName: "Global"},
		},
		{
			name: "rename by an admin of the namespace itself", grants: apptest.Roles{prod: rbac.RoleAdmin},
			id: prod, in: namespaces.UpdateInput{Name: new("prod")},
			want:    db.Namespace{ID: prod, ParentID: eng, Name: "prod"},
			entryNS: eng, entryNSName: "Engineering",
			before: snap{ID: prod, Name: "production", ParentID: eng, ParentName: "Engineering"},
			after:  snap{ID: prod, Name: "prod", ParentID: eng, ParentName: "Engineering"},
		},
		{
			name: "a change of case is a rename", id: dev, in: namespaces.UpdateInput{Name: new("DEV")},
			want:    db.Namespace{ID: dev, ParentID: eng, Name: "DEV"},
			entryNS: eng, entryNSName: "Engineering",
			before: snap{ID: dev, Name: "Dev", ParentID: eng, ParentName: "Engineering"},
			after:  snap{ID: dev, Name: "DEV", ParentID: eng, ParentName: "Engineering"},
		},
		{
			name:   "move by an admin of the old and the new parent",
			grants: apptest.Roles{eng: rbac.RoleAdmin, team: rbac.RoleAdmin},
			id:     prod, in: namespaces.UpdateInput{ParentID: new(team)},
			want:    db.Namespace{ID: prod, ParentID: team, Name: "production"},
			entryNS: team, entryNSName: "Équipe",
			before: snap{ID: prod, Name: "production", ParentID: eng, ParentName: "Engineering"},
			after:  snap{ID: prod, Name: "production", ParentID: team, ParentName: "Équipe"},
		},
		{
			name: "move and rename at once into a parent holding the old name",
			id:   dev, in: namespaces.UpdateInput{Name: new("Dev 2"), ParentID: new(fin)},
			want:    db.Namespace{ID: dev, ParentID: fin, Name: "Dev 2"},
			entryNS: fin, entryNSName: "Finance",
			before: snap{ID: dev, Name: "Dev", ParentID: eng, ParentName: "Engineering"},
			after:  snap{ID: dev, Name: "Dev 2", ParentID: fin, ParentName: "Finance"},
		},
		{
			name: "move a subtree up to Global", id: prod, in: namespaces.UpdateInput{ParentID: new(global)},
			want:    db.Namespace{ID: prod, ParentID: global, Name: "production"},
			entryNS: global, entryNSName: "Global",
			before: snap{ID: prod, Name: "production", ParentID: eng, ParentName: "Engineering"},
			after:  snap{ID: prod, Name: "production", ParentID: global, ParentName: "Global"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			storetest.ForEach(t, func(t *testing.T, s db.Store) {
				e := newEnv(t, s)
				acc := e.Caller(t, tc.grants)
				before := storetest.Capture(t, s)

				got, err := e.svc.Update(t.Context(), acc, tc.id, tc.in)
				if err != nil {
					t.Fatal(err)
				}
				want := tc.want
				want.CreatedAt, want.ModifiedAt = created, now
				if got != want {
					t.Fatalf("Update = %+v, want %+v", got, want)
				}
				stored, err := s.GetNamespace(t.Context(), tc.id)
				if err != nil {
					t.Fatal(err)
				}
				if stored.Name != want.Name || stored.ParentID != want.ParentID || !stored.ModifiedAt.Equal(want.ModifiedAt.Truncate(time.Millisecond)) {
					t.Fatalf("stored %+v, want %+v", stored, want)
				}

				entry := before.OnlyNewActivity(t, s)
				// A move changes pushed configuration, so its entry joins the
				// changeset of the new revision; a rename's joins none.
				var revision int64
				if after := storetest.Capture(t, s).Revision; after != before.Revision {
					revision = after
				}
				wantEntry(t, entry, apptest.Actor(acc.Principal, db.ActivityEntry{
					ActivityType: db.ActivityUpdate, EntityID: tc.id, EntityName: want.Name,
					NamespaceID: tc.entryNS, NamespaceName: tc.entryNSName, ConfigRevision: revision,
				}))
				if b := decode(t, entry.Before); !snapEqual(b, tc.before) {
					t.Errorf("Before = %+v, want %+v", b, tc.before)
				}
				if a := decode(t, entry.After); !snapEqual(a, tc.after) {
					t.Errorf("After = %+v, want %+v", a, tc.after)
				}
			})
		})
	}
}

// TestUpdateMovedSubtreeInheritsNewParent shows roles follow a move: an
// admin of the new parent administers the moved namespace's children.
func TestUpdateMovedSubtreeInheritsNewParent(t *testing.T) {
	t.Parallel()
	storetest.ForEach(t, func(t *testing.T, s db.Store) {
		e := newEnv(t, s)
		if _, err := e.svc.Update(t.Context(), e.Resolve(t, root), eng, namespaces.UpdateInput{ParentID: new(team)}); err != nil {
			t.Fatal(err)
		}
		acc := e.User(t, "u-team-admin", apptest.Roles{team: rbac.RoleAdmin})
		if got := acc.Role(prod); got != rbac.RoleAdmin {
			t.Fatalf("role on production after moving Engineering under Équipe = %s, want admin", got)
		}
	})
}

func TestUpdateWithoutChange(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   namespaces.UpdateInput
	}{
		{"same name", namespaces.UpdateInput{Name: new("Engineering")}},
		{"same name padded", namespaces.UpdateInput{Name: new("  Engineering\t")}},
		{"same parent", namespaces.UpdateInput{ParentID: new(global)}},
		{"same name and parent", namespaces.UpdateInput{Name: new("Engineering"), ParentID: new(global)}},
		{"nothing set", namespaces.UpdateInput{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			storetest.ForEach(t, func(t *testing.T, s db.Store) {
				e := newEnv(t, s)
				before := storetest.Capture(t, s)
				got, err := e.svc.Update(t.Context(), e.Resolve(t, root), eng, tc.in)
				if err != nil {
					t.Fatal(err)
				}
				want := db.Namespace{ID: eng, ParentID: global, Name: "Engineering", CreatedAt: created, ModifiedAt: created}
				if got != want {
					t.Fatalf("Update = %+v, want the unchanged %+v", got, want)
				}
				before.Unchanged(t, s)
			})
		})
	}
}

func TestUpdateRefused(t *testing.T) {
	t.Parallel()
	intoItself := errs.FieldError{Code: errs.CodeInvalid, Message: "a namespace cannot be moved into itself or one of its descendants"}
	tests := []struct {
		name   string
		grants apptest.Roles // nil: act as root
		id     string
		in     namespaces.UpdateInput
		want   apptest.Refusal
	}{
		{name: "rename Global", id: global, in: namespaces.UpdateInput{Name: new("World")},
			want: apptest.Refusal{Target: errs.ErrConflict, Msg: "conflict: the Global namespace is the root of the tree: it cannot be renamed or moved"}},
		{name: "move Global", id: global, in: namespaces.UpdateInput{ParentID: new(eng)},
			want: apptest.Refusal{Target: errs.ErrConflict, Msg: "conflict: the Global namespace is the root of the tree: it cannot be renamed or moved"}},
		{name: "move Global without a role on it", grants: apptest.Roles{eng: rbac.RoleAdmin}, id: global,
			in:   namespaces.UpdateInput{ParentID: new(eng)},
			want: apptest.Refusal{Target: errs.ErrConflict, Msg: "conflict: the Global namespace is the root of the tree: it cannot be renamed or moved"}},
		{name: "unknown namespace", id: "nope", in: namespaces.UpdateInput{Name: new("x")},
			want: apptest.Refusal{Target: errs.ErrNotFound, Msg: "not found: namespace nope does not exist"}},
		{name: "rename to empty", id: eng, in: namespaces.UpdateInput{Name: new(" ")},
			want: apptest.Field("name", errs.CodeRequired, "enter a name")},
		{name: "rename to a control character", id: eng, in: namespaces.UpdateInput{Name: new("a\rb")},
			want: apptest.Field("name", errs.CodeInvalid, "must not contain control characters such as line breaks")},
		{name: "rename to a sibling's name", id: eng, in: namespaces.UpdateInput{Name: new("FINANCE")},
			want: apptest.Field("name", errs.CodeConflict, `a namespace named "Finance" already exists in "Global"`)},
		{name: "move into a descendant", id: eng, in: namespaces.UpdateInput{ParentID: new(prod)},
			want: apptest.Refusal{Fields: map[string]errs.FieldError{"parentId": intoItself}}},
		{name: "move into itself", id: eng, in: namespaces.UpdateInput{ParentID: new(eng)},
			want: apptest.Refusal{Fields: map[string]errs.FieldError{"parentId": intoItself}}},
		{name: "move to an unknown parent", id: dev, in: namespaces.UpdateInput{ParentID: new("nope")},
			want: apptest.Field("parentId", errs.CodeNotFound, "parent namespace nope does not exist")},
		{name: "move to no parent", id: dev, in: namespaces.UpdateInput{ParentID: new("")},
			want: apptest.Field("parentId", errs.CodeRequired, "choose a parent namespace")},
		{name: "move next to a same-named namespace", id: dev, in: namespaces.UpdateInput{ParentID: new(fin)},
			want: apptest.Field("name", errs.CodeConflict, `a namespace named "dev" already exists in "Finance"`)},
		{name: "rename to empty and move into a descendant", id: eng,
			in: namespaces.UpdateInput{Name: new(""), ParentID: new(dev)},
			want: apptest.Refusal{Fields: map[string]errs.FieldError{
				"name": {Code: errs.CodeRequired, Message: "enter a name"}, "parentId": intoItself,
			}}},
		{name: "rename by a viewer", grants: apptest.Roles{eng: rbac.RoleViewer}, id: eng,
			in:   namespaces.UpdateInput{Name: new("Platform")},
			want: apptest.Forbidden(`this needs the admin role on namespace "Engineering"; you are a viewer there`)},
		{name: "rename by an inherited manager", grants: apptest.Roles{global: rbac.RoleManager}, id: prod,
			in:   namespaces.UpdateInput{Name: new("prod")},
			want: apptest.Forbidden(`this needs the admin role on namespace "production"; you are a manager there`)},
		{name: "move without admin on the old parent", grants: apptest.Roles{prod: rbac.RoleAdmin, fin: rbac.RoleAdmin},
			id: prod, in: namespaces.UpdateInput{ParentID: new(fin)},
			want: apptest.Forbidden(`you have no role on namespace "Engineering"; the admin role is needed`)},
		{name: "move without a role on the new parent", grants: apptest.Roles{eng: rbac.RoleAdmin},
			id: prod, in: namespaces.UpdateInput{ParentID: new(fin)},
			want: apptest.Forbidden(`you have no role on namespace "Finance"; the admin role is needed`)},
		{name: "move with a weaker role on the new parent", grants: apptest.Roles{eng: rbac.RoleAdmin, fin: rbac.RoleManager},
			id: prod, in: namespaces.UpdateInput{ParentID: new(fin)},
			want: apptest.Forbidden(`this needs the admin role on namespace "Finance"; you are a manager there`)},
		{name: "move to an unknown parent without admin on Global", grants: apptest.Roles{eng: rbac.RoleAdmin},
			id: prod, in: namespaces.UpdateInput{ParentID: new("nope")},
			want: apptest.Field("parentId", errs.CodeNotFound, "parent namespace nope does not exist")},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			storetest.ForEach(t, func(t *testing.T, s db.Store) {
				e := newEnv(t, s)
				acc := e.Caller(t, tc.grants)
				apptest.WantRefused(t, s, tc.want, func() (db.Namespace, error) { return e.svc.Update(t.Context(), acc, tc.id, tc.in) })
			})
		})
	}
}

// TestUpdateMoveWithStaleAccess moves into a namespace created after the
// caller's access was resolved: the caller holds no role there, and the
// move must be refused even though its snapshot does not know the parent.
func TestUpdateMoveWithStaleAccess(t *testing.T) {
	t.Parallel()
	storetest.ForEach(t, func(t *testing.T, s db.Store) {
		e := newEnv(t, s)
		stale := e.User(t, "u-eng-admin", apptest.Roles{eng: rbac.RoleAdmin})
		late, err := e.svc.Create(t.Context(), e.Resolve(t, root), namespaces.CreateInput{ParentID: global, Name: "Late"})
		if err != nil {
			t.Fatal(err)
		}
		before := storetest.Capture(t, s)
		_, err = e.svc.Update(t.Context(), stale, prod, namespaces.UpdateInput{ParentID: new(late.ID)})
		apptest.WantErr(t, err, errs.ErrForbidden,
			`forbidden: you have no role on namespace "`+late.ID+`"; the admin role is needed`)
		before.Unchanged(t, s)
	})
}
