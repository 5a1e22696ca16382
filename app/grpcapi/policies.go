package grpcapi

import (
	"context"

	"google.golang.org/grpc"

	"github.com/pomerium-console-oss/pomerium-console/app/errs"
	pb "github.com/pomerium-console-oss/pomerium-console/app/pb/dashboard"
	"github.com/pomerium-console-oss/pomerium-console/app/policies"
	"github.com/pomerium-console-oss/pomerium-console/db"
)

func init() {
	registrations = append(registrations, func(gs *grpc.Server, d Deps) {
		pb.RegisterPolicyServiceServer(gs, &policyAPI{d: d})
	})
}

// policyAPI is PolicyService over the policies service.
type policyAPI struct {
	pb.UnimplementedPolicyServiceServer
	d Deps
}

func (a *policyAPI) GetPolicy(ctx context.Context, req *pb.GetPolicyRequest) (*pb.GetPolicyResponse, error) {
	acc := access(ctx)
	p, err := a.d.Policies.Get(ctx, acc, req.GetId())
	if err != nil {
		return nil, err
	}
	m, err := policyMessageOf(ctx, a.d.Store, acc, p)
	if err != nil {
		return nil, err
	}
	return &pb.GetPolicyResponse{Policy: m}, nil
}

func (a *policyAPI) ListPolicies(ctx context.Context, req *pb.ListPoliciesRequest) (*pb.ListPoliciesResponse, error) {
	acc := access(ctx)
	nsID, err := listNamespace(ctx, a.d, acc, "namespace", req.GetNamespace(), req.ClusterId)
	if err != nil {
		return nil, err
	}
	offset, limit, err := page(req.Offset, req.Limit)
	if err != nil {
		return nil, err
	}
	if o := req.GetOrderBy(); o != "" && o != "name" {
		return nil, invalid("order_by", "policies are listed by name: leave it empty or name (got %q)", o)
	}
	p, err := a.d.Policies.List(ctx, acc, policies.Query{NamespaceID: nsID, Search: req.GetQuery(), Offset: offset, Limit: limit})
	if err != nil {
		return nil, err
	}
	list, err := policyMessages(ctx, a.d.Store, acc, p.Policies)
	if err != nil {
		return nil, err
	}
	return &pb.ListPoliciesResponse{Policies: list, TotalCount: int64(p.Total)}, nil
}

// SetPolicy creates the policy when it has no id, otherwise replaces every
// editable field of policy id; a policy stays in its namespace.
func (a *policyAPI) SetPolicy(ctx context.Context, req *pb.SetPolicyRequest) (*pb.SetPolicyResponse, error) {
	m := req.GetPolicy()
	if m == nil {
		return nil, errs.Field("policy", errs.CodeRequired, "send the policy to save")
	}
	src, err := policySource(m)
	if err != nil {
		return nil, err
	}
	acc := access(ctx)
	var p db.Policy
	err = a.d.Store.InTx(ctx, func(tx db.Store) error {
		svc := a.d.Policies.Bound(tx)
		var err error
		if m.GetId() == "" {
			if m.GetNamespaceId() == "" {
				return errs.Field("policy.namespace_id", errs.CodeRequired, "name the namespace the policy belongs to")
			}
			if err := knownNamespace(acc, "policy.namespace_id", m.GetNamespaceId()); err != nil {
				return err
			}
			p, err = svc.Create(ctx, acc, policies.Input{
				NamespaceID: m.GetNamespaceId(), Name: m.GetName(), Description: m.GetDescription(),
				Explanation: m.GetExplanation(), Remediation: m.GetRemediation(), Enforced: m.GetEnforced(), PPL: src,
			})
		} else {
			var old db.Policy
			if old, err = svc.Get(ctx, acc, m.GetId()); err != nil {
				return err
			}
			if ns := m.GetNamespaceId(); ns != "" && ns != old.NamespaceID {
				return invalid("policy.namespace_id", "a policy stays in its namespace (%s): create a new policy in the other namespace instead", old.NamespaceID)
			}
			name, desc, expl, rem, enforced := m.GetName(), m.GetDescription(), m.GetExplanation(), m.GetRemediation(), m.GetEnforced()
			p, err = svc.Update(ctx, acc, m.GetId(), policies.UpdateInput{
				Name: &name, Description: &desc, Explanation: &expl, Remediation: &rem, Enforced: &enforced, PPL: &src,
			})
		}
		return withFieldPaths(err, policyPath)
	})
	if err != nil {
		return nil, err
	}
	// Built after the commit, so the write lock is not held for reads.
	out, err := policyMessageOf(ctx, a.d.Store, acc, p)
	if err != nil {
		return nil, err
	}
	return &pb.SetPolicyResponse{Policy: out}, nil
}

// DeletePolicy deletes a policy no route attaches; with
// remove_from_any_assigned_routes it first detaches it from every route, in
// the same transaction, each an update the caller must be allowed to make.
func (a *policyAPI) DeletePolicy(ctx context.Context, req *pb.DeletePolicyRequest) (*pb.DeletePolicyResponse, error) {
	acc := access(ctx)
	err := a.d.Store.InTx(ctx, func(tx db.Store) error {
		svc := a.d.Policies.Bound(tx)
		if req.GetRemoveFromAnyAssignedRoutes() {
			// Refuse an unknown or read-only policy before touching routes.
			if _, err := svc.Get(ctx, acc, req.GetId()); err != nil {
				return err
			}
			if err := a.d.Routes.Bound(tx).DetachPolicy(ctx, acc, req.GetId()); err != nil {
				return err
			}
		}
		return svc.Delete(ctx, acc, req.GetId())
	})
	if err != nil {
		return nil, err
	}
	return &pb.DeletePolicyResponse{}, nil
}
