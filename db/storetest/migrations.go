package storetest

import (
	"context"
	"testing"

	"github.com/pomerium-console-oss/pomerium-console/db"
	"github.com/pomerium-console-oss/pomerium-console/db/dbopen"
)

// RunMigrations checks that the embedded migrations go Up, Down and Up
// again on an empty database, reporting status along the way.
func RunMigrations(t *testing.T, emptyDatabaseURL func(t testing.TB) string) {
	ctx := t.Context()
	s, err := dbopen.Open(ctx, emptyDatabaseURL(t))
	must(t, err)
	t.Cleanup(func() { _ = s.Close() })
	m, err := dbopen.NewMigrator(s)
	must(t, err)

	wantPending(t, ctx, m, 1)
	applied, err := m.Up(ctx)
	must(t, err)
	wantEqual(t, "first Up", applied, []string{"00001_foundation.sql"})
	wantPending(t, ctx, m, 0)
	status, err := m.Status(ctx)
	must(t, err)
	if len(status) != 1 || !status[0].Applied || status[0].Version != 1 || status[0].AppliedAt.IsZero() {
		t.Fatalf("status after Up: %+v", status)
	}
	applied, err = m.Up(ctx)
	must(t, err)
	wantEqual(t, "second Up", applied, []string{})
	wantGlobal(t, s)

	down, err := m.Down(ctx)
	must(t, err)
	wantEqual(t, "Down", down, "00001_foundation.sql")
	wantPending(t, ctx, m, 1)
	if _, err := s.ListNamespaces(ctx); err == nil {
		t.Fatal("namespaces table survived Down")
	}

	applied, err = m.Up(ctx)
	must(t, err)
	wantEqual(t, "Up after Down", applied, []string{"00001_foundation.sql"})
	wantGlobal(t, s)
}

// wantPending checks the number of pending migrations.
func wantPending(t *testing.T, ctx context.Context, m dbopen.Migrator, want int) {
	t.Helper()
	n, err := m.Pending(ctx)
	must(t, err)
	if n != want {
		t.Fatalf("pending = %d, want %d", n, want)
	}
}

// wantGlobal checks that the schema is usable and seeded.
func wantGlobal(t *testing.T, s db.Store) {
	t.Helper()
	ns, err := s.GetNamespace(t.Context(), db.GlobalNamespaceID)
	must(t, err)
	if ns.Name != "Global" || ns.ParentID != "" {
		t.Fatalf("Global namespace: %+v", ns)
	}
}
