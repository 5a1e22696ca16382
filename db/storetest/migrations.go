package storetest

import (
	"context"
	"testing"

	"github.com/pomerium-console-oss/pomerium-console/db"
	"github.com/pomerium-console-oss/pomerium-console/db/dbopen"
)

// RunMigrations checks that the embedded migrations go Up, all the way Down
// and Up again on an empty database, reporting status along the way.
func RunMigrations(t *testing.T, emptyDatabaseURL func(t testing.TB) string) {
	ctx := t.Context()
	s, err := dbopen.Open(ctx, emptyDatabaseURL(t))
	must(t, err)
	t.Cleanup(func() { _ = s.Close() })
	m, err := dbopen.NewMigrator(s)
	must(t, err)

	before, err := m.Status(ctx)
	must(t, err)
	var all []string
	for _, st := range before {
		if st.Applied {
			t.Fatalf("migration %s applied on an empty database", st.Name)
		}
		all = append(all, st.Name)
	}
	if len(all) == 0 || all[0] != "00001_foundation.sql" {
		t.Fatalf("migrations = %v, want 00001_foundation.sql first", all)
	}
	wantPending(t, ctx, m, len(all))
	applied, err := m.Up(ctx)
	must(t, err)
	wantEqual(t, "first Up", applied, all)
	wantPending(t, ctx, m, 0)
	status, err := m.Status(ctx)
	must(t, err)
	for i, st := range status {
		if !st.Applied || st.Version != int64(i+1) || st.AppliedAt.IsZero() {
			t.Fatalf("status after Up: %+v", status)
		}
	}
	applied, err = m.Up(ctx)
	must(t, err)
	wantEqual(t, "second Up", applied, []string{})
	wantGlobal(t, s)

	for i := len(all) - 1; i >= 0; i-- {
		down, err := m.Down(ctx)
		must(t, err)
		wantEqual(t, "Down", down, all[i])
		wantPending(t, ctx, m, len(all)-i)
	}
	if _, err := s.ListNamespaces(ctx); err == nil {
		t.Fatal("namespaces table survived Down")
	}

	applied, err = m.Up(ctx)
	must(t, err)
	wantEqual(t, "Up after Down", applied, all)
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
