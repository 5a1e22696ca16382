package routes_test

import (
	"fmt"
	"testing"

	"github.com/pomerium-console-oss/pomerium-console/app/apptest"
	"github.com/pomerium-console-oss/pomerium-console/app/routes"
	"github.com/pomerium-console-oss/pomerium-console/db"
	"github.com/pomerium-console-oss/pomerium-console/db/storetest"
)

// seedScale stores n routes and p policies, spread over the fixture
// namespaces, each route attaching two optional policies; for benchmarks.
func seedScale(b *testing.B, s db.Store, nRoutes, nPolicies int) {
	b.Helper()
	nss := []string{global, eng, prod, apptest.Dev, fin}
	err := s.InTx(b.Context(), func(tx db.Store) error {
		for i := range nPolicies {
			p := db.Policy{ID: fmt.Sprintf("pol-%04d", i), NamespaceID: global, Name: fmt.Sprintf("Policy %04d", i),
				PPL: "allow: {}", Rego: "package pomerium.policy\n", CreatedAt: created, ModifiedAt: created}
			if err := tx.CreatePolicy(b.Context(), p); err != nil {
				return err
			}
		}
		for i := range nRoutes {
			host := fmt.Sprintf("app-%05d.example.com", i)
			r := db.Route{ID: fmt.Sprintf("rt-%05d", i), NamespaceID: nss[i%len(nss)], Name: fmt.Sprintf("App %05d", i),
				From: "https://" + host, To: []string{fmt.Sprintf("http://app-%05d.internal:8080", i)},
				MatchKey: "https://" + host + "|prefix:/", CreatedAt: created, ModifiedAt: created,
				PolicyIDs: []string{fmt.Sprintf("pol-%04d", i%nPolicies), fmt.Sprintf("pol-%04d", (i+1)%nPolicies)}}
			if err := tx.CreateRoute(b.Context(), r); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	if _, total, err := s.ListRoutes(b.Context(), db.RouteFilter{Limit: 1}); err != nil || total < nRoutes {
		b.Fatalf("seeded %d routes, %v", total, err)
	}
}

// BenchmarkCreate creates routes, each checked against 10,000 others for
// overlaps and its name, with two policies and a key pair to check, among
// 1,000 policies, on SQLite.
func BenchmarkCreate(b *testing.B) {
	s := storetest.OpenSQLite(b)
	e := newEnv(b, s)
	seedScale(b, s, 10_000, 1_000)
	acc := e.Caller(b, nil)
	i := 0
	for b.Loop() {
		i++
		in := routes.Input{NamespaceID: eng, Name: fmt.Sprintf("New %d", i), From: fmt.Sprintf("https://new-%d.example.com", i),
			To: []string{"http://new.internal"}, PolicyIDs: []string{"pol-0001", polEngOpt}, TLSClientKeyPairID: kpGlobal,
			Spec: db.RouteSpec{Timeout: "30s", SetRequestHeaders: map[string]string{"X-Team": "eng"}}}
		if _, err := e.svc.Create(b.Context(), acc, in); err != nil {
			b.Fatal(err)
		}
	}
}
