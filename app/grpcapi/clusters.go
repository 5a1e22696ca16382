package grpcapi

import (
	"context"

	"google.golang.org/grpc"

	"github.com/pomerium-console-oss/pomerium-console/app/namespaces"
	pb "github.com/pomerium-console-oss/pomerium-console/app/pb/dashboard"
	"github.com/pomerium-console-oss/pomerium-console/app/rbac"
	"github.com/pomerium-console-oss/pomerium-console/db"
)

func init() {
	registrations = append(registrations, func(gs *grpc.Server, d Deps) {
		pb.RegisterClustersServiceServer(gs, &clusterAPI{d: d})
	})
}

// clusterAPI is ClustersService over the clusters service.
type clusterAPI struct {
	pb.UnimplementedClustersServiceServer
	d Deps
}

// ListClusters lists every cluster, ordered by name.
func (s *clusterAPI) ListClusters(ctx context.Context, _ *pb.ListClustersRequest) (*pb.ListClustersResponse, error) {
	list, err := s.d.Clusters.List(ctx, access(ctx))
	if err != nil {
		return nil, err
	}
	out := &pb.ListClustersResponse{}
	for _, c := range list {
		out.Clusters = append(out.Clusters, clusterMessage(c))
	}
	return out, nil
}

// GetCluster returns a cluster with the namespace it serves and its settings.
func (s *clusterAPI) GetCluster(ctx context.Context, req *pb.GetClusterRequest) (*pb.GetClusterResponse, error) {
	acc := access(ctx)
	if req.GetId() == "" {
		return nil, invalid("id", "enter the cluster id")
	}
	c, err := s.d.Clusters.Get(ctx, acc, req.GetId())
	if err != nil {
		return nil, err
	}
	ns, set, err := s.describe(ctx, acc, c)
	if err != nil {
		return nil, err
	}
	return &pb.GetClusterResponse{Cluster: clusterMessage(c), Namespace: ns, Settings: set}, nil
}

// AddCluster creates the cluster's namespace under parent_namespace_id,
// named like the cluster, and the cluster serving it, in one transaction:
// if either is refused, neither exists.
func (s *clusterAPI) AddCluster(ctx context.Context, req *pb.AddClusterRequest) (*pb.AddClusterResponse, error) {
	acc := access(ctx)
	m := req.GetCluster()
	if m == nil {
		return nil, invalid("cluster", "send the cluster to add")
	}
	if req.GetParentNamespaceId() == "" {
		return nil, invalid("parent_namespace_id", "choose the namespace to create the cluster's namespace in")
	}
	// Only admins of Global manage clusters; checked first so that nobody
	// else learns anything from validation.
	if err := acc.Require(db.GlobalNamespaceID, rbac.RoleAdmin); err != nil {
		return nil, err
	}
	in, err := clusterInput(m)
	if err != nil {
		return nil, err
	}
	var c db.Cluster
	err = s.d.Store.InTx(ctx, func(tx db.Store) error {
		ns, err := s.d.Namespaces.In(tx).Create(ctx, acc, namespaces.CreateInput{ParentID: req.GetParentNamespaceId(), Name: m.GetName()})
		if err != nil {
			return renameFields(err, "", clusterNamespaceFields)
		}
		in.NamespaceID = ns.ID
		c, err = s.d.Clusters.In(tx).Create(ctx, acc, in)
		return renameFields(err, "cluster", clusterFields)
	})
	if err != nil {
		return nil, err
	}
	ns, set, err := s.describe(ctx, acc, c)
	if err != nil {
		return nil, err
	}
	return &pb.AddClusterResponse{Cluster: clusterMessage(c), Namespace: ns, Settings: set}, nil
}

// UpdateCluster replaces a cluster's name and connection; the namespace it
// serves stays. The default cluster's connection comes from the config
// file, so only its name may differ from what is stored.
func (s *clusterAPI) UpdateCluster(ctx context.Context, req *pb.UpdateClusterRequest) (*pb.UpdateClusterResponse, error) {
	acc := access(ctx)
	m := req.GetCluster()
	switch {
	case m == nil:
		return nil, invalid("cluster", "send the cluster to update")
	case m.GetId() == "":
		return nil, invalid("cluster.id", "enter the id of the cluster to update")
	}
	old, err := s.d.Clusters.Get(ctx, acc, m.GetId())
	if err != nil {
		return nil, err
	}
	if err := acc.Require(db.GlobalNamespaceID, rbac.RoleAdmin); err != nil {
		return nil, err
	}
	in, err := clusterInput(m)
	if err != nil {
		return nil, err
	}
	in.NamespaceID = old.NamespaceID
	c, err := s.d.Clusters.Update(ctx, acc, old.ID, in)
	if err != nil {
		return nil, renameFields(err, "cluster", nil)
	}
	ns, set, err := s.describe(ctx, acc, c)
	if err != nil {
		return nil, err
	}
	return &pb.UpdateClusterResponse{Cluster: clusterMessage(c), Namespace: ns, Settings: set}, nil
}

// DeleteCluster removes a cluster after withdrawing the console's
// configuration from its databroker; when that fails the call fails
// (FAILED_PRECONDITION) and nothing changes. Its namespace stays, served
// again by the cluster above it.
func (s *clusterAPI) DeleteCluster(ctx context.Context, req *pb.DeleteClusterRequest) (*pb.DeleteClusterResponse, error) {
	if req.GetId() == "" {
		return nil, invalid("id", "enter the cluster id")
	}
	if err := s.d.Clusters.Delete(ctx, access(ctx), req.GetId(), false); err != nil {
		return nil, err
	}
	return &pb.DeleteClusterResponse{}, nil
}

// describe returns the namespace c serves and c's settings.
func (s *clusterAPI) describe(ctx context.Context, acc *rbac.Access, c db.Cluster) (*pb.Namespace, *pb.Settings, error) {
	v, err := freshView(ctx, s.d.Store, acc)
	if err != nil {
		return nil, nil, err
	}
	var ns *pb.Namespace
	if n, ok := v.tree.Get(c.NamespaceID); ok {
		ns = v.message(n)
	}
	view, err := s.d.Settings.Get(ctx, acc, c.ID)
	if err != nil {
		return nil, nil, err
	}
	return ns, settingsMessage(view), nil
}
