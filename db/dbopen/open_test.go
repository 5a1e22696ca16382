package dbopen_test

import (
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pomerium-console-oss/pomerium-console/db"
	"github.com/pomerium-console-oss/pomerium-console/db/dbopen"
	"github.com/pomerium-console-oss/pomerium-console/db/storetest"
)

// closedPort returns a loopback address nothing listens on.
func closedPort(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	return addr
}

func TestOpenErrors(t *testing.T) {
	fileNotDir := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(fileNotDir, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	addr := closedPort(t)
	tests := []struct {
		name     string
		url      string
		errParts []string
	}{
		{"unknown scheme", "mysql://root:hunter2@db/console", []string{"database_url", "unsupported", "postgres://"}},
		{"postgres refused", "postgres://postgres:hunter2@" + addr + "/console?sslmode=disable",
			[]string{"database_url: cannot connect to postgres at " + addr + ": ", "connection refused"}},
		{"postgres url with a bad password encoding", "postgres://postgres:hunter 2@" + addr + "/console",
			[]string{"database_url: postgres: parse url"}},
		{"sqlite folder is a file", "sqlite://" + filepath.Join(fileNotDir, "console.db"), []string{"database_url: sqlite: ", "not a directory"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, err := dbopen.Open(t.Context(), tc.url)
			if err == nil {
				_ = s.Close()
				t.Fatal("no error")
			}
			t.Log(err)
			for _, part := range tc.errParts {
				if !strings.Contains(err.Error(), part) {
					t.Errorf("error %q does not mention %q", err, part)
				}
			}
			if strings.Contains(err.Error(), "hunter") {
				t.Errorf("error %q shows the password", err)
			}
		})
	}
}

func TestOpenSQLite(t *testing.T) {
	path := storetest.SQLiteURL(t)
	for _, u := range []string{path, "sqlite://" + path, "sqlite:" + path, "file:" + path} {
		t.Run(u, func(t *testing.T) {
			s, err := dbopen.Open(t.Context(), u)
			if err != nil {
				t.Fatal(err)
			}
			defer func() { _ = s.Close() }()
			if s.Kind() != "sqlite" {
				t.Errorf("Kind() = %q", s.Kind())
			}
			if _, err := os.Stat(path); err != nil {
				t.Errorf("database file: %v", err)
			}
		})
	}
}

func TestOpenPostgres(t *testing.T) {
	fresh := storetest.PostgresURL(t)
	missing, err := url.Parse(fresh)
	if err != nil {
		t.Fatal(err)
	}
	missing.Path += "_missing"
	t.Run("ok", func(t *testing.T) {
		s, err := dbopen.Open(t.Context(), fresh)
		if err != nil {
			t.Fatal(err)
		}
		defer func() { _ = s.Close() }()
		if s.Kind() != "postgres" {
			t.Errorf("Kind() = %q", s.Kind())
		}
	})
	t.Run("missing database", func(t *testing.T) {
		_, err := dbopen.Open(t.Context(), missing.String())
		if err == nil || !strings.Contains(err.Error(), "database_url: cannot connect to postgres at ") ||
			!strings.Contains(err.Error(), "does not exist") {
			t.Fatalf("error %v, want a clear 'does not exist'", err)
		}
	})
}

func TestNewMigratorNeedsOurStore(t *testing.T) {
	if _, err := dbopen.NewMigrator(foreignStore{}); err == nil {
		t.Fatal("no error for a store without migrations")
	}
	s := storetest.OpenSQLite(t)
	if err := s.InTx(t.Context(), func(tx db.Store) error {
		_, err := dbopen.NewMigrator(tx)
		return err
	}); err == nil {
		t.Fatal("no error for a transaction-bound store")
	}
}

// foreignStore is a db.Store from elsewhere (e.g. a test fake).
type foreignStore struct{ db.Store }
