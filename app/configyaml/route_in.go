package configyaml

import (
	"cmp"
	"encoding/base64"
	"encoding/pem"
	"fmt"
	"net/url"
	"strings"

	"github.com/pomerium-console-oss/pomerium-console/app/routes"
	"github.com/pomerium-console-oss/pomerium-console/db"
)

// legacyRedirectCodes are Envoy's redirect codes, which Core before v0.28
// took in response_code instead of the HTTP status.
var legacyRedirectCodes = []int32{301, 302, 303, 307, 308}

// lbPolicies maps Core's load balancing names to the console's.
var lbPolicies = map[string]string{
	"ROUND_ROBIN": "round_robin", "LEAST_REQUEST": "least_request", "RING_HASH": "ring_hash", "RANDOM": "random", "MAGLEV": "maglev",
}

// route adds routes[i] to the plan.
func (p *parser) route(i int, r coreRoute) {
	key := fmt.Sprintf("routes[%d]", i)
	at := func(k string) string { return key + "." + k }
	rp := RoutePlan{Line: p.lines[key], Key: key, Policy: -1, CustomCA: -1, ClientCert: -1, DownstreamCA: -1,
		keyLines: map[string]int{}, keyNames: map[string]string{}}
	if strings.TrimSpace(r.From) == "" {
		p.fail(rp.Line, at("from"), "is required: every route needs the URL it answers, e.g. from: https://app.example.com")
		return
	}
	rp.NameGiven = strings.TrimSpace(r.Name) != ""
	name := strings.TrimSpace(r.Name)
	if !rp.NameGiven {
		name = nameFromURL(r.From, r.Prefix, r.Path, r.Regex)
	}
	to, weights := splitWeights(r.To)
	if weights {
		p.unsupported(p.lines[at("to")], at("to"), "the console does not balance by weight: the \",<weight>\" of each upstream is dropped")
	}
	s := db.RouteSpec{
		PrefixRewrite: r.PrefixRewrite, RegexRewritePattern: r.RegexRewritePattern, RegexRewriteSubstitution: r.RegexRewriteSubstitution,
		HostRewrite: r.HostRewrite, HostRewriteHeader: r.HostRewriteHeader,
		HostPathRegexRewritePattern: r.HostPathRegexRewritePattern, HostPathRegexRewriteSubstitution: r.HostPathRegexRewriteSubstitution,
		RegexPriorityOrder: r.RegexPriorityOrder, AllowWebsockets: r.AllowWebsockets, AllowSPDY: r.AllowSPDY,
		TLSSkipVerify: r.TLSSkipVerify, TLSUpstreamServerName: cmp.Or(r.TLSUpstreamServerName, r.TLSServerName),
		TLSDownstreamServerName: r.TLSDownstreamServerName, TLSUpstreamAllowRenegotiation: r.TLSUpstreamAllowRenegotiation,
		SetRequestHeaders: r.SetRequestHeaders, RemoveRequestHeaders: r.RemoveRequestHeaders, SetResponseHeaders: r.SetResponseHeaders,
		PreserveHostHeader: r.PreserveHostHeader, PassIdentityHeaders: r.PassIdentityHeaders,
		EnableGoogleCloudServerlessAuthentication: r.EnableGoogleCloudServerlessAuth, ShowErrorDetails: r.ShowErrorDetails,
		IdentityProviderClientID: r.IDPClientID,
	}
	for _, rw := range r.RewriteResponseHeaders {
		s.RewriteResponseHeaders = append(s.RewriteResponseHeaders, db.RouteRewriteHeader(rw))
	}
	if r.Response != nil {
		s.Response = &db.RouteDirectResponse{Status: r.Response.Status, Body: r.Response.Body}
	}
	s.Redirect = p.redirect(at("redirect"), r.Redirect)
	s.Timeout = p.duration(at("timeout"), r.Timeout)
	s.IdleTimeout = p.duration(at("idle_timeout"), r.IdleTimeout)
	s.JWTIssuerFormat = p.issuerFormat(at("jwt_issuer_format"), r.JWTIssuerFormat)
	s.LoadBalancingPolicy = p.lbPolicy(key, r)
	s.HealthChecks = p.healthChecks(at("health_checks"), r.HealthChecks)
	rp.Input = routes.Input{
		Name: name, From: strings.TrimSpace(r.From), To: to, Prefix: r.Prefix, Path: r.Path, Regex: r.Regex, Spec: s,
		IdentityProviderClientSecret:  secretOf(r.IDPClientSecret),
		KubernetesServiceAccountToken: secretOf(p.inlineOrFile(at("kubernetes_service_account_token"), r.KubernetesServiceAccountToken, r.KubernetesServiceAccountTokenFile, false)),
	}
	p.routeKeyPairs(&rp, key, name, r)
	rp.Policy = p.policy(key, name, r)
	for field, yamlKey := range restFields {
		if line, ok := p.lines[at(yamlKey)]; ok {
			rp.keyLines[field], rp.keyNames[field] = line, at(yamlKey)
		}
	}
	p.plan.Routes = append(p.plan.Routes, rp)
}

// restFields maps the REST field names the route service reports errors
// under to the YAML keys they come from.
var restFields = map[string]string{
	"name": "name", "from": "from", "to": "to", "prefix": "prefix", "path": "path", "regex": "regex",
	"regexPriorityOrder": "regex_priority_order", "redirect": "redirect", "response": "response",
	"prefixRewrite": "prefix_rewrite", "regexRewritePattern": "regex_rewrite_pattern", "regexRewriteSubstitution": "regex_rewrite_substitution",
	"hostRewrite": "host_rewrite", "hostRewriteHeader": "host_rewrite_header", "hostPathRegexRewritePattern": "host_path_regex_rewrite_pattern",
	"hostPathRegexRewriteSubstitution": "host_path_regex_rewrite_substitution", "timeout": "timeout", "idleTimeout": "idle_timeout",
	"tlsUpstreamServerName": "tls_upstream_server_name", "tlsDownstreamServerName": "tls_downstream_server_name",
	"tlsCustomCaKeyPairId": "tls_custom_ca", "tlsClientKeyPairId": "tls_client_cert", "tlsDownstreamClientCaKeyPairId": "tls_downstream_client_ca",
	"setRequestHeaders": "set_request_headers", "removeRequestHeaders": "remove_request_headers", "setResponseHeaders": "set_response_headers",
	"rewriteResponseHeaders": "rewrite_response_headers", "jwtIssuerFormat": "jwt_issuer_format", "healthChecks": "health_checks",
	"loadBalancingPolicy": "load_balancing_policy", "identityProviderClientId": "idp_client_id",
	"identityProviderClientSecret": "idp_client_secret", "kubernetesServiceAccountToken": "kubernetes_service_account_token",
	"policyIds": "policy",
}

// nameFromURL names a route the file did not name: its host and path.
func nameFromURL(from, prefix, path, regex string) string {
	name := from
	if u, err := url.Parse(from); err == nil && u.Host != "" {
		name = u.Host
	}
	switch m := cmp.Or(path, prefix); {
	case m != "" && m != "/":
		name += m
	case regex != "":
		name += " " + regex
	}
	if r := []rune(name); len(r) > routes.MaxNameLength {
		name = string(r[:routes.MaxNameLength])
	}
	return name
}

// splitWeights drops Core's ",<weight>" suffixes from upstream URLs and
// reports whether there were any.
func splitWeights(list []string) ([]string, bool) {
	var out []string
	weighted := false
	for _, u := range list {
		if i := strings.LastIndex(u, ","); i > 0 && isDigits(u[i+1:]) {
			u, weighted = u[:i], true
		}
		out = append(out, u)
	}
	return out, weighted
}

func isDigits(s string) bool {
	return s != "" && strings.Trim(s, "0123456789") == ""
}

// redirect converts a redirect; a response_code of 0-4 is Envoy's enum, as
// Core before v0.28 read it.
func (p *parser) redirect(key string, r *coreRedirect) *db.RouteRedirect {
	if r == nil {
		return nil
	}
	out := &db.RouteRedirect{
		HTTPSRedirect: deref(r.HTTPSRedirect), SchemeRedirect: deref(r.SchemeRedirect), HostRedirect: deref(r.HostRedirect),
		PortRedirect: deref(r.PortRedirect), PathRedirect: deref(r.PathRedirect), PrefixRewrite: deref(r.PrefixRewrite),
		StripQuery: deref(r.StripQuery),
	}
	if r.ResponseCode != nil {
		c := *r.ResponseCode
		if c >= 0 && int(c) < len(legacyRedirectCodes) {
			c = legacyRedirectCodes[c]
		}
		if c != 301 { // the default, which the console stores as unset
			out.ResponseCode = c
		}
	}
	return out
}

// duration converts a duration value; "" stays unset.
func (p *parser) duration(key, text string) string {
	if text == "" {
		return ""
	}
	d, err := restDuration(text)
	if err != nil {
		p.failKey(key, "%s", err)
	}
	return d
}

// issuerFormat reads jwt_issuer_format: Core's hostOnly or uri.
func (p *parser) issuerFormat(key, v string) string {
	switch strings.ToLower(v) {
	case "":
		return ""
	case "hostonly", "issuerhostonly":
		return "hostOnly"
	case "uri", "issueruri":
		return "uri"
	}
	p.failKey(key, "must be hostOnly or uri (got %q)", v)
	return ""
}

// lbPolicy reads load_balancing_policy, or lb_policy as older Core named it.
func (p *parser) lbPolicy(key string, r coreRoute) string {
	v, k := r.LoadBalancingPolicy, key+".load_balancing_policy"
	if v == "" {
		v, k = r.LBPolicy, key+".lb_policy"
	}
	if v == "" {
		return ""
	}
	name, ok := lbPolicies[strings.ToUpper(strings.TrimPrefix(strings.ToUpper(v), "LOAD_BALANCING_POLICY_"))]
	if !ok {
		p.failKey(k, "must be one of ROUND_ROBIN, LEAST_REQUEST, RING_HASH, RANDOM and MAGLEV (got %q)", v)
	}
	return name
}

// inlineOrFile is the inline value (base64 PEM when b64), else the content
// of the named file when the import can read files.
func (p *parser) inlineOrFile(key, inline, file string, b64 bool) string {
	switch {
	case inline != "" && b64:
		return p.decodePEM(key, inline)
	case inline != "":
		return inline
	case file == "":
		return ""
	}
	return p.readNamed(key+"_file", file)
}

// readNamed reads the file a key names, or notes that it cannot.
func (p *parser) readNamed(key, file string) string {
	if p.readFile == nil {
		p.unsupported(p.lines[key], key, reasonFiles)
		return ""
	}
	b, err := p.readFile(file)
	if err != nil {
		p.failKey(key, "cannot read %s: %v", file, err)
		return ""
	}
	return string(b)
}

// decodePEM decodes Core's base64 PEM; plain PEM is taken as it is.
func (p *parser) decodePEM(key, v string) string {
	v = strings.TrimSpace(v)
	if strings.HasPrefix(v, "-----BEGIN") {
		return v + "\n"
	}
	b, err := base64.StdEncoding.DecodeString(v)
	if err != nil {
		p.failKey(key, "must be base64-encoded PEM: %v", err)
		return ""
	}
	if block, _ := pem.Decode(b); block == nil {
		p.failKey(key, "decodes to no PEM block (expected -----BEGIN ...)")
		return ""
	}
	return string(b)
}

// routeKeyPairs plans the key pairs of the route's TLS keys.
func (p *parser) routeKeyPairs(rp *RoutePlan, key, name string, r coreRoute) {
	at := func(k string) string { return key + "." + k }
	if ca := p.inlineOrFile(at("tls_custom_ca"), r.TLSCustomCA, r.TLSCustomCAFile, true); ca != "" {
		rp.CustomCA = p.keyPair(at("tls_custom_ca"), name+" custom CA", ca, "", false)
	}
	if ca := p.inlineOrFile(at("tls_downstream_client_ca"), r.TLSDownstreamClientCA, r.TLSDownstreamClientCAFile, true); ca != "" {
		rp.DownstreamCA = p.keyPair(at("tls_downstream_client_ca"), name+" downstream client CA", ca, "", false)
	}
	cert := p.inlineOrFile(at("tls_client_cert"), r.TLSClientCert, r.TLSClientCertFile, true)
	key2 := p.inlineOrFile(at("tls_client_key"), r.TLSClientKey, r.TLSClientKeyFile, true)
	switch {
	case cert != "" && key2 != "":
		rp.ClientCert = p.keyPair(at("tls_client_cert"), name+" client certificate", cert, key2, false)
	case cert != "":
		p.failKey(at("tls_client_cert"), "a client certificate needs its key: set tls_client_key too")
	case key2 != "":
		p.failKey(at("tls_client_key"), "a client key needs its certificate: set tls_client_cert too")
	}
}

// keyPair plans a key pair, once per distinct certificate and key.
func (p *parser) keyPair(key, name, cert, privateKey string, global bool) int {
	id := cert + "\x00" + privateKey
	if global {
		id += "\x00global"
	}
	if i, ok := p.pairs[id]; ok {
		return i
	}
	p.plan.KeyPairs = append(p.plan.KeyPairs, KeyPairPlan{
		Line: p.lines[key], Key: key, Name: name, Certificate: cert, PrivateKey: privateKey, Global: global,
	})
	p.pairs[id] = len(p.plan.KeyPairs) - 1
	return len(p.plan.KeyPairs) - 1
}

// secretOf is a route secret to set, or to leave unset.
func secretOf(v string) routes.Secret {
	if v == "" {
		return routes.Secret{}
	}
	return routes.Secret{Action: routes.SecretSet, Value: v}
}

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}
