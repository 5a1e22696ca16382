package routes_test

import (
	"slices"
	"testing"
	"time"

	"github.com/pomerium-console-oss/pomerium-console/app/apptest"
	"github.com/pomerium-console-oss/pomerium-console/app/nstree"
	"github.com/pomerium-console-oss/pomerium-console/app/routes"
	"github.com/pomerium-console-oss/pomerium-console/db"
	"github.com/pomerium-console-oss/pomerium-console/db/storetest"
)

func TestMoveCheckNamesRoutesThatWouldLoseTheirReferences(t *testing.T) {
	t.Parallel()
	storetest.ForEach(t, func(t *testing.T, s db.Store) {
		ctx := t.Context()
		at := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
		apptest.SeedTree(t, s, at)
		put := func(err error) {
			t.Helper()
			if err != nil {
				t.Fatal(err)
			}
		}
		put(s.CreatePolicy(ctx, db.Policy{ID: "eng-policy", NamespaceID: apptest.Eng, Name: "Eng only", PPL: "allow: {}", CreatedAt: at}))
		put(s.CreatePolicy(ctx, db.Policy{ID: "global-policy", NamespaceID: apptest.Global, Name: "Everyone", PPL: "allow: {}", CreatedAt: at}))
		put(s.CreateKeyPair(ctx, db.KeyPair{ID: "eng-ca", NamespaceID: apptest.Eng, Name: "Eng CA", CertificatePEM: "pem", CreatedAt: at}))
		put(s.CreateRoute(ctx, db.Route{ID: "r1", NamespaceID: apptest.Prod, Name: "Wiki", From: "https://wiki.example.com",
			MatchKey: "https://wiki.example.com", PolicyIDs: []string{"global-policy", "eng-policy"}, CreatedAt: at}))
		put(s.CreateRoute(ctx, db.Route{ID: "r2", NamespaceID: apptest.Prod, Name: "Git", From: "https://git.example.com",
			MatchKey: "https://git.example.com", TLSCustomCAKeyPairID: "eng-ca", CreatedAt: at}))
		all, err := s.ListNamespaces(ctx)
		put(err)
		tree := nstree.New(all)

		tests := []struct {
			name, ns, parent string
			want             []string
		}{
			{"within Engineering nothing breaks", apptest.Prod, apptest.Dev, nil},
			{"out of Engineering both routes break", apptest.Prod, apptest.Fin, []string{
				`route "Wiki", which uses policy "Eng only" of namespace "Engineering"`,
				`route "Git", which uses key pair "Eng CA" of namespace "Engineering"`,
			}},
			{"a namespace taking its references along is fine", apptest.Eng, apptest.Fin, nil},
		}
		for _, tc := range tests {
			got, err := routes.MoveCheck(ctx, s, tree, tc.ns, tc.parent)
			put(err)
			slices.Sort(got)
			slices.Sort(tc.want)
			if !slices.Equal(got, tc.want) {
				t.Errorf("%s: problems %q, want %q", tc.name, got, tc.want)
			}
		}
	})
}
