package web

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/pomerium-console-oss/pomerium-console/app/routes"
	"github.com/pomerium-console-oss/pomerium-console/db"
	routeview "github.com/pomerium-console-oss/pomerium-console/views/routes"
)

// routeFacts are the key facts of a route's page.
func routeFacts(r db.Route, nsName string) []routeview.Fact {
	facts := []routeview.Fact{
		{Term: "Namespace", Value: nsName},
		{Term: "From", Value: r.From, Mono: true},
		{Term: "Matching", Value: routeMatching(r), Mono: r.Prefix+r.Path+r.Regex != ""},
	}
	switch {
	case r.Spec.Redirect != nil:
		facts = append(facts, routeview.Fact{Term: "Redirects", Value: redirectText(*r.Spec.Redirect)})
	case r.Spec.Response != nil:
		facts = append(facts, routeview.Fact{Term: "Answers", Value: fmt.Sprintf("status %d with a %d-byte body", r.Spec.Response.Status, len(r.Spec.Response.Body))})
	default:
		facts = append(facts, routeview.Fact{Term: "To", Lines: r.To, Mono: true})
	}
	return append(facts,
		routeview.Fact{Term: "Created", Value: formatTime(r.CreatedAt)},
		routeview.Fact{Term: "Modified", Value: formatTime(r.ModifiedAt)},
		routeview.Fact{Term: "Id", Value: r.ID, Mono: true},
	)
}

func routeMatching(r db.Route) string {
	switch {
	case r.Path != "":
		return "path " + r.Path
	case r.Regex != "":
		return "regex " + r.Regex
	case r.Prefix != "" && r.Prefix != "/":
		return "prefix " + r.Prefix
	}
	return "every path"
}

// redirectText says what a redirect changes.
func redirectText(rd db.RouteRedirect) string {
	var parts []string
	add := func(cond bool, format string, args ...any) {
		if cond {
			parts = append(parts, fmt.Sprintf(format, args...))
		}
	}
	add(rd.HTTPSRedirect, "to HTTPS")
	add(rd.SchemeRedirect != "", "scheme %s", rd.SchemeRedirect)
	add(rd.HostRedirect != "", "host %s", rd.HostRedirect)
	add(rd.PortRedirect != 0, "port %d", rd.PortRedirect)
	add(rd.PathRedirect != "", "path %s", rd.PathRedirect)
	add(rd.PrefixRewrite != "", "prefix %s", rd.PrefixRewrite)
	add(rd.StripQuery, "without the query")
	code := rd.ResponseCode
	if code == 0 {
		code = 301
	}
	return strings.Join(parts, ", ") + " (" + strconv.Itoa(int(code)) + ")"
}

// routeSettings lists what is set on a route beyond its key facts;
// secrets say only "set".
func routeSettings(r db.Route) []routeview.Fact {
	s := r.Spec
	var out []routeview.Fact
	text := func(term, value string) {
		if value != "" {
			out = append(out, routeview.Fact{Term: term, Value: value, Mono: true})
		}
	}
	flagAs := func(term string, on bool, value string) {
		if on {
			out = append(out, routeview.Fact{Term: term, Value: value})
		}
	}
	flag := func(term string, on bool) { flagAs(term, on, "yes") }
	lines := func(term string, l []string) {
		if len(l) > 0 {
			out = append(out, routeview.Fact{Term: term, Lines: l, Mono: true})
		}
	}
	if s.RegexPriorityOrder != nil {
		text("Regex priority", strconv.FormatInt(*s.RegexPriorityOrder, 10))
	}
	text("Prefix rewrite", s.PrefixRewrite)
	text("Path regex rewrite", arrow(s.RegexRewritePattern, s.RegexRewriteSubstitution))
	text("Host rewrite", s.HostRewrite)
	text("Host from header", s.HostRewriteHeader)
	text("Host from path regex", arrow(s.HostPathRegexRewritePattern, s.HostPathRegexRewriteSubstitution))
	flag("Preserve host header", s.PreserveHostHeader)
	lines("Set request headers", headerList(s.SetRequestHeaders))
	lines("Remove request headers", s.RemoveRequestHeaders)
	lines("Set response headers", headerList(s.SetResponseHeaders))
	var rewrites []string
	for _, rw := range s.RewriteResponseHeaders {
		rewrites = append(rewrites, rw.Header+": "+arrow(rw.Prefix, rw.Value))
	}
	lines("Rewrite response headers", rewrites)
	if s.PassIdentityHeaders != nil {
		out = append(out, routeview.Fact{Term: "Pass identity headers", Value: yesNo(*s.PassIdentityHeaders)})
	}
	text("Timeout", s.Timeout)
	text("Idle timeout", s.IdleTimeout)
	flag("Skip upstream TLS verification", s.TLSSkipVerify)
	text("Upstream server name", s.TLSUpstreamServerName)
	text("Downstream server name", s.TLSDownstreamServerName)
	flag("Upstream TLS renegotiation", s.TLSUpstreamAllowRenegotiation)
	text("Load balancing", s.LoadBalancingPolicy)
	var checks []string
	for _, h := range s.HealthChecks {
		checks = append(checks, healthText(h))
	}
	lines("Health checks", checks)
	flag("Websockets", s.AllowWebsockets)
	flag("SPDY", s.AllowSPDY)
	flag("Show error details", s.ShowErrorDetails)
	text("JWT issuer format", s.JWTIssuerFormat)
	flag("Google Cloud serverless authentication", s.EnableGoogleCloudServerlessAuthentication)
	secret, token := routes.HasSecret(r)
	flagAs("Kubernetes service account token", token, routes.SecretIsSet)
	text("IdP client id", s.IdentityProviderClientID)
	flagAs("IdP client secret", secret, routes.SecretIsSet)
	return out
}

// healthText summarises a health check in one line.
func healthText(h db.RouteHealthCheck) string {
	what := strings.ToUpper(routes.HealthKind(h))
	switch {
	case h.HTTP != nil:
		what += " " + h.HTTP.Path
	case h.GRPC != nil && h.GRPC.ServiceName != "":
		what += " " + h.GRPC.ServiceName
	}
	return fmt.Sprintf("%s every %s, timeout %s, unhealthy after %d, healthy after %d",
		what, h.Interval, h.Timeout, h.UnhealthyThreshold, h.HealthyThreshold)
}

func arrow(from, to string) string {
	if from == "" {
		return ""
	}
	return from + " → " + to
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}
