package grpcapi_test

import (
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	pb "github.com/pomerium-console-oss/pomerium-console/app/pb/dashboard"
	"github.com/pomerium-console-oss/pomerium-console/app/testutil"
	"github.com/pomerium-console-oss/pomerium-console/db"
)

// benchRoutes is how many routes the benchmarks' store holds.
const benchRoutes = 10_000

// benchAPI is a console on SQLite holding benchRoutes routes in one
// namespace, each attaching two of 100 optional policies, with two
// enforced policies above them, and a client of an administrator calling
// over the real TLS connection. It returns the namespace and an optional
// policy's id.
func benchAPI(b *testing.B) (pb.RouteServiceClient, string, string) {
	b.Helper()
	app := testutil.NewApp(b, testutil.WithAdministrators("admin@example.com"))
	ctx := b.Context()
	at := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	const ns = "ns-bench"
	err := app.Store.InTx(ctx, func(tx db.Store) error {
		if err := tx.CreateNamespace(ctx, db.Namespace{ID: ns, ParentID: db.GlobalNamespaceID, Name: "Bench", CreatedAt: at, ModifiedAt: at}); err != nil {
			return err
		}
		for i := range 102 {
			p := db.Policy{ID: fmt.Sprintf("pol-%03d", i), NamespaceID: ns, Name: fmt.Sprintf("Policy %03d", i),
				PPL: allowSignedIn, Rego: "package pomerium.policy\n", CreatedAt: at, ModifiedAt: at}
			if i >= 100 {
				p.NamespaceID, p.Enforced = db.GlobalNamespaceID, true
			}
			if err := tx.CreatePolicy(ctx, p); err != nil {
				return err
			}
		}
		for i := range benchRoutes {
			host := fmt.Sprintf("app-%05d.example.com", i)
			r := db.Route{ID: fmt.Sprintf("rt-%05d", i), NamespaceID: ns, Name: fmt.Sprintf("App %05d", i),
				From: "https://" + host, To: []string{fmt.Sprintf("http://app-%05d.internal:8080", i)},
				MatchKey: "https://" + host + "|prefix:/", CreatedAt: at, ModifiedAt: at,
				PolicyIDs: []string{fmt.Sprintf("pol-%03d", i%100), fmt.Sprintf("pol-%03d", (i+1)%100)}}
			if err := tx.CreateRoute(ctx, r); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	md := testutil.AssertionMD(app.Assertion(b, testutil.Claims{Subject: "u-admin", Email: "admin@example.com", Expiry: time.Now().Add(time.Hour)}))
	return pb.NewRouteServiceClient(app.DialGRPC(b, md)), ns, "pol-001"
}

// BenchmarkListRoutes lists pages of 100 routes, at offsets across all
// 10,000, with their policy names and enforced policies.
func BenchmarkListRoutes(b *testing.B) {
	client, ns, _ := benchAPI(b)
	limit := int64(100)
	i := 0
	for b.Loop() {
		offset := int64(i*100) % benchRoutes
		i++
		resp, err := client.ListRoutes(b.Context(), &pb.ListRoutesRequest{Namespace: ns, Offset: &offset, Limit: &limit})
		if err != nil {
			b.Fatal(err)
		}
		if len(resp.GetRoutes()) != 100 || resp.GetTotalCount() != benchRoutes || len(resp.GetRoutes()[0].GetEnforcedPolicyIds()) != 2 {
			b.Fatalf("page at %d: %d routes of %d", offset, len(resp.GetRoutes()), resp.GetTotalCount())
		}
	}
	b.ReportMetric(float64(b.Elapsed())/float64(b.N)/float64(time.Millisecond), "ms/op")
}

// BenchmarkSetRoute creates routes one call after another, each checked
// against the 10,000 others and written with its activity entry and a new
// configuration revision (the pending changeset), and reports calls/s.
// "parallel" has GOMAXPROCS clients calling at once.
func BenchmarkSetRoute(b *testing.B) {
	client, ns, policyID := benchAPI(b)
	var n atomic.Int64
	set := func(b *testing.B) error {
		i := n.Add(1)
		pass := true
		_, err := client.SetRoute(b.Context(), &pb.SetRouteRequest{Route: &pb.Route{
			NamespaceId: ns, Name: fmt.Sprintf("New %d", i), From: fmt.Sprintf("https://new-%d.example.com", i),
			To: []string{"http://new.internal:8080"}, PolicyIds: []string{policyID}, PassIdentityHeaders: &pass,
			SetRequestHeaders: map[string]string{"X-Team": "bench"},
		}})
		return err
	}
	b.Run("sequential", func(b *testing.B) {
		for b.Loop() {
			if err := set(b); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "calls/s")
	})
	b.Run("parallel", func(b *testing.B) {
		b.RunParallel(func(p *testing.PB) {
			for p.Next() {
				if err := set(b); err != nil {
					b.Error(err)
					return
				}
			}
		})
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "calls/s")
	})
}
