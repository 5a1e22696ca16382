package configyaml

import (
	"context"
	"fmt"

	"github.com/pomerium-console-oss/pomerium-console/app/clusters"
	"github.com/pomerium-console-oss/pomerium-console/app/errs"
	"github.com/pomerium-console-oss/pomerium-console/app/rbac"
	"github.com/pomerium-console-oss/pomerium-console/app/render"
	"github.com/pomerium-console-oss/pomerium-console/db"
)

// ExportCurrent renders the current configuration of namespace nsID and
// its children, as the cluster that serves it would get it (its tree, its
// settings), and exports it. The file holds the cluster's secrets, so the
// caller needs the admin role where the cluster is bound.
func (s *Service) ExportCurrent(ctx context.Context, acc *rbac.Access, nsID string) (Bundle, error) {
	cov, err := clusters.Load(ctx, s.store)
	if err != nil {
		return Bundle{}, err
	}
	tree, clusterID, root := acc.Tree(), db.DefaultClusterID, db.GlobalNamespaceID
	if cl, ok := cov.ClusterOf(nsID); ok {
		tree, clusterID, root = cov.Tree(cl.ID), cl.ID, cl.NamespaceID
	}
	if _, ok := acc.Tree().Get(nsID); !ok {
		return Bundle{}, errs.NotFound("namespace %s does not exist", nsID)
	}
	if err := acc.Require(root, rbac.RoleAdmin); err != nil {
		return Bundle{}, fmt.Errorf("%w (the export holds the secrets of the cluster serving this namespace)", err)
	}
	m, err := render.Load(ctx, s.store, tree, clusterID, nsID)
	if err != nil {
		return Bundle{}, err
	}
	cfg, err := render.Render(m, s.sealer)
	if err != nil {
		return Bundle{}, err
	}
	return ExportBundle(cfg)
}
