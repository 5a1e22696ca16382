package grpcapi

import (
	"context"
	"fmt"

	"google.golang.org/grpc"

	"github.com/pomerium-console-oss/pomerium-console/app/clusters"
	"github.com/pomerium-console-oss/pomerium-console/app/errs"
	"github.com/pomerium-console-oss/pomerium-console/app/namespaces"
	"github.com/pomerium-console-oss/pomerium-console/app/nstree"
	pb "github.com/pomerium-console-oss/pomerium-console/app/pb/dashboard"
	"github.com/pomerium-console-oss/pomerium-console/app/rbac"
	"github.com/pomerium-console-oss/pomerium-console/db"
)

func init() {
	registrations = append(registrations, func(gs *grpc.Server, d Deps) {
		pb.RegisterNamespaceServiceServer(gs, &namespaceAPI{d: d})
	})
}

// namespaceAPI is NamespaceService over the namespaces service.
type namespaceAPI struct {
	pb.UnimplementedNamespaceServiceServer
	d Deps
}

// view loads what Namespace messages need: two grouped counts and the
// clusters, whatever the number of namespaces.
func (s *namespaceAPI) view(ctx context.Context, acc *rbac.Access) (namespaceView, error) {
	return loadNamespaceView(ctx, s.d.Store, acc, acc.Tree())
}

// loadNamespaceView reads the counts and the clusters serving tree's
// namespaces. tree is the caller's, or a fresh one after a change to it.
func loadNamespaceView(ctx context.Context, store db.Store, acc *rbac.Access, tree *nstree.Tree) (namespaceView, error) {
	counts, err := store.CountByNamespace(ctx)
	if err != nil {
		return namespaceView{}, fmt.Errorf("grpcapi: count namespace resources: %w", err)
	}
	list, err := store.ListClusters(ctx)
	if err != nil {
		return namespaceView{}, fmt.Errorf("grpcapi: clusters: %w", err)
	}
	return namespaceView{acc: acc, tree: tree, counts: counts, coverage: clusters.NewCoverage(tree, list)}, nil
}

// freshView is view over the tree as stored now, for a response about a
// namespace the call itself created or moved.
func freshView(ctx context.Context, store db.Store, acc *rbac.Access) (namespaceView, error) {
	all, err := store.ListNamespaces(ctx)
	if err != nil {
		return namespaceView{}, fmt.Errorf("grpcapi: namespaces: %w", err)
	}
	return loadNamespaceView(ctx, store, acc, nstree.New(all))
}

// ListNamespaces lists every namespace the caller has any role on, in tree
// order (each parent before its children).
func (s *namespaceAPI) ListNamespaces(ctx context.Context, _ *pb.ListNamespacesRequest) (*pb.ListNamespacesResponse, error) {
	acc := access(ctx)
	v, err := s.view(ctx, acc)
	if err != nil {
		return nil, err
	}
	out := &pb.ListNamespacesResponse{}
	for _, n := range acc.Tree().All() {
		if acc.Visible(n.ID) {
			out.Namespaces = append(out.Namespaces, v.message(n.Namespace))
		}
	}
	return out, nil
}

// GetNamespace returns one namespace the caller has any role on.
func (s *namespaceAPI) GetNamespace(ctx context.Context, req *pb.GetNamespaceRequest) (*pb.GetNamespaceResponse, error) {
	acc := access(ctx)
	ns, err := visibleNamespace(acc, req.GetId())
	if err != nil {
		return nil, err
	}
	v, err := s.view(ctx, acc)
	if err != nil {
		return nil, err
	}
	return &pb.GetNamespaceResponse{Namespace: v.message(ns)}, nil
}

// visibleNamespace returns namespace id when the caller may see it.
func visibleNamespace(acc *rbac.Access, id string) (db.Namespace, error) {
	if id == "" {
		return db.Namespace{}, invalid("id", "enter the namespace id")
	}
	ns, ok := acc.Tree().Get(id)
	if !ok {
		return db.Namespace{}, errs.NotFound("namespace %q does not exist", id)
	}
	if err := acc.Require(id, rbac.RoleGuest); err != nil {
		return db.Namespace{}, err
	}
	return ns, nil
}

// SetNamespace creates a namespace (empty id) or renames and moves one.
// Timestamps, counts and cluster_id are computed, so they are ignored.
func (s *namespaceAPI) SetNamespace(ctx context.Context, req *pb.SetNamespaceRequest) (*pb.SetNamespaceResponse, error) {
	acc := access(ctx)
	in := req.GetNamespace()
	if in == nil {
		return nil, invalid("namespace", "send the namespace to create or replace")
	}
	var (
		ns  db.Namespace
		err error
	)
	if in.GetId() == "" {
		ns, err = s.d.Namespaces.Create(ctx, acc, namespaces.CreateInput{ParentID: in.GetParentId(), Name: in.GetName()})
	} else {
		ns, err = s.update(ctx, acc, in)
	}
	if err != nil {
		return nil, renameFields(err, "namespace", namespaceFields)
	}
	v, err := freshView(ctx, s.d.Store, acc)
	if err != nil {
		return nil, err
	}
	return &pb.SetNamespaceResponse{Namespace: v.message(ns)}, nil
}

func (s *namespaceAPI) update(ctx context.Context, acc *rbac.Access, in *pb.Namespace) (db.Namespace, error) {
	old, ok := acc.Tree().Get(in.GetId())
	if !ok {
		return db.Namespace{}, errs.NotFound("namespace %q does not exist", in.GetId())
	}
	// Global cannot be renamed or moved; sending it back as it is changes
	// nothing, so it is not an error.
	if old.ID == db.GlobalNamespaceID && old.Name == in.GetName() && old.ParentID == in.GetParentId() {
		if err := acc.Require(old.ID, rbac.RoleAdmin); err != nil {
			return db.Namespace{}, err
		}
		return old, nil
	}
	name, parent := in.GetName(), in.GetParentId()
	return s.d.Namespaces.Update(ctx, acc, old.ID, namespaces.UpdateInput{Name: &name, ParentID: &parent})
}

// DeleteNamespace removes an empty namespace.
func (s *namespaceAPI) DeleteNamespace(ctx context.Context, req *pb.DeleteNamespaceRequest) (*pb.DeleteNamespaceResponse, error) {
	if req.GetId() == "" {
		return nil, invalid("id", "enter the namespace id")
	}
	if err := s.d.Namespaces.Delete(ctx, access(ctx), req.GetId()); err != nil {
		return nil, err
	}
	return &pb.DeleteNamespaceResponse{}, nil
}

// Resource types of ListNamespaceResources.
const (
	resourceRoute   = "route"
	resourcePolicy  = "policy"
	resourceKeyPair = "key_pair"
)

// ListNamespaceResources lists the routes, policies and key pairs held by
// the given namespaces themselves (not their descendants); the caller needs
// the viewer role on each.
func (s *namespaceAPI) ListNamespaceResources(ctx context.Context, req *pb.ListNamespaceResourcesRequest) (*pb.ListNamespaceResourcesResponse, error) {
	acc := access(ctx)
	ids := req.GetIds()
	for i, id := range ids {
		if _, ok := acc.Tree().Get(id); !ok {
			return nil, errs.NotFound("namespace %q (ids[%d]) does not exist", id, i)
		}
		if err := acc.Require(id, rbac.RoleViewer); err != nil {
			return nil, err
		}
	}
	out := &pb.ListNamespaceResourcesResponse{}
	if len(ids) == 0 {
		return out, nil
	}
	add := func(typ, id, name string) {
		out.Resources = append(out.Resources, &pb.ListNamespaceResourcesResponse_Resource{Type: typ, Id: id, Name: name})
	}
	err := readPages(func(offset int) (int, int, error) {
		list, total, err := s.d.Store.ListRoutes(ctx, db.RouteFilter{NamespaceIDs: ids, Offset: offset, Limit: resourcePage})
		for _, r := range list {
			add(resourceRoute, r.ID, r.Name)
		}
		return len(list), total, err
	})
	if err == nil {
		err = readPages(func(offset int) (int, int, error) {
			list, total, err := s.d.Store.ListPolicies(ctx, db.PolicyFilter{NamespaceIDs: ids, Offset: offset, Limit: resourcePage})
			for _, p := range list {
				add(resourcePolicy, p.ID, p.Name)
			}
			return len(list), total, err
		})
	}
	if err == nil {
		err = readPages(func(offset int) (int, int, error) {
			list, total, err := s.d.Store.ListKeyPairs(ctx, db.KeyPairFilter{NamespaceIDs: ids, Offset: offset, Limit: resourcePage})
			for _, k := range list {
				add(resourceKeyPair, k.ID, k.Name)
			}
			return len(list), total, err
		})
	}
	if err != nil {
		return nil, fmt.Errorf("grpcapi: namespace resources: %w", err)
	}
	return out, nil
}

// resourcePage is the page size resource lists are read in.
const resourcePage = 500
