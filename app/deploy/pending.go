package deploy

import (
	"context"

	"github.com/pomerium-console-oss/pomerium-console/app/rbac"
	"github.com/pomerium-console-oss/pomerium-console/app/render"
	"github.com/pomerium-console-oss/pomerium-console/db"
)

// Pending is the open changeset of a cluster: the entities whose rendered
// form differs from its latest deployment's snapshot.
type Pending struct {
	Cluster db.Cluster
	// Baseline is the latest deployment; HasBaseline is false before the
	// first one, when every entity counts as added.
	Baseline    db.Deployment
	HasBaseline bool
	// Revision is the configuration revision the model was read at.
	Revision int64
	Changes  []Change
}

// nothingToApply reports whether the model equals the latest deployment
// (before the first one, even an empty model is applied).
func (p Pending) nothingToApply() bool { return len(p.Changes) == 0 && p.HasBaseline }

// draft is the deployment of m, the model p was computed from, asked for
// by acc (nil for an automatic apply).
func (p Pending) draft(m render.Model, message string, acc *rbac.Access) draft {
	return draft{model: m, revision: p.Revision, changes: p.Changes, message: message, acc: acc}
}

// Pending returns the open changeset of a cluster, for viewers of the
// namespace it is bound to.
func (s *Service) Pending(ctx context.Context, acc *rbac.Access, clusterID string) (Pending, error) {
	c, err := s.cluster(ctx, acc, clusterID, rbac.RoleViewer)
	if err != nil {
		return Pending{}, err
	}
	p, _, err := s.pending(ctx, c)
	return p, err
}

// PendingCount returns how many changes wait in the changeset of the
// cluster serving namespace nsID, for the layout's pill; 0 when the
// caller may not view that cluster's deployments.
func (s *Service) PendingCount(ctx context.Context, acc *rbac.Access, nsID string) (int, error) {
	c, err := s.ClusterOf(ctx, acc, nsID)
	if err != nil {
		return 0, err
	}
	if acc.Role(c.NamespaceID) < rbac.RoleViewer {
		return 0, nil
	}
	p, _, err := s.pending(ctx, c)
	return len(p.Changes), err
}

// pending computes the open changeset of c and returns the current model
// with it.
func (s *Service) pending(ctx context.Context, c db.Cluster) (Pending, render.Model, error) {
	base, hasBase, err := s.latest(ctx, c.ID)
	if err != nil {
		return Pending{}, render.Model{}, err
	}
	m, rev, err := s.loadModel(ctx, c)
	if err != nil {
		return Pending{}, render.Model{}, err
	}
	p := Pending{Cluster: c, Baseline: base, HasBaseline: hasBase, Revision: rev}
	if changes, ok := s.cache.changes(c.ID, rev, base.ID); ok {
		p.Changes = changes
		return p, m, nil
	}
	var from render.Model
	if hasBase {
		if from, err = s.baseline(ctx, base); err != nil {
			return Pending{}, render.Model{}, err
		}
	}
	p.Changes = Diff(from, m)
	s.cache.putChanges(c.ID, rev, base.ID, p.Changes)
	return p, m, nil
}
