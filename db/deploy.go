package db

import (
	"context"
	"time"
)

// DefaultClusterID is the id of the cluster that covers Global; the
// migration creates it and start-up fills in its databroker from the
// config file.
const DefaultClusterID = "default"

// Cluster is one Pomerium Core install the console pushes configuration
// to: it covers the namespace subtree rooted at NamespaceID, except the
// subtrees of clusters bound further down.
type Cluster struct {
	ID          string
	Name        string
	NamespaceID string
	// DatabrokerURL is http:// (h2c) or https://; empty means the
	// configuration is only rendered, never pushed.
	DatabrokerURL string
	// SealedSharedSecret is Core's shared_secret sealed with
	// database_encryption_key (context "clusters/<id>/shared_secret").
	SealedSharedSecret string
	// CAPEM, OverrideName and InsecureSkipVerify tune TLS to an https://
	// databroker.
	CAPEM              string
	OverrideName       string
	InsecureSkipVerify bool
	CreatedAt          time.Time
	ModifiedAt         time.Time
}

// ClusterStore persists clusters.
type ClusterStore interface {
	// ListClusters returns every cluster ordered by name (case-insensitively), then id.
	ListClusters(ctx context.Context) ([]Cluster, error)
	GetCluster(ctx context.Context, id string) (Cluster, error)
	// CreateCluster fails with ErrConflict when the id, the name
	// (case-insensitively) or the namespace is taken, ErrNotFound when the
	// namespace does not exist.
	CreateCluster(ctx context.Context, c Cluster) error
	// UpdateCluster writes every field but ID and CreatedAt; errors as
	// CreateCluster.
	UpdateCluster(ctx context.Context, c Cluster) error
	// DeleteCluster removes the cluster with its deployments and push state.
	DeleteCluster(ctx context.Context, id string) error
}

// PushState is how the last pushes of a cluster to its databroker went.
type PushState struct {
	ClusterID string
	// Connected is true when the last attempt reached the databroker and
	// was accepted.
	Connected              bool
	LastAttemptAt          time.Time
	LastSuccessAt          time.Time
	LastPushedDeploymentID string
	// LastError is the reason of the last failed attempt, for admins;
	// empty after a success.
	LastError string
	// ServerVersion describes the databroker (its server version, or a
	// note when it is too old to say).
	ServerVersion string
	// RecordVersion is the databroker's version of the console's record.
	RecordVersion uint64
	// Failures counts failed attempts since the last success; the retry
	// back-off grows with it.
	Failures    int
	NextRetryAt time.Time
}

// PushStateStore persists one push state per cluster.
type PushStateStore interface {
	// GetPushState returns the state of clusterID, or ErrNotFound before
	// the first attempt.
	GetPushState(ctx context.Context, clusterID string) (PushState, error)
	// ListPushStates returns every stored state ordered by cluster id.
	ListPushStates(ctx context.Context) ([]PushState, error)
	// PutPushState inserts or replaces the state of p.ClusterID;
	// ErrNotFound when the cluster does not exist.
	PutPushState(ctx context.Context, p PushState) error
}

// Changeset statuses: the REST ChangesetStatus enum.
const (
	StatusPending  = "pending"
	StatusApplying = "applying"
	StatusApplied  = "applied"
	StatusFailed   = "failed"
	StatusCurrent  = "current"
	StatusRejected = "rejected"
)

// Deployment is one closed changeset of a cluster: an immutable, numbered
// snapshot of the model and of the configuration rendered from it, with
// who made it and how its push went. Only Status, FailureMessage and
// ModifiedAt ever change, and YAML is filled in once.
type Deployment struct {
	ID        string
	ClusterID string
	// Number counts the cluster's deployments from 1; the store assigns it.
	Number int64
	Status string
	// Message is the admin's note; empty when none was given.
	Message string
	// ConfigRevision is the configuration revision the model was read at:
	// the changeset holds the changes after the previous deployment's
	// revision up to this one.
	ConfigRevision int64
	// SourceID is the deployment a re-deploy copied; empty otherwise.
	SourceID       string
	UserID         string
	UserName       string
	UserEmail      string
	FailureMessage string
	// Summary is a JSON object of counts shown in lists (app/deploy owns
	// its shape).
	Summary string
	// Model is the encoded model snapshot, Config the sealed rendered
	// configuration and YAML that configuration as config.yaml with its
	// secrets redacted (for diffs); app/deploy owns the encodings. Lists
	// leave the three empty.
	Model      string
	Config     string
	YAML       string
	ConfigHash string
	CreatedAt  time.Time
	ModifiedAt time.Time
}

// DeploymentFilter selects deployments; zero fields do not filter.
type DeploymentFilter struct {
	ClusterID string
	// Statuses keeps deployments in any of these statuses.
	Statuses []string
	Offset   int
	Limit    int
}

// DeploymentStore persists deployments.
type DeploymentStore interface {
	// CreateDeployment inserts d with the cluster's next number and returns
	// it; ErrNotFound when the cluster does not exist, ErrConflict when the
	// id is taken.
	CreateDeployment(ctx context.Context, d Deployment) (Deployment, error)
	// GetDeployment returns one deployment with its model, configuration
	// and YAML.
	GetDeployment(ctx context.Context, id string) (Deployment, error)
	// ListDeployments returns a page newest first (by number) without
	// Model, Config and YAML, and the total matching count.
	ListDeployments(ctx context.Context, f DeploymentFilter) ([]Deployment, int, error)
	// SetDeploymentStatus changes the status and failure message of one
	// deployment.
	SetDeploymentStatus(ctx context.Context, id, status, failure string, at time.Time) error
	// SetDeploymentYAML stores the redacted config.yaml of a deployment,
	// which follows from its configuration and is written once that was
	// pushed.
	SetDeploymentYAML(ctx context.Context, id, yaml string) error
}
