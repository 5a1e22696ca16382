package web

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/pomerium-console-oss/pomerium-console/app/routes"
	"github.com/pomerium-console-oss/pomerium-console/db"
	routeview "github.com/pomerium-console-oss/pomerium-console/views/routes"
)

// routeFields reads the route form as typed.
func routeFields(c *fiber.Ctx) routeview.Fields {
	v := func(name string) string { return c.FormValue(name) }
	on := func(name string) bool { return c.FormValue(name) != "" }
	f := routeview.Fields{
		Name: v("name"), From: v("from"), Action: v("action"), To: v("to"),
		RedirectHTTPS: on("redirect.httpsRedirect"), RedirectScheme: v("redirect.schemeRedirect"), RedirectHost: v("redirect.hostRedirect"),
		RedirectPort: v("redirect.portRedirect"), RedirectPath: v("redirect.pathRedirect"), RedirectPrefix: v("redirect.prefixRewrite"),
		RedirectCode: v("redirect.responseCode"), RedirectStripQuery: on("redirect.stripQuery"),
		ResponseStatus: v("response.status"), ResponseBody: v("response.body"),
		Prefix: v("prefix"), Path: v("path"), Regex: v("regex"), RegexPriorityOrder: v("regexPriorityOrder"),
		PrefixRewrite: v("prefixRewrite"), RegexRewritePattern: v("regexRewritePattern"), RegexRewriteSubstitution: v("regexRewriteSubstitution"),
		HostRewrite: v("hostRewrite"), HostRewriteHeader: v("hostRewriteHeader"), HostPathRegexRewritePattern: v("hostPathRegexRewritePattern"),
		HostPathRegexRewriteSubstitution: v("hostPathRegexRewriteSubstitution"), PreserveHostHeader: on("preserveHostHeader"),
		SetRequestHeaders: v("setRequestHeaders"), RemoveRequestHeaders: v("removeRequestHeaders"), SetResponseHeaders: v("setResponseHeaders"),
		PassIdentityHeaders: v("passIdentityHeaders"), Timeout: v("timeout"), IdleTimeout: v("idleTimeout"),
		AllowWebsockets: on("allowWebsockets"), AllowSPDY: on("allowSpdy"), TLSSkipVerify: on("tlsSkipVerify"),
		TLSUpstreamServerName: v("tlsUpstreamServerName"), TLSDownstreamServerName: v("tlsDownstreamServerName"),
		TLSCustomCAKeyPairID: v("tlsCustomCaKeyPairId"), TLSClientKeyPairID: v("tlsClientKeyPairId"),
		TLSDownstreamClientCAKeyPairID: v("tlsDownstreamClientCaKeyPairId"), TLSUpstreamAllowRenegotiation: on("tlsUpstreamAllowRenegotiation"),
		LoadBalancingPolicy: v("loadBalancingPolicy"), EnableGoogleCloudServerlessAuth: on("enableGoogleCloudServerlessAuthentication"),
		JWTIssuerFormat: v("jwtIssuerFormat"), ShowErrorDetails: on("showErrorDetails"), IDPClientID: v("identityProviderClientId"),
		IDPClientSecretAction: v("identityProviderClientSecret" + routeview.SecretActionField),
		KubernetesTokenAction: v("kubernetesServiceAccountToken" + routeview.SecretActionField),
	}
	for _, id := range c.Request().PostArgs().PeekMulti("policyIds") {
		f.PolicyIDs = append(f.PolicyIDs, string(id))
	}
	row := func(list string, i int, field string) string { return v(fmt.Sprintf("%s.%d.%s", list, i, field)) }
	for i := 0; i <= routes.MaxListLength && c.Request().PostArgs().Has(fmt.Sprintf("rewriteResponseHeaders.%d.header", i)); i++ {
		f.RewriteResponseHeaders = append(f.RewriteResponseHeaders, routeview.RewriteRow{
			Header: row("rewriteResponseHeaders", i, "header"), Prefix: row("rewriteResponseHeaders", i, "prefix"), Value: row("rewriteResponseHeaders", i, "value"),
		})
	}
	for i := 0; i <= routes.MaxHealthChecks && c.Request().PostArgs().Has(fmt.Sprintf("healthChecks.%d.kind", i)); i++ {
		h := func(field string) string { return row("healthChecks", i, field) }
		f.HealthChecks = append(f.HealthChecks, routeview.HealthRow{
			Kind: h("kind"), Timeout: h("timeout"), Interval: h("interval"), InitialJitter: h("initialJitter"),
			IntervalJitter: h("intervalJitter"), IntervalJitterPercent: h("intervalJitterPercent"),
			UnhealthyThreshold: h("unhealthyThreshold"), HealthyThreshold: h("healthyThreshold"),
			HTTPHost: h("httpHealthCheck.host"), HTTPPath: h("httpHealthCheck.path"), HTTPExpected: h("httpHealthCheck.expectedStatuses"),
			HTTPRetriable: h("httpHealthCheck.retriableStatuses"), HTTPCodec: h("httpHealthCheck.codecClientType"),
			TCPSend: h("tcpHealthCheck.send"), TCPReceive: h("tcpHealthCheck.receive"),
			GRPCServiceName: h("grpcHealthCheck.serviceName"), GRPCAuthority: h("grpcHealthCheck.authority"),
		})
	}
	return f
}

// applyCommand adds or removes a row of the form; it reports whether cmd
// was a command (and the form is only redrawn, not saved).
func applyCommand(f *routeview.Fields, cmd string) bool {
	index := func(prefix string) (int, bool) {
		n, err := strconv.Atoi(strings.TrimPrefix(cmd, prefix))
		return n, err == nil && strings.HasPrefix(cmd, prefix)
	}
	switch {
	case cmd == "":
		return false
	case cmd == routeview.CmdAddRewrite:
		f.RewriteResponseHeaders = append(f.RewriteResponseHeaders, routeview.RewriteRow{})
	case cmd == routeview.CmdAddHealth:
		f.HealthChecks = append(f.HealthChecks, routeview.HealthRow{Kind: routes.HealthHTTP, Timeout: "5s", Interval: "10s",
			UnhealthyThreshold: "3", HealthyThreshold: "1"})
	default:
		if i, ok := index(routeview.CmdRemoveRewrite); ok && i < len(f.RewriteResponseHeaders) {
			f.RewriteResponseHeaders = slices.Delete(f.RewriteResponseHeaders, i, i+1)
		} else if i, ok := index(routeview.CmdRemoveHealth); ok && i < len(f.HealthChecks) {
			f.HealthChecks = slices.Delete(f.HealthChecks, i, i+1)
		}
	}
	return true
}

// routeParser turns form text into typed values, noting each field it
// cannot read; the service then reports every other problem.
type routeParser struct {
	problems map[string]string
}

func (p *routeParser) fail(field, format string, args ...any) {
	if p.problems == nil {
		p.problems = map[string]string{}
	}
	if _, ok := p.problems[field]; !ok {
		p.problems[field] = fmt.Sprintf(format, args...)
	}
}

// uint reads a whole number of at most bits bits; "" is zero.
func (p *routeParser) uint(field, s string, bits int, msg string) uint64 {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0
	}
	n, err := strconv.ParseUint(s, 10, bits)
	if err != nil {
		p.fail(field, "%s", msg)
	}
	return n
}

// headers reads "Name: value" lines; a name twice (in any case) is a mistake.
func (p *routeParser) headers(field, text string) map[string]string {
	out := map[string]string{}
	seen := map[string]bool{}
	for i, line := range lines(text) {
		name, value, ok := strings.Cut(line, ":")
		name = strings.TrimSpace(name)
		switch {
		case !ok || name == "":
			p.fail(field, "line %d: write a header as Name: value", i+1)
		case seen[strings.ToLower(name)]:
			p.fail(field, "line %d: %s is set twice", i+1, name)
		default:
			seen[strings.ToLower(name)] = true
			out[name] = strings.TrimSpace(value)
		}
	}
	return out
}

// statuses reads "200-300, 404" as ranges, a single status meaning itself.
func (p *routeParser) statuses(field, text string) []db.RouteStatusRange {
	var out []db.RouteStatusRange
	for _, part := range strings.Split(text, ",") {
		if part = strings.TrimSpace(part); part == "" {
			continue
		}
		lo, hi, isRange := strings.Cut(part, "-")
		start, err1 := strconv.ParseInt(strings.TrimSpace(lo), 10, 64)
		end, err2 := start+1, error(nil)
		if isRange {
			end, err2 = strconv.ParseInt(strings.TrimSpace(hi), 10, 64)
		}
		if err1 != nil || err2 != nil {
			p.fail(field, "write statuses as 200 or as ranges like 200-300 (end excluded), separated by commas")
			return nil
		}
		out = append(out, db.RouteStatusRange{Start: start, End: end})
	}
	return out
}

// lines splits text into its non-blank, trimmed lines.
func lines(text string) []string {
	var out []string
	for _, l := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// secretChange reads a write-only field: typing a value replaces it.
func secretChange(action, value string) routes.Secret {
	if action == "" && value != "" {
		action = routes.SecretSet
	}
	return routes.Secret{Action: action, Value: value}
}
