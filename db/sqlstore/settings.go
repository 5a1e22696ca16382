package sqlstore

import (
	"context"
	"encoding/json"

	"github.com/pomerium-console-oss/pomerium-console/db"
)

const settingsColumns = `cluster_id, value_json, sealed_secrets, created_at, modified_at`

// scanSettings reads one row of settingsColumns.
func scanSettings(row scanner) (db.Settings, error) {
	var (
		st                db.Settings
		secrets           string
		created, modified int64
	)
	if err := row.Scan(&st.ClusterID, &st.Values, &secrets, &created, &modified); err != nil {
		return db.Settings{}, err
	}
	if err := json.Unmarshal([]byte(secrets), &st.Secrets); err != nil {
		return db.Settings{}, err
	}
	if st.Secrets == nil {
		st.Secrets = map[string]string{}
	}
	st.CreatedAt, st.ModifiedAt = fromMillis(created), fromMillis(modified)
	return st, nil
}

// GetSettings returns the settings row of one cluster or db.ErrNotFound.
func (s *Store) GetSettings(ctx context.Context, clusterID string) (db.Settings, error) {
	const q = `SELECT ` + settingsColumns + ` FROM settings WHERE cluster_id = $1`
	st, err := scanSettings(s.reader().QueryRowContext(ctx, q, clusterID))
	return st, s.fail("get settings", err)
}

// ListSettings returns every settings row ordered by cluster id.
func (s *Store) ListSettings(ctx context.Context) ([]db.Settings, error) {
	const q = `SELECT ` + settingsColumns + ` FROM settings ORDER BY cluster_id`
	list, err := queryAll(ctx, s.reader(), scanSettings, q)
	return list, s.fail("list settings", err)
}

// PutSettings upserts the row of st.ClusterID; an existing row keeps its
// creation time.
func (s *Store) PutSettings(ctx context.Context, st db.Settings) error {
	const q = `INSERT INTO settings (` + settingsColumns + `) VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (cluster_id) DO UPDATE SET value_json = excluded.value_json,
		sealed_secrets = excluded.sealed_secrets, modified_at = excluded.modified_at`
	values := st.Values
	if values == "" {
		values = "{}"
	}
	secrets := st.Secrets
	if secrets == nil {
		secrets = map[string]string{}
	}
	b, err := json.Marshal(secrets)
	if err != nil {
		return s.fail("put settings", err)
	}
	_, err = s.writer().ExecContext(ctx, q, st.ClusterID, values, string(b), millis(st.CreatedAt), millis(st.ModifiedAt))
	return s.fail("put settings", err)
}
