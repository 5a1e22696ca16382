package sqlstore

import (
	"context"
	"strings"

	"github.com/pomerium-console-oss/pomerium-console/db"
)

const permissionColumns = `id, namespace_id, subject_type, subject_id, role, created_at, modified_at`

// permissionOrder keeps listings stable across engines.
const permissionOrder = ` ORDER BY subject_type, subject_id, namespace_id, id`

// scanPermission reads one row of permissionColumns.
func scanPermission(row scanner) (db.Permission, error) {
	var (
		p                 db.Permission
		created, modified int64
	)
	if err := row.Scan(&p.ID, &p.NamespaceID, &p.SubjectType, &p.SubjectID, &p.Role, &created, &modified); err != nil {
		return db.Permission{}, err
	}
	p.CreatedAt = fromMillis(created)
	p.ModifiedAt = fromMillis(modified)
	return p, nil
}

// ListPermissions returns the grants on namespaceID, or all grants when it
// is empty, ordered by subject type and id.
func (s *Store) ListPermissions(ctx context.Context, namespaceID string) ([]db.Permission, error) {
	q := `SELECT ` + permissionColumns + ` FROM namespace_permissions`
	var a args
	if namespaceID != "" {
		q += ` WHERE namespace_id = ` + a.add(namespaceID)
	}
	list, err := queryAll(ctx, s.reader(), scanPermission, q+permissionOrder, a...)
	return list, s.fail("list permissions", err)
}

// ListPermissionsForSubjects returns the grants to any of the user subjects
// or groups; with both empty there is nothing to match and no query runs.
func (s *Store) ListPermissionsForSubjects(ctx context.Context, userSubjects, groups []string) ([]db.Permission, error) {
	var (
		a     args
		where []string
	)
	if len(userSubjects) > 0 {
		where = append(where, `(subject_type = 'user' AND subject_id IN (`+a.addAll(userSubjects)+`))`)
	}
	if len(groups) > 0 {
		where = append(where, `(subject_type = 'group' AND subject_id IN (`+a.addAll(groups)+`))`)
	}
	if len(where) == 0 {
		return nil, nil
	}
	q := `SELECT ` + permissionColumns + ` FROM namespace_permissions WHERE ` + strings.Join(where, ` OR `) + permissionOrder
	list, err := queryAll(ctx, s.reader(), scanPermission, q, a...)
	return list, s.fail("list permissions for subjects", err)
}

// GetPermission returns one grant or db.ErrNotFound.
func (s *Store) GetPermission(ctx context.Context, id string) (db.Permission, error) {
	const q = `SELECT ` + permissionColumns + ` FROM namespace_permissions WHERE id = $1`
	p, err := scanPermission(s.reader().QueryRowContext(ctx, q, id))
	return p, s.fail("get permission", err)
}

// PutPermission inserts p, or updates Role and ModifiedAt of the grant to
// the same subject on the same namespace, and returns the stored row.
// db.ErrNotFound when the namespace does not exist.
func (s *Store) PutPermission(ctx context.Context, p db.Permission) (db.Permission, error) {
	const q = `INSERT INTO namespace_permissions (` + permissionColumns + `) VALUES ($1, $2, $3, $4, $5, $6, $7)
		ON CONFLICT (namespace_id, subject_type, subject_id)
		DO UPDATE SET role = excluded.role, modified_at = excluded.modified_at
		RETURNING ` + permissionColumns
	stored, err := scanPermission(s.writer().QueryRowContext(ctx, q,
		p.ID, p.NamespaceID, p.SubjectType, p.SubjectID, p.Role, millis(p.CreatedAt), millis(p.ModifiedAt)))
	return stored, s.fail("put permission", err)
}

// DeletePermission removes one grant; db.ErrNotFound when it does not exist.
func (s *Store) DeletePermission(ctx context.Context, id string) error {
	const q = `DELETE FROM namespace_permissions WHERE id = $1`
	res, err := s.writer().ExecContext(ctx, q, id)
	return s.mustAffect("delete permission", res, err, db.ErrReferenced)
}
