package activity_test

import (
	"reflect"
	"testing"

	"github.com/pomerium-console-oss/pomerium-console/app/activity"
	"github.com/pomerium-console-oss/pomerium-console/app/apptest"
	"github.com/pomerium-console-oss/pomerium-console/app/rbac"
	"github.com/pomerium-console-oss/pomerium-console/db"
	"github.com/pomerium-console-oss/pomerium-console/db/storetest"
)

func TestListOneChangeset(t *testing.T) {
	t.Parallel()
	entries := logEntries()
	for i, rev := range []int64{1, 1, 2, 3, 2, 0} { // a1..a6
		entries[i].ConfigRevision = rev
	}
	tests := []struct {
		name   string
		caller func(t *testing.T, s db.Store) *rbac.Access
		q      activity.Query
		want   []string
	}{
		{"the changeset's revisions and namespaces", asRoot, activity.Query{NamespaceID: global, IncludeDescendants: true,
			Changeset: &activity.ChangesetFilter{Revisions: db.RevisionRange{After: 0, UpTo: 2}, NamespaceIDs: []string{global, eng, prod, fin}}},
			[]string{"a5", "a3", "a2", "a1"}},
		{"a later changeset", asRoot, activity.Query{NamespaceID: global, IncludeDescendants: true,
			Changeset: &activity.ChangesetFilter{Revisions: db.RevisionRange{After: 2}, NamespaceIDs: []string{global, eng, prod, dev, fin}}},
			[]string{"a4"}},
		{"only what the caller's view holds", holding(eng, rbac.RoleViewer), activity.Query{NamespaceID: eng, IncludeDescendants: true,
			Changeset: &activity.ChangesetFilter{Revisions: db.RevisionRange{UpTo: 3}, NamespaceIDs: []string{global, eng, dev}}},
			[]string{"a4", "a2"}},
		{"a view outside the changeset's cluster", holding(fin, rbac.RoleViewer), activity.Query{NamespaceID: fin,
			Changeset: &activity.ChangesetFilter{Revisions: db.RevisionRange{UpTo: 3}, NamespaceIDs: []string{eng}}}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := storetest.OpenSQLite(t)
			apptest.SeedTree(t, s, base)
			insert(t, s, entries...)
			page, err := activity.NewReader(s).List(t.Context(), tc.caller(t, s), tc.q)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, e := range page.Entries {
				got = append(got, e.ID)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("entries %v, want %v", got, tc.want)
			}
		})
	}
}
