package storetest

import (
	"testing"
	"time"

	"github.com/pomerium-console-oss/pomerium-console/db"
)

func testRouteMoves(t *testing.T, newStore NewStore) {
	subtests(t, newStore, map[string]func(t *testing.T, s db.Store){
		"a move writes every field, the namespace included": func(t *testing.T, s db.Store) {
			seedRouteRefs(t, s)
			r := fullRoute("r1", "team")
			r.PolicyIDs = []string{"p2", "p1"}
			must(t, s.CreateRoute(t.Context(), r))
			// The target has a route of the old name: only the new one counts.
			must(t, s.CreateRoute(t.Context(), route("r2", "other", r.Name, "b.example.com")))
			moved := route("r1", "other", "Renamed", "moved.example.com")
			moved.CreatedAt, moved.ModifiedAt = at(time.Hour), at(2*time.Hour) // CreatedAt must not change
			moved.PolicyIDs = []string{"p1"}
			must(t, s.MoveRoute(t.Context(), moved))
			got, err := s.GetRoute(t.Context(), "r1")
			must(t, err)
			want := storedRoute(moved)
			want.CreatedAt = stored(r.CreatedAt)
			wantEqual(t, "moved", got, want)
			list, _, err := s.ListRoutes(t.Context(), db.RouteFilter{NamespaceIDs: []string{"team"}})
			must(t, err)
			wantEqual(t, "routes left in team", routeNames(list), []string{})
		},
		"a move is refused onto a taken name, a missing namespace or route": func(t *testing.T, s db.Store) {
			seedNamespaces(t, s)
			r := route("r1", "team", "Wiki", "a.example.com")
			must(t, s.CreateRoute(t.Context(), r))
			must(t, s.CreateRoute(t.Context(), route("r2", "other", "WIKI", "b.example.com")))
			for _, tc := range []struct {
				r    db.Route
				want error
			}{
				{route("r1", "other", "Wiki", "a.example.com"), db.ErrConflict},
				{route("r1", "nowhere", "Wiki", "a.example.com"), db.ErrNotFound},
				{route("missing", "other", "Missing", "c.example.com"), db.ErrNotFound},
			} {
				wantErr(t, s.MoveRoute(t.Context(), tc.r), tc.want)
			}
			got, err := s.GetRoute(t.Context(), "r1")
			must(t, err)
			wantEqual(t, "refused moves left the route", got, storedRoute(r))
		},
	})
}
