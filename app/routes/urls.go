package routes

import (
	"fmt"
	"net/url"
	"slices"
	"strings"
)

// From URL schemes the console offers.
const (
	SchemeHTTP     = "http"
	SchemeHTTPS    = "https"
	SchemeTCPHTTPS = "tcp+https"
)

// defaultPorts are dropped from a normalised From: Core matches the host
// without them.
var defaultPorts = map[string]string{SchemeHTTP: "80", SchemeHTTPS: "443"}

// parseFrom checks a From URL as Core's Policy.Validate does (an absolute
// URL, no path on http(s)), plus what the console requires so nothing is
// silently ignored, and returns it normalised: scheme and host lower-case,
// default port and trailing slash dropped.
func parseFrom(raw string) (string, *url.URL, string) {
	if raw == "" {
		return "", nil, "enter the URL people reach the route at, e.g. https://app.example.com"
	}
	u, err := url.Parse(raw)
	if err != nil {
		return "", nil, "is not a URL: " + urlError(err)
	}
	u.Scheme = strings.ToLower(u.Scheme)
	switch {
	case u.Scheme != SchemeHTTP && u.Scheme != SchemeHTTPS && u.Scheme != SchemeTCPHTTPS:
		return "", nil, "must start with https://, http:// or tcp+https://"
	case u.Host == "":
		return "", nil, "must name a host, e.g. https://app.example.com"
	case u.User != nil:
		return "", nil, "must not hold a user name or password"
	case u.RawQuery != "" || u.ForceQuery || u.Fragment != "":
		return "", nil, "must not have a query or fragment"
	case u.Scheme == SchemeTCPHTTPS && u.Path != "":
		return "", nil, "a tcp+https URL has no path"
	case u.Path != "" && u.Path != "/":
		return "", nil, fmt.Sprintf("must not have a path (got %q): match paths with the prefix, path or regex fields", u.Path)
	case u.Scheme == SchemeTCPHTTPS && u.Port() == "":
		return "", nil, "a tcp+https URL needs a port, e.g. tcp+https://redis.example.com:6379"
	}
	if p := hostProblem(u.Host, true, true); p != "" {
		return "", nil, p
	}
	host := strings.ToLower(u.Hostname())
	if strings.Contains(host, ":") {
		host = "[" + host + "]"
	}
	if port := u.Port(); port != "" && port != defaultPorts[u.Scheme] {
		host += ":" + port
	}
	u.Host, u.Path = host, ""
	return u.Scheme + "://" + host, u, ""
}

// To URL schemes, and the ones Core forbids mixing with any other.
var (
	toSchemes       = []string{"http", "https", "h2c", "tcp", "udp", "unix"}
	unmixableScheme = []string{"tcp", "udp", "unix"}
)

// toProblems checks each upstream URL and their schemes against one
// another and against from's scheme, returning one sentence or "".
func toProblems(to []string, fromScheme string) string {
	var problems []string
	seen := map[string]bool{}
	var schemes []string
	for i, raw := range to {
		scheme, p := toProblem(raw)
		switch {
		case p != "":
			problems = append(problems, fmt.Sprintf("line %d: %s", i+1, p))
		case seen[raw]:
			problems = append(problems, fmt.Sprintf("line %d: %q is listed twice", i+1, raw))
		default:
			seen[raw] = true
			schemes = append(schemes, scheme)
		}
	}
	if len(problems) > 0 {
		return strings.Join(problems, "; ")
	}
	return schemeMixProblem(schemes, fromScheme)
}

// toProblem checks one upstream URL and returns its scheme.
func toProblem(raw string) (string, string) {
	u, err := url.Parse(raw)
	if err != nil {
		return "", fmt.Sprintf("%q is not a URL: %s", raw, urlError(err))
	}
	scheme := strings.ToLower(u.Scheme)
	switch {
	case !slices.Contains(toSchemes, scheme):
		return "", fmt.Sprintf("%q must start with http://, https://, h2c://, tcp://, udp:// or unix://", raw)
	case u.User != nil:
		return "", fmt.Sprintf("%q must not hold a user name or password: set an Authorization header instead", raw)
	case scheme == "unix" && u.Path == "":
		return "", fmt.Sprintf("%q must name a socket path, e.g. unix:///run/app.sock", raw)
	case scheme != "unix" && u.Host == "":
		return "", fmt.Sprintf("%q must name a host, e.g. http://app.internal:8080", raw)
	case (scheme == "tcp" || scheme == "udp") && u.Port() == "":
		return "", fmt.Sprintf("%q needs a port", raw)
	}
	if scheme != "unix" {
		if p := hostProblem(u.Host, true, false); p != "" {
			return "", p
		}
	}
	return scheme, ""
}

// schemeMixProblem applies Core's rule (tcp, udp and unix are not mixed
// with other schemes) and the console's (a tcp+https route forwards to
// tcp or unix upstreams, an http(s) one to http, https, h2c or unix).
func schemeMixProblem(schemes []string, fromScheme string) string {
	unmixable, other := false, false
	for _, s := range schemes {
		if slices.Contains(unmixableScheme, s) {
			unmixable = true
		} else {
			other = true
		}
	}
	if unmixable && other {
		return "tcp://, udp:// and unix:// upstreams cannot be mixed with other schemes"
	}
	for _, s := range schemes {
		switch {
		case s == "udp":
			return "udp:// upstreams need a udp+https route, which the console does not offer"
		case fromScheme == SchemeTCPHTTPS && s != "tcp" && s != "unix":
			return "a tcp+https route forwards to tcp:// (or unix://) upstreams"
		case fromScheme != SchemeTCPHTTPS && s == "tcp":
			return "tcp:// upstreams need a tcp+https from URL"
		}
	}
	return ""
}

// urlError is url.Parse's complaint without the repeated input.
func urlError(err error) string {
	if ue, ok := err.(*url.Error); ok {
		return ue.Err.Error()
	}
	return err.Error()
}

// MatchKey names what a route answers: its normalised From and its one
// path matcher, where no matcher is the prefix "/" Core defaults to. Two
// routes with one key would answer the same requests.
func MatchKey(from, prefix, path, regex string) string {
	switch {
	case regex != "":
		return from + "|regex:" + regex
	case path != "":
		return from + "|path:" + path
	case prefix != "":
		return from + "|prefix:" + prefix
	}
	return from + "|prefix:/"
}

// Host returns the host (and port, when not the default) of a normalised
// From, for matching certificates.
func Host(from string) string {
	_, rest, ok := strings.Cut(from, "://")
	if !ok {
		return ""
	}
	return rest
}
