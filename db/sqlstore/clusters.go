package sqlstore

import (
	"context"
	"strings"

	"github.com/pomerium-console-oss/pomerium-console/db"
)

const clusterColumns = `id, name, namespace_id, databroker_url, sealed_shared_secret, ca_pem, override_name,
	insecure_skip_verify, created_at, modified_at`

// scanCluster reads one row of clusterColumns.
func scanCluster(row scanner) (db.Cluster, error) {
	var (
		c                 db.Cluster
		created, modified int64
	)
	err := row.Scan(&c.ID, &c.Name, &c.NamespaceID, &c.DatabrokerURL, &c.SealedSharedSecret, &c.CAPEM,
		&c.OverrideName, &c.InsecureSkipVerify, &created, &modified)
	if err != nil {
		return db.Cluster{}, err
	}
	c.CreatedAt, c.ModifiedAt = fromMillis(created), fromMillis(modified)
	return c, nil
}

// ListClusters returns every cluster ordered by name, case-insensitively.
func (s *Store) ListClusters(ctx context.Context) ([]db.Cluster, error) {
	const q = `SELECT ` + clusterColumns + ` FROM clusters ORDER BY name_key, name, id`
	list, err := queryAll(ctx, s.reader(), scanCluster, q)
	return list, s.fail("list clusters", err)
}

// GetCluster returns one cluster or db.ErrNotFound.
func (s *Store) GetCluster(ctx context.Context, id string) (db.Cluster, error) {
	const q = `SELECT ` + clusterColumns + ` FROM clusters WHERE id = $1`
	c, err := scanCluster(s.reader().QueryRowContext(ctx, q, id))
	return c, s.fail("get cluster", err)
}

// CreateCluster inserts c; db.ErrConflict for a taken id, name or
// namespace, db.ErrNotFound for a missing namespace.
func (s *Store) CreateCluster(ctx context.Context, c db.Cluster) error {
	const q = `INSERT INTO clusters (id, name, name_key, namespace_id, databroker_url, sealed_shared_secret,
		ca_pem, override_name, insecure_skip_verify, created_at, modified_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`
	_, err := s.writer().ExecContext(ctx, q, c.ID, c.Name, strings.ToLower(c.Name), c.NamespaceID, c.DatabrokerURL,
		c.SealedSharedSecret, c.CAPEM, c.OverrideName, c.InsecureSkipVerify, millis(c.CreatedAt), millis(c.ModifiedAt))
	return s.fail("create cluster", err)
}

// UpdateCluster writes everything but the id and creation time.
func (s *Store) UpdateCluster(ctx context.Context, c db.Cluster) error {
	const q = `UPDATE clusters SET name = $2, name_key = $3, namespace_id = $4, databroker_url = $5,
		sealed_shared_secret = $6, ca_pem = $7, override_name = $8, insecure_skip_verify = $9, modified_at = $10
		WHERE id = $1`
	res, err := s.writer().ExecContext(ctx, q, c.ID, c.Name, strings.ToLower(c.Name), c.NamespaceID, c.DatabrokerURL,
		c.SealedSharedSecret, c.CAPEM, c.OverrideName, c.InsecureSkipVerify, millis(c.ModifiedAt))
	return s.mustAffect("update cluster", res, err, db.ErrNotFound)
}

// DeleteCluster removes one cluster; its deployments and push state go by
// cascade.
func (s *Store) DeleteCluster(ctx context.Context, id string) error {
	res, err := s.writer().ExecContext(ctx, `DELETE FROM clusters WHERE id = $1`, id)
	return s.mustAffect("delete cluster", res, err, db.ErrReferenced)
}

const pushStateColumns = `cluster_id, connected, last_attempt_at, last_success_at, last_pushed_deployment_id,
	last_error, server_version, record_version, failures, next_retry_at`

// scanPushState reads one row of pushStateColumns.
func scanPushState(row scanner) (db.PushState, error) {
	var (
		p                         db.PushState
		attempt, success, nextTry int64
		recordVersion             int64
	)
	err := row.Scan(&p.ClusterID, &p.Connected, &attempt, &success, &p.LastPushedDeploymentID, &p.LastError,
		&p.ServerVersion, &recordVersion, &p.Failures, &nextTry)
	if err != nil {
		return db.PushState{}, err
	}
	p.LastAttemptAt, p.LastSuccessAt, p.NextRetryAt = fromMillis(attempt), fromMillis(success), fromMillis(nextTry)
	p.RecordVersion = uint64(recordVersion)
	return p, nil
}

// GetPushState returns the push state of one cluster or db.ErrNotFound.
func (s *Store) GetPushState(ctx context.Context, clusterID string) (db.PushState, error) {
	const q = `SELECT ` + pushStateColumns + ` FROM cluster_push_state WHERE cluster_id = $1`
	p, err := scanPushState(s.reader().QueryRowContext(ctx, q, clusterID))
	return p, s.fail("get push state", err)
}

// ListPushStates returns every push state ordered by cluster id.
func (s *Store) ListPushStates(ctx context.Context) ([]db.PushState, error) {
	const q = `SELECT ` + pushStateColumns + ` FROM cluster_push_state ORDER BY cluster_id`
	list, err := queryAll(ctx, s.reader(), scanPushState, q)
	return list, s.fail("list push states", err)
}

// PutPushState upserts the push state of p.ClusterID.
func (s *Store) PutPushState(ctx context.Context, p db.PushState) error {
	const q = `INSERT INTO cluster_push_state (` + pushStateColumns + `)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
		ON CONFLICT (cluster_id) DO UPDATE SET connected = excluded.connected,
		last_attempt_at = excluded.last_attempt_at, last_success_at = excluded.last_success_at,
		last_pushed_deployment_id = excluded.last_pushed_deployment_id, last_error = excluded.last_error,
		server_version = excluded.server_version, record_version = excluded.record_version,
		failures = excluded.failures, next_retry_at = excluded.next_retry_at`
	// NB: record versions stay far below 2^63; both engines store BIGINT.
	_, err := s.writer().ExecContext(ctx, q, p.ClusterID, p.Connected, millis(p.LastAttemptAt), millis(p.LastSuccessAt),
		p.LastPushedDeploymentID, p.LastError, p.ServerVersion, int64(p.RecordVersion), p.Failures, millis(p.NextRetryAt))
	return s.fail("put push state", err)
}
