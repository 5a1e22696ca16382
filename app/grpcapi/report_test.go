package grpcapi_test

import (
	"slices"
	"testing"

	"google.golang.org/grpc/codes"

	pb "github.com/pomerium-console-oss/pomerium-console/app/pb/dashboard"
	"github.com/pomerium-console-oss/pomerium-console/app/rbac"
	"github.com/pomerium-console-oss/pomerium-console/db"
)

func TestPolicyReport(t *testing.T) {
	e := newConfigEnv(t)
	ctx := t.Context()
	policies := pb.NewPolicyServiceClient(e.admin)
	set := func(p *pb.Policy) string {
		t.Helper()
		resp, err := policies.SetPolicy(ctx, &pb.SetPolicyRequest{Policy: p})
		if err != nil {
			t.Fatal(err)
		}
		return resp.GetPolicy().GetId()
	}
	enforced := set(&pb.Policy{NamespaceId: db.GlobalNamespaceID, Name: "Everyone signs in", Ppl: allowSignedIn, Enforced: true})
	optional := set(&pb.Policy{NamespaceId: nsProduction, Name: "Admins", Ppl: allowSignedIn})
	set(&pb.Policy{NamespaceId: nsProduction, Name: "Unused", Ppl: allowSignedIn})
	routes := pb.NewRouteServiceClient(e.admin)
	list := seedRoutes(t, routes, nsProduction, "example.com", 2)
	withPolicy, err := routes.SetRoute(ctx, &pb.SetRouteRequest{Route: &pb.Route{NamespaceId: nsProduction, Name: "Admin",
		From: "https://admin.example.com", To: []string{"http://up.internal"}, PolicyIds: []string{optional}}})
	if err != nil {
		t.Fatal(err)
	}
	report := pb.NewReportClient(e.admin)

	resp, err := report.PolicyReport(ctx, &pb.PolicyReportRequest{RouteIds: []string{withPolicy.GetRoute().GetId(), list[0].GetId()}})
	if err != nil {
		t.Fatal(err)
	}
	if len(resp.GetRoutes()) != 2 || resp.GetRoutes()[0].GetName() != "Admin" || resp.GetRoutes()[1].GetId() != list[0].GetId() {
		t.Fatalf("report routes = %v", resp.GetRoutes())
	}
	var ids []string
	for _, p := range resp.GetPolicies() {
		ids = append(ids, p.GetId())
	}
	if !slices.Equal(ids, []string{enforced, optional}) {
		t.Fatalf("report policies = %v, want the enforced one and the attached one, each once", ids)
	}

	resp, err = report.PolicyReport(ctx, &pb.PolicyReportRequest{NamespaceId: nsProduction})
	if err != nil || len(resp.GetRoutes()) != 3 || len(resp.GetPolicies()) != 2 {
		t.Fatalf("namespace report: %d routes, %d policies, %v", len(resp.GetRoutes()), len(resp.GetPolicies()), err)
	}

	_, err = report.PolicyReport(ctx, &pb.PolicyReportRequest{RouteIds: []string{list[0].GetId(), "nope"}})
	expectCode(t, err, codes.NotFound, "route_ids[1]: route nope does not exist")
	_, err = report.PolicyReport(ctx, &pb.PolicyReportRequest{RouteIds: []string{list[0].GetId()}, NamespaceId: nsStaging})
	expectCode(t, err, codes.InvalidArgument, "route_ids[0]: route \"Route000\" is not in namespace_id")
	_, err = report.PolicyReport(ctx, &pb.PolicyReportRequest{})
	expectCode(t, err, codes.InvalidArgument, "route_ids: ")
	_, err = pb.NewReportClient(e.as(t, "u-staging", rbac.RoleViewer, nsStaging)).
		PolicyReport(ctx, &pb.PolicyReportRequest{RouteIds: []string{list[0].GetId()}})
	expectCode(t, err, codes.PermissionDenied, `namespace "Production"`)
}
