package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/pressly/goose/v3"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/pomerium-console-oss/pomerium-console/db/sqlstore"
	migrations "github.com/pomerium-console-oss/pomerium-console/goose/sqlite"
)

// Kind is the engine name Store.Kind reports.
const Kind = "sqlite"

// Pragmas every connection gets. busy_timeout comes first so the others
// wait for a lock instead of failing with SQLITE_BUSY.
const basePragmas = "_pragma=busy_timeout(5000)&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)&_pragma=foreign_keys(1)"

// writeParams makes the write pool's BEGIN take the write lock at once: a
// deferred transaction that reads and then writes could otherwise fail with
// SQLITE_BUSY on the lock upgrade, which busy_timeout does not cover.
const writeParams = basePragmas + "&_txlock=immediate"

// readParams makes the read pool refuse writes, so a write sent to the
// wrong pool fails loudly instead of racing the writer.
const readParams = basePragmas + "&_pragma=query_only(1)"

// readPoolSize bounds concurrent readers; WAL lets them run beside the writer.
const readPoolSize = 8

// Store is the console store on one SQLite file.
type Store struct {
	*sqlstore.Store
	path string
}

// Path returns the database file.
func (s *Store) Path() string {
	return s.path
}

// dialect is what SQLite brings to db/sqlstore.
var dialect = sqlstore.Dialect{
	Name:       Kind,
	Classify:   classify,
	ILike:      "LIKE",
	Goose:      goose.DialectSQLite3,
	Migrations: migrations.FS,
}

// Open opens (creating it and its folder, mode 0700, if missing) the
// database file at path. It does not migrate.
func Open(ctx context.Context, path string) (*Store, error) {
	if path == "" || path == ":memory:" || strings.HasPrefix(path, "file::memory:") {
		// Each pool would get its own empty in-memory database.
		return nil, fmt.Errorf("sqlite: open %q: the console needs a database file", path)
	}
	if strings.ContainsRune(path, '?') {
		return nil, fmt.Errorf("sqlite: open %q: the file name must not contain '?'", path)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	if err := createPrivate(path); err != nil {
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	// NB: the path is used as is (not as a file: URI) so '%' and '#' in
	// it need no escaping; only a '?' would be read as the parameters.
	write, err := sql.Open("sqlite", path+"?"+writeParams)
	if err != nil {
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	write.SetMaxOpenConns(1)
	// The first connection switches the file to WAL before readers open it.
	if err := write.PingContext(ctx); err != nil {
		return nil, errors.Join(fmt.Errorf("sqlite: open %s: %w", path, err), write.Close())
	}
	read, err := sql.Open("sqlite", path+"?"+readParams)
	if err != nil {
		return nil, errors.Join(fmt.Errorf("sqlite: open %s: %w", path, err), write.Close())
	}
	read.SetMaxOpenConns(readPoolSize)
	read.SetMaxIdleConns(readPoolSize)
	return &Store{Store: sqlstore.New(dialect, read, write), path: path}, nil
}

// classify reads the extended result code of a modernc error.
func classify(err error) sqlstore.Violation {
	var e *sqlite.Error
	if !errors.As(err, &e) {
		return sqlstore.NoViolation
	}
	switch e.Code() {
	case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
		return sqlstore.UniqueViolation
	case sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY:
		return sqlstore.ForeignKeyViolation
	}
	return sqlstore.NoViolation
}

// createPrivate creates an empty database file readable by its owner only:
// it holds sealed secrets and the activity log. SQLite gives its -wal and
// -shm files the same mode. An existing file is left as it is.
func createPrivate(path string) error {
	f, err := os.OpenFile(path, os.O_RDONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, os.ErrExist) {
		return nil
	}
	if err != nil {
		return err
	}
	return f.Close()
}
