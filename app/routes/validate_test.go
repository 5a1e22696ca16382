package routes_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/pomerium-console-oss/pomerium-console/app/apptest"
	"github.com/pomerium-console-oss/pomerium-console/app/errs"
	"github.com/pomerium-console-oss/pomerium-console/app/routes"
	"github.com/pomerium-console-oss/pomerium-console/db"
	"github.com/pomerium-console-oss/pomerium-console/db/storetest"
)

// Field errors by code, for the tables.
func invalid(msg string) errs.FieldError {
	return errs.FieldError{Code: errs.CodeInvalid, Message: msg}
}
func required(msg string) errs.FieldError {
	return errs.FieldError{Code: errs.CodeRequired, Message: msg}
}
func tooLong(msg string) errs.FieldError {
	return errs.FieldError{Code: errs.CodeTooLong, Message: msg}
}
func conflict(msg string) errs.FieldError {
	return errs.FieldError{Code: errs.CodeConflict, Message: msg}
}

// Messages several cases share.
const (
	durationMsg  = `must be a number and a unit, repeated: y, w, d, h, m, s or ms (e.g. "30s", "1h30m")`
	noActionMsg  = "say where requests go: upstream URLs, a redirect or a direct response"
	oneActionMsg = "choose one of upstream URLs, a redirect and a direct response: Pomerium would silently ignore the others"
	lineBreakMsg = "must not contain line breaks or NUL characters"
	schemeMsg    = "must start with https://, http:// or tcp+https://"
	hostRuleMsg  = "the Host header is changed with the host rewrite settings, not here"
)

// invalidCase is one input every write refuses: change edits minimal().
type invalidCase struct {
	name   string
	change func(in *routes.Input)
	want   map[string]errs.FieldError
}

// tcp makes in a tcp+https route to a tcp upstream.
func tcp(in *routes.Input) {
	in.From, in.To = "tcp+https://redis.example.com:6379", []string{"tcp://redis.internal:6379"}
}

// health returns in's only health check, adding one with to.
func health(in *routes.Input) *db.RouteHealthCheck {
	if len(in.Spec.HealthChecks) == 0 {
		in.Spec.HealthChecks = []db.RouteHealthCheck{{Timeout: "1s", Interval: "10s", UnhealthyThreshold: 1, HealthyThreshold: 1}}
	}
	return &in.Spec.HealthChecks[0]
}

func invalidCases() []invalidCase {
	one := func(field string, fe errs.FieldError) map[string]errs.FieldError {
		return map[string]errs.FieldError{field: fe}
	}
	secret := routes.Secret{Action: routes.SecretSet, Value: "s3cret"}
	return []invalidCase{
		// name
		{"no name", func(in *routes.Input) { in.Name = " \t" }, one("name", required("enter a name"))},
		{"a name of 129 characters", func(in *routes.Input) { in.Name = strings.Repeat("é", 129) },
			one("name", tooLong("must be at most 128 characters (got 129)"))},
		{"a line break in the name", func(in *routes.Input) { in.Name = "a\nb" },
			one("name", invalid("must not contain control characters such as line breaks"))},
		{"a name the namespace has, other case", func(in *routes.Input) { in.Name = " EXISTING " },
			one("name", conflict(`this namespace already has a route named "Existing"`))},
		// from
		{"no from", func(in *routes.Input) { in.From = "" },
			one("from", required("enter the URL people reach the route at, e.g. https://app.example.com"))},
		{"from without a scheme", func(in *routes.Input) { in.From = "app.example.com" }, one("from", invalid(schemeMsg))},
		{"from with another scheme", func(in *routes.Input) { in.From = "ftp://app.example.com" }, one("from", invalid(schemeMsg))},
		{"from without a host", func(in *routes.Input) { in.From = "https://" },
			one("from", invalid("must name a host, e.g. https://app.example.com"))},
		{"from with a path", func(in *routes.Input) { in.From = "https://app.example.com/admin" },
			one("from", invalid(`must not have a path (got "/admin"): match paths with the prefix, path or regex fields`))},
		{"from with credentials", func(in *routes.Input) { in.From = "https://u:p@app.example.com" },
			one("from", invalid("must not hold a user name or password"))},
		{"from with a query", func(in *routes.Input) { in.From = "https://app.example.com?a=1" },
			one("from", invalid("must not have a query or fragment"))},
		{"from with a fragment", func(in *routes.Input) { in.From = "https://app.example.com#x" },
			one("from", invalid("must not have a query or fragment"))},
		{"from with a bad host", func(in *routes.Input) { in.From = "https://-app.example.com" },
			one("from", invalid(`"-app.example.com" is not a valid host name`))},
		{"from with a port out of range", func(in *routes.Input) { in.From = "https://app.example.com:70000" },
			one("from", invalid(`port "70000" must be a number from 1 to 65535`))},
		{"from that does not parse", func(in *routes.Input) { in.From = "https://[::1" },
			one("from", invalid(`is not a URL: missing ']' in host`))},
		{"from too long", func(in *routes.Input) { in.From = "https://" + strings.Repeat("a", 2041) + ".com" },
			one("from", tooLong("must be at most 2048 characters (got 2053)"))},
		{"tcp+https without a port", func(in *routes.Input) { tcp(in); in.From = "tcp+https://redis.example.com" },
			one("from", invalid("a tcp+https URL needs a port, e.g. tcp+https://redis.example.com:6379"))},
		{"tcp+https with a path", func(in *routes.Input) { tcp(in); in.From = "tcp+https://redis.example.com:6379/x" },
			one("from", invalid("a tcp+https URL has no path"))},
		{"the same from and prefix as a route of the namespace", func(in *routes.Input) {
			in.From, in.Prefix = "HTTPS://Taken.Example.com:443/", "/app"
		}, one("from", conflict(`route "Existing" in namespace "Engineering" already answers these requests (the same from URL and path matching)`))},
		{"the same from as a route of another namespace", func(in *routes.Input) { in.From = "https://fin.example.com" },
			one("from", conflict(`route "Ledger" in namespace "Finance" already answers these requests (the same from URL and path matching)`))},
		{"the prefix / matches what no prefix matches", func(in *routes.Input) { in.From, in.Prefix = "https://fin.example.com", "/" },
			one("from", conflict(`route "Ledger" in namespace "Finance" already answers these requests (the same from URL and path matching)`))},
		// what the route does
		{"nowhere to go", func(in *routes.Input) { in.To = []string{" ", ""} }, one("to", required(noActionMsg))},
		{"upstreams and a redirect", func(in *routes.Input) { in.Spec.Redirect = &db.RouteRedirect{HTTPSRedirect: true} },
			one("to", invalid(oneActionMsg))},
		{"a redirect and a direct response", func(in *routes.Input) {
			in.To, in.Spec.Redirect, in.Spec.Response = nil, &db.RouteRedirect{HTTPSRedirect: true}, &db.RouteDirectResponse{Status: 200}
		}, one("to", invalid(oneActionMsg))},
		{"an upstream that is not a URL", func(in *routes.Input) { in.To = []string{"http://a.internal", "not a url"} },
			one("to", invalid(`line 2: "not a url" must start with http://, https://, h2c://, tcp://, udp:// or unix://`))},
		{"an upstream without a host", func(in *routes.Input) { in.To = []string{"http://"} },
			one("to", invalid(`line 1: "http://" must name a host, e.g. http://app.internal:8080`))},
		{"an upstream that does not parse, and one twice", func(in *routes.Input) {
			in.To = []string{"http://a.internal", "http://[::1", "http://a.internal"}
		}, one("to", invalid(`line 2: "http://[::1" is not a URL: missing ']' in host; line 3: "http://a.internal" is listed twice`))},
		{"an upstream with credentials", func(in *routes.Input) { in.To = []string{"http://u:p@a.internal"} },
			one("to", invalid(`line 1: "http://u:p@a.internal" must not hold a user name or password: set an Authorization header instead`))},
		{"an upstream with a bad host", func(in *routes.Input) { in.To = []string{"http://a..internal"} },
			one("to", invalid(`line 1: "a..internal" is not a valid host name`))},
		{"a tcp upstream without a port", func(in *routes.Input) { tcp(in); in.To = []string{"tcp://redis.internal"} },
			one("to", invalid(`line 1: "tcp://redis.internal" needs a port`))},
		{"a unix upstream without a path", func(in *routes.Input) { in.To = []string{"unix://"} },
			one("to", invalid(`line 1: "unix://" must name a socket path, e.g. unix:///run/app.sock`))},
		{"tcp mixed with http", func(in *routes.Input) { tcp(in); in.To = append(in.To, "http://a.internal") },
			one("to", invalid("tcp://, udp:// and unix:// upstreams cannot be mixed with other schemes"))},
		{"unix mixed with https", func(in *routes.Input) { in.To = []string{"unix:///run/a.sock", "https://a.internal"} },
			one("to", invalid("tcp://, udp:// and unix:// upstreams cannot be mixed with other schemes"))},
		{"a tcp upstream on an https route", func(in *routes.Input) { in.To = []string{"tcp://redis.internal:6379"} },
			one("to", invalid("tcp:// upstreams need a tcp+https from URL"))},
		{"an http upstream on a tcp+https route", func(in *routes.Input) { tcp(in); in.To = []string{"http://a.internal"} },
			one("to", invalid("a tcp+https route forwards to tcp:// (or unix://) upstreams"))},
		{"a udp upstream", func(in *routes.Input) { in.To = []string{"udp://dns.internal:53"} },
			one("to", invalid("udp:// upstreams need a udp+https route, which the console does not offer"))},
		{"101 upstreams", func(in *routes.Input) {
			in.To = nil
			for i := range 101 {
				in.To = append(in.To, fmt.Sprintf("http://a%d.internal", i))
			}
		}, one("to", tooLong("must list at most 100 URLs (got 101)"))},
		{"a tcp+https route that redirects", func(in *routes.Input) {
			tcp(in)
			in.To, in.Spec.Redirect = nil, &db.RouteRedirect{HTTPSRedirect: true}
		}, one("to", invalid("a tcp+https route forwards to upstreams: it cannot redirect or answer by itself"))},
		// direct response
		{"a direct response status below 200", func(in *routes.Input) { in.To, in.Spec.Response = nil, &db.RouteDirectResponse{Status: 101} },
			one("response.status", invalid("must be an HTTP status from 200 to 599 (got 101)"))},
		{"a direct response body too big", func(in *routes.Input) {
			in.To, in.Spec.Response = nil, &db.RouteDirectResponse{Status: 200, Body: strings.Repeat("x", 4097)}
		}, one("response.body", tooLong("must be at most 4096 bytes (got 4097): Envoy refuses larger bodies"))},
		// redirect
		{"a redirect that changes nothing", func(in *routes.Input) { in.To, in.Spec.Redirect = nil, &db.RouteRedirect{ResponseCode: 302} },
			one("redirect", required("change the scheme, host, port or path (or strip the query): otherwise the redirect sends people back to the same URL"))},
		{"a redirect to HTTPS and another scheme", func(in *routes.Input) {
			in.To, in.Spec.Redirect = nil, &db.RouteRedirect{HTTPSRedirect: true, SchemeRedirect: "http"}
		}, one("redirect.schemeRedirect", invalid("leave empty when redirecting to HTTPS: they both set the scheme"))},
		{"a redirect to a bad scheme", func(in *routes.Input) { in.To, in.Spec.Redirect = nil, &db.RouteRedirect{SchemeRedirect: "1http"} },
			one("redirect.schemeRedirect", invalid(`"1http" is not a URL scheme`))},
		{"a redirect to a bad host", func(in *routes.Input) { in.To, in.Spec.Redirect = nil, &db.RouteRedirect{HostRedirect: "a b"} },
			one("redirect.hostRedirect", invalid(`"a b" is not a valid host name`))},
		{"a redirect with a path and a prefix", func(in *routes.Input) {
			in.To, in.Spec.Redirect = nil, &db.RouteRedirect{PathRedirect: "/a", PrefixRewrite: "/b"}
		}, one("redirect.prefixRewrite", invalid("leave empty when a path is set: they both replace the path"))},
		{"a redirect to a relative path", func(in *routes.Input) { in.To, in.Spec.Redirect = nil, &db.RouteRedirect{PathRedirect: "a"} },
			one("redirect.pathRedirect", invalid("must start with /"))},
		{"a redirect to a port out of range", func(in *routes.Input) { in.To, in.Spec.Redirect = nil, &db.RouteRedirect{PortRedirect: 70000} },
			one("redirect.portRedirect", invalid("must be a port from 1 to 65535"))},
		{"a redirect with status 200", func(in *routes.Input) {
			in.To, in.Spec.Redirect = nil, &db.RouteRedirect{HTTPSRedirect: true, ResponseCode: 200}
		}, one("redirect.responseCode", invalid("must be 301, 302, 303, 307 or 308 (got 200)"))},
		// matching
		{"a prefix and a path", func(in *routes.Input) { in.Prefix, in.Path = "/a", "/b" },
			one("path", invalid("set only one of prefix, path and regex: Pomerium would silently use one"))},
		{"a path and a regex", func(in *routes.Input) { in.Path, in.Regex = "/b", "^/c$" },
			one("regex", invalid("set only one of prefix, path and regex: Pomerium would silently use one"))},
		{"a relative prefix", func(in *routes.Input) { in.Prefix = "app" }, one("prefix", invalid("must start with /"))},
		{"a relative path", func(in *routes.Input) { in.Path = "app" }, one("path", invalid("must start with /"))},
		{"a prefix with a line break", func(in *routes.Input) { in.Prefix = "/a\nb" }, one("prefix", invalid(lineBreakMsg))},
		{"a regex that does not compile", func(in *routes.Input) { in.Regex = "^/(a" },
			one("regex", invalid("is not a valid RE2 regular expression: missing closing ): `^/(a`"))},
		{"a regex with a Perl-only construct", func(in *routes.Input) { in.Regex = `^/(?=a)` },
			one("regex", invalid("is not a valid RE2 regular expression: invalid or unsupported Perl syntax: `(?=`"))},
		{"a path matcher on a tcp+https route", func(in *routes.Input) { tcp(in); in.Prefix = "/a" },
			one("prefix", invalid("a tcp+https route matches its whole host and port: leave the prefix, path and regex empty"))},
		// rewrites
		{"a rewrite pattern that does not compile", func(in *routes.Input) { in.Spec.RegexRewritePattern = "(" },
			one("regexRewritePattern", invalid("is not a valid RE2 regular expression: missing closing ): `(`"))},
		{"a substitution without its pattern", func(in *routes.Input) { in.Spec.RegexRewriteSubstitution = "/x" },
			one("regexRewriteSubstitution", invalid("set the pattern whose matches this replaces"))},
		{"a host path substitution without its pattern", func(in *routes.Input) { in.Spec.HostPathRegexRewriteSubstitution = "x" },
			one("hostPathRegexRewriteSubstitution", invalid("set the pattern whose matches this replaces"))},
		{"a prefix rewrite with a line break", func(in *routes.Input) { in.Spec.PrefixRewrite = "/a\r\n" + "b" },
			one("prefixRewrite", invalid(lineBreakMsg))},
		{"two host rewrites", func(in *routes.Input) { in.Spec.HostRewrite, in.Spec.HostRewriteHeader = "a.internal", "X-Host" },
			one("hostRewriteHeader", invalid("set only one way to rewrite the host"))},
		{"a host rewrite on a route preserving the host", func(in *routes.Input) {
			in.Spec.HostPathRegexRewritePattern, in.Spec.PreserveHostHeader = "^/", true
		}, one("hostPathRegexRewritePattern", invalid("the route preserves the host header: turn that off to rewrite the host"))},
		{"a bad host rewrite", func(in *routes.Input) { in.Spec.HostRewrite = "a b" },
			one("hostRewrite", invalid(`"a b" is not a valid host name`))},
		{"a bad host rewrite header", func(in *routes.Input) { in.Spec.HostRewriteHeader = "X Host" },
			one("hostRewriteHeader", invalid(`"X Host" is not a header name`))},
		// headers
		{"a request header that is not a name", func(in *routes.Input) { in.Spec.SetRequestHeaders = map[string]string{"X-A": "1", "X B": "2"} },
			one("setRequestHeaders", invalid(`"X B" is not a header name`))},
		{"setting the Host request header", func(in *routes.Input) { in.Spec.SetRequestHeaders = map[string]string{"host": "a"} },
			one("setRequestHeaders", invalid(hostRuleMsg))},
		{"a response header value with a line break", func(in *routes.Input) { in.Spec.SetResponseHeaders = map[string]string{"X-A": "a\nb"} },
			one("setResponseHeaders", invalid("the value of X-A "+lineBreakMsg))},
		{"removing the Host header", func(in *routes.Input) { in.Spec.RemoveRequestHeaders = []string{"X-A", "Host"} },
			one("removeRequestHeaders", invalid(hostRuleMsg))},
		{"removing a pseudo-header", func(in *routes.Input) { in.Spec.RemoveRequestHeaders = []string{":authority"} },
			one("removeRequestHeaders", invalid(`":authority" is not a header name`))},
		{"a response header rewrite without its header", func(in *routes.Input) {
			in.Spec.RewriteResponseHeaders = []db.RouteRewriteHeader{{Header: "Location", Value: "x"}, {Value: "y"}}
		}, one("rewriteResponseHeaders.1.header", required("enter the header to rewrite"))},
		{"101 request headers", func(in *routes.Input) {
			in.Spec.SetRequestHeaders = map[string]string{}
			for i := range 101 {
				in.Spec.SetRequestHeaders[fmt.Sprint("X-", i)] = "1"
			}
		}, one("setRequestHeaders", tooLong("must set at most 100 headers (got 101)"))},
		// timeouts
		{"a timeout without a unit", func(in *routes.Input) { in.Spec.Timeout = "30" }, one("timeout", invalid(durationMsg))},
		{"a fractional idle timeout", func(in *routes.Input) { in.Spec.IdleTimeout = "1.5s" }, one("idleTimeout", invalid(durationMsg))},
		{"a negative timeout", func(in *routes.Input) { in.Spec.Timeout = "-1s" }, one("timeout", invalid(durationMsg))},
		{"a timeout of Go syntax", func(in *routes.Input) { in.Spec.Timeout = "1h0m0.5s" }, one("timeout", invalid(durationMsg))},
		{"a timeout beyond 292 years", func(in *routes.Input) { in.Spec.Timeout = "300y" },
			one("timeout", invalid("is too long: at most 292y"))},
		// TLS
		{"a bad upstream server name", func(in *routes.Input) { in.Spec.TLSUpstreamServerName = "a b" },
			one("tlsUpstreamServerName", invalid(`"a b" is not a valid host name`))},
		{"a bad downstream server name", func(in *routes.Input) { in.Spec.TLSDownstreamServerName = "a:443" },
			one("tlsDownstreamServerName", invalid(`"a:443" is not a valid host name`))},
		{"skipping verification with a custom CA", func(in *routes.Input) { in.Spec.TLSSkipVerify, in.TLSCustomCAKeyPairID = true, kpEngCA },
			one("tlsCustomCaKeyPairId", invalid("skipping verification ignores this CA: choose one of them"))},
		{"a client certificate without a key", func(in *routes.Input) { in.TLSClientKeyPairID = kpEngCA },
			one("tlsClientKeyPairId", invalid(`key pair "internal CA" has no private key: a client certificate needs one`))},
		{"a key pair of a sibling namespace", func(in *routes.Input) { in.TLSCustomCAKeyPairID = kpFin },
			one("tlsCustomCaKeyPairId", invalid(`key pair "finance" of namespace "Finance" is out of reach: a route uses the key pairs of its own namespace and its ancestors`))},
		{"a key pair that does not exist", func(in *routes.Input) { in.TLSDownstreamClientCAKeyPairID = "nope" },
			one("tlsDownstreamClientCaKeyPairId", errs.FieldError{Code: errs.CodeNotFound, Message: "key pair nope does not exist"})},
		// health checks
		{"a health check on a redirect", func(in *routes.Input) {
			health(in)
			in.Spec.HealthChecks[0].TCP = &db.RouteTCPHealthCheck{}
			in.To, in.Spec.Redirect = nil, &db.RouteRedirect{HTTPSRedirect: true}
		}, one("healthChecks", invalid("only a route with upstream URLs can check their health"))},
		{"an empty health check", func(in *routes.Input) { in.Spec.HealthChecks = []db.RouteHealthCheck{{}} }, map[string]errs.FieldError{
			"healthChecks.0.timeout": required("enter a duration, e.g. 5s"), "healthChecks.0.interval": required("enter a duration, e.g. 5s"),
			"healthChecks.0.unhealthyThreshold": invalid("must be at least 1"), "healthChecks.0.healthyThreshold": invalid("must be at least 1"),
			"healthChecks.0.kind": required("choose HTTP, TCP or gRPC"),
		}},
		{"a health check of two kinds", func(in *routes.Input) {
			h := health(in)
			h.TCP, h.GRPC = &db.RouteTCPHealthCheck{}, &db.RouteGRPCHealthCheck{}
		}, one("healthChecks.0.kind", required("choose HTTP, TCP or gRPC"))},
		{"a health check of zero seconds, bad jitter", func(in *routes.Input) {
			h := health(in)
			h.TCP, h.Interval, h.IntervalJitter, h.IntervalJitterPercent = &db.RouteTCPHealthCheck{}, "0s", "1", 101
		}, map[string]errs.FieldError{
			"healthChecks.0.interval": invalid("must be more than zero"), "healthChecks.0.intervalJitter": invalid(durationMsg),
			"healthChecks.0.intervalJitterPercent": invalid("must be a percentage from 0 to 100"),
		}},
		{"an HTTP health check without a path", func(in *routes.Input) { health(in).HTTP = &db.RouteHTTPHealthCheck{} },
			one("healthChecks.0.httpHealthCheck.path", required("enter the path to request, e.g. /healthz"))},
		{"an HTTP health check with bad fields", func(in *routes.Input) {
			health(in).HTTP = &db.RouteHTTPHealthCheck{Path: "healthz", Host: "a b", CodecClientType: "spdy",
				ExpectedStatuses: []db.RouteStatusRange{{Start: 200, End: 300}, {Start: 500, End: 400}}, RetriableStatuses: []db.RouteStatusRange{{Start: 99, End: 200}}}
		}, map[string]errs.FieldError{
			"healthChecks.0.httpHealthCheck.path": invalid("must start with /"),
			"healthChecks.0.httpHealthCheck.host": invalid(`"a b" is not a valid host name`),
			"healthChecks.0.httpHealthCheck.expectedStatuses": invalid(
				"500-400 is not a range of HTTP statuses: from 100 up to 600, the end not included and after the start"),
			"healthChecks.0.httpHealthCheck.retriableStatuses": invalid(
				"99-200 is not a range of HTTP statuses: from 100 up to 600, the end not included and after the start"),
			"healthChecks.0.httpHealthCheck.codecClientType": invalid("must be http1, http2 or http3"),
		}},
		{"a TCP health check payload that is not hex", func(in *routes.Input) {
			health(in).TCP = &db.RouteTCPHealthCheck{Send: "PING", Receive: []string{"504f4e47", "zz"}}
		}, map[string]errs.FieldError{
			"healthChecks.0.tcpHealthCheck.send":    invalid(`"PING" is not hex bytes (pairs of 0-9 and a-f, e.g. 50494E47 for PING)`),
			"healthChecks.0.tcpHealthCheck.receive": invalid(`"zz" is not hex bytes (pairs of 0-9 and a-f, e.g. 50494E47 for PING)`),
		}},
		{"a gRPC health check authority with a line break", func(in *routes.Input) {
			health(in).GRPC = &db.RouteGRPCHealthCheck{Authority: "a\nb"}
		}, one("healthChecks.0.grpcHealthCheck.authority", invalid(lineBreakMsg))},
		{"eleven health checks", func(in *routes.Input) {
			for range 11 {
				in.Spec.HealthChecks = append(in.Spec.HealthChecks, db.RouteHealthCheck{Timeout: "1s", Interval: "1s",
					UnhealthyThreshold: 1, HealthyThreshold: 1, GRPC: &db.RouteGRPCHealthCheck{}})
			}
		}, one("healthChecks", tooLong("must list at most 10 checks (got 11)"))},
		// advanced
		{"an unknown JWT issuer format", func(in *routes.Input) { in.Spec.JWTIssuerFormat = "host" },
			one("jwtIssuerFormat", invalid("must be hostOnly or uri"))},
		{"an unknown load balancing policy", func(in *routes.Input) { in.Spec.LoadBalancingPolicy = "fastest" },
			one("loadBalancingPolicy", invalid("must be one of round_robin, least_request, ring_hash, random, maglev"))},
		{"load balancing a direct response", func(in *routes.Input) {
			in.To, in.Spec.Response, in.Spec.LoadBalancingPolicy = nil, &db.RouteDirectResponse{Status: 204}, "maglev"
		}, one("loadBalancingPolicy", invalid("only a route with upstream URLs balances load"))},
		// policies
		{"a policy that does not exist", func(in *routes.Input) { in.PolicyIDs = []string{polEngOpt, "nope"} },
			one("policyIds", invalid("policy nope does not exist"))},
		{"an enforced policy", func(in *routes.Input) { in.PolicyIDs = []string{polGlobalEnf} },
			one("policyIds", invalid(`policy "Global enforced" is enforced: it already applies to every route of namespace "Global" and below, so it is not attached`))},
		{"a policy of a sibling namespace", func(in *routes.Input) { in.PolicyIDs = []string{polFinOpt} },
			one("policyIds", invalid(`policy "Fin optional" of namespace "Finance" is out of reach: a route attaches the optional policies of its own namespace and its ancestors`))},
		{"a policy of a child namespace, and one twice", func(in *routes.Input) { in.PolicyIDs = []string{polProdOpt, polEngOpt, polEngOpt} },
			one("policyIds", invalid(`policy "Prod optional" of namespace "production" is out of reach: a route attaches the optional policies of its own namespace and its ancestors; policy "Eng optional" is attached twice`))},
		// secrets
		{"a client id without its secret", func(in *routes.Input) { in.Spec.IdentityProviderClientID = "client" },
			one("identityProviderClientSecret", required("enter the client secret of this client id"))},
		{"a client secret without its id", func(in *routes.Input) { in.IdentityProviderClientSecret = secret },
			one("identityProviderClientId", required("enter the client id this secret belongs to, or clear the secret"))},
		{"an empty new client secret", func(in *routes.Input) {
			in.Spec.IdentityProviderClientID, in.IdentityProviderClientSecret = "client", routes.Secret{Action: routes.SecretSet, Value: " "}
		}, one("identityProviderClientSecret", required("enter the new value, or keep the stored one"))},
		{"a client secret of two lines", func(in *routes.Input) {
			in.Spec.IdentityProviderClientID, in.IdentityProviderClientSecret = "client", routes.Secret{Action: routes.SecretSet, Value: "a\nb"}
		}, one("identityProviderClientSecret", invalid("must be one line"))},
		{"an unknown secret change", func(in *routes.Input) { in.KubernetesServiceAccountToken = routes.Secret{Action: "rotate"} },
			one("kubernetesServiceAccountToken", invalid(`unknown change "rotate": keep, set or clear`))},
		{"a Kubernetes token with Google Cloud serverless authentication", func(in *routes.Input) {
			in.KubernetesServiceAccountToken, in.Spec.EnableGoogleCloudServerlessAuthentication = secret, true
		}, one("kubernetesServiceAccountToken", invalid("Google Cloud serverless authentication already sets the upstream Authorization header: use one of them"))},
		{"every section at once", func(in *routes.Input) {
			in.Name, in.From, in.To, in.Regex = "", "https://x.example.com/p", nil, "("
			in.Spec.Timeout, in.Spec.JWTIssuerFormat, in.PolicyIDs = "1", "x", []string{"nope"}
		}, map[string]errs.FieldError{
			"name": required("enter a name"), "to": required(noActionMsg), "timeout": invalid(durationMsg),
			"from":            invalid(`must not have a path (got "/p"): match paths with the prefix, path or regex fields`),
			"regex":           invalid("is not a valid RE2 regular expression: missing closing ): `(`"),
			"jwtIssuerFormat": invalid("must be hostOnly or uri"), "policyIds": invalid("policy nope does not exist"),
		}},
	}
}

// TestCreateRefusesInvalidInput runs every case against one store per
// engine: each refusal must leave it as it was, so the cases cannot
// disturb one another.
func TestCreateRefusesInvalidInput(t *testing.T) {
	t.Parallel()
	storetest.ForEach(t, func(t *testing.T, s db.Store) {
		e := newEnv(t, s)
		acc := e.Caller(t, nil)
		for _, tc := range invalidCases() {
			t.Run(tc.name, func(t *testing.T) {
				in := minimal()
				tc.change(&in)
				apptest.WantRefused(t, s, apptest.Refusal{Fields: tc.want}, func() (db.Route, error) {
					return e.svc.Create(t.Context(), acc, in)
				})
			})
		}
	})
}

// TestUpdateRefusesInvalidInput applies the same cases as new values of
// a stored route.
func TestUpdateRefusesInvalidInput(t *testing.T) {
	t.Parallel()
	storetest.ForEach(t, func(t *testing.T, s db.Store) {
		e := newEnv(t, s)
		acc := e.Caller(t, nil)
		r := e.seed(t, minimal())
		for _, tc := range invalidCases() {
			t.Run(tc.name, func(t *testing.T) {
				in := minimal()
				tc.change(&in)
				in.NamespaceID = fin // ignored: a route keeps its namespace
				apptest.WantRefused(t, s, apptest.Refusal{Fields: tc.want}, func() (db.Route, error) {
					return e.svc.Update(t.Context(), acc, r.ID, in)
				})
			})
		}
	})
}

// TestValidateStoresNothing checks the dry run reports what Create would.
func TestValidateStoresNothing(t *testing.T) {
	t.Parallel()
	for _, tc := range invalidCases()[:8] {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := storetest.OpenSQLite(t)
			e := newEnv(t, s)
			in := minimal()
			tc.change(&in)
			before := storetest.Capture(t, s)
			apptest.WantFields(t, e.svc.Validate(t.Context(), e.Caller(t, nil), "", in), tc.want)
			before.Unchanged(t, s)
		})
	}
}
