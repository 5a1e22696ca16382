package grpcapi

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"google.golang.org/grpc"

	"github.com/pomerium-console-oss/pomerium-console/app/configyaml"
	"github.com/pomerium-console-oss/pomerium-console/app/errs"
	pb "github.com/pomerium-console-oss/pomerium-console/app/pb/dashboard"
	"github.com/pomerium-console-oss/pomerium-console/app/rbac"
	"github.com/pomerium-console-oss/pomerium-console/app/routes"
	"github.com/pomerium-console-oss/pomerium-console/db"
)

func init() {
	registrations = append(registrations, func(gs *grpc.Server, d Deps) {
		pb.RegisterRouteServiceServer(gs, &routeAPI{d: d})
	})
}

// routeAPI is RouteService over the routes service.
type routeAPI struct {
	pb.UnimplementedRouteServiceServer
	d Deps
}

// maxBatch caps the routes of one SetRoutes, DeleteRoutes or MoveRoutes:
// each is one transaction.
const maxBatch = 1000

func (a *routeAPI) GetRoute(ctx context.Context, req *pb.GetRouteRequest) (*pb.GetRouteResponse, error) {
	acc := access(ctx)
	r, err := a.d.Routes.Get(ctx, acc, req.GetId())
	if err != nil {
		return nil, err
	}
	m, err := routeMessageOf(ctx, a.d.Store, acc, r)
	if err != nil {
		return nil, err
	}
	return &pb.GetRouteResponse{Route: m}, nil
}

func (a *routeAPI) ListRoutes(ctx context.Context, req *pb.ListRoutesRequest) (*pb.ListRoutesResponse, error) {
	acc := access(ctx)
	nsID, err := listNamespace(ctx, a.d, acc, "namespace", req.GetNamespace(), req.ClusterId)
	if err != nil {
		return nil, err
	}
	offset, limit, err := page(req.Offset, req.Limit)
	if err != nil {
		return nil, err
	}
	sort, desc, err := routeOrder(req.GetOrderBy())
	if err != nil {
		return nil, err
	}
	p, err := a.d.Routes.List(ctx, acc, routes.Query{
		NamespaceID: nsID, Search: req.GetQuery(), Sort: sort, Desc: desc, Offset: offset, Limit: limit,
	})
	if err != nil {
		return nil, err
	}
	list, err := routeMessages(ctx, a.d.Store, acc, p.Routes)
	if err != nil {
		return nil, err
	}
	return &pb.ListRoutesResponse{Routes: list, TotalCount: int64(p.Total)}, nil
}

// routeOrders are the order_by values of ListRoutes; a leading "-"
// reverses them.
var routeOrders = map[string]struct {
	sort string
	desc bool
}{
	"name": {db.RouteSortName, false}, "from": {db.RouteSortFrom, false},
	"modified_at": {db.RouteSortModified, false}, "newest": {db.RouteSortModified, true}, "oldest": {db.RouteSortModified, false},
}

// routeOrder reads order_by; empty sorts by name.
func routeOrder(orderBy string) (string, bool, error) {
	if orderBy == "" {
		return db.RouteSortName, false, nil
	}
	name, reverse := strings.CutPrefix(orderBy, "-")
	o, ok := routeOrders[name]
	if !ok {
		return "", false, invalid("order_by", "must be name, from, modified_at, newest or oldest, optionally with a leading - to reverse it (got %q)", orderBy)
	}
	return o.sort, o.desc != reverse, nil
}

func (a *routeAPI) SetRoute(ctx context.Context, req *pb.SetRouteRequest) (*pb.SetRouteResponse, error) {
	if req.GetRoute() == nil {
		return nil, errs.Field("route", errs.CodeRequired, "send the route to save")
	}
	acc := access(ctx)
	var r db.Route
	err := a.d.Store.InTx(ctx, func(tx db.Store) error {
		var err error
		r, err = setRoute(ctx, tx, a.d.Routes.Bound(tx), acc, req.GetRoute(), "route")
		return err
	})
	if err != nil {
		return nil, err
	}
	// Built after the commit, so the write lock is not held for reads.
	m, err := routeMessageOf(ctx, a.d.Store, acc, r)
	if err != nil {
		return nil, err
	}
	return &pb.SetRouteResponse{Route: m}, nil
}

func (a *routeAPI) SetRoutes(ctx context.Context, req *pb.SetRoutesRequest) (*pb.SetRoutesResponse, error) {
	if err := batchSize("routes", len(req.GetRoutes())); err != nil {
		return nil, err
	}
	acc := access(ctx)
	saved := make([]db.Route, 0, len(req.GetRoutes()))
	// One transaction: every route is saved, or none is and the error
	// names the first refused one by its index.
	err := a.d.Store.InTx(ctx, func(tx db.Store) error {
		svc := a.d.Routes.Bound(tx)
		for i, m := range req.GetRoutes() {
			item := itemPath("routes", i)
			r, err := setRoute(ctx, tx, svc, acc, m, item)
			if err != nil {
				return forItem(err, item)
			}
			saved = append(saved, r)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	out, err := routeMessages(ctx, a.d.Store, acc, saved)
	if err != nil {
		return nil, err
	}
	return &pb.SetRoutesResponse{Routes: out}, nil
}

// setRoute creates m when it has no id, otherwise replaces route m.id with
// it (moving it when it names another namespace); problems are named by
// their paths under prefix.
func setRoute(ctx context.Context, st db.Store, svc *routes.Service, acc *rbac.Access, m *pb.Route, prefix string) (db.Route, error) {
	if m == nil {
		return db.Route{}, errs.Field(prefix, errs.CodeRequired, "send the route to save")
	}
	in, err := routeInput(m, prefix)
	if err != nil {
		return db.Route{}, err
	}
	if in.NamespaceID == "" {
		if in.NamespaceID, err = impliedNamespace(ctx, st, svc, acc, m, prefix); err != nil {
			return db.Route{}, err
		}
	}
	if err := knownNamespace(acc, prefix+".namespace_id", in.NamespaceID); err != nil {
		return db.Route{}, err
	}
	var r db.Route
	if m.GetId() == "" {
		r, err = svc.Create(ctx, acc, in)
	} else {
		r, err = svc.Replace(ctx, acc, m.GetId(), in)
	}
	return r, withFieldPaths(err, routePath(prefix))
}

// impliedNamespace is the namespace of a route sent without namespace_id:
// a stored route keeps its own; a new one goes where all its policies are,
// which is what the docs' example script relies on (it sends policy_ids
// and no namespace_id). Otherwise the namespace must be named.
func impliedNamespace(ctx context.Context, st db.Store, svc *routes.Service, acc *rbac.Access, m *pb.Route, prefix string) (string, error) {
	if m.GetId() != "" {
		r, err := svc.Get(ctx, acc, m.GetId())
		return r.NamespaceID, err
	}
	required := errs.Field(prefix+".namespace_id", errs.CodeRequired,
		"name the namespace the route belongs to (it may be left out only when all the route's policies are in one namespace)")
	ns := ""
	for _, id := range m.GetPolicyIds() {
		p, err := st.GetPolicy(ctx, id)
		switch {
		case errors.Is(err, db.ErrNotFound):
			return "", required
		case err != nil:
			return "", fmt.Errorf("grpcapi: policy of a route: %w", err)
		case !acc.Visible(p.NamespaceID) || (ns != "" && ns != p.NamespaceID):
			return "", required
		}
		ns = p.NamespaceID
	}
	if ns == "" {
		return "", required
	}
	return ns, nil
}

func (a *routeAPI) DeleteRoute(ctx context.Context, req *pb.DeleteRouteRequest) (*pb.DeleteRouteResponse, error) {
	if err := a.d.Routes.Delete(ctx, access(ctx), req.GetId()); err != nil {
		return nil, err
	}
	return &pb.DeleteRouteResponse{}, nil
}

func (a *routeAPI) DeleteRoutes(ctx context.Context, req *pb.DeleteRoutesRequest) (*pb.DeleteRoutesResponse, error) {
	if err := batchSize("ids", len(req.GetIds())); err != nil {
		return nil, err
	}
	acc := access(ctx)
	err := a.d.Store.InTx(ctx, func(tx db.Store) error {
		svc := a.d.Routes.Bound(tx)
		for i, id := range req.GetIds() {
			if err := svc.Delete(ctx, acc, id); err != nil {
				return forItem(err, itemPath("ids", i))
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &pb.DeleteRoutesResponse{}, nil
}

func (a *routeAPI) MoveRoutes(ctx context.Context, req *pb.MoveRoutesRequest) (*pb.MoveRoutesResponse, error) {
	if req.GetNewNamespaceId() == "" {
		return nil, errs.Field("new_namespace_id", errs.CodeRequired, "name the namespace to move the routes to")
	}
	if err := batchSize("route_ids", len(req.GetRouteIds())); err != nil {
		return nil, err
	}
	acc := access(ctx)
	if err := knownNamespace(acc, "new_namespace_id", req.GetNewNamespaceId()); err != nil {
		return nil, err
	}
	err := a.d.Store.InTx(ctx, func(tx db.Store) error {
		svc := a.d.Routes.Bound(tx)
		for i, id := range req.GetRouteIds() {
			item := itemPath("route_ids", i)
			if err := svc.Move(ctx, acc, id, req.GetNewNamespaceId()); err != nil {
				return forItem(withFieldPaths(err, routePath(item)), item)
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &pb.MoveRoutesResponse{}, nil
}

// LoadRoutes reads an open-source Pomerium config.yaml and answers the
// routes it holds, each with the policy made from its `policy` and allow_*
// keys, as the console would import them. Nothing is stored: the routes
// have no id and no namespace, and the caller saves the ones it wants with
// SetPolicy and SetRoutes (or imports the file from the console's routes
// page, which also creates its certificates and settings).
func (a *routeAPI) LoadRoutes(ctx context.Context, req *pb.LoadRoutesRequest) (*pb.LoadRoutesResponse, error) {
	if len(req.GetContents()) == 0 {
		return nil, errs.Field("contents", errs.CodeRequired, "send the config.yaml to read")
	}
	name := req.GetName()
	if name == "" {
		name = "config.yaml"
	}
	plan, err := configyaml.Parse(name, req.GetContents())
	if err != nil {
		return nil, invalid("contents", "%v", err)
	}
	out := make([]*pb.RouteWithPolicies, 0, len(plan.Routes))
	for _, rp := range plan.Routes {
		r := db.Route{Name: rp.Input.Name, From: rp.Input.From, To: rp.Input.To, Prefix: rp.Input.Prefix,
			Path: rp.Input.Path, Regex: rp.Input.Regex, Spec: rp.Input.Spec}
		item := &pb.RouteWithPolicies{Route: routeMessage(r, routeView{})}
		if rp.Policy >= 0 {
			pp := plan.Policies[rp.Policy]
			item.Policies = []*pb.Policy{{Name: pp.Name, Ppl: pp.PPL}}
		}
		out = append(out, item)
	}
	return &pb.LoadRoutesResponse{Routes: out}, nil
}

// batchSize refuses an empty batch or one over maxBatch.
func batchSize(field string, n int) error {
	switch {
	case n == 0:
		return errs.Field(field, errs.CodeRequired, "list at least one")
	case n > maxBatch:
		return errs.Field(field, errs.CodeTooLong, "must list at most %d (got %d)", maxBatch, n)
	}
	return nil
}
