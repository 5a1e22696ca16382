package grpcapi

import (
	"context"
	"fmt"

	pb "github.com/pomerium-console-oss/pomerium-console/app/pb/dashboard"
	"github.com/pomerium-console-oss/pomerium-console/app/rbac"
	"github.com/pomerium-console-oss/pomerium-console/db"
)

// routeView is what a Route message shows beside the route itself.
type routeView struct {
	namespaceName string
	policyNames   []string
	enforcedIDs   []string
	enforcedNames []string
}

// routeMessages builds the messages of routes the caller may view. The
// names of the policies they attach and the enforced policies of their
// namespaces are read once for the whole list, not per route: a page of a
// hundred routes costs a few queries.
func routeMessages(ctx context.Context, store db.Store, acc *rbac.Access, list []db.Route) ([]*pb.Route, error) {
	tree := acc.Tree()
	enforced := map[string][]db.Policy{} // namespace → its enforced policies
	var above []string
	seen := map[string]bool{}
	attached := map[string]bool{}
	for _, r := range list {
		for _, ns := range tree.Ancestors(r.NamespaceID) {
			if !seen[ns.ID] {
				seen[ns.ID] = true
				above = append(above, ns.ID)
			}
		}
		for _, id := range r.PolicyIDs {
			attached[id] = true
		}
	}
	names, err := policyNames(ctx, store, above, len(attached))
	if err != nil {
		return nil, err
	}
	if len(above) > 0 {
		yes := true
		err := readPages(func(offset int) (int, int, error) {
			page, total, err := store.ListPolicies(ctx, db.PolicyFilter{NamespaceIDs: above, Enforced: &yes, Offset: offset, Limit: resourcePage})
			for _, p := range page {
				enforced[p.NamespaceID] = append(enforced[p.NamespaceID], p)
			}
			return len(page), total, err
		})
		if err != nil {
			return nil, fmt.Errorf("grpcapi: enforced policies: %w", err)
		}
	}
	out := make([]*pb.Route, 0, len(list))
	for _, r := range list {
		ns, _ := tree.Get(r.NamespaceID)
		v := routeView{namespaceName: ns.Name}
		for _, id := range r.PolicyIDs {
			name, ok := names[id]
			if !ok {
				p, err := store.GetPolicy(ctx, id)
				if err != nil {
					return nil, fmt.Errorf("grpcapi: attached policy: %w", err)
				}
				name, names[id] = p.Name, p.Name
			}
			v.policyNames = append(v.policyNames, name)
		}
		// Nearest namespace first, as the route's page lists them.
		path := tree.Ancestors(r.NamespaceID)
		for i := len(path) - 1; i >= 0; i-- {
			for _, p := range enforced[path[i].ID] {
				v.enforcedIDs = append(v.enforcedIDs, p.ID)
				v.enforcedNames = append(v.enforcedNames, p.Name)
			}
		}
		out = append(out, routeMessage(r, v))
	}
	return out, nil
}

// routeMessageOf is routeMessages of one route.
func routeMessageOf(ctx context.Context, store db.Store, acc *rbac.Access, r db.Route) (*pb.Route, error) {
	list, err := routeMessages(ctx, store, acc, []db.Route{r})
	if err != nil {
		return nil, err
	}
	return list[0], nil
}

// policyNames maps policy ids to names: every policy of the namespaces
// above the routes (one query each) when the routes attach many policies,
// else none, and the attached ones are read one by one as they come.
func policyNames(ctx context.Context, store db.Store, above []string, attached int) (map[string]string, error) {
	names := map[string]string{}
	if attached <= len(above) {
		return names, nil
	}
	for _, nsID := range above {
		byID, err := store.PolicyNames(ctx, nsID)
		if err != nil {
			return nil, fmt.Errorf("grpcapi: policy names: %w", err)
		}
		for id, name := range byID {
			names[id] = name
		}
	}
	return names, nil
}
