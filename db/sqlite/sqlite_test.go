package sqlite_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/pomerium-console-oss/pomerium-console/db"
	"github.com/pomerium-console-oss/pomerium-console/db/sqlite"
	"github.com/pomerium-console-oss/pomerium-console/db/storetest"
)

func TestContract(t *testing.T) {
	storetest.Run(t, func(t *testing.T) db.Store { return storetest.OpenSQLite(t) })
}

func TestMigrations(t *testing.T) {
	storetest.RunMigrations(t, storetest.SQLiteURL)
}

func TestOpenCreatesThePrivateFolder(t *testing.T) {
	// '%' and '#' would need escaping in a file: URI; the name is used as is.
	path := filepath.Join(t.TempDir(), "a", "b", "100% #1.db")
	s, err := sqlite.Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = s.Close() }()
	info, err := os.Stat(filepath.Dir(path))
	if err != nil {
		t.Fatal(err)
	}
	if file, err := os.Stat(path); err != nil {
		t.Errorf("database file: %v", err)
	} else if perm := file.Mode().Perm(); perm != 0o600 {
		t.Errorf("database file mode %o, want 600: it holds sealed secrets", perm)
	}
	if perm := info.Mode().Perm(); perm != 0o700 {
		t.Errorf("folder mode %o, want 700", perm)
	}
	if s.Path() != path {
		t.Errorf("Path() = %q", s.Path())
	}
}

func TestPragmas(t *testing.T) {
	s, err := sqlite.Open(t.Context(), filepath.Join(t.TempDir(), "console.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = s.Close() }()
	tests := []struct {
		pragma string
		want   string
	}{
		{"journal_mode", "wal"},
		{"busy_timeout", "5000"},
		{"synchronous", "1"}, // NORMAL
		{"foreign_keys", "1"},
	}
	for _, tc := range tests {
		t.Run(tc.pragma, func(t *testing.T) {
			var got string
			if err := s.WriteDB().QueryRowContext(t.Context(), "PRAGMA "+tc.pragma).Scan(&got); err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Errorf("PRAGMA %s = %s, want %s", tc.pragma, got, tc.want)
			}
		})
	}
}

func TestOpenRejects(t *testing.T) {
	dir := t.TempDir()
	notADatabase := filepath.Join(dir, "notes.txt")
	if err := os.WriteFile(notADatabase, []byte(strings.Repeat("not a database\n", 100)), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, path, want string
	}{
		{"memory", ":memory:", "needs a database file"},
		{"empty", "", "needs a database file"},
		{"question mark", filepath.Join(dir, "a?b.db"), "must not contain '?'"},
		{"folder is a file", filepath.Join(notADatabase, "console.db"), "not a directory"},
		{"not a database", notADatabase, "not a database"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, err := sqlite.Open(t.Context(), tc.path)
			if err == nil {
				_ = s.Close()
				t.Fatal("no error")
			}
			if !strings.HasPrefix(err.Error(), "sqlite: ") || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %q, want it prefixed \"sqlite: \" and mentioning %q", err, tc.want)
			}
		})
	}
}

// Two stores on one file stand for two processes (say, the server and a
// CLI command). Their read-then-write transactions must wait for each
// other instead of failing with SQLITE_BUSY on the lock upgrade.
func TestTwoWritersOnOneFile(t *testing.T) {
	path := storetest.SQLiteURL(t)
	stores := []db.Store{storetest.Open(t, path), storetest.Open(t, path)}
	const perStore = 20
	var wg sync.WaitGroup
	errs := make(chan error, len(stores)*perStore)
	for i, s := range stores {
		for j := range perStore {
			wg.Go(func() {
				errs <- s.InTx(t.Context(), func(tx db.Store) error {
					if _, err := tx.ListNamespaces(t.Context()); err != nil {
						return err
					}
					id := fmt.Sprintf("ns-%d-%d", i, j)
					return tx.CreateNamespace(t.Context(), db.Namespace{ID: id, ParentID: db.GlobalNamespaceID, Name: id})
				})
			})
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
}

func BenchmarkListActivity(b *testing.B) {
	storetest.BenchListActivity(b, storetest.OpenSQLite(b), 100_000)
}
