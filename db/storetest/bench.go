package storetest

import (
	"fmt"
	"testing"
	"time"

	"github.com/pomerium-console-oss/pomerium-console/db"
)

// BenchListActivity measures filtered activity pages on a log of n entries
// spread over 50 namespaces and 20 users, the shape of the activity page.
func BenchListActivity(b *testing.B, s db.Store, n int) {
	err := s.InTx(b.Context(), func(tx db.Store) error {
		for i := range n {
			e := db.ActivityEntry{
				ID: fmt.Sprintf("e%07d", i), CreatedAt: base.Add(time.Duration(i) * time.Second),
				ActivityType: db.ActivityUpdate, NamespaceID: fmt.Sprint("ns", i%50),
				UserID: fmt.Sprint("u", i%20), EntityType: "route", EntityID: fmt.Sprint("r", i%1000),
			}
			if err := tx.InsertActivity(b.Context(), e); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	filters := []struct {
		name string
		f    db.ActivityFilter
	}{
		{"all", db.ActivityFilter{}},
		{"deep page", db.ActivityFilter{Offset: n / 2}},
		{"ten namespaces", db.ActivityFilter{NamespaceIDs: []string{"ns1", "ns2", "ns3", "ns4", "ns5", "ns6", "ns7", "ns8", "ns9", "ns10"}}},
		{"user and entity", db.ActivityFilter{UserID: "u3", EntityType: "route"}},
	}
	for _, tc := range filters {
		b.Run(tc.name, func(b *testing.B) {
			for b.Loop() {
				if _, _, err := s.ListActivity(b.Context(), tc.f); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
