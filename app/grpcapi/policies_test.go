package grpcapi_test

import (
	"strings"
	"testing"

	"google.golang.org/grpc/codes"
	"google.golang.org/protobuf/types/known/structpb"

	"github.com/pomerium-console-oss/pomerium-console/app/activity"
	pb "github.com/pomerium-console-oss/pomerium-console/app/pb/dashboard"
	"github.com/pomerium-console-oss/pomerium-console/app/rbac"
	"github.com/pomerium-console-oss/pomerium-console/db/storetest"
)

const allowSignedIn = "allow:\n  and:\n    - authenticated_user: true\n"

func TestSetPolicyCreatesAndReplaces(t *testing.T) {
	e := newConfigEnv(t)
	ctx := t.Context()
	client := pb.NewPolicyServiceClient(e.admin)
	before := storetest.Capture(t, e.app.Store)
	made, err := client.SetPolicy(ctx, &pb.SetPolicyRequest{Policy: &pb.Policy{
		NamespaceId: nsProduction, Name: "Signed in", Description: "anyone who signed in", Ppl: allowSignedIn,
		Explanation: "you must sign in", Remediation: "sign in",
	}})
	if err != nil {
		t.Fatal(err)
	}
	p := made.GetPolicy()
	if p.GetId() == "" || p.GetNamespaceName() != "Production" || p.GetPpl() != allowSignedIn || p.GetExplanation() != "you must sign in" ||
		len(p.GetRego()) != 0 || p.GetCreatedAt() == nil {
		t.Fatalf("created policy = %v", p)
	}
	entry := before.Changed(t, e.app.Store)
	if entry.EntityType != activity.EntityPolicy || entry.EntityID != p.GetId() || entry.ActivityType != "create" {
		t.Errorf("activity entry = %+v", entry)
	}
	stored, err := e.app.Store.GetPolicy(ctx, p.GetId())
	if err != nil || stored.Rego == "" || stored.PPL != allowSignedIn {
		t.Fatalf("stored policy = %+v, %v (want compiled Rego)", stored, err)
	}

	// Set replaces every field: the description, not sent, is cleared.
	p.Name, p.Description, p.Enforced = "Signed in (all routes)", "", true
	replaced, err := client.SetPolicy(ctx, &pb.SetPolicyRequest{Policy: p})
	if err != nil {
		t.Fatal(err)
	}
	got, err := client.GetPolicy(ctx, &pb.GetPolicyRequest{Id: p.GetId()})
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []*pb.Policy{replaced.GetPolicy(), got.GetPolicy()} {
		if q.GetId() != p.GetId() || q.GetName() != "Signed in (all routes)" || q.GetDescription() != "" || !q.GetEnforced() {
			t.Fatalf("replaced policy = %v", q)
		}
	}
}

func TestSetPolicyTurnsLegacyFieldsIntoPPL(t *testing.T) {
	e := newConfigEnv(t)
	groups, err := structpb.NewList([]any{"admins"})
	if err != nil {
		t.Fatal(err)
	}
	made, err := pb.NewPolicyServiceClient(e.admin).SetPolicy(t.Context(), &pb.SetPolicyRequest{Policy: &pb.Policy{
		NamespaceId: nsProduction, Name: "Legacy", AllowedUsers: []string{"alice@example.com"},
		AllowedDomains: []string{"example.com"}, AllowedIdpClaims: map[string]*structpb.ListValue{"groups": groups},
		Ppl: "deny:\n  and:\n    - email:\n        is: mallory@example.com\n",
	}})
	if err != nil {
		t.Fatal(err)
	}
	src := made.GetPolicy().GetPpl()
	for _, want := range []string{"allow:", "or:", "domain:", "is: example.com", "user:", "email:", "is: alice@example.com",
		"claim/groups: admins", "deny:", "is: mallory@example.com"} {
		if !strings.Contains(src, want) {
			t.Errorf("PPL %q does not hold %q", src, want)
		}
	}
	if len(made.GetPolicy().GetAllowedUsers()) != 0 {
		t.Error("the legacy fields are answered besides the PPL holding them")
	}
}

func TestSetPolicyRefusals(t *testing.T) {
	e := newConfigEnv(t)
	client := pb.NewPolicyServiceClient(e.admin)
	existing, err := client.SetPolicy(t.Context(), &pb.SetPolicyRequest{Policy: &pb.Policy{NamespaceId: nsProduction, Name: "Existing", Ppl: allowSignedIn}})
	if err != nil {
		t.Fatal(err)
	}
	viewer := pb.NewPolicyServiceClient(e.as(t, "u-viewer", rbac.RoleViewer, nsProduction))
	valid := func(change func(*pb.Policy)) *pb.Policy {
		p := &pb.Policy{NamespaceId: nsProduction, Name: "New", Ppl: allowSignedIn}
		change(p)
		return p
	}
	tests := []struct {
		name   string
		policy *pb.Policy
		viewer bool
		code   codes.Code
		parts  []string
	}{
		{"no policy", nil, false, codes.InvalidArgument, []string{"policy: send the policy"}},
		{"no namespace", valid(func(p *pb.Policy) { p.NamespaceId = "" }), false, codes.InvalidArgument, []string{"policy.namespace_id: "}},
		{"unknown namespace", valid(func(p *pb.Policy) { p.NamespaceId = "nope" }), false, codes.InvalidArgument,
			[]string{"policy.namespace_id: namespace nope does not exist"}},
		{"rego", valid(func(p *pb.Policy) { p.Rego = []string{"package pomerium.policy"} }), false, codes.InvalidArgument, []string{"policy.rego: is not supported"}},
		{"broken PPL and a long name", valid(func(p *pb.Policy) { p.Ppl, p.Name = "allow:\n  and:\n    - nope: 1\n", strings.Repeat("n", 129) }),
			false, codes.InvalidArgument, []string{"policy.ppl: ", "nope", "policy.name: must be at most 128 characters"}},
		{"no rules", valid(func(p *pb.Policy) { p.Ppl = "" }), false, codes.InvalidArgument, []string{"policy.ppl: write the policy's rules"}},
		{"taken name", valid(func(p *pb.Policy) { p.Name = "EXISTING" }), false, codes.InvalidArgument, []string{`policy.name: this namespace already has a policy named "Existing"`}},
		{"move", valid(func(p *pb.Policy) { p.Id, p.NamespaceId = existing.GetPolicy().GetId(), nsStaging }), false, codes.InvalidArgument,
			[]string{"policy.namespace_id: a policy stays in its namespace"}},
		{"unknown id", valid(func(p *pb.Policy) { p.Id = "nope" }), false, codes.NotFound, []string{"policy nope does not exist"}},
		{"viewer creates", valid(func(*pb.Policy) {}), true, codes.PermissionDenied, []string{`manager role on namespace "Production"`}},
		{"viewer replaces", valid(func(p *pb.Policy) { p.Id, p.Name = existing.GetPolicy().GetId(), "Existing" }), true, codes.PermissionDenied,
			[]string{`manager role on namespace "Production"`}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := client
			if tc.viewer {
				c = viewer
			}
			before := storetest.Capture(t, e.app.Store)
			_, err := c.SetPolicy(t.Context(), &pb.SetPolicyRequest{Policy: tc.policy})
			expectCode(t, err, tc.code, tc.parts...)
			before.Unchanged(t, e.app.Store)
		})
	}
}

func TestListPolicies(t *testing.T) {
	e := newConfigEnv(t)
	ctx := t.Context()
	client := pb.NewPolicyServiceClient(e.admin)
	for _, name := range []string{"Alpha", "Beta", "Gamma"} {
		if _, err := client.SetPolicy(ctx, &pb.SetPolicyRequest{Policy: &pb.Policy{NamespaceId: nsProduction, Name: name, Ppl: allowSignedIn}}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := client.SetPolicy(ctx, &pb.SetPolicyRequest{Policy: &pb.Policy{NamespaceId: nsStaging, Name: "Alpha", Ppl: allowSignedIn}}); err != nil {
		t.Fatal(err)
	}
	one, two := int64(1), int64(2)
	resp, err := client.ListPolicies(ctx, &pb.ListPoliciesRequest{Namespace: nsProduction, Offset: &one, Limit: &two})
	if err != nil {
		t.Fatal(err)
	}
	if resp.GetTotalCount() != 3 || len(resp.GetPolicies()) != 2 || resp.GetPolicies()[0].GetName() != "Beta" {
		t.Fatalf("page = %v (total %d)", resp.GetPolicies(), resp.GetTotalCount())
	}
	q := "ALP"
	resp, err = client.ListPolicies(ctx, &pb.ListPoliciesRequest{Namespace: nsStaging, Query: &q})
	if err != nil || resp.GetTotalCount() != 1 || resp.GetPolicies()[0].GetNamespaceId() != nsStaging {
		t.Fatalf("query: %v %v", resp, err)
	}
	_, err = pb.NewPolicyServiceClient(e.as(t, "u-staging", rbac.RoleViewer, nsStaging)).ListPolicies(ctx, &pb.ListPoliciesRequest{Namespace: nsProduction})
	expectCode(t, err, codes.PermissionDenied, `namespace "Production"`)
	order := "size"
	_, err = client.ListPolicies(ctx, &pb.ListPoliciesRequest{Namespace: nsProduction, OrderBy: &order})
	expectCode(t, err, codes.InvalidArgument, "order_by: policies are listed by name")
	_, err = client.ListPolicies(ctx, &pb.ListPoliciesRequest{})
	expectCode(t, err, codes.InvalidArgument, "namespace: ")
}

func TestDeletePolicy(t *testing.T) {
	e := newConfigEnv(t)
	ctx := t.Context()
	policies := pb.NewPolicyServiceClient(e.admin)
	made, err := policies.SetPolicy(ctx, &pb.SetPolicyRequest{Policy: &pb.Policy{NamespaceId: nsProduction, Name: "Used", Ppl: allowSignedIn}})
	if err != nil {
		t.Fatal(err)
	}
	id := made.GetPolicy().GetId()
	routes := pb.NewRouteServiceClient(e.admin)
	route, err := routes.SetRoute(ctx, &pb.SetRouteRequest{Route: &pb.Route{NamespaceId: nsProduction, Name: "User",
		From: "https://user.example.com", To: []string{"http://up.internal"}, PolicyIds: []string{id}}})
	if err != nil {
		t.Fatal(err)
	}
	got, err := policies.GetPolicy(ctx, &pb.GetPolicyRequest{Id: id})
	if err != nil || got.GetPolicy().GetRoutes()[route.GetRoute().GetId()] != "User" {
		t.Fatalf("policy's routes = %v, %v", got.GetPolicy().GetRoutes(), err)
	}
	viewer := pb.NewPolicyServiceClient(e.as(t, "u-viewer", rbac.RoleViewer, nsProduction))

	before := storetest.Capture(t, e.app.Store)
	_, err = policies.DeletePolicy(ctx, &pb.DeletePolicyRequest{Id: id})
	expectCode(t, err, codes.FailedPrecondition, `policy "Used" is still used by route "User"`)
	_, err = viewer.DeletePolicy(ctx, &pb.DeletePolicyRequest{Id: id, RemoveFromAnyAssignedRoutes: true})
	expectCode(t, err, codes.PermissionDenied)
	_, err = policies.DeletePolicy(ctx, &pb.DeletePolicyRequest{Id: "nope", RemoveFromAnyAssignedRoutes: true})
	expectCode(t, err, codes.NotFound, "policy nope does not exist")
	before.Unchanged(t, e.app.Store)

	if _, err := policies.DeletePolicy(ctx, &pb.DeletePolicyRequest{Id: id, RemoveFromAnyAssignedRoutes: true}); err != nil {
		t.Fatal(err)
	}
	_, err = policies.GetPolicy(ctx, &pb.GetPolicyRequest{Id: id})
	expectCode(t, err, codes.NotFound)
	r, err := routes.GetRoute(ctx, &pb.GetRouteRequest{Id: route.GetRoute().GetId()})
	if err != nil || len(r.GetRoute().GetPolicyIds()) != 0 {
		t.Fatalf("route after the delete: %v, %v", r, err)
	}
	if n := len(before.NewActivity(t, e.app.Store)); n != 2 {
		t.Errorf("%d activity entries, want the route's update and the policy's delete", n)
	}
}
