package sqlstore

import (
	"io/fs"

	"github.com/pressly/goose/v3"
)

// Violation classifies a driver error by the integrity rule it broke.
type Violation int

// The violations the store turns into db sentinels.
const (
	// NoViolation is any other error; it is wrapped unchanged.
	NoViolation Violation = iota
	// UniqueViolation (a taken primary key or unique value) becomes db.ErrConflict.
	UniqueViolation
	// ForeignKeyViolation becomes db.ErrReferenced on deletes and
	// db.ErrNotFound on writes that point at a missing row.
	ForeignKeyViolation
)

// Dialect is what an engine adapter supplies: the few things that really
// differ between SQLite and Postgres.
type Dialect struct {
	// Name is the engine name returned by Store.Kind and used as the error
	// prefix ("sqlite: create namespace: ...").
	Name string
	// Classify tells which integrity rule, if any, a driver error broke.
	Classify func(err error) Violation
	// ILike is the engine's case-insensitive LIKE operator ("LIKE" on
	// SQLite, which folds ASCII only; "ILIKE" on Postgres, which folds all
	// of Unicode). Patterns use '\' as escape character.
	ILike string
	// Goose is the goose dialect of the embedded migrations.
	Goose goose.Dialect
	// Migrations holds the goose SQL files.
	Migrations fs.FS
	// MigrateOptions returns extra goose provider options (e.g. a session
	// locker); nil means none.
	MigrateOptions func() ([]goose.ProviderOption, error)
}
