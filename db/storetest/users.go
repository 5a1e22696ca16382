package storetest

import (
	"fmt"
	"testing"
	"time"

	"github.com/pomerium-console-oss/pomerium-console/db"
)

// normalizedUser is u as a store returns it.
func normalizedUser(u db.User) db.User {
	u.CreatedAt = stored(u.CreatedAt)
	u.LastSeenAt = stored(u.LastSeenAt)
	return u
}

// userIDs lists the ids of list, in order.
func userIDs(list []db.User) []string {
	out := []string{}
	for _, u := range list {
		out = append(out, u.ID)
	}
	return out
}

func testUsers(t *testing.T, newStore NewStore) {
	subtests(t, newStore, map[string]func(t *testing.T, s db.Store){
		"get a missing user": func(t *testing.T, s db.Store) {
			_, err := s.GetUser(t.Context(), "nope")
			wantErr(t, err, db.ErrNotFound)
		},
		"upsert inserts then refreshes, keeping CreatedAt": func(t *testing.T, s db.Store) {
			tests := []struct {
				name string
				in   db.User
				want db.User
			}{
				{
					name: "insert",
					in:   db.User{ID: "u1", Email: "a@example.com", Name: "Ada", Groups: []string{"admins", "ops"}, CreatedAt: at(0), LastSeenAt: at(0)},
					want: db.User{ID: "u1", Email: "a@example.com", Name: "Ada", Groups: []string{"admins", "ops"}, CreatedAt: at(0), LastSeenAt: at(0)},
				},
				{
					name: "refresh",
					in:   db.User{ID: "u1", Email: "ada@example.com", Name: "Ada L.", Groups: []string{"ops"}, CreatedAt: at(time.Hour), LastSeenAt: at(time.Hour)},
					want: db.User{ID: "u1", Email: "ada@example.com", Name: "Ada L.", Groups: []string{"ops"}, CreatedAt: at(0), LastSeenAt: at(time.Hour)},
				},
				{
					name: "no groups",
					in:   db.User{ID: "u1", Email: "ada@example.com", Name: "Ada L.", LastSeenAt: at(2 * time.Hour)},
					want: db.User{ID: "u1", Email: "ada@example.com", Name: "Ada L.", CreatedAt: at(0), LastSeenAt: at(2 * time.Hour)},
				},
			}
			for _, tc := range tests {
				t.Run(tc.name, func(t *testing.T) {
					must(t, s.UpsertUser(t.Context(), tc.in))
					got, err := s.GetUser(t.Context(), tc.in.ID)
					must(t, err)
					wantEqual(t, "user", got, normalizedUser(tc.want))
				})
			}
		},
		"search": func(t *testing.T, s db.Store) {
			for _, u := range []db.User{
				{ID: "u1", Email: "alice@example.com", Name: "Alice Liddell"},
				{ID: "u2", Email: "bob@example.com", Name: "Bob"},
				{ID: "u3", Email: "carol@corp.test", Name: "Carol 100% Real"},
				{ID: "u4", Email: "dave_x@example.com", Name: "Dave"},
				{ID: "u5", Email: "daveyx@example.com", Name: "Davey"},
				{ID: "u6", Email: "emile@example.com", Name: "Émile Zola"},
				{ID: "u7", Email: "frank@example.com", Name: `Back\slash`},
			} {
				must(t, s.UpsertUser(t.Context(), u))
			}
			tests := []struct {
				name  string
				query string
				limit int
				want  []string
			}{
				{"name or email, any case", "ALICE", 10, []string{"u1"}},
				{"id", "u2", 10, []string{"u2"}},
				{"ordered by email", "example.com", 10, []string{"u1", "u2", "u4", "u5", "u6", "u7"}},
				{"limit", "example.com", 2, []string{"u1", "u2"}},
				{"percent is literal", "100%", 10, []string{"u3"}},
				{"percent alone is literal", "%", 10, []string{"u3"}},
				{"underscore is literal", "e_x", 10, []string{"u4"}},
				{"backslash is literal", `k\s`, 10, []string{"u7"}},
				{"non-ASCII, same case", "Émile", 10, []string{"u6"}},
				{"empty query matches all", "", 0, []string{"u1", "u2", "u3", "u4", "u5", "u6", "u7"}},
				{"no match", "zzz", 10, []string{}},
			}
			for _, tc := range tests {
				t.Run(tc.name, func(t *testing.T) {
					list, err := s.SearchUsers(t.Context(), tc.query, tc.limit)
					must(t, err)
					wantEqual(t, "ids", userIDs(list), tc.want)
				})
			}
		},
		"search limit is capped": func(t *testing.T, s db.Store) {
			must(t, s.InTx(t.Context(), func(tx db.Store) error {
				for i := range 510 {
					if err := tx.UpsertUser(t.Context(), db.User{ID: fmt.Sprintf("user%03d", i)}); err != nil {
						return err
					}
				}
				return nil
			}))
			for _, tc := range []struct {
				limit, want int
			}{{0, 50}, {-1, 50}, {7, 7}, {10_000, 500}} {
				list, err := s.SearchUsers(t.Context(), "user", tc.limit)
				must(t, err)
				if len(list) != tc.want {
					t.Errorf("limit %d: %d users, want %d", tc.limit, len(list), tc.want)
				}
			}
		},
	})
}
