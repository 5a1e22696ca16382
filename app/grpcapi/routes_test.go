package grpcapi_test

import (
	"slices"
	"testing"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/protobuf/encoding/prototext"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/durationpb"

	pb "github.com/pomerium-console-oss/pomerium-console/app/pb/dashboard"
	"github.com/pomerium-console-oss/pomerium-console/app/rbac"
	"github.com/pomerium-console-oss/pomerium-console/db"
	"github.com/pomerium-console-oss/pomerium-console/db/storetest"
)

// fullRoute sets every field the console supports.
func fullRoute(nsID string) *pb.Route {
	str := func(s string) *string { return &s }
	yes, prio := true, int64(4)
	lb, issuer := pb.LoadBalancingPolicy_LOAD_BALANCING_POLICY_MAGLEV, pb.IssuerFormat_IssuerURI
	return &pb.Route{
		NamespaceId: nsID, Name: "Everything", From: "https://all.example.com", To: []string{"https://a.internal", "https://b.internal"},
		Prefix: str("/app"), PrefixRewrite: str("/"), RegexRewritePattern: str("^/v1/(.*)"), RegexRewriteSubstitution: str(`/v2/\1`),
		HostRewrite: str("internal.example.com"), RegexPriorityOrder: &prio,
		Timeout: durationpb.New(30 * time.Second), IdleTimeout: durationpb.New(90 * time.Minute),
		AllowWebsockets: &yes, AllowSpdy: &yes, TlsUpstreamServerName: str("up.internal"), TlsDownstreamServerName: str("down.example.com"),
		TlsUpstreamAllowRenegotiation: &yes,
		SetRequestHeaders:             map[string]string{"X-Team": "eng"}, RemoveRequestHeaders: []string{"X-Old"},
		SetResponseHeaders:     map[string]string{"X-Frame-Options": "DENY"},
		RewriteResponseHeaders: []*pb.RouteRewriteHeader{{Header: "Location", Matcher: &pb.RouteRewriteHeader_Prefix{Prefix: "http://a/"}, Value: "https://b/"}},
		PassIdentityHeaders:    &yes, EnableGoogleCloudServerlessAuthentication: true, JwtIssuerFormat: &issuer,
		IdpClientId: str("client"), ShowErrorDetails: true, LoadBalancingPolicy: &lb,
		HealthChecks: []*pb.HealthCheck{
			{Timeout: durationpb.New(time.Second), Interval: durationpb.New(10 * time.Second), IntervalJitterPercent: 5,
				UnhealthyThreshold: 3, HealthyThreshold: 2, HealthChecker: &pb.HealthCheck_HttpHealthCheck_{HttpHealthCheck: &pb.HealthCheck_HttpHealthCheck{
					Path: "/healthz", ExpectedStatuses: []*pb.Int64Range{{Start: 200, End: 300}}, CodecClientType: pb.CodecClientType_HTTP2}}},
			{Timeout: durationpb.New(time.Second), Interval: durationpb.New(10 * time.Second), UnhealthyThreshold: 1, HealthyThreshold: 1,
				HealthChecker: &pb.HealthCheck_TcpHealthCheck_{TcpHealthCheck: &pb.HealthCheck_TcpHealthCheck{
					Send: &pb.HealthCheck_Payload{Payload: &pb.HealthCheck_Payload_Text{Text: "50494e47"}}}}},
			{Timeout: durationpb.New(time.Second), Interval: durationpb.New(10 * time.Second), UnhealthyThreshold: 1, HealthyThreshold: 1,
				HealthChecker: &pb.HealthCheck_GrpcHealthCheck_{GrpcHealthCheck: &pb.HealthCheck_GrpcHealthCheck{ServiceName: "svc"}}},
		},
	}
}

// outputOnly clears what the server fills in, to compare a route with
// what was sent.
func outputOnly(r *pb.Route) *pb.Route {
	r = proto.Clone(r).(*pb.Route)
	r.Id, r.CreatedAt, r.ModifiedAt, r.NamespaceName = "", nil, nil, ""
	r.PolicyNames, r.EnforcedPolicyIds, r.EnforcedPolicyNames = nil, nil, nil
	return r
}

func TestSetRouteRoundTripsEveryField(t *testing.T) {
	e := newConfigEnv(t)
	client := pb.NewRouteServiceClient(e.admin)
	sent := fullRoute(nsProduction)
	secret := "s3cret"
	sent.IdpClientSecret = &secret
	saved, err := client.SetRoute(t.Context(), &pb.SetRouteRequest{Route: sent})
	if err != nil {
		t.Fatal(err)
	}
	got, err := client.GetRoute(t.Context(), &pb.GetRouteRequest{Id: saved.GetRoute().GetId()})
	if err != nil {
		t.Fatal(err)
	}
	want := proto.Clone(sent).(*pb.Route)
	want.IdpClientSecret = nil // write-only
	for name, r := range map[string]*pb.Route{"SetRoute": saved.GetRoute(), "GetRoute": got.GetRoute()} {
		if got := outputOnly(r); !proto.Equal(want, got) {
			t.Errorf("%s answered another route:\n got %s\nsent %s", name, prototext.Format(got), prototext.Format(want))
		}
	}
	stored, err := e.app.Store.GetRoute(t.Context(), got.GetRoute().GetId())
	if err != nil {
		t.Fatal(err)
	}
	if stored.Spec.SealedIdentityProviderClientSecret == "" || stored.Spec.SealedIdentityProviderClientSecret == secret {
		t.Errorf("the client secret is not stored sealed: %q", stored.Spec.SealedIdentityProviderClientSecret)
	}
}

func TestSetRouteReplacesTheRouteAndKeepsUnsentSecrets(t *testing.T) {
	e := newConfigEnv(t)
	client := pb.NewRouteServiceClient(e.admin)
	sent := fullRoute(nsProduction)
	secret := "s3cret"
	sent.IdpClientSecret = &secret
	saved, err := client.SetRoute(t.Context(), &pb.SetRouteRequest{Route: sent})
	if err != nil {
		t.Fatal(err)
	}
	id := saved.GetRoute().GetId()
	sealed := func() string {
		r, err := e.app.Store.GetRoute(t.Context(), id)
		if err != nil {
			t.Fatal(err)
		}
		return r.Spec.SealedIdentityProviderClientSecret
	}
	first := sealed()

	// A route read back and sent again, trimmed: what is not sent is gone,
	// the write-only secret stays.
	back := saved.GetRoute()
	back.HealthChecks, back.LoadBalancingPolicy, back.Timeout, back.Prefix = nil, nil, nil, nil
	back.To = []string{"http://c.internal"}
	replaced, err := client.SetRoute(t.Context(), &pb.SetRouteRequest{Route: back})
	if err != nil {
		t.Fatal(err)
	}
	r := replaced.GetRoute()
	if r.GetId() != id || r.Timeout != nil || r.Prefix != nil || len(r.GetHealthChecks()) != 0 || !slices.Equal(r.GetTo(), []string{"http://c.internal"}) {
		t.Fatalf("replaced route = %v", r)
	}
	if sealed() != first {
		t.Error("an unsent secret changed")
	}
	// An empty secret clears it, which needs the client id cleared too.
	empty := ""
	back = replaced.GetRoute()
	back.IdpClientSecret, back.IdpClientId = &empty, nil
	if _, err := client.SetRoute(t.Context(), &pb.SetRouteRequest{Route: back}); err != nil {
		t.Fatal(err)
	}
	if sealed() != "" {
		t.Error("an empty secret did not clear it")
	}
}

func TestSetRouteRefusals(t *testing.T) {
	e := newConfigEnv(t)
	client := pb.NewRouteServiceClient(e.admin)
	existing, err := client.SetRoute(t.Context(), &pb.SetRouteRequest{Route: &pb.Route{
		NamespaceId: nsProduction, Name: "Existing", From: "https://existing.example.com", To: []string{"http://e.internal"},
	}})
	if err != nil {
		t.Fatal(err)
	}
	viewer := e.as(t, "u-viewer", rbac.RoleViewer, nsProduction)
	stranger := e.as(t, "u-stranger", rbac.RoleManager, nsStaging)
	valid := func(change func(r *pb.Route)) *pb.Route {
		r := &pb.Route{NamespaceId: nsProduction, Name: "New", From: "https://new.example.com", To: []string{"http://new.internal"}}
		change(r)
		return r
	}
	desc, badLB := "shown in the portal", pb.LoadBalancingPolicy(42)
	tests := []struct {
		name  string
		route *pb.Route
		as    string
		code  codes.Code
		parts []string
	}{
		{"no route", nil, "", codes.InvalidArgument, []string{"route: send the route to save"}},
		{"no namespace", valid(func(r *pb.Route) { r.NamespaceId = "" }), "", codes.InvalidArgument, []string{"route.namespace_id: "}},
		{"unknown namespace", valid(func(r *pb.Route) { r.NamespaceId = "nope" }), "", codes.InvalidArgument,
			[]string{"route.namespace_id: namespace nope does not exist"}},
		{"bad from and a taken name", valid(func(r *pb.Route) { r.From, r.Name = "ftp://x", "existing" }), "", codes.InvalidArgument,
			[]string{"route.from: must start with https://", `route.name: this namespace already has a route named "Existing"`}},
		{"unsupported field", valid(func(r *pb.Route) { r.Description = &desc }), "", codes.InvalidArgument,
			[]string{"route.description: is not supported"}},
		{"unknown enum value", valid(func(r *pb.Route) { r.LoadBalancingPolicy = &badLB }), "", codes.InvalidArgument,
			[]string{"route.load_balancing_policy: must be one of LOAD_BALANCING_POLICY_UNSPECIFIED, "}},
		{"sub-millisecond timeout", valid(func(r *pb.Route) { r.Timeout = durationpb.New(time.Microsecond) }), "", codes.InvalidArgument,
			[]string{"route.timeout: must be a whole number of milliseconds"}},
		{"health check without a timeout", valid(func(r *pb.Route) {
			r.HealthChecks = []*pb.HealthCheck{{Interval: durationpb.New(time.Second), UnhealthyThreshold: 1, HealthyThreshold: 1,
				HealthChecker: &pb.HealthCheck_GrpcHealthCheck_{GrpcHealthCheck: &pb.HealthCheck_GrpcHealthCheck{}}}}
		}), "", codes.InvalidArgument, []string{"route.health_checks[0].timeout: enter a duration"}},
		{"unknown policy", valid(func(r *pb.Route) { r.PolicyIds = []string{"nope"} }), "", codes.InvalidArgument,
			[]string{"route.policy_ids: policy nope does not exist"}},
		{"unknown id", valid(func(r *pb.Route) { r.Id = "nope" }), "", codes.NotFound, []string{"route nope does not exist"}},
		{"viewer", valid(func(*pb.Route) {}), "viewer", codes.PermissionDenied, []string{`manager role on namespace "Production"`}},
		{"manager elsewhere", valid(func(*pb.Route) {}), "stranger", codes.PermissionDenied, []string{`namespace "Production"`}},
		{"move by a manager of the target only", valid(func(r *pb.Route) {
			r.Id, r.NamespaceId, r.Name, r.From = existing.GetRoute().GetId(), nsStaging, "Existing", "https://existing.example.com"
		}), "stranger", codes.PermissionDenied, []string{`namespace "Production"`}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := client
			switch tc.as {
			case "viewer":
				c = pb.NewRouteServiceClient(viewer)
			case "stranger":
				c = pb.NewRouteServiceClient(stranger)
			}
			before := storetest.Capture(t, e.app.Store)
			_, err := c.SetRoute(t.Context(), &pb.SetRouteRequest{Route: tc.route})
			expectCode(t, err, tc.code, tc.parts...)
			before.Unchanged(t, e.app.Store)
		})
	}
}

func TestSetRoutesSavesAllOrNothing(t *testing.T) {
	e := newConfigEnv(t)
	client := pb.NewRouteServiceClient(e.admin)
	route := func(name, host string) *pb.Route {
		return &pb.Route{NamespaceId: nsProduction, Name: name, From: "https://" + host, To: []string{"http://up.internal"}}
	}
	before := storetest.Capture(t, e.app.Store)
	_, err := client.SetRoutes(t.Context(), &pb.SetRoutesRequest{Routes: []*pb.Route{
		route("A", "a.example.com"), route("B", "b.example.com"), route("C", "a.example.com"),
	}})
	expectCode(t, err, codes.InvalidArgument, `routes[2].from: route "A" in namespace "Production" already answers these requests`)
	before.Unchanged(t, e.app.Store)

	_, err = client.SetRoutes(t.Context(), &pb.SetRoutesRequest{Routes: []*pb.Route{route("A", "a.example.com"), {Id: "nope", NamespaceId: nsProduction}}})
	expectCode(t, err, codes.NotFound, "routes[1]: route nope does not exist")
	before.Unchanged(t, e.app.Store)

	resp, err := client.SetRoutes(t.Context(), &pb.SetRoutesRequest{Routes: []*pb.Route{route("A", "a.example.com"), route("B", "b.example.com")}})
	if err != nil {
		t.Fatal(err)
	}
	if len(resp.GetRoutes()) != 2 || resp.GetRoutes()[0].GetName() != "A" || resp.GetRoutes()[1].GetName() != "B" {
		t.Fatalf("SetRoutes = %v", resp.GetRoutes())
	}
	if n := len(before.NewActivity(t, e.app.Store)); n != 2 {
		t.Errorf("%d activity entries, want one per route", n)
	}
	// Ids replace: rename A, create D, in one call.
	a := resp.GetRoutes()[0]
	a.Name = "A renamed"
	resp, err = client.SetRoutes(t.Context(), &pb.SetRoutesRequest{Routes: []*pb.Route{a, route("D", "d.example.com")}})
	if err != nil {
		t.Fatal(err)
	}
	if resp.GetRoutes()[0].GetId() != a.GetId() || resp.GetRoutes()[0].GetName() != "A renamed" || resp.GetRoutes()[1].GetId() == "" {
		t.Fatalf("SetRoutes = %v", resp.GetRoutes())
	}
	_, err = client.SetRoutes(t.Context(), &pb.SetRoutesRequest{})
	expectCode(t, err, codes.InvalidArgument, "routes: list at least one")
}

// seedRoutes stores n routes in nsID through the API, named "Route000"
// on, answering https://route-000.<domain> on.
func seedRoutes(t *testing.T, client pb.RouteServiceClient, nsID, domain string, n int) []*pb.Route {
	t.Helper()
	var list []*pb.Route
	for i := range n {
		list = append(list, &pb.Route{NamespaceId: nsID, Name: fmtName("Route", i), From: "https://" + fmtName("route-", i) + "." + domain,
			To: []string{"http://up.internal"}})
	}
	resp, err := client.SetRoutes(t.Context(), &pb.SetRoutesRequest{Routes: list})
	if err != nil {
		t.Fatal(err)
	}
	return resp.GetRoutes()
}

func fmtName(prefix string, i int) string {
	return prefix + string(rune('0'+i/100%10)) + string(rune('0'+i/10%10)) + string(rune('0'+i%10))
}

func TestListRoutes(t *testing.T) {
	e := newConfigEnv(t)
	ctx := t.Context()
	enforced, err := pb.NewPolicyServiceClient(e.admin).SetPolicy(ctx, &pb.SetPolicyRequest{Policy: &pb.Policy{
		NamespaceId: db.GlobalNamespaceID, Name: "Everyone signs in", Ppl: "allow:\n  and:\n    - authenticated_user: true\n", Enforced: true,
	}})
	if err != nil {
		t.Fatal(err)
	}
	client := pb.NewRouteServiceClient(e.admin)
	seedRoutes(t, client, nsProduction, "example.com", 12)
	seedRoutes(t, client, nsStaging, "example.org", 1)
	i64 := func(n int64) *int64 { return &n }
	str := func(s string) *string { return &s }

	resp, err := client.ListRoutes(ctx, &pb.ListRoutesRequest{Namespace: nsProduction, Offset: i64(10), Limit: i64(5)})
	if err != nil {
		t.Fatal(err)
	}
	if resp.GetTotalCount() != 12 || len(resp.GetRoutes()) != 2 || resp.GetRoutes()[0].GetName() != "Route010" {
		t.Fatalf("page = %d of %d, first %q", len(resp.GetRoutes()), resp.GetTotalCount(), resp.GetRoutes()[0].GetName())
	}
	r := resp.GetRoutes()[0]
	if !slices.Equal(r.GetEnforcedPolicyIds(), []string{enforced.GetPolicy().GetId()}) || !slices.Equal(r.GetEnforcedPolicyNames(), []string{"Everyone signs in"}) {
		t.Errorf("enforced policies = %v %v", r.GetEnforcedPolicyIds(), r.GetEnforcedPolicyNames())
	}

	resp, err = client.ListRoutes(ctx, &pb.ListRoutesRequest{Namespace: nsProduction, Query: str("route-003"), OrderBy: str("-name")})
	if err != nil || resp.GetTotalCount() != 1 || resp.GetRoutes()[0].GetName() != "Route003" {
		t.Fatalf("query: %v %v", resp, err)
	}
	resp, err = client.ListRoutes(ctx, &pb.ListRoutesRequest{Namespace: nsProduction, OrderBy: str("-name"), Limit: i64(1)})
	if err != nil || resp.GetRoutes()[0].GetName() != "Route011" {
		t.Fatalf("reversed: %v %v", resp, err)
	}

	// A viewer of Production lists it, not Staging.
	viewer := pb.NewRouteServiceClient(e.as(t, "u-viewer", rbac.RoleViewer, nsProduction))
	if resp, err := viewer.ListRoutes(ctx, &pb.ListRoutesRequest{Namespace: nsProduction}); err != nil || resp.GetTotalCount() != 12 {
		t.Fatalf("viewer: %v %v", resp, err)
	}
	_, err = viewer.ListRoutes(ctx, &pb.ListRoutesRequest{Namespace: nsStaging})
	expectCode(t, err, codes.PermissionDenied, `namespace "Staging"`)

	for _, tc := range []struct {
		req  *pb.ListRoutesRequest
		want string
	}{
		{&pb.ListRoutesRequest{}, "namespace: name the namespace"},
		{&pb.ListRoutesRequest{Namespace: "nope"}, "namespace: namespace nope does not exist"},
		{&pb.ListRoutesRequest{Namespace: nsProduction, Limit: i64(0)}, "limit: must be from 1 to 1000"},
		{&pb.ListRoutesRequest{Namespace: nsProduction, Offset: i64(-1)}, "offset: must be 0 or more"},
		{&pb.ListRoutesRequest{Namespace: nsProduction, OrderBy: str("size")}, `order_by: must be name, from`},
	} {
		_, err := client.ListRoutes(ctx, tc.req)
		expectCode(t, err, codes.InvalidArgument, tc.want)
	}
	_, err = client.ListRoutes(ctx, &pb.ListRoutesRequest{ClusterId: str("nope")})
	expectCode(t, err, codes.NotFound, `cluster "nope" does not exist`)
}

func TestDeleteRoutes(t *testing.T) {
	e := newConfigEnv(t)
	client := pb.NewRouteServiceClient(e.admin)
	list := seedRoutes(t, client, nsProduction, "example.com", 3)
	viewer := pb.NewRouteServiceClient(e.as(t, "u-viewer", rbac.RoleViewer, nsProduction))

	before := storetest.Capture(t, e.app.Store)
	_, err := client.DeleteRoutes(t.Context(), &pb.DeleteRoutesRequest{Ids: []string{list[0].GetId(), "nope"}})
	expectCode(t, err, codes.NotFound, "ids[1]: route nope does not exist")
	before.Unchanged(t, e.app.Store)
	_, err = viewer.DeleteRoute(t.Context(), &pb.DeleteRouteRequest{Id: list[0].GetId()})
	expectCode(t, err, codes.PermissionDenied)
	before.Unchanged(t, e.app.Store)

	if _, err := client.DeleteRoutes(t.Context(), &pb.DeleteRoutesRequest{Ids: []string{list[0].GetId(), list[1].GetId()}}); err != nil {
		t.Fatal(err)
	}
	if _, err := client.DeleteRoute(t.Context(), &pb.DeleteRouteRequest{Id: list[2].GetId()}); err != nil {
		t.Fatal(err)
	}
	_, total, err := e.app.Store.ListRoutes(t.Context(), db.RouteFilter{})
	if err != nil || total != 0 {
		t.Fatalf("%d routes left, %v", total, err)
	}
	_, err = client.GetRoute(t.Context(), &pb.GetRouteRequest{Id: list[2].GetId()})
	expectCode(t, err, codes.NotFound)
}

func TestMoveRoutes(t *testing.T) {
	e := newConfigEnv(t)
	ctx := t.Context()
	pol, err := pb.NewPolicyServiceClient(e.admin).SetPolicy(ctx, &pb.SetPolicyRequest{Policy: &pb.Policy{
		NamespaceId: nsProduction, Name: "Prod only", Ppl: "allow:\n  and:\n    - authenticated_user: true\n",
	}})
	if err != nil {
		t.Fatal(err)
	}
	client := pb.NewRouteServiceClient(e.admin)
	plain := seedRoutes(t, client, nsProduction, "example.com", 2)
	attached, err := client.SetRoute(ctx, &pb.SetRouteRequest{Route: &pb.Route{NamespaceId: nsProduction, Name: "Attached",
		From: "https://attached.example.com", To: []string{"http://up.internal"}, PolicyIds: []string{pol.GetPolicy().GetId()}}})
	if err != nil {
		t.Fatal(err)
	}
	stagingManager := pb.NewRouteServiceClient(e.as(t, "u-staging", rbac.RoleManager, nsStaging))

	before := storetest.Capture(t, e.app.Store)
	_, err = client.MoveRoutes(ctx, &pb.MoveRoutesRequest{RouteIds: []string{plain[0].GetId(), attached.GetRoute().GetId()}, NewNamespaceId: nsStaging})
	expectCode(t, err, codes.InvalidArgument, `route_ids[1].policy_ids: policy "Prod only" of namespace "Production" is out of reach`)
	before.Unchanged(t, e.app.Store)
	_, err = stagingManager.MoveRoutes(ctx, &pb.MoveRoutesRequest{RouteIds: []string{plain[0].GetId()}, NewNamespaceId: nsStaging})
	expectCode(t, err, codes.PermissionDenied, `namespace "Production"`)
	_, err = client.MoveRoutes(ctx, &pb.MoveRoutesRequest{RouteIds: []string{plain[0].GetId()}})
	expectCode(t, err, codes.InvalidArgument, "new_namespace_id: ")
	_, err = client.MoveRoutes(ctx, &pb.MoveRoutesRequest{RouteIds: []string{plain[0].GetId()}, NewNamespaceId: "nope"})
	expectCode(t, err, codes.InvalidArgument, "new_namespace_id: namespace nope does not exist")
	before.Unchanged(t, e.app.Store)

	if _, err := client.MoveRoutes(ctx, &pb.MoveRoutesRequest{RouteIds: []string{plain[0].GetId(), plain[1].GetId()}, NewNamespaceId: nsStaging}); err != nil {
		t.Fatal(err)
	}
	for _, r := range plain {
		got, err := client.GetRoute(ctx, &pb.GetRouteRequest{Id: r.GetId()})
		if err != nil || got.GetRoute().GetNamespaceId() != nsStaging || got.GetRoute().GetNamespaceName() != "Staging" {
			t.Fatalf("route after the move: %v %v", got, err)
		}
	}
}

func TestLoadRoutesReadsAConfigWithoutStoringIt(t *testing.T) {
	e := newConfigEnv(t)
	client := pb.NewRouteServiceClient(e.admin)
	config := []byte(`routes:
  - from: https://verify.example.com
    to: http://verify:8000
    allowed_users: [user@example.com]
    pass_identity_headers: true
  - from: https://static.example.com
    response:
      status: 200
      body: ok
`)
	before := storetest.Capture(t, e.app.Store)
	resp, err := client.LoadRoutes(t.Context(), &pb.LoadRoutesRequest{Name: "config.yaml", Contents: config})
	if err != nil {
		t.Fatal(err)
	}
	before.Unchanged(t, e.app.Store)
	list := resp.GetRoutes()
	if len(list) != 2 {
		t.Fatalf("loaded %d routes, want 2", len(list))
	}
	verify := list[0]
	if verify.GetRoute().GetFrom() != "https://verify.example.com" || !verify.GetRoute().GetPassIdentityHeaders() ||
		verify.GetRoute().GetId() != "" || len(verify.GetPolicies()) != 1 {
		t.Fatalf("first route = %v", verify)
	}
	if ppl := verify.GetPolicies()[0].GetPpl(); !containsAll(ppl, "user:", "email:", "user@example.com") {
		t.Errorf("allowed_users became %q, want user and email criteria", ppl)
	}
	if static := list[1]; static.GetRoute().GetResponse().GetStatus() != 200 || len(static.GetPolicies()) != 0 {
		t.Errorf("second route = %v", static)
	}

	_, err = client.LoadRoutes(t.Context(), &pb.LoadRoutesRequest{Name: "bad.yaml", Contents: []byte("routes:\n  - from: [\n")})
	expectCode(t, err, codes.InvalidArgument, "contents: bad.yaml:")
	_, err = client.LoadRoutes(t.Context(), &pb.LoadRoutesRequest{})
	expectCode(t, err, codes.InvalidArgument, "contents: send the config.yaml")
}
