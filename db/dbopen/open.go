package dbopen

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/pomerium-console-oss/pomerium-console/db"
	"github.com/pomerium-console-oss/pomerium-console/db/postgres"
	"github.com/pomerium-console-oss/pomerium-console/db/sqlite"
)

// connectTimeout bounds the first ping when ctx has no deadline, so an
// unreachable server fails start-up instead of hanging it.
const connectTimeout = 10 * time.Second

// Open opens the store database_url names and checks that it answers. It
// does not migrate: see NewMigrator.
func Open(ctx context.Context, databaseURL string) (db.Store, error) {
	t, err := parse(databaseURL)
	if err != nil {
		return nil, err
	}
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, connectTimeout)
		defer cancel()
	}
	switch t.kind {
	case kindPostgres:
		return openPostgres(ctx, t.dsn)
	default:
		return openSQLite(ctx, t.dsn)
	}
}

// OpenExisting is Open for commands that must not create a database: a
// SQLite file that does not exist yet is an error naming it.
func OpenExisting(ctx context.Context, databaseURL string) (db.Store, error) {
	t, err := parse(databaseURL)
	if err != nil {
		return nil, err
	}
	if t.kind == kindSQLite {
		if _, err := os.Stat(t.dsn); errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("database_url: there is no database at %s", t.dsn)
		}
	}
	return Open(ctx, databaseURL)
}

// IsPostgres reports whether databaseURL selects the Postgres adapter.
func IsPostgres(databaseURL string) bool {
	t, err := parse(databaseURL)
	return err == nil && t.kind == kindPostgres
}

// openPostgres opens and pings; errors never repeat the password.
func openPostgres(ctx context.Context, databaseURL string) (db.Store, error) {
	s, err := postgres.Open(databaseURL)
	if err != nil {
		return nil, redact(fmt.Errorf("database_url: %w", err), password(databaseURL))
	}
	if err := s.Connect(ctx); err != nil {
		err = fmt.Errorf("database_url: cannot connect to postgres at %s: %w", s.Addr(), err)
		return nil, redact(errors.Join(err, s.Close()), password(databaseURL))
	}
	return s, nil
}

// openSQLite opens the file (creating it) and pings both pools.
func openSQLite(ctx context.Context, path string) (db.Store, error) {
	s, err := sqlite.Open(ctx, path)
	if err != nil {
		return nil, fmt.Errorf("database_url: %w", err)
	}
	if err := s.Ping(ctx); err != nil {
		return nil, errors.Join(fmt.Errorf("database_url: %w", err), s.Close())
	}
	return s, nil
}

// redactedError hides a secret in the message of the error it wraps.
type redactedError struct {
	msg string
	err error
}

func (e *redactedError) Error() string { return e.msg }
func (e *redactedError) Unwrap() error { return e.err }

// redact replaces secret in err's message, keeping err matchable.
func redact(err error, secret string) error {
	if secret == "" || !strings.Contains(err.Error(), secret) {
		return err
	}
	return &redactedError{msg: strings.ReplaceAll(err.Error(), secret, "xxxxx"), err: err}
}
