package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/pomerium-console-oss/pomerium-console/db"
)

// userColumns is the column list, in scan order, of scanUser.
const userColumns = `id, email, name, groups, created_at, last_seen_at`

// scanUser reads one row of userColumns.
func scanUser(row scanner) (db.User, error) {
	var (
		u                 db.User
		groups            string
		created, lastSeen int64
	)
	if err := row.Scan(&u.ID, &u.Email, &u.Name, &groups, &created, &lastSeen); err != nil {
		return db.User{}, err
	}
	if err := json.Unmarshal([]byte(groups), &u.Groups); err != nil {
		return db.User{}, fmt.Errorf("user %q: groups: %w", u.ID, err)
	}
	if len(u.Groups) == 0 {
		u.Groups = nil // "[]" reads back like the nil it was written from
	}
	u.CreatedAt = fromMillis(created)
	u.LastSeenAt = fromMillis(lastSeen)
	return u, nil
}

// UpsertUser inserts u or refreshes Email, Name, Groups and LastSeenAt,
// keeping CreatedAt.
func (s *Store) UpsertUser(ctx context.Context, u db.User) error {
	const q = `INSERT INTO users (` + userColumns + `) VALUES ($1, $2, $3, $4, $5, $6)
		ON CONFLICT (id) DO UPDATE SET email = excluded.email, name = excluded.name,
			groups = excluded.groups, last_seen_at = excluded.last_seen_at`
	groups := u.Groups
	if groups == nil {
		groups = []string{}
	}
	encoded, err := json.Marshal(groups)
	if err != nil {
		return s.fail("upsert user", err)
	}
	_, err = s.writer().ExecContext(ctx, q,
		u.ID, u.Email, u.Name, string(encoded), millis(u.CreatedAt), millis(u.LastSeenAt))
	return s.fail("upsert user", err)
}

// GetUser returns one user or db.ErrNotFound.
func (s *Store) GetUser(ctx context.Context, id string) (db.User, error) {
	const q = `SELECT ` + userColumns + ` FROM users WHERE id = $1`
	u, err := scanUser(s.reader().QueryRowContext(ctx, q, id))
	return u, s.fail("get user", err)
}

// SearchUsers matches query as a case-insensitive substring of id, email or
// name; LIKE wildcards in query match literally. limit is clamped like
// ActivityFilter.Limit.
func (s *Store) SearchUsers(ctx context.Context, query string, limit int) ([]db.User, error) {
	q := `SELECT ` + userColumns + ` FROM users WHERE ` + s.matches("id", "$1") + ` OR ` + s.matches("email", "$1") +
		` OR ` + s.matches("name", "$1") + ` ORDER BY email, id LIMIT $2`
	list, err := queryAll(ctx, s.reader(), scanUser, q, containsPattern(query), clampLimit(limit))
	return list, s.fail("search users", err)
}
