package web

import (
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/pomerium-console-oss/pomerium-console/app/routes"
	"github.com/pomerium-console-oss/pomerium-console/db"
	routeview "github.com/pomerium-console-oss/pomerium-console/views/routes"
)

// routeInput turns the form into the service's input and the problems of
// fields that do not even parse (numbers, header lines, status ranges).
// Only the chosen action's fields are read.
func routeInput(c *fiber.Ctx, f routeview.Fields) (routes.Input, map[string]string) {
	var p routeParser
	in := routes.Input{
		Name: f.Name, From: f.From, Prefix: f.Prefix, Path: f.Path, Regex: f.Regex,
		TLSCustomCAKeyPairID: f.TLSCustomCAKeyPairID, TLSClientKeyPairID: f.TLSClientKeyPairID,
		TLSDownstreamClientCAKeyPairID: f.TLSDownstreamClientCAKeyPairID, PolicyIDs: f.PolicyIDs,
		IdentityProviderClientSecret:  secretChange(f.IDPClientSecretAction, c.FormValue("identityProviderClientSecret")),
		KubernetesServiceAccountToken: secretChange(f.KubernetesTokenAction, c.FormValue("kubernetesServiceAccountToken")),
	}
	s := &in.Spec
	switch f.Action {
	case routeview.ActionRedirect:
		s.Redirect = &db.RouteRedirect{
			HTTPSRedirect: f.RedirectHTTPS, SchemeRedirect: strings.TrimSpace(f.RedirectScheme), HostRedirect: strings.TrimSpace(f.RedirectHost),
			PortRedirect: uint32(p.uint("redirect.portRedirect", f.RedirectPort, 32, "must be a port from 1 to 65535")),
			PathRedirect: strings.TrimSpace(f.RedirectPath), PrefixRewrite: strings.TrimSpace(f.RedirectPrefix),
			ResponseCode: int32(p.uint("redirect.responseCode", f.RedirectCode, 16, "must be 301, 302, 303, 307 or 308")),
			StripQuery:   f.RedirectStripQuery,
		}
	case routeview.ActionResponse:
		s.Response = &db.RouteDirectResponse{
			Status: uint32(p.uint("response.status", f.ResponseStatus, 32, "must be an HTTP status from 200 to 599")),
			Body:   f.ResponseBody,
		}
	default:
		in.To = lines(f.To)
	}
	if v := strings.TrimSpace(f.RegexPriorityOrder); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			p.fail("regexPriorityOrder", "must be a whole number")
		} else {
			s.RegexPriorityOrder = &n
		}
	}
	s.PrefixRewrite, s.RegexRewritePattern, s.RegexRewriteSubstitution = f.PrefixRewrite, f.RegexRewritePattern, f.RegexRewriteSubstitution
	s.HostRewrite, s.HostRewriteHeader = f.HostRewrite, f.HostRewriteHeader
	s.HostPathRegexRewritePattern, s.HostPathRegexRewriteSubstitution = f.HostPathRegexRewritePattern, f.HostPathRegexRewriteSubstitution
	s.PreserveHostHeader = f.PreserveHostHeader
	s.SetRequestHeaders = p.headers("setRequestHeaders", f.SetRequestHeaders)
	s.SetResponseHeaders = p.headers("setResponseHeaders", f.SetResponseHeaders)
	s.RemoveRequestHeaders = lines(f.RemoveRequestHeaders)
	for _, rw := range f.RewriteResponseHeaders {
		if rw.Header != "" || rw.Prefix != "" || rw.Value != "" {
			s.RewriteResponseHeaders = append(s.RewriteResponseHeaders, db.RouteRewriteHeader{
				Header: strings.TrimSpace(rw.Header), Prefix: rw.Prefix, Value: rw.Value})
		}
	}
	if b, err := strconv.ParseBool(f.PassIdentityHeaders); err == nil {
		s.PassIdentityHeaders = &b
	}
	s.Timeout, s.IdleTimeout = f.Timeout, f.IdleTimeout
	s.AllowWebsockets, s.AllowSPDY = f.AllowWebsockets, f.AllowSPDY
	s.TLSSkipVerify, s.TLSUpstreamAllowRenegotiation = f.TLSSkipVerify, f.TLSUpstreamAllowRenegotiation
	s.TLSUpstreamServerName, s.TLSDownstreamServerName = f.TLSUpstreamServerName, f.TLSDownstreamServerName
	s.LoadBalancingPolicy, s.JWTIssuerFormat = f.LoadBalancingPolicy, f.JWTIssuerFormat
	s.EnableGoogleCloudServerlessAuthentication, s.ShowErrorDetails = f.EnableGoogleCloudServerlessAuth, f.ShowErrorDetails
	s.IdentityProviderClientID = f.IDPClientID
	for i, h := range f.HealthChecks {
		s.HealthChecks = append(s.HealthChecks, p.healthCheck(i, h))
	}
	return in, p.problems
}

// healthCheck reads health check row i; only the chosen kind's fields count.
func (p *routeParser) healthCheck(i int, h routeview.HealthRow) db.RouteHealthCheck {
	field := func(name string) string { return "healthChecks." + strconv.Itoa(i) + "." + name }
	const whole = "must be a whole number"
	hc := db.RouteHealthCheck{
		Timeout: strings.TrimSpace(h.Timeout), Interval: strings.TrimSpace(h.Interval),
		InitialJitter: strings.TrimSpace(h.InitialJitter), IntervalJitter: strings.TrimSpace(h.IntervalJitter),
		IntervalJitterPercent: uint32(p.uint(field("intervalJitterPercent"), h.IntervalJitterPercent, 32, "must be a percentage from 0 to 100")),
		UnhealthyThreshold:    uint32(p.uint(field("unhealthyThreshold"), h.UnhealthyThreshold, 32, whole)),
		HealthyThreshold:      uint32(p.uint(field("healthyThreshold"), h.HealthyThreshold, 32, whole)),
	}
	switch h.Kind {
	case routes.HealthHTTP:
		hc.HTTP = &db.RouteHTTPHealthCheck{
			Host: strings.TrimSpace(h.HTTPHost), Path: strings.TrimSpace(h.HTTPPath), CodecClientType: h.HTTPCodec,
			ExpectedStatuses:  p.statuses(field("httpHealthCheck.expectedStatuses"), h.HTTPExpected),
			RetriableStatuses: p.statuses(field("httpHealthCheck.retriableStatuses"), h.HTTPRetriable),
		}
	case routes.HealthTCP:
		hc.TCP = &db.RouteTCPHealthCheck{Send: strings.TrimSpace(h.TCPSend), Receive: lines(h.TCPReceive)}
	case routes.HealthGRPC:
		hc.GRPC = &db.RouteGRPCHealthCheck{ServiceName: strings.TrimSpace(h.GRPCServiceName), Authority: strings.TrimSpace(h.GRPCAuthority)}
	}
	return hc
}

// routeFieldsOf fills the form from a route's input (a stored route, or a
// clone's); secrets stay out, as always.
func routeFieldsOf(in routes.Input) routeview.Fields {
	s := in.Spec
	f := routeview.Fields{
		Name: in.Name, From: in.From, Action: routeview.ActionTo, To: strings.Join(in.To, "\n"),
		Prefix: in.Prefix, Path: in.Path, Regex: in.Regex, PrefixRewrite: s.PrefixRewrite,
		RegexRewritePattern: s.RegexRewritePattern, RegexRewriteSubstitution: s.RegexRewriteSubstitution,
		HostRewrite: s.HostRewrite, HostRewriteHeader: s.HostRewriteHeader,
		HostPathRegexRewritePattern: s.HostPathRegexRewritePattern, HostPathRegexRewriteSubstitution: s.HostPathRegexRewriteSubstitution,
		PreserveHostHeader: s.PreserveHostHeader, SetRequestHeaders: headerLines(s.SetRequestHeaders),
		RemoveRequestHeaders: strings.Join(s.RemoveRequestHeaders, "\n"), SetResponseHeaders: headerLines(s.SetResponseHeaders),
		Timeout: s.Timeout, IdleTimeout: s.IdleTimeout, AllowWebsockets: s.AllowWebsockets, AllowSPDY: s.AllowSPDY,
		TLSSkipVerify: s.TLSSkipVerify, TLSUpstreamServerName: s.TLSUpstreamServerName, TLSDownstreamServerName: s.TLSDownstreamServerName,
		TLSCustomCAKeyPairID: in.TLSCustomCAKeyPairID, TLSClientKeyPairID: in.TLSClientKeyPairID,
		TLSDownstreamClientCAKeyPairID: in.TLSDownstreamClientCAKeyPairID, TLSUpstreamAllowRenegotiation: s.TLSUpstreamAllowRenegotiation,
		LoadBalancingPolicy: s.LoadBalancingPolicy, EnableGoogleCloudServerlessAuth: s.EnableGoogleCloudServerlessAuthentication,
		JWTIssuerFormat: s.JWTIssuerFormat, ShowErrorDetails: s.ShowErrorDetails, IDPClientID: s.IdentityProviderClientID,
		PolicyIDs: in.PolicyIDs,
	}
	if rd := s.Redirect; rd != nil {
		f.Action = routeview.ActionRedirect
		f.RedirectHTTPS, f.RedirectScheme, f.RedirectHost = rd.HTTPSRedirect, rd.SchemeRedirect, rd.HostRedirect
		f.RedirectPort, f.RedirectCode = numText(int64(rd.PortRedirect)), numText(int64(rd.ResponseCode))
		f.RedirectPath, f.RedirectPrefix, f.RedirectStripQuery = rd.PathRedirect, rd.PrefixRewrite, rd.StripQuery
	}
	if r := s.Response; r != nil {
		f.Action, f.ResponseStatus, f.ResponseBody = routeview.ActionResponse, strconv.FormatUint(uint64(r.Status), 10), r.Body
	}
	if s.RegexPriorityOrder != nil {
		f.RegexPriorityOrder = strconv.FormatInt(*s.RegexPriorityOrder, 10)
	}
	if s.PassIdentityHeaders != nil {
		f.PassIdentityHeaders = strconv.FormatBool(*s.PassIdentityHeaders)
	}
	for _, rw := range s.RewriteResponseHeaders {
		f.RewriteResponseHeaders = append(f.RewriteResponseHeaders, routeview.RewriteRow{Header: rw.Header, Prefix: rw.Prefix, Value: rw.Value})
	}
	for _, h := range s.HealthChecks {
		row := routeview.HealthRow{
			Kind: routes.HealthKind(h), Timeout: h.Timeout, Interval: h.Interval, InitialJitter: h.InitialJitter,
			IntervalJitter: h.IntervalJitter, IntervalJitterPercent: numText(int64(h.IntervalJitterPercent)),
			UnhealthyThreshold: numText(int64(h.UnhealthyThreshold)), HealthyThreshold: numText(int64(h.HealthyThreshold)),
		}
		switch {
		case h.HTTP != nil:
			row.HTTPHost, row.HTTPPath, row.HTTPCodec = h.HTTP.Host, h.HTTP.Path, h.HTTP.CodecClientType
			row.HTTPExpected, row.HTTPRetriable = rangesText(h.HTTP.ExpectedStatuses), rangesText(h.HTTP.RetriableStatuses)
		case h.TCP != nil:
			row.TCPSend, row.TCPReceive = h.TCP.Send, strings.Join(h.TCP.Receive, "\n")
		case h.GRPC != nil:
			row.GRPCServiceName, row.GRPCAuthority = h.GRPC.ServiceName, h.GRPC.Authority
		}
		f.HealthChecks = append(f.HealthChecks, row)
	}
	return f
}

// headerLines writes headers as sorted "Name: value" lines.
func headerLines(h map[string]string) string {
	return strings.Join(headerList(h), "\n")
}

// headerList is headers as sorted "Name: value" entries.
func headerList(h map[string]string) []string {
	var out []string
	for _, name := range sortedKeys(h) {
		out = append(out, name+": "+h[name])
	}
	return out
}

// rangesText writes status ranges as the form reads them.
func rangesText(list []db.RouteStatusRange) string {
	var out []string
	for _, r := range list {
		out = append(out, strconv.FormatInt(r.Start, 10)+"-"+strconv.FormatInt(r.End, 10))
	}
	return strings.Join(out, ", ")
}

// numText is n as text, "" for zero (unset).
func numText(n int64) string {
	if n == 0 {
		return ""
	}
	return strconv.FormatInt(n, 10)
}

func sortedKeys(m map[string]string) []string {
	return slices.Sorted(maps.Keys(m))
}
