package sqlstore

import (
	"context"
	"fmt"
	"path"
	"time"

	"github.com/pressly/goose/v3"
)

// MigrationStatus is one migration and whether the database has it.
type MigrationStatus struct {
	Version   int64
	Name      string
	Applied   bool
	AppliedAt time.Time
}

// Migrator applies the dialect's embedded goose migrations to the store's
// write pool. Each migration runs in its own transaction.
type Migrator struct {
	name string
	p    *goose.Provider
}

// Migrator returns the Migrator of a root Store.
func (s *Store) Migrator() (*Migrator, error) {
	if s.tx != nil {
		return nil, fmt.Errorf("%s: migrator: called inside a transaction", s.d.Name)
	}
	var opts []goose.ProviderOption
	if s.d.MigrateOptions != nil {
		var err error
		if opts, err = s.d.MigrateOptions(); err != nil {
			return nil, fmt.Errorf("%s: migrator: %w", s.d.Name, err)
		}
	}
	// NB: never call p.Close: it would close the store's write pool.
	p, err := goose.NewProvider(s.d.Goose, s.write, s.d.Migrations, opts...)
	if err != nil {
		return nil, fmt.Errorf("%s: migrator: %w", s.d.Name, err)
	}
	return &Migrator{name: s.d.Name, p: p}, nil
}

// Up applies every pending migration and returns their file names.
func (m *Migrator) Up(ctx context.Context) ([]string, error) {
	results, err := m.p.Up(ctx)
	applied := make([]string, 0, len(results))
	for _, r := range results {
		if r.Error == nil {
			applied = append(applied, path.Base(r.Source.Path))
		}
	}
	if err != nil {
		return applied, fmt.Errorf("%s: migrate up: %w", m.name, err)
	}
	return applied, nil
}

// Down rolls back the most recent migration and returns its file name.
func (m *Migrator) Down(ctx context.Context) (string, error) {
	r, err := m.p.Down(ctx)
	if err != nil {
		return "", fmt.Errorf("%s: migrate down: %w", m.name, err)
	}
	return path.Base(r.Source.Path), nil
}

// Status lists every known migration, oldest first.
func (m *Migrator) Status(ctx context.Context) ([]MigrationStatus, error) {
	list, err := m.p.Status(ctx)
	if err != nil {
		return nil, fmt.Errorf("%s: migration status: %w", m.name, err)
	}
	out := make([]MigrationStatus, 0, len(list))
	for _, st := range list {
		out = append(out, MigrationStatus{
			Version:   st.Source.Version,
			Name:      path.Base(st.Source.Path),
			Applied:   st.State == goose.StateApplied,
			AppliedAt: st.AppliedAt.UTC(),
		})
	}
	return out, nil
}

// Pending returns how many migrations are not applied yet; a server should
// refuse to run on a schema that is behind.
func (m *Migrator) Pending(ctx context.Context) (int, error) {
	list, err := m.Status(ctx)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, st := range list {
		if !st.Applied {
			n++
		}
	}
	return n, nil
}
