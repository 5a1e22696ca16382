package sqlstore

import (
	"database/sql"
	"errors"
	"fmt"

	"github.com/pomerium-console-oss/pomerium-console/db"
)

// wrap prefixes err with the engine and operation and makes the db
// sentinels matchable: no rows becomes db.ErrNotFound, a unique violation
// db.ErrConflict, and a foreign-key violation onFK (db.ErrReferenced for
// deletes, db.ErrNotFound for writes that point at a missing row).
func (s *Store) wrap(op string, err error, onFK error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, sql.ErrNoRows) {
		return s.sentinel(op, db.ErrNotFound)
	}
	switch s.d.Classify(err) {
	case UniqueViolation:
		return fmt.Errorf("%s: %s: %w: %w", s.d.Name, op, db.ErrConflict, err)
	case ForeignKeyViolation:
		return fmt.Errorf("%s: %s: %w: %w", s.d.Name, op, onFK, err)
	}
	return fmt.Errorf("%s: %s: %w", s.d.Name, op, err)
}

// fail is wrap for statements that cannot break a foreign key by deleting:
// there a foreign-key violation means the referenced row is missing.
func (s *Store) fail(op string, err error) error {
	return s.wrap(op, err, db.ErrNotFound)
}

// sentinel reports one of the db sentinels for op.
func (s *Store) sentinel(op string, sentinel error) error {
	return fmt.Errorf("%s: %s: %w", s.d.Name, op, sentinel)
}
