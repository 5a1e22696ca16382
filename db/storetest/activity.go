package storetest

import (
	"fmt"
	"testing"
	"time"

	"github.com/pomerium-console-oss/pomerium-console/db"
)

// entry is a log entry by user u on namespace ns, minutes after base.
func entry(id string, minutes int, activityType, ns, u, entityType, entityID string) db.ActivityEntry {
	return db.ActivityEntry{
		ID: id, CreatedAt: at(time.Duration(minutes) * time.Minute), ActivityType: activityType,
		NamespaceID: ns, NamespaceName: "Name of " + ns,
		UserID: u, UserName: "Name of " + u, UserEmail: u + "@example.com", AuthMethod: "oidc",
		EntityType: entityType, EntityID: entityID, EntityName: "Name of " + entityID,
	}
}

// activityIDs lists the ids of list, in order.
func activityIDs(list []db.ActivityEntry) []string {
	out := []string{}
	for _, e := range list {
		out = append(out, e.ID)
	}
	return out
}

// seedActivity inserts a small log; e3/e4 and e6/e7 share a timestamp.
func seedActivity(t *testing.T, s db.Store) {
	t.Helper()
	for _, e := range []db.ActivityEntry{
		entry("e1", 1, db.ActivityCreate, "ns1", "alice", "route", "r1"),
		entry("e2", 2, db.ActivityUpdate, "ns1", "alice", "route", "r1"),
		entry("e3", 3, db.ActivityCreate, "ns2", "bob", "policy", "p1"),
		entry("e4", 3, db.ActivityDelete, "ns1", "bob", "route", "r1"),
		entry("e5", 5, db.ActivityCreate, "ns3", "alice", "policy", "p2"),
		entry("e7", 6, db.ActivityUpdate, "ns2", "alice", "route", "r2"),
		entry("e6", 6, db.ActivityUpdate, "ns2", "carol", "policy", "p1"),
	} {
		must(t, s.InsertActivity(t.Context(), e))
	}
}

func testActivity(t *testing.T, newStore NewStore) {
	subtests(t, newStore, map[string]func(t *testing.T, s db.Store){
		"insert and get round-trip": func(t *testing.T, s db.Store) {
			e := entry("e1", 0, db.ActivityUpdate, "ns1", "alice", "route", "r1")
			e.Before, e.After = `{"name":"a"}`, `{"name":"ü \"b\""}`
			must(t, s.InsertActivity(t.Context(), e))
			got, err := s.GetActivity(t.Context(), "e1")
			must(t, err)
			e.CreatedAt = stored(e.CreatedAt)
			wantEqual(t, "entry", got, e)
			wantErr(t, s.InsertActivity(t.Context(), e), db.ErrConflict)
			_, err = s.GetActivity(t.Context(), "nope")
			wantErr(t, err, db.ErrNotFound)
		},
		"the log keeps entries of namespaces that do not exist": func(t *testing.T, s db.Store) {
			must(t, s.InsertActivity(t.Context(), entry("e1", 0, db.ActivityDelete, "gone", "alice", "namespace", "gone")))
		},
		"filters": func(t *testing.T, s db.Store) {
			seedActivity(t, s)
			tests := []struct {
				name string
				f    db.ActivityFilter
				want []string
			}{
				{"none: newest first, ties by id descending", db.ActivityFilter{}, []string{"e7", "e6", "e5", "e4", "e3", "e2", "e1"}},
				{"activity type", db.ActivityFilter{ActivityType: db.ActivityCreate}, []string{"e5", "e3", "e1"}},
				{"entity type", db.ActivityFilter{EntityType: "policy"}, []string{"e6", "e5", "e3"}},
				{"entity id", db.ActivityFilter{EntityID: "r1"}, []string{"e4", "e2", "e1"}},
				{"user", db.ActivityFilter{UserID: "bob"}, []string{"e4", "e3"}},
				{"namespaces", db.ActivityFilter{NamespaceIDs: []string{"ns2", "ns3"}}, []string{"e7", "e6", "e5", "e3"}},
				{"empty namespace set matches nothing", db.ActivityFilter{NamespaceIDs: []string{}}, []string{}},
				{"combined", db.ActivityFilter{ActivityType: db.ActivityUpdate, EntityType: "route", UserID: "alice", NamespaceIDs: []string{"ns1", "ns2"}}, []string{"e7", "e2"}},
				{"combined, no match", db.ActivityFilter{EntityID: "p1", UserID: "alice"}, []string{}},
			}
			for _, tc := range tests {
				t.Run(tc.name, func(t *testing.T) {
					list, total, err := s.ListActivity(t.Context(), tc.f)
					must(t, err)
					wantEqual(t, "ids", activityIDs(list), tc.want)
					if total != len(tc.want) {
						t.Errorf("total = %d, want %d", total, len(tc.want))
					}
				})
			}
		},
		"pages": func(t *testing.T, s db.Store) {
			seedActivity(t, s)
			tests := []struct {
				offset, limit int
				want          []string
			}{
				{0, 3, []string{"e7", "e6", "e5"}},
				{3, 3, []string{"e4", "e3", "e2"}},
				{6, 3, []string{"e1"}},
				{7, 3, []string{}},
				{100, 3, []string{}},
				{-5, 2, []string{"e7", "e6"}},
			}
			for _, tc := range tests {
				t.Run(fmt.Sprintf("offset %d limit %d", tc.offset, tc.limit), func(t *testing.T) {
					list, total, err := s.ListActivity(t.Context(), db.ActivityFilter{Offset: tc.offset, Limit: tc.limit})
					must(t, err)
					wantEqual(t, "ids", activityIDs(list), tc.want)
					if total != 7 {
						t.Errorf("total = %d, want 7", total)
					}
				})
			}
		},
		"page size defaults and cap": func(t *testing.T, s db.Store) {
			const n = 520
			must(t, s.InTx(t.Context(), func(tx db.Store) error {
				for i := range n {
					if err := tx.InsertActivity(t.Context(), entry(fmt.Sprintf("e%04d", i), i, db.ActivityCreate, "ns1", "alice", "route", "r1")); err != nil {
						return err
					}
				}
				return nil
			}))
			for _, tc := range []struct{ limit, want int }{{0, 50}, {-1, 50}, {20, 20}, {10_000, 500}} {
				list, total, err := s.ListActivity(t.Context(), db.ActivityFilter{Limit: tc.limit})
				must(t, err)
				if len(list) != tc.want || total != n {
					t.Errorf("limit %d: %d entries of %d, want %d of %d", tc.limit, len(list), total, tc.want, n)
				}
				if len(list) > 0 && list[0].ID != fmt.Sprintf("e%04d", n-1) {
					t.Errorf("limit %d: first entry %s, want the newest", tc.limit, list[0].ID)
				}
			}
		},
		"users": func(t *testing.T, s db.Store) {
			seedActivity(t, s)
			for _, tc := range []struct {
				name string
				ids  []string
				want []string
			}{
				{"all", nil, []string{"alice", "bob", "carol"}},
				{"one namespace", []string{"ns1"}, []string{"alice", "bob"}},
				{"two namespaces", []string{"ns2", "ns3"}, []string{"alice", "bob", "carol"}},
				{"namespace without entries", []string{"nsX"}, nil},
				{"no namespaces", []string{}, nil},
			} {
				list, err := s.ListActivityUsers(t.Context(), tc.ids)
				must(t, err)
				var got, want []db.ActivityEntry
				for _, e := range list {
					got = append(got, db.ActivityEntry{UserID: e.UserID, UserName: e.UserName, UserEmail: e.UserEmail})
				}
				for _, u := range tc.want {
					want = append(want, db.ActivityEntry{UserID: u, UserName: "Name of " + u, UserEmail: u + "@example.com"})
				}
				wantEqual(t, "users of "+tc.name, got, want)
			}
		},
	})
}
