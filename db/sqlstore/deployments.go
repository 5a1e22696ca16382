package sqlstore

import (
	"context"
	"time"

	"github.com/pomerium-console-oss/pomerium-console/db"
)

// deploymentSummaryColumns are what lists read; deploymentColumns add the
// (large) model and configuration.
const (
	deploymentSummaryColumns = `id, cluster_id, number, status, message, config_revision, source_id, user_id,
	user_name, user_email, failure_message, summary, config_hash, created_at, modified_at`
	deploymentColumns = deploymentSummaryColumns + `, model, config, yaml`
)

// scanDeploymentSummary reads one row of deploymentSummaryColumns, plus
// extra destinations.
func scanDeploymentSummary(row scanner, extra ...any) (db.Deployment, error) {
	var (
		d                 db.Deployment
		created, modified int64
	)
	dest := append([]any{&d.ID, &d.ClusterID, &d.Number, &d.Status, &d.Message, &d.ConfigRevision, &d.SourceID,
		&d.UserID, &d.UserName, &d.UserEmail, &d.FailureMessage, &d.Summary, &d.ConfigHash, &created, &modified}, extra...)
	if err := row.Scan(dest...); err != nil {
		return db.Deployment{}, err
	}
	d.CreatedAt, d.ModifiedAt = fromMillis(created), fromMillis(modified)
	return d, nil
}

// scanDeployment reads one row of deploymentColumns.
func scanDeployment(row scanner) (db.Deployment, error) {
	var model, config, yaml string
	d, err := scanDeploymentSummary(row, &model, &config, &yaml)
	d.Model, d.Config, d.YAML = model, config, yaml
	return d, err
}

// CreateDeployment inserts d numbered one past the cluster's last
// deployment, in one statement so the number cannot be read stale.
func (s *Store) CreateDeployment(ctx context.Context, d db.Deployment) (db.Deployment, error) {
	const q = `INSERT INTO deployments (id, cluster_id, number, status, message, config_revision, source_id,
		user_id, user_name, user_email, failure_message, summary, config_hash, created_at, modified_at, model, config, yaml)
		SELECT $1, $2, COALESCE(MAX(number), 0) + 1, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17
		FROM deployments WHERE cluster_id = $2
		RETURNING number`
	summary := d.Summary
	if summary == "" {
		summary = "{}"
	}
	err := s.writer().QueryRowContext(ctx, q, d.ID, d.ClusterID, d.Status, d.Message, d.ConfigRevision, d.SourceID,
		d.UserID, d.UserName, d.UserEmail, d.FailureMessage, summary, d.ConfigHash, millis(d.CreatedAt),
		millis(d.ModifiedAt), d.Model, d.Config, d.YAML).Scan(&d.Number)
	if err != nil {
		return db.Deployment{}, s.fail("create deployment", err)
	}
	d.Summary = summary
	d.CreatedAt, d.ModifiedAt = stored(d.CreatedAt), stored(d.ModifiedAt)
	return d, nil
}

// GetDeployment returns one deployment with its model and configuration,
// or db.ErrNotFound.
func (s *Store) GetDeployment(ctx context.Context, id string) (db.Deployment, error) {
	const q = `SELECT ` + deploymentColumns + ` FROM deployments WHERE id = $1`
	d, err := scanDeployment(s.reader().QueryRowContext(ctx, q, id))
	return d, s.fail("get deployment", err)
}

// ListDeployments returns one page of matching deployments, newest first,
// without their model, configuration and YAML.
func (s *Store) ListDeployments(ctx context.Context, f db.DeploymentFilter) ([]db.Deployment, int, error) {
	var (
		a     args
		where []string
	)
	if f.ClusterID != "" {
		where = append(where, `cluster_id = `+a.add(f.ClusterID))
	}
	if len(f.Statuses) > 0 {
		where = append(where, `status IN (`+a.addAll(f.Statuses)+`)`)
	}
	return listPage(ctx, s, page{
		what: "deployments", table: "deployments", columns: deploymentSummaryColumns, where: where, args: a,
		order: `number DESC, cluster_id`, limit: f.Limit, offset: f.Offset,
	}, func(row scanner) (db.Deployment, error) { return scanDeploymentSummary(row) })
}

// SetDeploymentStatus changes the status, failure message and modification
// time of one deployment; db.ErrNotFound when there is none.
func (s *Store) SetDeploymentStatus(ctx context.Context, id, status, failure string, at time.Time) error {
	const q = `UPDATE deployments SET status = $2, failure_message = $3, modified_at = $4 WHERE id = $1`
	res, err := s.writer().ExecContext(ctx, q, id, status, failure, millis(at))
	return s.mustAffect("set deployment status", res, err, db.ErrNotFound)
}

// SetDeploymentYAML stores the redacted config.yaml of one deployment;
// db.ErrNotFound when there is none.
func (s *Store) SetDeploymentYAML(ctx context.Context, id, yaml string) error {
	res, err := s.writer().ExecContext(ctx, `UPDATE deployments SET yaml = $2 WHERE id = $1`, id, yaml)
	return s.mustAffect("set deployment yaml", res, err, db.ErrNotFound)
}

// stored is t as the store gives it back: UTC at millisecond precision.
func stored(t time.Time) time.Time {
	return fromMillis(millis(t))
}
