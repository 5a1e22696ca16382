package storetest

import (
	"testing"

	"github.com/pomerium-console-oss/pomerium-console/db"
)

func testCounts(t *testing.T, newStore NewStore) {
	subtests(t, newStore, map[string]func(t *testing.T, s db.Store){
		"an empty store counts nothing": func(t *testing.T, s db.Store) {
			got, err := s.CountByNamespace(t.Context())
			must(t, err)
			wantEqual(t, "counts", got, map[string]db.NamespaceCounts{})
		},
		"routes and policies are counted per namespace, descendants apart": func(t *testing.T, s db.Store) {
			seedNamespaces(t, s)
			for _, p := range []db.Policy{
				policy("p1", "team", "One", false), policy("p2", "team", "Two", true),
				policy("p3", db.GlobalNamespaceID, "Three", true),
			} {
				must(t, s.CreatePolicy(t.Context(), p))
			}
			for _, r := range []db.Route{
				route("r1", "team", "a", "a.example.com"), route("r2", "other", "b", "b.example.com"),
				route("r3", "other", "c", "c.example.com"), route("r4", "other-team", "d", "d.example.com"),
			} {
				must(t, s.CreateRoute(t.Context(), r))
			}
			got, err := s.CountByNamespace(t.Context())
			must(t, err)
			wantEqual(t, "counts", got, map[string]db.NamespaceCounts{
				db.GlobalNamespaceID: {Policies: 1},
				"team":               {Routes: 1, Policies: 2},
				"other":              {Routes: 2},
				"other-team":         {Routes: 1},
			})

			must(t, s.DeleteRoute(t.Context(), "r4"))
			got, err = s.CountByNamespace(t.Context())
			must(t, err)
			if _, ok := got["other-team"]; ok {
				t.Fatalf("a namespace whose last route was deleted must be absent, got %+v", got["other-team"])
			}
		},
		"counts see the transaction's own writes": func(t *testing.T, s db.Store) {
			seedNamespaces(t, s)
			must(t, s.InTx(t.Context(), func(tx db.Store) error {
				must(t, tx.CreatePolicy(t.Context(), policy("p1", "team", "One", false)))
				got, err := tx.CountByNamespace(t.Context())
				must(t, err)
				wantEqual(t, "counts in tx", got, map[string]db.NamespaceCounts{"team": {Policies: 1}})
				return nil
			}))
		},
	})
}
