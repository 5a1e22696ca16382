package activity_test

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/pomerium-console-oss/pomerium-console/app/activity"
	"github.com/pomerium-console-oss/pomerium-console/app/apptest"
	"github.com/pomerium-console-oss/pomerium-console/app/rbac"
	"github.com/pomerium-console-oss/pomerium-console/db"
	"github.com/pomerium-console-oss/pomerium-console/db/storetest"
)

// logEntries is one entry per fixture namespace and one of a deleted
// namespace, a minute apart (a1 oldest).
func logEntries() []db.ActivityEntry {
	e := func(i int, typ, ns, entityType, entityID, user string) db.ActivityEntry {
		return db.ActivityEntry{
			ID: fmt.Sprintf("a%d", i), CreatedAt: base.Add(time.Duration(i) * time.Minute), ActivityType: typ,
			NamespaceID: ns, NamespaceName: ns, UserID: user, UserName: user, AuthMethod: "pomerium",
			EntityType: entityType, EntityID: entityID, EntityName: entityID,
		}
	}
	const nsType, permType = activity.EntityNamespace, activity.EntityNamespacePermission
	return []db.ActivityEntry{
		e(1, db.ActivityCreate, global, nsType, eng, "u1"),
		e(2, db.ActivityUpdate, eng, permType, "p1", "u2"),
		e(3, db.ActivityDelete, prod, permType, "p2", "u1"),
		e(4, db.ActivityCreate, dev, nsType, "x", "u2"),
		e(5, db.ActivityUpdate, fin, nsType, fin, "u1"),
		e(6, db.ActivityCreate, gone, permType, "p3", "u3"),
	}
}

func TestList(t *testing.T) {
	t.Parallel()
	viewerOfEng := holding(eng, rbac.RoleViewer)
	tests := []struct {
		name   string
		caller func(t *testing.T, s db.Store) *rbac.Access
		q      activity.Query
		want   []string
	}{
		{"one namespace", viewerOfEng, activity.Query{NamespaceID: eng}, []string{"a2"}},
		{"with descendants", viewerOfEng, activity.Query{NamespaceID: eng, IncludeDescendants: true}, []string{"a4", "a3", "a2"}},
		{"a leaf with descendants", holding(prod, rbac.RoleViewer), activity.Query{NamespaceID: prod, IncludeDescendants: true}, []string{"a3"}},
		{"Global alone", asRoot, activity.Query{NamespaceID: global}, []string{"a1"}},
		{"Global with descendants includes deleted namespaces", holding(global, rbac.RoleViewer),
			activity.Query{NamespaceID: global, IncludeDescendants: true}, []string{"a6", "a5", "a4", "a3", "a2", "a1"}},
		{"filter by activity type", asRoot,
			activity.Query{NamespaceID: global, IncludeDescendants: true, ActivityType: db.ActivityUpdate}, []string{"a5", "a2"}},
		{"filter by entity type", asRoot,
			activity.Query{NamespaceID: global, IncludeDescendants: true, EntityType: activity.EntityNamespacePermission}, []string{"a6", "a3", "a2"}},
		{"filter by entity id", asRoot,
			activity.Query{NamespaceID: global, IncludeDescendants: true, EntityID: "p2"}, []string{"a3"}},
		{"filter by user", asRoot,
			activity.Query{NamespaceID: global, IncludeDescendants: true, UserID: "u1"}, []string{"a5", "a3", "a1"}},
		{"filters combine", asRoot,
			activity.Query{NamespaceID: global, IncludeDescendants: true, UserID: "u1", EntityType: activity.EntityNamespace}, []string{"a5", "a1"}},
		{"filters combine with the namespace scope", viewerOfEng,
			activity.Query{NamespaceID: eng, IncludeDescendants: true, UserID: "u2"}, []string{"a4", "a2"}},
		{"no match", asRoot, activity.Query{NamespaceID: global, IncludeDescendants: true, UserID: "nobody"}, []string{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			storetest.ForEach(t, func(t *testing.T, s db.Store) {
				seedLog(t, s)
				page, err := activity.NewReader(s).List(t.Context(), tc.caller(t, s), tc.q)
				if err != nil {
					t.Fatal(err)
				}
				if got := ids(page.Entries); !reflect.DeepEqual(got, tc.want) {
					t.Fatalf("entries = %v, want %v", got, tc.want)
				}
				if page.Total != len(tc.want) || page.Offset != 0 || page.Limit != activity.PageSize {
					t.Fatalf("page = total %d offset %d limit %d, want %d, 0, %d", page.Total, page.Offset, page.Limit, len(tc.want), activity.PageSize)
				}
			})
		})
	}
}

func TestListRefused(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		caller func(t *testing.T, s db.Store) *rbac.Access
		q      activity.Query
		want   string
	}{
		{"a guest", holding(eng, rbac.RoleGuest), activity.Query{NamespaceID: eng},
			`this needs the viewer role on namespace "Engineering"; you are a guest there`},
		{"a viewer of a child asking for its parent", holding(prod, rbac.RoleViewer),
			activity.Query{NamespaceID: eng, IncludeDescendants: true},
			`you have no role on namespace "Engineering"; the viewer role is needed`},
		{"a viewer of Finance asking for Global", holding(fin, rbac.RoleViewer),
			activity.Query{NamespaceID: global, IncludeDescendants: true},
			`you have no role on namespace "Global"; the viewer role is needed`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			storetest.ForEach(t, func(t *testing.T, s db.Store) {
				seedLog(t, s)
				page, err := activity.NewReader(s).List(t.Context(), tc.caller(t, s), tc.q)
				apptest.Forbidden(tc.want).Check(t, err)
				if page.Entries != nil || page.Total != 0 {
					t.Fatalf("List returned %+v with its error", page)
				}
			})
		})
	}
}

func TestListPages(t *testing.T) {
	t.Parallel()
	storetest.ForEach(t, func(t *testing.T, s db.Store) {
		apptest.SeedTree(t, s, base)
		const n = 120
		var entries []db.ActivityEntry
		for i := range n {
			entries = append(entries, db.ActivityEntry{
				ID: fmt.Sprintf("e%03d", i), CreatedAt: base.Add(time.Duration(i) * time.Second),
				ActivityType: db.ActivityCreate, NamespaceID: prod, EntityType: activity.EntityNamespace,
			})
		}
		insert(t, s, entries...)
		// Noise outside the queried namespace must not count.
		insert(t, s, db.ActivityEntry{ID: "other", CreatedAt: base, ActivityType: db.ActivityCreate, NamespaceID: fin})
		reader, acc := activity.NewReader(s), asRoot(t, s)
		tests := []struct {
			offset, wantOffset, wantLen int
			first, last                 string
		}{
			{0, 0, 50, "e119", "e070"},
			{50, 50, 50, "e069", "e020"},
			{100, 100, 20, "e019", "e000"},
			{120, 120, 0, "", ""},
			{-5, 0, 50, "e119", "e070"},
		}
		for _, tc := range tests {
			t.Run(fmt.Sprintf("offset %d", tc.offset), func(t *testing.T) {
				page, err := reader.List(t.Context(), acc, activity.Query{NamespaceID: eng, IncludeDescendants: true, Offset: tc.offset})
				if err != nil {
					t.Fatal(err)
				}
				if page.Total != n || page.Offset != tc.wantOffset || page.Limit != activity.PageSize || len(page.Entries) != tc.wantLen {
					t.Fatalf("page = total %d offset %d limit %d len %d; want %d, %d, %d, %d",
						page.Total, page.Offset, page.Limit, len(page.Entries), n, tc.wantOffset, activity.PageSize, tc.wantLen)
				}
				if tc.wantLen > 0 && (page.Entries[0].ID != tc.first || page.Entries[tc.wantLen-1].ID != tc.last) {
					t.Fatalf("page runs %s..%s, want %s..%s", page.Entries[0].ID, page.Entries[tc.wantLen-1].ID, tc.first, tc.last)
				}
			})
		}
	})
}

func TestGet(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		caller func(t *testing.T, s db.Store) *rbac.Access
		id     string
		want   string // forbidden reason; "" when allowed
	}{
		{"a viewer of the namespace", holding(prod, rbac.RoleViewer), "a3", ""},
		{"a viewer inherited from an ancestor", holding(eng, rbac.RoleViewer), "a3", ""},
		{"a viewer of a child", holding(prod, rbac.RoleViewer), "a2",
			`you have no role on namespace "Engineering"; the viewer role is needed`},
		{"a guest", holding(eng, rbac.RoleGuest), "a2",
			`this needs the viewer role on namespace "Engineering"; you are a guest there`},
		{"a deleted namespace's entry, viewer of Global", holding(global, rbac.RoleViewer), "a6", ""},
		{"a deleted namespace's entry, admin of another namespace", holding(eng, rbac.RoleAdmin), "a6",
			`you have no role on namespace "Global"; the viewer role is needed`},
		{"a deleted namespace's entry, guest of Global", holding(global, rbac.RoleGuest), "a6",
			`this needs the viewer role on namespace "Global"; you are a guest there`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			storetest.ForEach(t, func(t *testing.T, s db.Store) {
				seedLog(t, s)
				got, err := activity.NewReader(s).Get(t.Context(), tc.caller(t, s), tc.id)
				if tc.want != "" {
					apptest.Forbidden(tc.want).Check(t, err)
					if got != (db.ActivityEntry{}) {
						t.Fatalf("Get returned %+v with its error", got)
					}
					return
				}
				if err != nil {
					t.Fatal(err)
				}
				want := entryByID(t, tc.id)
				if !got.CreatedAt.Equal(want.CreatedAt) {
					t.Fatalf("CreatedAt = %v, want %v", got.CreatedAt, want.CreatedAt)
				}
				got.CreatedAt = want.CreatedAt
				if got != want {
					t.Fatalf("Get = %+v, want %+v", got, want)
				}
			})
		})
	}
}

func TestGetUnknown(t *testing.T) {
	t.Parallel()
	storetest.ForEach(t, func(t *testing.T, s db.Store) {
		_, err := activity.NewReader(s).Get(t.Context(), asRoot(t, s), "nope")
		if !errors.Is(err, db.ErrNotFound) || !strings.HasPrefix(err.Error(), "activity: get: ") {
			t.Fatalf("err = %v, want a wrapped ErrNotFound", err)
		}
	})
}

func TestUsers(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		caller      func(t *testing.T, s db.Store) *rbac.Access
		ns          string
		descendants bool
		want        []string
	}{
		{"Global and below: everyone, also of deleted namespaces", asRoot, global, true, []string{"u1", "u2", "u3"}},
		{"Global only", asRoot, global, false, []string{"u1"}},
		{"a viewer of eng sees only eng's people", holding(eng, rbac.RoleViewer), eng, true, []string{"u1", "u2"}},
		{"a namespace the caller cannot view is refused", holding(fin, rbac.RoleViewer), prod, false, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			storetest.ForEach(t, func(t *testing.T, s db.Store) {
				seedLog(t, s)
				users, err := activity.NewReader(s).Users(t.Context(), tc.caller(t, s), tc.ns, tc.descendants)
				if tc.want == nil {
					apptest.Forbidden(`you have no role on namespace "production"; the viewer role is needed`).Check(t, err)
					return
				}
				if err != nil {
					t.Fatal(err)
				}
				var got []string
				for _, u := range users {
					got = append(got, u.UserID)
				}
				if !reflect.DeepEqual(got, tc.want) {
					t.Fatalf("users = %v, want %v once each", got, tc.want)
				}
			})
		})
	}
}

// entryByID returns the fixture entry id.
func entryByID(t *testing.T, id string) db.ActivityEntry {
	t.Helper()
	for _, e := range logEntries() {
		if e.ID == id {
			return e
		}
	}
	t.Fatalf("no fixture entry %s", id)
	return db.ActivityEntry{}
}
