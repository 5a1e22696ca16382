package deploy

import (
	"context"
	"errors"
	"fmt"

	"github.com/pomerium-console-oss/pomerium-console/app/errs"
	"github.com/pomerium-console-oss/pomerium-console/app/rbac"
	"github.com/pomerium-console-oss/pomerium-console/app/render"
	"github.com/pomerium-console-oss/pomerium-console/db"
)

// PageSize is the number of deployments on one page of the history.
const PageSize = 25

// Page is one page of a cluster's deployments, newest first.
type Page struct {
	Deployments []db.Deployment
	Total       int
	Offset      int
}

// List returns a page of a cluster's deployments for viewers of the
// namespace it is bound to.
func (s *Service) List(ctx context.Context, acc *rbac.Access, clusterID string, offset int) (Page, error) {
	if _, err := s.cluster(ctx, acc, clusterID, rbac.RoleViewer); err != nil {
		return Page{}, err
	}
	offset = max(offset, 0)
	list, total, err := s.store.ListDeployments(ctx, db.DeploymentFilter{ClusterID: clusterID, Offset: offset, Limit: PageSize})
	if err != nil {
		return Page{}, fmt.Errorf("deploy: list: %w", err)
	}
	return Page{Deployments: list, Total: total, Offset: offset}, nil
}

// Get returns one deployment (without its model and configuration) and its
// cluster.
func (s *Service) Get(ctx context.Context, acc *rbac.Access, id string) (db.Deployment, db.Cluster, error) {
	d, c, err := s.deployment(ctx, acc, id, rbac.RoleViewer)
	d.Model, d.Config, d.YAML = "", "", ""
	return d, c, err
}

// deployment returns one deployment with its model and configuration after
// checking the caller holds role on its cluster's namespace.
func (s *Service) deployment(ctx context.Context, acc *rbac.Access, id string, role rbac.Role) (db.Deployment, db.Cluster, error) {
	d, err := s.store.GetDeployment(ctx, id)
	switch {
	case errors.Is(err, db.ErrNotFound):
		return db.Deployment{}, db.Cluster{}, errs.NotFound("deployment %q does not exist", id)
	case err != nil:
		return db.Deployment{}, db.Cluster{}, fmt.Errorf("deploy: get: %w", err)
	}
	c, err := s.cluster(ctx, acc, d.ClusterID, role)
	if err != nil {
		return db.Deployment{}, db.Cluster{}, err
	}
	return d, c, nil
}

// Previous returns the deployment numbered just below d, if any, to
// compare d with.
func (s *Service) Previous(ctx context.Context, acc *rbac.Access, d db.Deployment) (db.Deployment, bool, error) {
	if _, err := s.cluster(ctx, acc, d.ClusterID, rbac.RoleViewer); err != nil {
		return db.Deployment{}, false, err
	}
	older, err := s.older(ctx, d, 1)
	if err != nil || len(older) == 0 {
		return db.Deployment{}, false, err
	}
	return older[0], true, nil
}

// older returns up to n deployments of d's cluster numbered below d,
// newest first.
func (s *Service) older(ctx context.Context, d db.Deployment, n int) ([]db.Deployment, error) {
	if d.Number <= 1 {
		return nil, nil
	}
	newest, _, err := s.store.ListDeployments(ctx, db.DeploymentFilter{ClusterID: d.ClusterID, Limit: 1})
	if err != nil {
		return nil, fmt.Errorf("deploy: older deployments: %w", err)
	}
	if len(newest) == 0 {
		return nil, nil
	}
	// Numbers have no gaps, so d's place in the newest-first list follows
	// from the newest number.
	offset := int(newest[0].Number - d.Number + 1)
	list, _, err := s.store.ListDeployments(ctx, db.DeploymentFilter{ClusterID: d.ClusterID, Offset: offset, Limit: n})
	if err != nil {
		return nil, fmt.Errorf("deploy: older deployments: %w", err)
	}
	return list, nil
}

// PushState returns how pushing to a cluster goes, for viewers of Global
// or of the namespace it is bound to; ok is false before the first push.
func (s *Service) PushState(ctx context.Context, acc *rbac.Access, clusterID string) (db.PushState, bool, error) {
	if _, err := s.cluster(ctx, acc, clusterID, rbac.RoleViewer); err != nil {
		return db.PushState{}, false, err
	}
	st, err := s.store.GetPushState(ctx, clusterID)
	switch {
	case errors.Is(err, db.ErrNotFound):
		return db.PushState{ClusterID: clusterID}, false, nil
	case err != nil:
		return db.PushState{}, false, fmt.Errorf("deploy: push state: %w", err)
	}
	return st, true, nil
}

// ChangesetScope is what a changeset's activity entries are: the
// configuration changes in its range of revisions, in the namespaces its
// cluster serves.
type ChangesetScope struct {
	Cluster      db.Cluster
	Revisions    db.RevisionRange
	NamespaceIDs []string
}

// PendingID names the open changeset of the cluster serving a namespace
// where a changeset id is expected (the activity log's changesetId).
const PendingID = "pending"

// Scope returns the activity scope of changeset id (a deployment id, or
// PendingID for the open changeset of the cluster serving nsID).
func (s *Service) Scope(ctx context.Context, acc *rbac.Access, id, nsID string) (ChangesetScope, error) {
	var (
		c   db.Cluster
		r   db.RevisionRange
		err error
	)
	if id == PendingID {
		if c, err = s.ClusterOf(ctx, acc, nsID); err != nil {
			return ChangesetScope{}, err
		}
		base, ok, err := s.latest(ctx, c.ID)
		if err != nil {
			return ChangesetScope{}, err
		}
		if ok {
			r.After = base.ConfigRevision
		}
	} else {
		var d db.Deployment
		if d, c, err = s.deployment(ctx, acc, id, rbac.RoleViewer); err != nil {
			return ChangesetScope{}, err
		}
		if r, err = s.revisions(ctx, d); err != nil {
			return ChangesetScope{}, err
		}
	}
	cov, err := s.coverage(ctx, acc)
	if err != nil {
		return ChangesetScope{}, err
	}
	return ChangesetScope{Cluster: c, Revisions: r, NamespaceIDs: cov.Namespaces(c.ID)}, nil
}

// revisions is the range of configuration revisions deployment d closed:
// after the revision of the newest older deployment that was not a
// re-deploy (a re-deploy applies none of the changes made before it), up
// to d's. A re-deploy's own range is empty.
func (s *Service) revisions(ctx context.Context, d db.Deployment) (db.RevisionRange, error) {
	if d.SourceID != "" {
		// UpTo 0 means "no upper bound", so an empty range is (x, x] with x > 0.
		return db.RevisionRange{After: d.ConfigRevision + 1, UpTo: d.ConfigRevision + 1}, nil
	}
	r := db.RevisionRange{UpTo: d.ConfigRevision}
	older, err := s.older(ctx, d, rangeLookBack)
	if err != nil {
		return r, err
	}
	for _, o := range older {
		if o.SourceID == "" {
			r.After = o.ConfigRevision
			break
		}
	}
	if r.UpTo <= r.After {
		r = db.RevisionRange{After: r.After + 1, UpTo: r.After + 1}
	}
	return r, nil
}

// rangeLookBack bounds how many re-deploys in a row revisions looks past.
const rangeLookBack = 50

// modelOf returns the model of deployment d, or the current model of
// cluster c for a zero d.
func (s *Service) modelOf(ctx context.Context, c db.Cluster, d db.Deployment) (render.Model, error) {
	if d.ID == "" {
		m, _, err := s.loadModel(ctx, c)
		return m, err
	}
	return s.baseline(ctx, d)
}
