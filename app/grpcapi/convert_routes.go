package grpcapi

import (
	"google.golang.org/protobuf/proto"

	"github.com/pomerium-console-oss/pomerium-console/app/errs"
	pb "github.com/pomerium-console-oss/pomerium-console/app/pb/dashboard"
	"github.com/pomerium-console-oss/pomerium-console/app/routes"
	"github.com/pomerium-console-oss/pomerium-console/db"
)

// routeRenames are the REST names of the routes service whose proto names
// are not their snake_case.
var routeRenames = map[string]string{
	"identityProviderClientSecret": "idp_client_secret",
	"identityProviderClientId":     "idp_client_id",
	// A health check with no kind, or several, fails its oneof.
	"kind": "health_checker",
}

// routePath maps the routes service's field names to paths under prefix
// ("route" or "routes[3]").
func routePath(prefix string) func(string) string {
	return restPath(prefix, routeRenames)
}

// routeInput is m as the routes service's input. Output-only fields
// (timestamps, names, enforced policies, stat_name, originator_id) are
// ignored; fields the console does not support are refused when set.
// Problems name their fields under prefix.
func routeInput(m *pb.Route, prefix string) (routes.Input, error) {
	c := &convChecker{prefix: prefix}
	unsupportedRouteFields(c, m)
	in := routes.Input{
		NamespaceID: m.GetNamespaceId(), Name: m.GetName(), From: m.GetFrom(), To: m.GetTo(),
		Prefix: m.GetPrefix(), Path: m.GetPath(), Regex: m.GetRegex(),
		TLSCustomCAKeyPairID:           m.GetTlsCustomCaKeyPairId(),
		TLSClientKeyPairID:             m.GetTlsClientKeyPairId(),
		TLSDownstreamClientCAKeyPairID: m.GetTlsDownstreamClientCaKeyPairId(),
		PolicyIDs:                      m.GetPolicyIds(),
		IdentityProviderClientSecret:   secretChange(m.IdpClientSecret),
		KubernetesServiceAccountToken:  secretChange(m.KubernetesServiceAccountToken),
		Spec: db.RouteSpec{
			Redirect:                                  redirectIn(c, m.GetRedirect()),
			PrefixRewrite:                             m.GetPrefixRewrite(),
			RegexRewritePattern:                       m.GetRegexRewritePattern(),
			RegexRewriteSubstitution:                  m.GetRegexRewriteSubstitution(),
			HostRewrite:                               m.GetHostRewrite(),
			HostRewriteHeader:                         m.GetHostRewriteHeader(),
			HostPathRegexRewritePattern:               m.GetHostPathRegexRewritePattern(),
			HostPathRegexRewriteSubstitution:          m.GetHostPathRegexRewriteSubstitution(),
			RegexPriorityOrder:                        m.RegexPriorityOrder,
			Timeout:                                   c.duration("timeout", m.Timeout),
			IdleTimeout:                               c.duration("idle_timeout", m.IdleTimeout),
			AllowWebsockets:                           m.GetAllowWebsockets(),
			AllowSPDY:                                 m.GetAllowSpdy(),
			TLSSkipVerify:                             m.GetTlsSkipVerify(),
			TLSUpstreamServerName:                     m.GetTlsUpstreamServerName(),
			TLSDownstreamServerName:                   m.GetTlsDownstreamServerName(),
			TLSUpstreamAllowRenegotiation:             m.GetTlsUpstreamAllowRenegotiation(),
			SetRequestHeaders:                         m.GetSetRequestHeaders(),
			RemoveRequestHeaders:                      m.GetRemoveRequestHeaders(),
			SetResponseHeaders:                        m.GetSetResponseHeaders(),
			RewriteResponseHeaders:                    rewritesIn(m.GetRewriteResponseHeaders()),
			PreserveHostHeader:                        m.GetPreserveHostHeader(),
			PassIdentityHeaders:                       m.PassIdentityHeaders,
			EnableGoogleCloudServerlessAuthentication: m.GetEnableGoogleCloudServerlessAuthentication(),
			JWTIssuerFormat:                           issuerFormatIn(c, m.JwtIssuerFormat),
			ShowErrorDetails:                          m.GetShowErrorDetails(),
			HealthChecks:                              healthChecksIn(c, m.GetHealthChecks()),
			LoadBalancingPolicy:                       lbPolicyIn(c, m.LoadBalancingPolicy),
			IdentityProviderClientID:                  m.GetIdpClientId(),
		},
	}
	if r := m.GetResponse(); r != nil {
		in.Spec.Response = &db.RouteDirectResponse{Status: r.GetStatus(), Body: r.GetBody()}
	}
	return in, c.Err()
}

// secretChange reads a write-only field: unset keeps what is stored (a
// route read back never holds its secrets), empty clears it, a value
// replaces it.
func secretChange(v *string) routes.Secret {
	switch {
	case v == nil:
		return routes.Secret{Action: routes.SecretKeep}
	case *v == "":
		return routes.Secret{Action: routes.SecretClear}
	}
	return routes.Secret{Action: routes.SecretSet, Value: *v}
}

// unsupportedRouteFields refuses the Route fields the console has no
// setting for, unless they hold their default: silently dropping them
// would leave a route that does not do what the caller asked.
func unsupportedRouteFields(c *convChecker, m *pb.Route) {
	set := map[string]bool{
		"description":                           m.GetDescription() != "",
		"logo_url":                              m.GetLogoUrl() != "",
		"kubernetes_service_account_token_file": m.GetKubernetesServiceAccountTokenFile() != "",
		"bearer_token_format": m.GetBearerTokenFormat() != pb.BearerTokenFormat_BEARER_TOKEN_FORMAT_UNKNOWN &&
			m.GetBearerTokenFormat() != pb.BearerTokenFormat_BEARER_TOKEN_FORMAT_DEFAULT,
		"depends_on":             len(m.GetDependsOn()) > 0,
		"identity_providers":     len(m.GetIdentityProviders()) > 0,
		"redirect.regex_rewrite": m.GetRedirect().GetRegexRewrite() != nil,
	}
	// Other messages hold only defaults when they encode to nothing.
	for name, msg := range map[string]proto.Message{
		"circuit_breaker_thresholds": m.GetCircuitBreakerThresholds(),
		"mcp":                        m.GetMcp(),
		"upstream_tunnel":            m.GetUpstreamTunnel(),
	} {
		set[name] = proto.Size(msg) > 0
	}
	set["jwt_groups_filter"] = len(m.GetJwtGroupsFilter().GetGroups()) > 0 || m.GetJwtGroupsFilter().GetInferFromPpl()
	set["idp_access_token_allowed_audiences"] = len(m.GetIdpAccessTokenAllowedAudiences().GetValues()) > 0
	set["allow_upgrades"] = len(m.GetAllowUpgrades().GetValues()) > 0
	set["session_recording"] = m.GetSessionRecording().GetEnabled()
	set["healthy_panic_threshold"] = m.HealthyPanicThreshold != nil
	for name, on := range set {
		if on {
			c.fail(name, "is not supported by this console: leave it unset")
		}
	}
}

// routeMessage is r as a Route message; its secrets are never included.
// view holds the names and enforced policies shown beside it.
func routeMessage(r db.Route, view routeView) *pb.Route {
	s := r.Spec
	m := &pb.Route{
		Id: r.ID, NamespaceId: r.NamespaceID, NamespaceName: view.namespaceName,
		CreatedAt: pbTime(r.CreatedAt), ModifiedAt: pbTime(r.ModifiedAt),
		Name: r.Name, From: r.From, To: r.To,
		Prefix: optString(r.Prefix), Path: optString(r.Path), Regex: optString(r.Regex),
		Redirect:                                  redirectOut(s.Redirect),
		PrefixRewrite:                             optString(s.PrefixRewrite),
		RegexRewritePattern:                       optString(s.RegexRewritePattern),
		RegexRewriteSubstitution:                  optString(s.RegexRewriteSubstitution),
		HostRewrite:                               optString(s.HostRewrite),
		HostRewriteHeader:                         optString(s.HostRewriteHeader),
		HostPathRegexRewritePattern:               optString(s.HostPathRegexRewritePattern),
		HostPathRegexRewriteSubstitution:          optString(s.HostPathRegexRewriteSubstitution),
		RegexPriorityOrder:                        s.RegexPriorityOrder,
		Timeout:                                   durationOut(s.Timeout),
		IdleTimeout:                               durationOut(s.IdleTimeout),
		AllowWebsockets:                           optBool(s.AllowWebsockets),
		AllowSpdy:                                 optBool(s.AllowSPDY),
		TlsSkipVerify:                             optBool(s.TLSSkipVerify),
		TlsUpstreamServerName:                     optString(s.TLSUpstreamServerName),
		TlsDownstreamServerName:                   optString(s.TLSDownstreamServerName),
		TlsCustomCaKeyPairId:                      optString(r.TLSCustomCAKeyPairID),
		TlsClientKeyPairId:                        optString(r.TLSClientKeyPairID),
		TlsDownstreamClientCaKeyPairId:            optString(r.TLSDownstreamClientCAKeyPairID),
		TlsUpstreamAllowRenegotiation:             optBool(s.TLSUpstreamAllowRenegotiation),
		SetRequestHeaders:                         s.SetRequestHeaders,
		RemoveRequestHeaders:                      s.RemoveRequestHeaders,
		SetResponseHeaders:                        s.SetResponseHeaders,
		RewriteResponseHeaders:                    rewritesOut(s.RewriteResponseHeaders),
		PreserveHostHeader:                        optBool(s.PreserveHostHeader),
		PassIdentityHeaders:                       s.PassIdentityHeaders,
		EnableGoogleCloudServerlessAuthentication: s.EnableGoogleCloudServerlessAuthentication,
		JwtIssuerFormat:                           issuerFormatOut(s.JWTIssuerFormat),
		IdpClientId:                               optString(s.IdentityProviderClientID),
		ShowErrorDetails:                          s.ShowErrorDetails,
		PolicyIds:                                 r.PolicyIDs,
		PolicyNames:                               view.policyNames,
		EnforcedPolicyIds:                         view.enforcedIDs,
		EnforcedPolicyNames:                       view.enforcedNames,
		LoadBalancingPolicy:                       lbPolicyOut(s.LoadBalancingPolicy),
		HealthChecks:                              healthChecksOut(s.HealthChecks),
	}
	if resp := s.Response; resp != nil {
		m.Response = &pb.RouteDirectResponse{Status: resp.Status, Body: resp.Body}
	}
	return m
}

// rewritesIn converts response header rewrites.
func rewritesIn(list []*pb.RouteRewriteHeader) []db.RouteRewriteHeader {
	var out []db.RouteRewriteHeader
	for _, rw := range list {
		out = append(out, db.RouteRewriteHeader{Header: rw.GetHeader(), Prefix: rw.GetPrefix(), Value: rw.GetValue()})
	}
	return out
}

// rewritesOut converts response header rewrites back.
func rewritesOut(list []db.RouteRewriteHeader) []*pb.RouteRewriteHeader {
	var out []*pb.RouteRewriteHeader
	for _, rw := range list {
		m := &pb.RouteRewriteHeader{Header: rw.Header, Value: rw.Value}
		if rw.Prefix != "" {
			m.Matcher = &pb.RouteRewriteHeader_Prefix{Prefix: rw.Prefix}
		}
		out = append(out, m)
	}
	return out
}

// convChecker collects the problems of converting one message, each named
// by its proto path under prefix.
type convChecker struct {
	errs.Validator
	prefix string
}

// fail records a problem with field (a path below the prefix).
func (c *convChecker) fail(field, format string, args ...any) {
	c.Add(c.prefix+"."+field, errs.CodeInvalid, format, args...)
}

// optString is s as an optional field: unset when empty.
func optString(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// optBool is b as an optional field: unset when false, which is what the
// console stores for "not set".
func optBool(b bool) *bool {
	if !b {
		return nil
	}
	return &b
}
