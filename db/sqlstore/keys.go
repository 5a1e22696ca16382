package sqlstore

import (
	"context"

	"github.com/pomerium-console-oss/pomerium-console/db"
)

const keyColumns = `purpose, sealed, created_at`

// scanKey reads one row of keyColumns.
func scanKey(row scanner) (db.SealedKey, error) {
	var (
		k       db.SealedKey
		created int64
	)
	if err := row.Scan(&k.Purpose, &k.Sealed, &created); err != nil {
		return db.SealedKey{}, err
	}
	k.CreatedAt = fromMillis(created)
	return k, nil
}

// GetKey returns the key for purpose or db.ErrNotFound.
func (s *Store) GetKey(ctx context.Context, purpose string) (db.SealedKey, error) {
	const q = `SELECT ` + keyColumns + ` FROM console_keys WHERE purpose = $1`
	k, err := scanKey(s.reader().QueryRowContext(ctx, q, purpose))
	return k, s.fail("get key", err)
}

// InsertKeyIfAbsent stores k unless its purpose has a key, then returns the
// stored key. DO NOTHING waits for a concurrent insert of the same purpose
// to finish, so every caller reads back the one winner.
func (s *Store) InsertKeyIfAbsent(ctx context.Context, k db.SealedKey) (db.SealedKey, error) {
	const (
		insert = `INSERT INTO console_keys (` + keyColumns + `) VALUES ($1, $2, $3) ON CONFLICT (purpose) DO NOTHING`
		get    = `SELECT ` + keyColumns + ` FROM console_keys WHERE purpose = $1`
	)
	w := s.writer()
	if _, err := w.ExecContext(ctx, insert, k.Purpose, k.Sealed, millis(k.CreatedAt)); err != nil {
		return db.SealedKey{}, s.fail("insert key", err)
	}
	// Read on the writer so SQLite sees the row its write pool just committed.
	stored, err := scanKey(w.QueryRowContext(ctx, get, k.Purpose))
	return stored, s.fail("insert key", err)
}
