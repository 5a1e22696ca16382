package sqlstore

import (
	"context"
	"errors"
	"time"

	"github.com/pomerium-console-oss/pomerium-console/db"
)

const recoveryTokenColumns = `id, namespace_id, created_at, expires_at, single_use, used_at`

// scanRecoveryToken reads one row of recoveryTokenColumns.
func scanRecoveryToken(row scanner) (db.RecoveryToken, error) {
	var (
		t                      db.RecoveryToken
		created, expires, used int64
	)
	if err := row.Scan(&t.ID, &t.NamespaceID, &created, &expires, &t.SingleUse, &used); err != nil {
		return db.RecoveryToken{}, err
	}
	t.CreatedAt = fromMillis(created)
	t.ExpiresAt = fromMillis(expires)
	t.UsedAt = fromMillis(used)
	return t, nil
}

// InsertRecoveryToken stores t; db.ErrConflict when the id is taken.
func (s *Store) InsertRecoveryToken(ctx context.Context, t db.RecoveryToken) error {
	const q = `INSERT INTO recovery_tokens (` + recoveryTokenColumns + `) VALUES ($1, $2, $3, $4, $5, $6)`
	_, err := s.writer().ExecContext(ctx, q,
		t.ID, t.NamespaceID, millis(t.CreatedAt), millis(t.ExpiresAt), t.SingleUse, millis(t.UsedAt))
	return s.fail("insert recovery token", err)
}

// GetRecoveryToken returns one token or db.ErrNotFound.
func (s *Store) GetRecoveryToken(ctx context.Context, id string) (db.RecoveryToken, error) {
	const q = `SELECT ` + recoveryTokenColumns + ` FROM recovery_tokens WHERE id = $1`
	t, err := scanRecoveryToken(s.reader().QueryRowContext(ctx, q, id))
	return t, s.fail("get recovery token", err)
}

// MarkRecoveryTokenUsed sets UsedAt in one conditional UPDATE, so of two
// concurrent uses exactly one wins; the loser gets db.ErrConflict, an
// unknown id db.ErrNotFound.
func (s *Store) MarkRecoveryTokenUsed(ctx context.Context, id string, at time.Time) error {
	const (
		op     = "mark recovery token used"
		update = `UPDATE recovery_tokens SET used_at = $2 WHERE id = $1 AND used_at = 0`
		exists = `SELECT 1 FROM recovery_tokens WHERE id = $1`
	)
	if at.IsZero() {
		// 0 means "unused": storing it would silently leave the token usable.
		return s.fail(op, errors.New("zero time"))
	}
	w := s.writer()
	res, err := w.ExecContext(ctx, update, id, millis(at))
	if err != nil {
		return s.fail(op, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return s.fail(op, err)
	}
	if n == 1 {
		return nil
	}
	var one int
	if err := w.QueryRowContext(ctx, exists, id).Scan(&one); err != nil {
		return s.fail(op, err)
	}
	return s.sentinel(op, db.ErrConflict)
}

// DeleteExpiredRecoveryTokens removes tokens whose ExpiresAt is before
// before and returns how many went.
func (s *Store) DeleteExpiredRecoveryTokens(ctx context.Context, before time.Time) (int, error) {
	const q = `DELETE FROM recovery_tokens WHERE expires_at < $1`
	res, err := s.writer().ExecContext(ctx, q, millis(before))
	if err != nil {
		return 0, s.fail("delete expired recovery tokens", err)
	}
	n, err := res.RowsAffected()
	return int(n), s.fail("delete expired recovery tokens", err)
}
