package grpcapi_test

import (
	"slices"
	"testing"

	"google.golang.org/grpc/codes"

	"github.com/pomerium-console-oss/pomerium-console/app/activity"
	pb "github.com/pomerium-console-oss/pomerium-console/app/pb/dashboard"
	"github.com/pomerium-console-oss/pomerium-console/db/storetest"
)

// TestExampleFlow is the script of the enterprise API docs: find the
// Production namespace, find "my policy" in it, and save a route there
// with that policy and pass_identity_headers.
func TestExampleFlow(t *testing.T) {
	e := newConfigEnv(t)
	ctx := t.Context()
	policies := pb.NewPolicyServiceClient(e.admin)
	made, err := policies.SetPolicy(ctx, &pb.SetPolicyRequest{Policy: &pb.Policy{
		NamespaceId: nsProduction, Name: "my policy", Ppl: "allow:\n  or:\n    - email:\n        is: user@example.com\n",
	}})
	if err != nil {
		t.Fatal(err)
	}

	// From here on the caller is what the docs' script runs as: a service
	// account, authenticated by "authorization: Pomerium <token>".
	sa := e.app.DialGRPC(t, serviceAccountMD(t, e.app, nsProduction, "manager"))
	nss, err := pb.NewNamespaceServiceClient(sa).ListNamespaces(ctx, &pb.ListNamespacesRequest{})
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(nss.GetNamespaces(), func(n *pb.Namespace) bool { return n.GetName() == "Production" })
	if i < 0 {
		t.Fatalf("Production is not listed: %v", nss.GetNamespaces())
	}
	ns := nss.GetNamespaces()[i]
	query := "my policy"
	found, err := pb.NewPolicyServiceClient(sa).ListPolicies(ctx, &pb.ListPoliciesRequest{Query: &query, Namespace: ns.GetId()})
	if err != nil {
		t.Fatal(err)
	}
	if len(found.GetPolicies()) != 1 || found.GetPolicies()[0].GetId() != made.GetPolicy().GetId() {
		t.Fatalf("ListPolicies = %v, want only %q", found.GetPolicies(), made.GetPolicy().GetId())
	}

	pass := true
	before := storetest.Capture(t, e.app.Store)
	// As in the docs' script, the route names no namespace: it goes where
	// its policy is.
	resp, err := pb.NewRouteServiceClient(sa).SetRoute(ctx, &pb.SetRouteRequest{Route: &pb.Route{
		Name: "my route", From: "https://my.example.com", To: []string{"http://my.internal:8080"},
		PolicyIds: []string{found.GetPolicies()[0].GetId()}, PassIdentityHeaders: &pass,
	}})
	if err != nil {
		t.Fatal(err)
	}
	r := resp.GetRoute()
	if r.GetId() == "" || r.GetNamespaceName() != "Production" || !slices.Equal(r.GetPolicyNames(), []string{"my policy"}) || !r.GetPassIdentityHeaders() {
		t.Fatalf("saved route = %v", r)
	}
	stored, err := e.app.Store.GetRoute(ctx, r.GetId())
	if err != nil {
		t.Fatal(err)
	}
	if stored.Name != "my route" || stored.Spec.PassIdentityHeaders == nil || !*stored.Spec.PassIdentityHeaders ||
		!slices.Equal(stored.PolicyIDs, []string{made.GetPolicy().GetId()}) {
		t.Fatalf("stored route = %+v", stored)
	}
	entry := before.Changed(t, e.app.Store)
	if entry.EntityType != activity.EntityRoute || entry.EntityID != r.GetId() || entry.ServiceAccountID == "" {
		t.Errorf("activity entry = %+v, want the route created by the service account", entry)
	}
}

// A route sent without namespace_id goes where all its policies are; a
// stored route keeps its namespace; anything else must name one.
func TestSetRouteImpliedNamespace(t *testing.T) {
	e := newConfigEnv(t)
	ctx := t.Context()
	policies, routes := pb.NewPolicyServiceClient(e.admin), pb.NewRouteServiceClient(e.admin)
	policyIn := func(ns, name string) string {
		t.Helper()
		p, err := policies.SetPolicy(ctx, &pb.SetPolicyRequest{Policy: &pb.Policy{NamespaceId: ns, Name: name, Ppl: "allow:\n  or:\n    - authenticated_user: true\n"}})
		if err != nil {
			t.Fatal(err)
		}
		return p.GetPolicy().GetId()
	}
	prod, prod2, staging := policyIn(nsProduction, "a"), policyIn(nsProduction, "b"), policyIn(nsStaging, "c")

	made, err := routes.SetRoute(ctx, &pb.SetRouteRequest{Route: &pb.Route{
		Name: "implied", From: "https://implied.example.com", To: []string{"https://up.internal"}, PolicyIds: []string{prod, prod2},
	}})
	if err != nil || made.GetRoute().GetNamespaceId() != nsProduction {
		t.Fatalf("route with Production's policies: %v, %v", made, err)
	}
	// Replacing it without namespace_id keeps it in Production.
	kept, err := routes.SetRoute(ctx, &pb.SetRouteRequest{Route: &pb.Route{
		Id: made.GetRoute().GetId(), Name: "renamed", From: "https://implied.example.com", To: []string{"https://up.internal"},
	}})
	if err != nil || kept.GetRoute().GetNamespaceId() != nsProduction || kept.GetRoute().GetName() != "renamed" {
		t.Fatalf("replaced route: %v, %v", kept, err)
	}

	before := storetest.Capture(t, e.app.Store)
	for name, ids := range map[string][]string{"no policies": nil, "policies of two namespaces": {prod, staging}, "an unknown policy": {"nope"}} {
		t.Run(name, func(t *testing.T) {
			_, err := routes.SetRoute(ctx, &pb.SetRouteRequest{Route: &pb.Route{
				Name: "x", From: "https://x.example.com", To: []string{"https://up.internal"}, PolicyIds: ids,
			}})
			expectCode(t, err, codes.InvalidArgument, "route.namespace_id: name the namespace the route belongs to")
		})
	}
	before.Unchanged(t, e.app.Store)
}
