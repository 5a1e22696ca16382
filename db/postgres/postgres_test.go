package postgres_test

import (
	"sync"
	"testing"

	"github.com/pomerium-console-oss/pomerium-console/db"
	"github.com/pomerium-console-oss/pomerium-console/db/dbopen"
	"github.com/pomerium-console-oss/pomerium-console/db/postgres"
	"github.com/pomerium-console-oss/pomerium-console/db/storetest"
)

func TestContract(t *testing.T) {
	storetest.SkipWithoutPostgres(t)
	storetest.Run(t, func(t *testing.T) db.Store { return storetest.OpenPostgres(t) })
}

func TestMigrations(t *testing.T) {
	storetest.SkipWithoutPostgres(t)
	storetest.RunMigrations(t, storetest.PostgresURL)
}

// Replicas starting together must not apply a migration twice: goose's
// advisory lock makes the second wait and then find nothing to do.
func TestConcurrentMigrations(t *testing.T) {
	url := storetest.PostgresURL(t)
	const n = 3
	applied := make([][]string, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			s, err := postgres.Open(url)
			if err != nil {
				errs[i] = err
				return
			}
			defer func() { _ = s.Close() }()
			m, err := dbopen.NewMigrator(s)
			if err != nil {
				errs[i] = err
				return
			}
			applied[i], errs[i] = m.Up(t.Context())
		})
	}
	wg.Wait()
	seen := map[string]int{}
	for i := range n {
		if errs[i] != nil {
			t.Fatalf("replica %d: %v", i, errs[i])
		}
		for _, name := range applied[i] {
			seen[name]++
		}
	}
	if len(seen) == 0 {
		t.Fatal("no replica applied the migrations")
	}
	for name, times := range seen {
		if times != 1 {
			t.Fatalf("migration %s applied %d times, want once: %v", name, times, applied)
		}
	}
}

func TestAddr(t *testing.T) {
	tests := []struct {
		url, want string
	}{
		{"postgres://u:secret@db.example:6543/console", "db.example:6543"},
		{"postgresql://u@127.0.0.1/console", "127.0.0.1:5432"},
		{"postgres://u@[::1]:5433/console", "[::1]:5433"},
		{"postgres://u@a:1,b:2/console", "a:1,b:2"},
		{"postgres://u@/console?host=/run/postgresql", "/run/postgresql"},
	}
	for _, tc := range tests {
		t.Run(tc.url, func(t *testing.T) {
			s, err := postgres.Open(tc.url)
			if err != nil {
				t.Fatal(err)
			}
			defer func() { _ = s.Close() }()
			if got := s.Addr(); got != tc.want {
				t.Errorf("Addr() = %q, want %q", got, tc.want)
			}
		})
	}
}

func BenchmarkListActivity(b *testing.B) {
	storetest.BenchListActivity(b, storetest.OpenPostgres(b), 100_000)
}
