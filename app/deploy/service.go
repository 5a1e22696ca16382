package deploy

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/pomerium-console-oss/pomerium-console/app/clusters"
	"github.com/pomerium-console-oss/pomerium-console/app/databroker"
	"github.com/pomerium-console-oss/pomerium-console/app/errs"
	"github.com/pomerium-console-oss/pomerium-console/app/keylock"
	"github.com/pomerium-console-oss/pomerium-console/app/rbac"
	"github.com/pomerium-console-oss/pomerium-console/app/render"
	"github.com/pomerium-console-oss/pomerium-console/db"
)

// Defaults of Options.
const (
	DefaultPushTimeout  = 10 * time.Second
	DefaultSyncInterval = time.Minute
)

// Options configure a Service; zero durations take the defaults.
type Options struct {
	Store    db.Store
	Sealer   Sealer
	Clusters *clusters.Service
	Now      func() time.Time
	Logger   *slog.Logger
	// PushTimeout bounds one push (read, compare, write) to a databroker.
	PushTimeout time.Duration
	// SyncInterval is how often the retry job re-checks a cluster whose
	// push succeeded (repairing a databroker that lost its records).
	SyncInterval time.Duration
	// Backoff spaces out retries of a failed push.
	Backoff databroker.Backoff
	// Export writes a Config as config.yaml, for diffs and downloads.
	Export Exporter
	// RedactionKey keys the fingerprints that stand for secrets in diffs.
	RedactionKey []byte
}

// Service applies changesets, keeps the deployment history and pushes to
// the clusters' databrokers.
type Service struct {
	store     db.Store
	sealer    Sealer
	clusters  *clusters.Service
	now       func() time.Time
	logger    *slog.Logger
	syncEvery time.Duration
	backoff   databroker.Backoff
	exporter  Exporter
	redactKey []byte
	pusher    *pusher
	cache     *modelCache
	auto      *autoApplier

	locks keylock.Locks
}

// New returns a Service; Close it to stop auto-applying and release the
// databroker connections.
func New(o Options) *Service {
	if o.PushTimeout <= 0 {
		o.PushTimeout = DefaultPushTimeout
	}
	if o.SyncInterval <= 0 {
		o.SyncInterval = DefaultSyncInterval
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	s := &Service{
		store: o.Store, sealer: o.Sealer, clusters: o.Clusters, now: o.Now, logger: o.Logger,
		syncEvery: o.SyncInterval, backoff: o.Backoff, exporter: o.Export,
		redactKey: o.RedactionKey,
		pusher:    &pusher{timeout: o.PushTimeout, secret: o.Clusters.OpenSecret, clients: map[string]cachedClient{}},
		cache:     newModelCache(),
	}
	s.auto = newAutoApplier(s)
	return s
}

// Close waits for a running auto-apply and closes the databroker clients.
func (s *Service) Close() {
	s.auto.close()
	s.pusher.close()
}

// lock serialises the applies, pushes and discards of one cluster.
func (s *Service) lock(clusterID string) func() { return s.locks.Lock(clusterID) }

// cluster returns one cluster after checking the caller holds role on the
// namespace it is bound to.
func (s *Service) cluster(ctx context.Context, acc *rbac.Access, id string, role rbac.Role) (db.Cluster, error) {
	c, err := s.store.GetCluster(ctx, id)
	switch {
	case errors.Is(err, db.ErrNotFound):
		return db.Cluster{}, errs.NotFound("cluster %q does not exist", id)
	case err != nil:
		return db.Cluster{}, fmt.Errorf("deploy: cluster: %w", err)
	}
	if err := acc.Require(c.NamespaceID, role); err != nil {
		return db.Cluster{}, err
	}
	return c, nil
}

// coverage tells which cluster serves each namespace of the caller's tree.
func (s *Service) coverage(ctx context.Context, acc *rbac.Access) (clusters.Coverage, error) {
	list, err := s.store.ListClusters(ctx)
	if err != nil {
		return clusters.Coverage{}, fmt.Errorf("deploy: clusters: %w", err)
	}
	return clusters.NewCoverage(acc.Tree(), list), nil
}

// ClusterOf returns the cluster serving namespace nsID.
func (s *Service) ClusterOf(ctx context.Context, acc *rbac.Access, nsID string) (db.Cluster, error) {
	cov, err := s.coverage(ctx, acc)
	if err != nil {
		return db.Cluster{}, err
	}
	c, ok := cov.ClusterOf(nsID)
	if !ok {
		return db.Cluster{}, errs.NotFound("no cluster serves namespace %s", nsID)
	}
	return c, nil
}

// latest returns the newest deployment of a cluster that was not
// rejected: the baseline of its open changeset. ok is false before the
// first deployment.
func (s *Service) latest(ctx context.Context, clusterID string) (db.Deployment, bool, error) {
	return s.newest(ctx, clusterID, db.StatusCurrent, db.StatusApplied, db.StatusFailed, db.StatusApplying)
}

// newest returns the newest deployment of a cluster in one of statuses.
func (s *Service) newest(ctx context.Context, clusterID string, statuses ...string) (db.Deployment, bool, error) {
	list, _, err := s.store.ListDeployments(ctx, db.DeploymentFilter{ClusterID: clusterID, Statuses: statuses, Limit: 1})
	if err != nil {
		return db.Deployment{}, false, fmt.Errorf("deploy: latest deployment: %w", err)
	}
	if len(list) == 0 {
		return db.Deployment{}, false, nil
	}
	return list[0], true, nil
}

// loadModel reads the current model of cluster c and the configuration
// revision it reflects. The revision is read before and after the model:
// when they differ a change committed meanwhile and the read is repeated,
// so that the revision never claims changes the model lacks.
func (s *Service) loadModel(ctx context.Context, c db.Cluster) (render.Model, int64, error) {
	for attempt := 0; ; attempt++ {
		before, _, err := s.store.ConfigRevision(ctx)
		if err != nil {
			return render.Model{}, 0, fmt.Errorf("deploy: revision: %w", err)
		}
		if m, ok := s.cache.model(c.ID, before); ok {
			return m, before, nil
		}
		cov, err := clusters.Load(ctx, s.store)
		if err != nil {
			return render.Model{}, 0, err
		}
		m, err := render.Load(ctx, s.store, cov.Tree(c.ID), c.ID, c.NamespaceID)
		if err != nil {
			return render.Model{}, 0, fmt.Errorf("deploy: %w", err)
		}
		after, _, err := s.store.ConfigRevision(ctx)
		if err != nil {
			return render.Model{}, 0, fmt.Errorf("deploy: revision: %w", err)
		}
		if after == before || attempt == 2 {
			s.cache.putModel(c.ID, before, m)
			return m, before, nil
		}
	}
}

// baseline returns the model of deployment d (decoded once and cached).
func (s *Service) baseline(ctx context.Context, d db.Deployment) (render.Model, error) {
	if m, ok := s.cache.snapshot(d.ID); ok {
		return m, nil
	}
	full, err := s.store.GetDeployment(ctx, d.ID)
	if err != nil {
		return render.Model{}, fmt.Errorf("deploy: deployment %s: %w", d.ID, err)
	}
	m, err := decodeModel(full.Model)
	if err != nil {
		return render.Model{}, err
	}
	s.cache.putSnapshot(d.ID, m)
	return m, nil
}
