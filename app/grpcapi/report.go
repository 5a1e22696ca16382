package grpcapi

import (
	"context"
	"fmt"

	"google.golang.org/grpc"

	"github.com/pomerium-console-oss/pomerium-console/app/errs"
	pb "github.com/pomerium-console-oss/pomerium-console/app/pb/dashboard"
	"github.com/pomerium-console-oss/pomerium-console/app/routes"
	"github.com/pomerium-console-oss/pomerium-console/db"
)

func init() {
	registrations = append(registrations, func(gs *grpc.Server, d Deps) {
		pb.RegisterReportServer(gs, &reportAPI{d: d})
	})
}

// reportAPI is the Report service.
type reportAPI struct {
	pb.UnimplementedReportServer
	d Deps
}

// PolicyReport answers the routes asked for (route_ids; without them
// every route of namespace_id) and every policy that decides who reaches
// them, each once: the optional policies they attach and the enforced
// policies of their namespaces and ancestors. A route's policy_ids and
// enforced_policy_ids say which of the policies apply to it.
func (a *reportAPI) PolicyReport(ctx context.Context, req *pb.PolicyReportRequest) (*pb.PolicyReportResponse, error) {
	acc := access(ctx)
	if ns := req.GetNamespaceId(); ns != "" {
		if err := knownNamespace(acc, "namespace_id", ns); err != nil {
			return nil, err
		}
	}
	var list []db.Route
	switch ids := req.GetRouteIds(); {
	case len(ids) > maxBatch:
		return nil, errs.Field("route_ids", errs.CodeTooLong, "must list at most %d (got %d)", maxBatch, len(ids))
	case len(ids) > 0:
		for i, id := range ids {
			r, err := a.d.Routes.Get(ctx, acc, id)
			if err != nil {
				return nil, forItem(err, itemPath("route_ids", i))
			}
			if ns := req.GetNamespaceId(); ns != "" && r.NamespaceID != ns {
				return nil, invalid(itemPath("route_ids", i), "route %q is not in namespace_id %s", r.Name, ns)
			}
			list = append(list, r)
		}
	case req.GetNamespaceId() == "":
		return nil, errs.Field("route_ids", errs.CodeRequired, "list the routes to report on, or set namespace_id")
	default:
		err := readPages(func(offset int) (int, int, error) {
			p, err := a.d.Routes.List(ctx, acc, routes.Query{NamespaceID: req.GetNamespaceId(), Offset: offset, Limit: maxPageSize})
			list = append(list, p.Routes...)
			return len(p.Routes), p.Total, err
		})
		if err != nil {
			return nil, err
		}
	}
	msgs, err := routeMessages(ctx, a.d.Store, acc, list)
	if err != nil {
		return nil, err
	}
	var pols []db.Policy
	seen := map[string]bool{}
	for _, m := range msgs {
		for _, id := range append(append([]string{}, m.GetEnforcedPolicyIds()...), m.GetPolicyIds()...) {
			if seen[id] {
				continue
			}
			seen[id] = true
			p, err := a.d.Store.GetPolicy(ctx, id)
			if err != nil {
				return nil, fmt.Errorf("grpcapi: report policy %s: %w", id, err)
			}
			pols = append(pols, p)
		}
	}
	polMsgs, err := policyMessages(ctx, a.d.Store, acc, pols)
	if err != nil {
		return nil, err
	}
	return &pb.PolicyReportResponse{Routes: msgs, Policies: polMsgs}, nil
}
