package sqlstore

import (
	"context"
	"database/sql"
	"strings"

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

// page is one paged listing: the rows of table that meet every condition of
// where (whose placeholders args holds), sorted by order.
type page struct {
	what          string // the rows' name in errors, e.g. "key pairs"
	table         string
	columns       string
	where         []string
	args          args
	order         string
	limit, offset int
}

// listPage returns the rows of p's page and the number of all matching rows;
// a page past the end is not read.
func listPage[T any](ctx context.Context, s *Store, p page, scan func(scanner) (T, error)) ([]T, int, error) {
	cond := ""
	if len(p.where) > 0 {
		cond = ` WHERE ` + strings.Join(p.where, ` AND `)
	}
	a := p.args
	var total int
	if err := s.reader().QueryRowContext(ctx, `SELECT COUNT(*) FROM `+p.table+cond, a...).Scan(&total); err != nil {
		return nil, 0, s.fail("count "+p.what, err)
	}
	offset := max(p.offset, 0)
	if total == 0 || offset >= total {
		return nil, total, nil
	}
	q := `SELECT ` + p.columns + ` FROM ` + p.table + cond + ` ORDER BY ` + p.order +
		` LIMIT ` + a.add(clampLimit(p.limit)) + ` OFFSET ` + a.add(offset)
	list, err := queryAll(ctx, s.reader(), scan, q, a...)
	return list, total, s.fail("list "+p.what, err)
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
