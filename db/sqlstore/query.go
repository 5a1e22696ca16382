package sqlstore

import (
	"context"
	"database/sql"

	"github.com/pomerium-console-oss/pomerium-console/db"
)

// scanner is a *sql.Row or *sql.Rows.
type scanner interface {
	Scan(dest ...any) error
}

// queryAll runs q and scans every row with scan.
func queryAll[T any](ctx context.Context, qr querier, scan func(scanner) (T, error), q string, args ...any) ([]T, error) {
	rows, err := qr.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer func() { _ = rows.Close() }()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// mustAffect wraps the outcome of an UPDATE or DELETE by primary key:
// db.ErrNotFound when no row matched, onFK for a foreign-key violation.
func (s *Store) mustAffect(op string, res sql.Result, err error, onFK error) error {
	if err != nil {
		return s.wrap(op, err, onFK)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return s.wrap(op, err, onFK)
	}
	if n == 0 {
		return s.sentinel(op, db.ErrNotFound)
	}
	return nil
}
