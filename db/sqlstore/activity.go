package sqlstore

import (
	"context"

	"github.com/pomerium-console-oss/pomerium-console/db"
)

// Page sizes for ListActivity and SearchUsers.
const (
	// DefaultLimit is the page size when the caller asks for none.
	DefaultLimit = 50
	// MaxLimit caps the page size so one request cannot read the whole log.
	MaxLimit = 500
)

// clampLimit applies DefaultLimit and MaxLimit.
func clampLimit(limit int) int {
	switch {
	case limit <= 0:
		return DefaultLimit
	case limit > MaxLimit:
		return MaxLimit
	}
	return limit
}

const activityColumns = `id, created_at, activity_type, namespace_id, namespace_name,
	user_id, user_name, user_email, auth_method, entity_type, entity_id, entity_name, before, after, config_revision,
	service_account_id`

// scanActivity reads one row of activityColumns.
func scanActivity(row scanner) (db.ActivityEntry, error) {
	var (
		e       db.ActivityEntry
		created int64
	)
	err := row.Scan(&e.ID, &created, &e.ActivityType, &e.NamespaceID, &e.NamespaceName,
		&e.UserID, &e.UserName, &e.UserEmail, &e.AuthMethod, &e.EntityType, &e.EntityID, &e.EntityName,
		&e.Before, &e.After, &e.ConfigRevision, &e.ServiceAccountID)
	if err != nil {
		return db.ActivityEntry{}, err
	}
	e.CreatedAt = fromMillis(created)
	return e, nil
}

// InsertActivity appends one entry; db.ErrConflict when the id is taken.
// An entry without a ConfigRevision gets the one MarkConfigChanged gave
// earlier in the same transaction, if any.
func (s *Store) InsertActivity(ctx context.Context, e db.ActivityEntry) error {
	const q = `INSERT INTO activity_log (` + activityColumns + `)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)`
	if e.ConfigRevision == 0 && s.tx != nil {
		s.tx.mu.Lock()
		e.ConfigRevision = s.tx.revision
		s.tx.mu.Unlock()
	}
	_, err := s.writer().ExecContext(ctx, q, e.ID, millis(e.CreatedAt), e.ActivityType, e.NamespaceID,
		e.NamespaceName, e.UserID, e.UserName, e.UserEmail, e.AuthMethod, e.EntityType, e.EntityID,
		e.EntityName, e.Before, e.After, e.ConfigRevision, e.ServiceAccountID)
	return s.fail("insert activity", err)
}

// GetActivity returns one entry or db.ErrNotFound.
func (s *Store) GetActivity(ctx context.Context, id string) (db.ActivityEntry, error) {
	const q = `SELECT ` + activityColumns + ` FROM activity_log WHERE id = $1`
	e, err := scanActivity(s.reader().QueryRowContext(ctx, q, id))
	return e, s.fail("get activity", err)
}

// ListActivity returns one page of matching entries, newest first (ties by
// id, descending), and the number of all matching entries.
func (s *Store) ListActivity(ctx context.Context, f db.ActivityFilter) ([]db.ActivityEntry, int, error) {
	if f.NamespaceIDs != nil && len(f.NamespaceIDs) == 0 {
		return nil, 0, nil // an empty set of namespaces matches nothing
	}
	var (
		a     args
		where []string
	)
	for _, eq := range []struct{ column, value string }{
		{"activity_type", f.ActivityType},
		{"entity_type", f.EntityType},
		{"entity_id", f.EntityID},
		{"user_id", f.UserID},
	} {
		if eq.value != "" {
			where = append(where, eq.column+` = `+a.add(eq.value))
		}
	}
	if len(f.NamespaceIDs) > 0 {
		where = append(where, `namespace_id IN (`+a.addAll(f.NamespaceIDs)+`)`)
	}
	if r := f.Revisions; r != nil {
		where = append(where, `config_revision > `+a.add(max(r.After, 0)))
		if r.UpTo > 0 {
			where = append(where, `config_revision <= `+a.add(r.UpTo))
		}
	}
	return listPage(ctx, s, page{
		what: "activity", table: "activity_log", columns: activityColumns, where: where, args: a,
		order: `created_at DESC, id DESC`, limit: f.Limit, offset: f.Offset,
	}, scanActivity)
}

// ListActivityUsers returns each distinct (UserID, UserName, UserEmail) of
// the entries of namespaceIDs, ordered by name, e-mail and id.
func (s *Store) ListActivityUsers(ctx context.Context, namespaceIDs []string) ([]db.ActivityEntry, error) {
	if namespaceIDs != nil && len(namespaceIDs) == 0 {
		return nil, nil
	}
	var a args
	cond := ""
	if len(namespaceIDs) > 0 {
		cond = ` WHERE namespace_id IN (` + a.addAll(namespaceIDs) + `)`
	}
	q := `SELECT DISTINCT user_id, user_name, user_email FROM activity_log` + cond +
		` ORDER BY user_name, user_email, user_id`
	list, err := queryAll(ctx, s.reader(), func(row scanner) (db.ActivityEntry, error) {
		var e db.ActivityEntry
		err := row.Scan(&e.UserID, &e.UserName, &e.UserEmail)
		return e, err
	}, q, a...)
	return list, s.fail("list activity users", err)
}
