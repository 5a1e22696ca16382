package sqlstore

import (
	"context"
	"database/sql"

	"github.com/pomerium-console-oss/pomerium-console/db"
)

const namespaceColumns = `id, parent_id, name, created_at, modified_at`

// scanNamespace reads one row of namespaceColumns.
func scanNamespace(row scanner) (db.Namespace, error) {
	var (
		ns                db.Namespace
		parent            sql.NullString
		created, modified int64
	)
	if err := row.Scan(&ns.ID, &parent, &ns.Name, &created, &modified); err != nil {
		return db.Namespace{}, err
	}
	ns.ParentID = parent.String
	ns.CreatedAt = fromMillis(created)
	ns.ModifiedAt = fromMillis(modified)
	return ns, nil
}

// ListNamespaces returns every namespace ordered by name, case-insensitively.
func (s *Store) ListNamespaces(ctx context.Context) ([]db.Namespace, error) {
	const q = `SELECT ` + namespaceColumns + ` FROM namespaces ORDER BY lower(name), name, id`
	list, err := queryAll(ctx, s.reader(), scanNamespace, q)
	return list, s.fail("list namespaces", err)
}

// GetNamespace returns one namespace or db.ErrNotFound.
func (s *Store) GetNamespace(ctx context.Context, id string) (db.Namespace, error) {
	const q = `SELECT ` + namespaceColumns + ` FROM namespaces WHERE id = $1`
	ns, err := scanNamespace(s.reader().QueryRowContext(ctx, q, id))
	return ns, s.fail("get namespace", err)
}

// CreateNamespace inserts ns; db.ErrConflict for a taken id or sibling name,
// db.ErrNotFound when the parent does not exist.
func (s *Store) CreateNamespace(ctx context.Context, ns db.Namespace) error {
	const q = `INSERT INTO namespaces (` + namespaceColumns + `) VALUES ($1, $2, $3, $4, $5)`
	_, err := s.writer().ExecContext(ctx, q,
		ns.ID, nullable(ns.ParentID), ns.Name, millis(ns.CreatedAt), millis(ns.ModifiedAt))
	return s.fail("create namespace", err)
}

// UpdateNamespace writes Name, ParentID and ModifiedAt; db.ErrNotFound for
// a missing namespace or parent, db.ErrConflict for a taken sibling name.
func (s *Store) UpdateNamespace(ctx context.Context, ns db.Namespace) error {
	const q = `UPDATE namespaces SET parent_id = $2, name = $3, modified_at = $4 WHERE id = $1`
	res, err := s.writer().ExecContext(ctx, q, ns.ID, nullable(ns.ParentID), ns.Name, millis(ns.ModifiedAt))
	return s.mustAffect("update namespace", res, err, db.ErrNotFound)
}

// DeleteNamespace removes the namespace; its permissions go by cascade.
// db.ErrReferenced while it has children.
func (s *Store) DeleteNamespace(ctx context.Context, id string) error {
	const q = `DELETE FROM namespaces WHERE id = $1`
	res, err := s.writer().ExecContext(ctx, q, id)
	return s.mustAffect("delete namespace", res, err, db.ErrReferenced)
}
