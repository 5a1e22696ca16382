package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"github.com/pomerium-console-oss/pomerium-console/db"
)

const serviceAccountColumns = `id, namespace_id, user_id, description, created_by, issued_at, expires_at,
	accessed_at, revoked_at, version, synced_version, synced_cluster_id, synced_at, sync_error, sync_failures,
	next_sync_at`

// scanServiceAccount reads one row of serviceAccountColumns.
func scanServiceAccount(row scanner) (db.ServiceAccount, error) {
	var (
		a                                             db.ServiceAccount
		issued                                        int64
		expires, accessed, revoked, synced, nextRetry sql.NullInt64
	)
	err := row.Scan(&a.ID, &a.NamespaceID, &a.UserID, &a.Description, &a.CreatedBy, &issued, &expires,
		&accessed, &revoked, &a.Version, &a.Sync.SyncedVersion, &a.Sync.ClusterID, &synced, &a.Sync.LastError,
		&a.Sync.Failures, &nextRetry)
	if err != nil {
		return db.ServiceAccount{}, err
	}
	a.IssuedAt = fromMillis(issued)
	a.ExpiresAt, a.AccessedAt, a.RevokedAt = fromNullMillis(expires), fromNullMillis(accessed), fromNullMillis(revoked)
	a.Sync.SyncedAt, a.Sync.NextAttemptAt = fromNullMillis(synced), fromNullMillis(nextRetry)
	return a, nil
}

// nullMillis stores t as unix milliseconds, the zero time as NULL.
func nullMillis(t time.Time) sql.NullInt64 {
	return sql.NullInt64{Int64: t.UnixMilli(), Valid: !t.IsZero()}
}

// fromNullMillis is the inverse of nullMillis, in UTC.
func fromNullMillis(ms sql.NullInt64) time.Time {
	if !ms.Valid {
		return time.Time{}
	}
	return time.UnixMilli(ms.Int64).UTC()
}

// CreateServiceAccount inserts a at version 1, never synced.
func (s *Store) CreateServiceAccount(ctx context.Context, a db.ServiceAccount) error {
	const q = `INSERT INTO service_accounts (id, namespace_id, user_id, description, created_by, issued_at,
		expires_at, accessed_at, revoked_at, version)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 1)`
	_, err := s.writer().ExecContext(ctx, q, a.ID, a.NamespaceID, a.UserID, a.Description, a.CreatedBy,
		millis(a.IssuedAt), nullMillis(a.ExpiresAt), nullMillis(a.AccessedAt), nullMillis(a.RevokedAt))
	return s.fail("create service account", err)
}

// GetServiceAccount returns one account or db.ErrNotFound.
func (s *Store) GetServiceAccount(ctx context.Context, id string) (db.ServiceAccount, error) {
	const q = `SELECT ` + serviceAccountColumns + ` FROM service_accounts WHERE id = $1`
	a, err := scanServiceAccount(s.reader().QueryRowContext(ctx, q, id))
	return a, s.fail("get service account", err)
}

// ListServiceAccounts returns the matching accounts, newest first.
func (s *Store) ListServiceAccounts(ctx context.Context, f db.ServiceAccountFilter) ([]db.ServiceAccount, error) {
	if f.NamespaceIDs != nil && len(f.NamespaceIDs) == 0 {
		return nil, nil // an empty set of namespaces matches nothing
	}
	var (
		a     args
		where []string
	)
	if len(f.NamespaceIDs) > 0 {
		where = append(where, `namespace_id IN (`+a.addAll(f.NamespaceIDs)+`)`)
	}
	if f.Active {
		where = append(where, `revoked_at IS NULL`)
	}
	if f.Dirty {
		where = append(where, `synced_version < version`)
	}
	q := `SELECT ` + serviceAccountColumns + ` FROM service_accounts`
	if len(where) > 0 {
		q += ` WHERE ` + strings.Join(where, ` AND `)
	}
	q += ` ORDER BY issued_at DESC, id`
	list, err := queryAll(ctx, s.reader(), scanServiceAccount, q, a...)
	return list, s.fail("list service accounts", err)
}

// UpdateServiceAccount writes the fields a user may change and bumps the
// version, so the record is owed to the databroker again.
func (s *Store) UpdateServiceAccount(ctx context.Context, a db.ServiceAccount) error {
	const q = `UPDATE service_accounts SET description = $2, expires_at = $3, revoked_at = $4, version = version + 1
		WHERE id = $1`
	res, err := s.writer().ExecContext(ctx, q, a.ID, a.Description, nullMillis(a.ExpiresAt), nullMillis(a.RevokedAt))
	return s.mustAffect("update service account", res, err, db.ErrNotFound)
}

// TouchServiceAccount records a use at most once per every.
func (s *Store) TouchServiceAccount(ctx context.Context, id string, at time.Time, every time.Duration) (bool, error) {
	const q = `UPDATE service_accounts SET accessed_at = $2
		WHERE id = $1 AND (accessed_at IS NULL OR accessed_at <= $3)`
	if at.IsZero() {
		return false, s.fail("touch service account", errors.New("zero time"))
	}
	res, err := s.writer().ExecContext(ctx, q, id, millis(at), millis(at.Add(-every)))
	if err != nil {
		return false, s.fail("touch service account", err)
	}
	n, err := res.RowsAffected()
	return n > 0, s.fail("touch service account", err)
}

// SetServiceAccountSync stores the outcome of a push; the synced version
// never goes down.
func (s *Store) SetServiceAccountSync(ctx context.Context, id string, st db.ServiceAccountSync) error {
	const q = `UPDATE service_accounts SET
		synced_version = CASE WHEN $2 > synced_version THEN $2 ELSE synced_version END,
		synced_cluster_id = $3, synced_at = $4, sync_error = $5, sync_failures = $6, next_sync_at = $7
		WHERE id = $1`
	res, err := s.writer().ExecContext(ctx, q, id, st.SyncedVersion, st.ClusterID, nullMillis(st.SyncedAt),
		st.LastError, st.Failures, nullMillis(st.NextAttemptAt))
	return s.mustAffect("set service account sync", res, err, db.ErrNotFound)
}
