package web_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/pomerium-console-oss/pomerium-console/app/testutil"
	"github.com/pomerium-console-oss/pomerium-console/db"
)

// BenchmarkRoutesListPage renders the routes page through the Fiber app
// with 10,000 routes and 1,000 policies in SQLite, spread over 20
// namespaces under Global: the first page, with and without a search.
func BenchmarkRoutesListPage(b *testing.B) {
	app := testutil.NewApp(b, testutil.WithAdministrators("root@example.com"))
	ctx := context.Background()
	var nss []string
	for i := range 20 {
		nss = append(nss, app.Namespace(b, global, fmt.Sprintf("Team %02d", i)))
	}
	now := time.Now()
	err := app.Store.InTx(ctx, func(tx db.Store) error {
		for i := range 1_000 {
			p := db.Policy{ID: fmt.Sprintf("pol-%04d", i), NamespaceID: nss[i%len(nss)], Name: fmt.Sprintf("Policy %04d", i),
				PPL: "allow: {}", Rego: "package pomerium.policy\n", CreatedAt: now, ModifiedAt: now}
			if err := tx.CreatePolicy(ctx, p); err != nil {
				return err
			}
		}
		for i := range 10_000 {
			host := fmt.Sprintf("app-%05d.example.com", i)
			r := db.Route{ID: fmt.Sprintf("rt-%05d", i), NamespaceID: nss[i%len(nss)], Name: fmt.Sprintf("App %05d", i),
				From: "https://" + host, To: []string{fmt.Sprintf("http://app-%05d.internal:8080", i)}, MatchKey: host,
				PolicyIDs: []string{fmt.Sprintf("pol-%04d", i%1_000)}, CreatedAt: now, ModifiedAt: now.Add(time.Duration(i) * time.Second)}
			if err := tx.CreateRoute(ctx, r); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	cl := app.AsUser(b, testutil.Claims{Subject: "root", Email: "root@example.com"})
	for _, bc := range []struct{ name, url string }{
		{"first page of all", nsURL(global, "routes?descendants=on")},
		{"first page, searched", nsURL(global, "routes?descendants=on&q=app-12")},
		{"first page, searched, sorted by update", nsURL(global, "routes?descendants=on&q=internal&sort=modified&dir=desc")},
		{"one namespace, searched", nsURL(nss[3], "routes?q=app-0")},
		{"the table alone, as htmx asks", nsURL(global, "routes?descendants=on&q=app-12")},
	} {
		b.Run(bc.name, func(b *testing.B) {
			headers := []string(nil)
			if bc.name == "the table alone, as htmx asks" {
				headers = append(testutil.HTMX("route-list"), "HX-Target", "route-list")
			}
			for b.Loop() {
				if res := cl.Get(bc.url, headers...); res.Status != http.StatusOK {
					b.Fatalf("status %d", res.Status)
				}
			}
		})
	}
}
