package dbopen

import (
	"context"
	"fmt"

	"github.com/pomerium-console-oss/pomerium-console/db"
	"github.com/pomerium-console-oss/pomerium-console/db/sqlstore"
)

// MigrationStatus is one migration and whether the database has it.
type MigrationStatus = sqlstore.MigrationStatus

// Migrator applies the embedded schema migrations of a store's engine.
type Migrator interface {
	// Up applies every pending migration and returns their file names.
	Up(ctx context.Context) ([]string, error)
	// Down rolls back the most recent migration and returns its file name.
	Down(ctx context.Context) (string, error)
	// Status lists every migration, oldest first.
	Status(ctx context.Context) ([]MigrationStatus, error)
	// Pending counts the migrations not applied yet.
	Pending(ctx context.Context) (int, error)
}

// NewMigrator returns the Migrator of a store opened by Open (or by
// db/sqlite or db/postgres directly).
func NewMigrator(s db.Store) (Migrator, error) {
	m, ok := s.(interface {
		Migrator() (*sqlstore.Migrator, error)
	})
	if !ok {
		return nil, fmt.Errorf("dbopen: migrator: %T has no migrations", s)
	}
	mig, err := m.Migrator()
	if err != nil {
		return nil, err // not mig: a nil *sqlstore.Migrator is a non-nil Migrator
	}
	return mig, nil
}
