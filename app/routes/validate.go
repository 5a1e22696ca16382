package routes

import (
	"fmt"
	"slices"
	"strings"

	"github.com/pomerium-console-oss/pomerium-console/app/duration"
	"github.com/pomerium-console-oss/pomerium-console/app/errs"
	"github.com/pomerium-console-oss/pomerium-console/db"
)

// checker collects every field error of one route. Field names are the
// REST Route's, nested ones joined with dots ("redirect.hostRedirect",
// "healthChecks.0.timeout"), which the form uses as input names too.
type checker struct {
	errs.Validator
}

// fail records a problem with field unless it already has one.
func (c *checker) fail(field, format string, args ...any) {
	c.Add(field, errs.CodeInvalid, format, args...)
}

// check records msg for field when it is not "".
func (c *checker) check(field, msg string) {
	if msg != "" {
		c.fail(field, "%s", msg)
	}
}

// length refuses a value longer than limit bytes.
func (c *checker) length(field, value string, limit int) bool {
	if len(value) > limit {
		c.Add(field, errs.CodeTooLong, "must be at most %d characters (got %d)", limit, len(value))
		return false
	}
	return true
}

// shape checks in without the store and returns the route it describes,
// trimmed and normalised; MatchKey stays empty while From or the path
// matcher is invalid, so no overlap is looked for then.
func shape(c *checker, in Input) db.Route {
	r := db.Route{
		NamespaceID: in.NamespaceID, Name: strings.TrimSpace(in.Name),
		Prefix: strings.TrimSpace(in.Prefix), Path: strings.TrimSpace(in.Path), Regex: in.Regex,
		TLSCustomCAKeyPairID:           strings.TrimSpace(in.TLSCustomCAKeyPairID),
		TLSClientKeyPairID:             strings.TrimSpace(in.TLSClientKeyPairID),
		TLSDownstreamClientCAKeyPairID: strings.TrimSpace(in.TLSDownstreamClientCAKeyPairID),
		PolicyIDs:                      trimList(in.PolicyIDs),
		Spec:                           normalizeSpec(in.Spec),
	}
	c.Name("name", r.Name, MaxNameLength)
	var fromScheme string
	if c.length("from", in.From, MaxURLLength) {
		from, u, msg := parseFrom(strings.TrimSpace(in.From))
		if msg != "" {
			c.Add("from", codeFor(in.From), "%s", msg)
		} else {
			r.From, fromScheme = from, u.Scheme
		}
	}
	r.To = trimList(in.To)
	checkAction(c, r, fromScheme)
	checkMatching(c, r, fromScheme)
	checkRewrites(c, r.Spec)
	checkHeaders(c, r.Spec)
	checkTimeouts(c, r.Spec)
	checkTLS(c, r)
	checkHealthChecks(c, r)
	checkAdvanced(c, r)
	if fromScheme != "" && !c.Has("prefix") && !c.Has("path") && !c.Has("regex") {
		r.MatchKey = MatchKey(r.From, r.Prefix, r.Path, r.Regex)
	}
	return r
}

// codeFor is "required" for an empty value, else "invalid".
func codeFor(value string) string {
	if strings.TrimSpace(value) == "" {
		return errs.CodeRequired
	}
	return errs.CodeInvalid
}

// checkAction requires exactly one of upstreams, a redirect and a direct
// response (Core would silently prefer one), and checks the chosen one.
func checkAction(c *checker, r db.Route, fromScheme string) {
	set := 0
	for _, on := range []bool{len(r.To) > 0, r.Spec.Redirect != nil, r.Spec.Response != nil} {
		if on {
			set++
		}
	}
	switch {
	case set == 0:
		c.Add("to", errs.CodeRequired, "say where requests go: upstream URLs, a redirect or a direct response")
	case set > 1:
		c.fail("to", "choose one of upstream URLs, a redirect and a direct response: Pomerium would silently ignore the others")
	}
	switch {
	case len(r.To) > MaxListLength:
		c.Add("to", errs.CodeTooLong, "must list at most %d URLs (got %d)", MaxListLength, len(r.To))
	case len(r.To) > 0 && fromScheme != "":
		c.check("to", toProblems(r.To, fromScheme))
	}
	if rd := r.Spec.Redirect; rd != nil {
		checkRedirect(c, *rd)
	}
	if resp := r.Spec.Response; resp != nil {
		if resp.Status < 200 || resp.Status > 599 {
			c.fail("response.status", "must be an HTTP status from 200 to 599 (got %d)", resp.Status)
		}
		if len(resp.Body) > MaxDirectBodySize {
			c.Add("response.body", errs.CodeTooLong, "must be at most %d bytes (got %d): Envoy refuses larger bodies", MaxDirectBodySize, len(resp.Body))
		}
	}
	if fromScheme == SchemeTCPHTTPS && (r.Spec.Redirect != nil || r.Spec.Response != nil) {
		c.fail("to", "a tcp+https route forwards to upstreams: it cannot redirect or answer by itself")
	}
}

// checkRedirect applies Envoy's rules for a redirect action.
func checkRedirect(c *checker, rd db.RouteRedirect) {
	if rd.HTTPSRedirect && rd.SchemeRedirect != "" {
		c.fail("redirect.schemeRedirect", "leave empty when redirecting to HTTPS: they both set the scheme")
	} else if s := rd.SchemeRedirect; s != "" && !isScheme(s) {
		c.fail("redirect.schemeRedirect", "%q is not a URL scheme", s)
	}
	if rd.HostRedirect != "" {
		c.check("redirect.hostRedirect", hostProblem(rd.HostRedirect, false, false))
	}
	if rd.PathRedirect != "" && rd.PrefixRewrite != "" {
		c.fail("redirect.prefixRewrite", "leave empty when a path is set: they both replace the path")
	}
	if p := rd.PathRedirect; p != "" && !strings.HasPrefix(p, "/") {
		c.fail("redirect.pathRedirect", "must start with /")
	} else {
		c.check("redirect.pathRedirect", headerValueProblem(p))
	}
	c.check("redirect.prefixRewrite", headerValueProblem(rd.PrefixRewrite))
	if rd.PortRedirect > 65535 {
		c.fail("redirect.portRedirect", "must be a port from 1 to 65535")
	}
	if rd.ResponseCode != 0 && !slices.Contains(RedirectCodes, rd.ResponseCode) {
		c.fail("redirect.responseCode", "must be 301, 302, 303, 307 or 308 (got %d)", rd.ResponseCode)
	}
	if !rd.HTTPSRedirect && rd.SchemeRedirect == "" && rd.HostRedirect == "" && rd.PortRedirect == 0 &&
		rd.PathRedirect == "" && rd.PrefixRewrite == "" && !rd.StripQuery {
		c.Add("redirect", errs.CodeRequired, "change the scheme, host, port or path (or strip the query): otherwise the redirect sends people back to the same URL")
	}
}

// isScheme reports whether s is a URL scheme (RFC 3986).
func isScheme(s string) bool {
	for i, r := range s {
		letter := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z'
		if !letter && (i == 0 || !(r >= '0' && r <= '9' || r == '+' || r == '-' || r == '.')) {
			return false
		}
	}
	return s != ""
}

// checkMatching allows one path matcher (Core would silently use the
// first of regex, path, prefix) and none on tcp+https routes.
func checkMatching(c *checker, r db.Route, fromScheme string) {
	set := []string{}
	for _, m := range []struct{ field, value string }{{"prefix", r.Prefix}, {"path", r.Path}, {"regex", r.Regex}} {
		if m.value != "" {
			set = append(set, m.field)
		}
	}
	switch {
	case fromScheme == SchemeTCPHTTPS && len(set) > 0:
		c.fail(set[0], "a tcp+https route matches its whole host and port: leave the prefix, path and regex empty")
		return
	case len(set) > 1:
		c.fail(set[1], "set only one of prefix, path and regex: Pomerium would silently use one")
		return
	}
	for _, m := range []struct{ field, value string }{{"prefix", r.Prefix}, {"path", r.Path}} {
		if m.value != "" && !strings.HasPrefix(m.value, "/") {
			c.fail(m.field, "must start with /")
		} else if c.length(m.field, m.value, MaxURLLength) {
			c.check(m.field, headerValueProblem(m.value))
		}
	}
	if r.Regex != "" && c.length("regex", r.Regex, MaxPatternLength) {
		c.check("regex", regexProblem(r.Regex))
	}
}

// checkRewrites checks the path and host rewrites; Envoy takes one host
// rewrite, so the console refuses several rather than drop some.
func checkRewrites(c *checker, s db.RouteSpec) {
	c.check("prefixRewrite", headerValueProblem(s.PrefixRewrite))
	for _, p := range []struct{ pattern, patternField, sub, subField string }{
		{s.RegexRewritePattern, "regexRewritePattern", s.RegexRewriteSubstitution, "regexRewriteSubstitution"},
		{s.HostPathRegexRewritePattern, "hostPathRegexRewritePattern", s.HostPathRegexRewriteSubstitution, "hostPathRegexRewriteSubstitution"},
	} {
		if p.pattern != "" && c.length(p.patternField, p.pattern, MaxPatternLength) {
			c.check(p.patternField, regexProblem(p.pattern))
		}
		if p.sub != "" && p.pattern == "" {
			c.fail(p.subField, "set the pattern whose matches this replaces")
		}
		c.check(p.subField, headerValueProblem(p.sub))
	}
	rewrites := []string{}
	for _, h := range []struct{ field, value string }{
		{"hostRewrite", s.HostRewrite}, {"hostRewriteHeader", s.HostRewriteHeader}, {"hostPathRegexRewritePattern", s.HostPathRegexRewritePattern},
	} {
		if h.value != "" {
			rewrites = append(rewrites, h.field)
		}
	}
	if s.HostRewrite != "" {
		c.check("hostRewrite", hostProblem(s.HostRewrite, true, false))
	}
	if s.HostRewriteHeader != "" && !isToken(s.HostRewriteHeader) {
		c.fail("hostRewriteHeader", "%q is not a header name", s.HostRewriteHeader)
	}
	switch {
	case len(rewrites) > 1:
		c.fail(rewrites[1], "set only one way to rewrite the host")
	case len(rewrites) == 1 && s.PreserveHostHeader:
		c.fail(rewrites[0], "the route preserves the host header: turn that off to rewrite the host")
	}
}

// checkHeaders checks header names and values. Pseudo-headers cannot pass
// the token check; Host is set through the host rewrite instead.
func checkHeaders(c *checker, s db.RouteSpec) {
	for _, m := range []struct {
		field   string
		headers map[string]string
		request bool
	}{{"setRequestHeaders", s.SetRequestHeaders, true}, {"setResponseHeaders", s.SetResponseHeaders, false}} {
		if len(m.headers) > MaxListLength {
			c.Add(m.field, errs.CodeTooLong, "must set at most %d headers (got %d)", MaxListLength, len(m.headers))
			continue
		}
		for _, name := range sortedKeys(m.headers) {
			c.check(m.field, headerProblem(name, m.request))
			if p := headerValueProblem(m.headers[name]); p != "" {
				c.fail(m.field, "the value of %s %s", name, p)
			}
		}
	}
	if len(s.RemoveRequestHeaders) > MaxListLength {
		c.Add("removeRequestHeaders", errs.CodeTooLong, "must list at most %d headers (got %d)", MaxListLength, len(s.RemoveRequestHeaders))
	}
	for _, name := range s.RemoveRequestHeaders {
		c.check("removeRequestHeaders", headerProblem(name, true))
	}
	if len(s.RewriteResponseHeaders) > MaxListLength {
		c.Add("rewriteResponseHeaders", errs.CodeTooLong, "must list at most %d rewrites (got %d)", MaxListLength, len(s.RewriteResponseHeaders))
	}
	for i, rw := range s.RewriteResponseHeaders {
		field := fmt.Sprintf("rewriteResponseHeaders.%d.", i)
		if rw.Header == "" {
			c.Add(field+"header", errs.CodeRequired, "enter the header to rewrite")
		} else {
			c.check(field+"header", headerProblem(rw.Header, false))
		}
		c.check(field+"prefix", headerValueProblem(rw.Prefix))
		c.check(field+"value", headerValueProblem(rw.Value))
	}
}

// headerProblem checks a header name; request headers may not be Host.
func headerProblem(name string, request bool) string {
	switch {
	case !isToken(name):
		return fmt.Sprintf("%q is not a header name", name)
	case request && strings.EqualFold(name, "host"):
		return "the Host header is changed with the host rewrite settings, not here"
	}
	return ""
}

// checkTimeouts checks the route's two durations.
func checkTimeouts(c *checker, s db.RouteSpec) {
	for _, d := range []struct{ field, value string }{{"timeout", s.Timeout}, {"idleTimeout", s.IdleTimeout}} {
		if d.value != "" {
			checkDuration(c, d.field, d.value, false)
		}
	}
}

// checkDuration refuses a value that is not a REST Duration, or zero
// when positive is required.
func checkDuration(c *checker, field, value string, positive bool) {
	d, err := duration.Parse(value)
	switch {
	case err != nil:
		c.fail(field, "%s", err.Error())
	case positive && d == 0:
		c.fail(field, "must be more than zero")
	}
}

// checkTLS checks the server names and the combinations Core would not
// honour; the key pairs themselves are checked against the store.
func checkTLS(c *checker, r db.Route) {
	for _, n := range []struct{ field, value string }{
		{"tlsUpstreamServerName", r.Spec.TLSUpstreamServerName}, {"tlsDownstreamServerName", r.Spec.TLSDownstreamServerName},
	} {
		if n.value != "" {
			c.check(n.field, hostProblem(n.value, false, false))
		}
	}
	if r.Spec.TLSSkipVerify && r.TLSCustomCAKeyPairID != "" {
		c.fail("tlsCustomCaKeyPairId", "skipping verification ignores this CA: choose one of them")
	}
}

// checkAdvanced checks enumerations and the settings that need upstreams.
func checkAdvanced(c *checker, r db.Route) {
	s := r.Spec
	if s.JWTIssuerFormat != "" && !slices.Contains(JWTIssuerFormats, s.JWTIssuerFormat) {
		c.fail("jwtIssuerFormat", "must be hostOnly or uri")
	}
	switch {
	case s.LoadBalancingPolicy != "" && !slices.Contains(LoadBalancingPolicies, s.LoadBalancingPolicy):
		c.fail("loadBalancingPolicy", "must be one of %s", strings.Join(LoadBalancingPolicies, ", "))
	case s.LoadBalancingPolicy != "" && len(r.To) == 0:
		c.fail("loadBalancingPolicy", "only a route with upstream URLs balances load")
	}
	if c.length("identityProviderClientId", s.IdentityProviderClientID, MaxTextLength) {
		c.check("identityProviderClientId", headerValueProblem(s.IdentityProviderClientID))
	}
}

// normalizeSpec trims what never carries meaningful spaces and turns
// empty collections into nil, so equal routes compare equal.
func normalizeSpec(s db.RouteSpec) db.RouteSpec {
	for _, p := range []*string{&s.HostRewrite, &s.HostRewriteHeader, &s.PrefixRewrite, &s.Timeout, &s.IdleTimeout,
		&s.TLSUpstreamServerName, &s.TLSDownstreamServerName, &s.JWTIssuerFormat, &s.LoadBalancingPolicy, &s.IdentityProviderClientID} {
		*p = strings.TrimSpace(*p)
	}
	if len(s.SetRequestHeaders) == 0 {
		s.SetRequestHeaders = nil
	}
	if len(s.SetResponseHeaders) == 0 {
		s.SetResponseHeaders = nil
	}
	s.RemoveRequestHeaders = trimList(s.RemoveRequestHeaders)
	if len(s.RewriteResponseHeaders) == 0 {
		s.RewriteResponseHeaders = nil
	}
	if len(s.HealthChecks) == 0 {
		s.HealthChecks = nil
	}
	s.SealedIdentityProviderClientSecret, s.SealedKubernetesServiceAccountToken = "", ""
	return s
}

// trimList trims every item and drops the empty ones; nil when none remain.
func trimList(list []string) []string {
	var out []string
	for _, s := range list {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}
