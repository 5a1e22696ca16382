package sqlstore

import (
	"context"
	"time"
)

// MarkConfigChanged increments the single revision row and remembers the
// new revision for the activity entries of the same transaction.
func (s *Store) MarkConfigChanged(ctx context.Context, at time.Time) (int64, error) {
	const q = `UPDATE config_revision SET revision = revision + 1, modified_at = $1 WHERE id = 1 RETURNING revision`
	var rev int64
	err := s.writer().QueryRowContext(ctx, q, millis(at)).Scan(&rev)
	if err == nil && s.tx != nil {
		s.tx.mu.Lock()
		s.tx.revision = rev
		s.tx.mu.Unlock()
	}
	return rev, s.fail("mark config changed", err)
}

// ConfigRevision reads the single revision row.
func (s *Store) ConfigRevision(ctx context.Context) (int64, time.Time, error) {
	var rev, modified int64
	err := s.reader().QueryRowContext(ctx, `SELECT revision, modified_at FROM config_revision WHERE id = 1`).Scan(&rev, &modified)
	return rev, fromMillis(modified), s.fail("config revision", err)
}
