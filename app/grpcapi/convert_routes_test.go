package grpcapi

import (
	"errors"
	"slices"
	"testing"

	"google.golang.org/protobuf/encoding/prototext"
	"google.golang.org/protobuf/proto"

	"github.com/pomerium-console-oss/pomerium-console/app/errs"
	pb "github.com/pomerium-console-oss/pomerium-console/app/pb/dashboard"
	"github.com/pomerium-console-oss/pomerium-console/db"
)

func TestRoutePathNamesProtoFields(t *testing.T) {
	t.Parallel()
	tests := []struct{ prefix, field, want string }{
		{"route", "from", "route.from"},
		{"route", "tlsCustomCaKeyPairId", "route.tls_custom_ca_key_pair_id"},
		{"route", "identityProviderClientSecret", "route.idp_client_secret"},
		{"route", "redirect.hostRedirect", "route.redirect.host_redirect"},
		{"routes[3]", "healthChecks.2.kind", "routes[3].health_checks[2].health_checker"},
		{"route", "healthChecks.0.httpHealthCheck.expectedStatuses", "route.health_checks[0].http_health_check.expected_statuses"},
		{"route_ids[1]", "rewriteResponseHeaders.10.header", "route_ids[1].rewrite_response_headers[10].header"},
	}
	for _, tc := range tests {
		if got := routePath(tc.prefix)(tc.field); got != tc.want {
			t.Errorf("routePath(%q)(%q) = %q, want %q", tc.prefix, tc.field, got, tc.want)
		}
	}
}

func TestForItemNamesTheItem(t *testing.T) {
	t.Parallel()
	tests := []struct {
		err  error
		kind error
		want string
	}{
		{errs.NotFound("route %s does not exist", "r1"), errs.ErrNotFound, "not found: ids[2]: route r1 does not exist"},
		{errs.Forbidden("you are a viewer"), errs.ErrForbidden, "forbidden: ids[2]: you are a viewer"},
		{&errs.ValidationError{Form: "saved at the same moment"}, nil, "invalid input: ids[2]: saved at the same moment"},
		{errs.Field("ids[2].name", errs.CodeRequired, "enter a name"), nil, "invalid input: ids[2].name: enter a name"},
	}
	for _, tc := range tests {
		got := forItem(tc.err, "ids[2]")
		if got.Error() != tc.want || (tc.kind != nil && !errors.Is(got, tc.kind)) {
			t.Errorf("forItem(%v) = %v, want %q", tc.err, got, tc.want)
		}
	}
}

// TestRouteActionsRoundTrip converts the parts the API test's full route
// cannot hold with upstreams: a redirect, a direct response and binary
// health check payloads.
func TestRouteActionsRoundTrip(t *testing.T) {
	t.Parallel()
	redirects := []*pb.RedirectAction{
		{SchemeRewriteSpecifier: &pb.RedirectAction_HttpsRedirect{HttpsRedirect: true}, HostRedirect: "b.example.com", PortRedirect: 8443,
			PathRewriteSpecifier: &pb.RedirectAction_PrefixRewrite{PrefixRewrite: "/new"}, ResponseCode: pb.RedirectAction_PERMANENT_REDIRECT, StripQuery: true},
		{SchemeRewriteSpecifier: &pb.RedirectAction_SchemeRedirect{SchemeRedirect: "http"},
			PathRewriteSpecifier: &pb.RedirectAction_PathRedirect{PathRedirect: "/x"}},
	}
	for _, m := range redirects {
		c := &convChecker{prefix: "route"}
		rd := redirectIn(c, m)
		if err := c.Err(); err != nil {
			t.Fatal(err)
		}
		if got := redirectOut(rd); !proto.Equal(got, m) {
			t.Errorf("redirect came back as %s, want %s", prototext.Format(got), prototext.Format(m))
		}
	}
	if rd := redirectIn(&convChecker{}, redirects[0]); rd.ResponseCode != 308 {
		t.Errorf("PERMANENT_REDIRECT stored as %d, want 308", rd.ResponseCode)
	}
	c := &convChecker{prefix: "route"}
	redirectIn(c, &pb.RedirectAction{ResponseCode: 9})
	if ve, ok := errs.AsValidation(c.Err()); !ok || ve.Fields["route.redirect.response_code"].Code != errs.CodeInvalid {
		t.Errorf("an unknown response code gave %v", c.Err())
	}

	checks := healthChecksIn(&convChecker{}, []*pb.HealthCheck{{HealthChecker: &pb.HealthCheck_TcpHealthCheck_{TcpHealthCheck: &pb.HealthCheck_TcpHealthCheck{
		Send:    &pb.HealthCheck_Payload{Payload: &pb.HealthCheck_Payload_Binary{Binary: []byte("PING")}},
		Receive: []*pb.HealthCheck_Payload{{Payload: &pb.HealthCheck_Payload_Text{Text: "504f4e47"}}},
	}}}})
	if tcp := checks[0].TCP; tcp == nil || tcp.Send != "50494e47" || len(tcp.Receive) != 1 || tcp.Receive[0] != "504f4e47" {
		t.Errorf("tcp health check = %+v, want hex payloads", checks[0].TCP)
	}

	r := routeMessage(db.Route{Spec: db.RouteSpec{Response: &db.RouteDirectResponse{Status: 204, Body: "none"}}}, routeView{})
	if r.GetResponse().GetStatus() != 204 || r.GetResponse().GetBody() != "none" || r.GetRedirect() != nil {
		t.Errorf("direct response = %v", r)
	}
}

func TestUnsupportedRouteFieldsOnlyWhenNotDefault(t *testing.T) {
	t.Parallel()
	off, one := false, uint32(1)
	tests := []struct {
		name  string
		route *pb.Route
		want  []string
	}{
		{"defaults sent explicitly", &pb.Route{
			SessionRecording: &pb.SessionRecording{Enabled: &off}, JwtGroupsFilter: &pb.JwtGroupsFilter{InferFromPpl: &off},
			AllowUpgrades: &pb.Route_StringList{}, Mcp: &pb.MCP{}, CircuitBreakerThresholds: &pb.CircuitBreakerThresholds{},
			BearerTokenFormat: pb.BearerTokenFormat_BEARER_TOKEN_FORMAT_DEFAULT.Enum(),
		}, nil},
		{"set", &pb.Route{
			CircuitBreakerThresholds: &pb.CircuitBreakerThresholds{MaxRetries: &one},
			Mcp:                      &pb.MCP{Mode: &pb.MCP_Client{Client: &pb.MCPClient{}}},
			DependsOn:                []string{"other"},
			BearerTokenFormat:        pb.BearerTokenFormat_BEARER_TOKEN_FORMAT_IDP_ACCESS_TOKEN.Enum(),
		}, []string{"route.bearer_token_format", "route.circuit_breaker_thresholds", "route.depends_on", "route.mcp"}},
	}
	for _, tc := range tests {
		c := &convChecker{prefix: "route"}
		unsupportedRouteFields(c, tc.route)
		var got []string
		if ve, ok := errs.AsValidation(c.Err()); ok {
			for f := range ve.Fields {
				got = append(got, f)
			}
		}
		slices.Sort(got)
		if !slices.Equal(got, tc.want) {
			t.Errorf("%s: refused %v, want %v", tc.name, got, tc.want)
		}
	}
}
