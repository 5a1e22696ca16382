package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	// The pgx database/sql driver, for creating and dropping test databases.
	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/pomerium-console-oss/pomerium-console/db"
	"github.com/pomerium-console-oss/pomerium-console/db/dbopen"
)

// PostgresEnv names the variable holding a Postgres URL whose user may
// create databases; the Postgres runs are skipped without it.
const PostgresEnv = "POSTGRES_TEST_URL"

// SQLiteURL returns a database_url for a new SQLite file in t.TempDir().
func SQLiteURL(t testing.TB) string {
	return filepath.Join(t.TempDir(), "console.db")
}

// SkipWithoutPostgres skips t when POSTGRES_TEST_URL is not set.
func SkipWithoutPostgres(t testing.TB) {
	t.Helper()
	if os.Getenv(PostgresEnv) == "" {
		t.Skip("POSTGRES_TEST_URL not set: skipping the Postgres contract run (see README)")
	}
}

// PostgresURL creates an empty database with a random name on the server
// of POSTGRES_TEST_URL, drops it when t ends, and returns its URL. It skips
// t when POSTGRES_TEST_URL is not set.
func PostgresURL(t testing.TB) string {
	t.Helper()
	SkipWithoutPostgres(t)
	admin := os.Getenv(PostgresEnv)
	u, err := url.Parse(admin)
	if err != nil {
		t.Fatalf("%s: %v", PostgresEnv, err)
	}
	name := "console_test_" + strings.ToLower(rand.Text())
	exec(t, admin, `CREATE DATABASE `+name)
	t.Cleanup(func() {
		// FORCE ends connections a failed test may have leaked.
		exec(t, admin, `DROP DATABASE IF EXISTS `+name+` WITH (FORCE)`)
	})
	u.Path = "/" + name
	return u.String()
}

// Open opens databaseURL, applies every migration and closes the store
// when t ends.
func Open(t testing.TB, databaseURL string) db.Store {
	t.Helper()
	ctx := context.Background()
	s, err := dbopen.Open(ctx, databaseURL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("close store: %v", err)
		}
	})
	m, err := dbopen.NewMigrator(s)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m.Up(ctx); err != nil {
		t.Fatal(err)
	}
	return s
}

// OpenSQLite returns a fresh, migrated SQLite store.
func OpenSQLite(t testing.TB) db.Store {
	t.Helper()
	return Open(t, SQLiteURL(t))
}

// OpenPostgres returns a fresh, migrated store on a new Postgres database;
// it skips t when POSTGRES_TEST_URL is not set.
func OpenPostgres(t testing.TB) db.Store {
	t.Helper()
	return Open(t, PostgresURL(t))
}

// ForEach runs fn as parallel subtests "sqlite" and "postgres", each on a
// fresh, migrated store of that engine; the Postgres one skips when
// POSTGRES_TEST_URL is not set.
func ForEach(t *testing.T, fn func(t *testing.T, s db.Store)) {
	t.Helper()
	engines := []struct {
		name string
		open func(testing.TB) db.Store
	}{
		{"sqlite", OpenSQLite},
		{"postgres", OpenPostgres},
	}
	for _, e := range engines {
		t.Run(e.name, func(t *testing.T) {
			t.Parallel()
			fn(t, e.open(t))
		})
	}
}

// exec runs one statement on a short-lived connection to databaseURL.
func exec(t testing.TB, databaseURL, stmt string) {
	t.Helper()
	conn, err := sql.Open("pgx", databaseURL)
	if err != nil {
		t.Fatalf("%s: %v", PostgresEnv, err)
	}
	defer func() { _ = conn.Close() }()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := conn.ExecContext(ctx, stmt); err != nil {
		t.Fatalf("%s: %v", stmt, err)
	}
}
