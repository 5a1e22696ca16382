package configyaml

import (
	"archive/zip"
	"bytes"
	"encoding/base64"
	"fmt"
	"maps"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"
	"google.golang.org/protobuf/types/known/durationpb"

	"github.com/pomerium-console-oss/pomerium-console/app/duration"
	configpb "github.com/pomerium-console-oss/pomerium-console/app/pb/config"
	"github.com/pomerium-console-oss/pomerium-console/app/ppl"
)

// header opens every export: the file carries secrets in clear text.
const header = "# Pomerium config.yaml exported by pomerium-console.\n" +
	"# It holds secrets (cookie and identity provider secrets, private keys): keep it like a password.\n"

// CertDir is where an export's certificate files go, relative to its
// config.yaml.
const CertDir = "certs"

// Bundle is an export: the config.yaml, and the certificate files it names.
// Core takes one certificate inline (certificate/certificate_key); since
// v0.24 it reads every further one from files, listed under certificates.
type Bundle struct {
	YAML []byte
	// Files are those certificate files by their path relative to the
	// config.yaml (CertDir/<key pair id>.pem and .key); empty when the
	// Config has at most one certificate.
	Files map[string][]byte
}

// Export writes cfg, as app/render makes it, as a Pomerium Core config.yaml:
// Core's option names, settings as top-level keys, each route's policies as
// one PPL `policy` list (from their source_ppl; Core ORs the allow and the
// deny rules of a list as it does those of separate policies), the first
// certificate inline as base64 and any further ones as files (see Bundle).
func Export(cfg *configpb.Config) ([]byte, error) {
	b, err := ExportBundle(cfg)
	return b.YAML, err
}

// ExportBundle is Export with the certificate files the YAML names.
func ExportBundle(cfg *configpb.Config) (Bundle, error) {
	out := coreConfig{coreSettings: exportSettings(cfg.GetSettings())}
	files := map[string][]byte{}
	for i, c := range cfg.GetSettings().GetCertificates() {
		if i == 0 {
			out.Certificate = base64.StdEncoding.EncodeToString(c.GetCertBytes())
			out.CertificateKey = base64.StdEncoding.EncodeToString(c.GetKeyBytes())
			continue
		}
		pair := coreCertificate{Cert: CertDir + "/" + fileSafe(c.GetId()) + ".pem", Key: CertDir + "/" + fileSafe(c.GetId()) + ".key"}
		files[pair.Cert], files[pair.Key] = c.GetCertBytes(), c.GetKeyBytes()
		out.Certificates = append(out.Certificates, pair)
	}
	for _, r := range cfg.GetRoutes() {
		cr, err := exportRoute(r)
		if err != nil {
			return Bundle{}, fmt.Errorf("configyaml: route %q: %w", r.GetName(), err)
		}
		out.Routes = append(out.Routes, cr)
	}
	var buf bytes.Buffer
	buf.WriteString(header)
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(out); err != nil {
		return Bundle{}, fmt.Errorf("configyaml: encode: %w", err)
	}
	if err := enc.Close(); err != nil {
		return Bundle{}, fmt.Errorf("configyaml: encode: %w", err)
	}
	if len(files) == 0 {
		files = nil
	}
	return Bundle{YAML: buf.Bytes(), Files: files}, nil
}

// Zip is the bundle as one archive: config.yaml at its top and the
// certificate files under CertDir, as Parse reads it back through
// WithReadFile.
func (b Bundle) Zip() ([]byte, error) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	names := slices.Sorted(maps.Keys(b.Files))
	for _, name := range append([]string{"config.yaml"}, names...) {
		content := b.YAML
		if name != "config.yaml" {
			content = b.Files[name]
		}
		w, err := zw.Create(name)
		if err != nil {
			return nil, fmt.Errorf("configyaml: zip: %w", err)
		}
		if _, err := w.Write(content); err != nil {
			return nil, fmt.Errorf("configyaml: zip: %w", err)
		}
	}
	if err := zw.Close(); err != nil {
		return nil, fmt.Errorf("configyaml: zip: %w", err)
	}
	return buf.Bytes(), nil
}

// fileSafe keeps the letters, digits, dashes and dots of a file name.
func fileSafe(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '.' {
			return r
		}
		return '_'
	}, s)
}

// exportSettings writes the settings the console renders.
func exportSettings(s *configpb.Settings) coreSettings {
	if s == nil {
		s = &configpb.Settings{}
	}
	out := coreSettings{
		LogLevel: s.LogLevel, ProxyLogLevel: s.ProxyLogLevel,
		AccessLogFields: s.GetAccessLogFields().GetValues(), AuthorizeLogFields: s.GetAuthorizeLogFields().GetValues(),
		Address: s.Address, DNSLookupFamily: s.DnsLookupFamily, HTTPRedirectAddr: s.HttpRedirectAddr, MetricsAddress: s.MetricsAddress,
		SkipXFFAppend: s.SkipXffAppend, TimeoutRead: durationText(s.GetTimeoutRead()), TimeoutWrite: durationText(s.GetTimeoutWrite()),
		TimeoutIdle: durationText(s.GetTimeoutIdle()), DefaultUpstreamTimeout: durationText(s.GetDefaultUpstreamTimeout()),
		CookieName: s.CookieName, CookieSecret: s.CookieSecret, CookieDomain: s.CookieDomain, CookieHTTPOnly: s.CookieHttpOnly,
		CookieExpire: durationText(s.GetCookieExpire()), CookieSameSite: s.CookieSameSite,
		AuthenticateServiceURL: s.AuthenticateServiceUrl, IDPProvider: s.IdpProvider, IDPProviderURL: s.IdpProviderUrl,
		IDPClientID: s.IdpClientId, IDPClientSecret: s.IdpClientSecret, IDPScopes: s.GetScopes(), IDPRequestParams: s.GetRequestParams(),
		CertificateAuthority: s.CertificateAuthority, JWTClaimsHeaders: s.GetJwtClaimsHeaders(), SetResponseHeaders: s.GetSetResponseHeaders(),
		PassIdentityHeaders: s.PassIdentityHeaders, OtelTracesSamplerArg: s.OtelTracesSamplerArg,
		DatabrokerStorageType: s.DatabrokerStorageType, DatabrokerStorageConnection: s.DatabrokerStorageConnectionString,
		GoogleCloudServerlessSA: s.GoogleCloudServerlessAuthenticationServiceAccount,
	}
	if ca := s.GetDownstreamMtls().GetCa(); ca != "" {
		out.DownstreamMTLS = &coreMTLS{CA: ca}
	}
	return out
}

// durationText is a set duration as Core's options read it; nil when unset.
func durationText(d *durationpb.Duration) *string {
	if d == nil {
		return nil
	}
	s, err := duration.Format(d.AsDuration())
	if err != nil {
		// Finer than the console keeps: Core reads Go's own form as well.
		s = d.AsDuration().String()
	}
	return &s
}

// exportRoute writes one route.
func exportRoute(r *configpb.Route) (coreRoute, error) {
	out := coreRoute{
		Name: r.GetName(), From: r.GetFrom(), To: r.GetTo(), Prefix: r.GetPrefix(), Path: r.GetPath(), Regex: r.GetRegex(),
		RegexPriorityOrder: r.RegexPriorityOrder, PrefixRewrite: r.GetPrefixRewrite(),
		RegexRewritePattern: r.GetRegexRewritePattern(), RegexRewriteSubstitution: r.GetRegexRewriteSubstitution(),
		HostRewrite: r.GetHostRewrite(), HostRewriteHeader: r.GetHostRewriteHeader(),
		HostPathRegexRewritePattern: r.GetHostPathRegexRewritePattern(), HostPathRegexRewriteSubstitution: r.GetHostPathRegexRewriteSubstitution(),
		AllowWebsockets: r.GetAllowWebsockets(), AllowSPDY: r.GetAllowSpdy(), TLSSkipVerify: r.GetTlsSkipVerify(),
		TLSUpstreamServerName: r.GetTlsUpstreamServerName(), TLSDownstreamServerName: r.GetTlsDownstreamServerName(),
		TLSCustomCA: r.GetTlsCustomCa(), TLSClientCert: r.GetTlsClientCert(), TLSClientKey: r.GetTlsClientKey(),
		TLSDownstreamClientCA: r.GetTlsDownstreamClientCa(), TLSUpstreamAllowRenegotiation: r.GetTlsUpstreamAllowRenegotiation(),
		SetRequestHeaders: r.GetSetRequestHeaders(), RemoveRequestHeaders: r.GetRemoveRequestHeaders(), SetResponseHeaders: r.GetSetResponseHeaders(),
		PreserveHostHeader: r.GetPreserveHostHeader(), PassIdentityHeaders: r.PassIdentityHeaders,
		KubernetesServiceAccountToken: r.GetKubernetesServiceAccountToken(), EnableGoogleCloudServerlessAuth: r.GetEnableGoogleCloudServerlessAuthentication(),
		IDPClientID: r.GetIdpClientId(), IDPClientSecret: r.GetIdpClientSecret(), ShowErrorDetails: r.GetShowErrorDetails(),
		Timeout: deref(durationText(r.GetTimeout())), IdleTimeout: deref(durationText(r.GetIdleTimeout())),
	}
	if rd := r.GetRedirect(); rd != nil {
		out.Redirect = &coreRedirect{HTTPSRedirect: rd.HttpsRedirect, SchemeRedirect: rd.SchemeRedirect, HostRedirect: rd.HostRedirect,
			PortRedirect: rd.PortRedirect, PathRedirect: rd.PathRedirect, PrefixRewrite: rd.PrefixRewrite, ResponseCode: rd.ResponseCode, StripQuery: rd.StripQuery}
	}
	if resp := r.GetResponse(); resp != nil {
		out.Response = &coreResponse{Status: resp.GetStatus(), Body: resp.GetBody()}
	}
	for _, rw := range r.GetRewriteResponseHeaders() {
		out.RewriteResponseHeaders = append(out.RewriteResponseHeaders, coreRewriteHeader{Header: rw.GetHeader(), Prefix: rw.GetPrefix(), Value: rw.GetValue()})
	}
	if r.JwtIssuerFormat != nil {
		out.JWTIssuerFormat = map[configpb.IssuerFormat]string{configpb.IssuerFormat_IssuerHostOnly: "hostOnly", configpb.IssuerFormat_IssuerURI: "uri"}[r.GetJwtIssuerFormat()]
	}
	if r.LoadBalancingPolicy != nil {
		out.LoadBalancingPolicy = strings.TrimPrefix(r.GetLoadBalancingPolicy().String(), "LOAD_BALANCING_POLICY_")
	}
	for _, h := range r.GetHealthChecks() {
		out.HealthChecks = append(out.HealthChecks, exportHealthCheck(h))
	}
	policy, err := policyNode(r.GetPolicies())
	if policy != nil {
		out.Policy = *policy
	}
	return out, err
}

// exportHealthCheck writes Envoy's health check as protojson reads it.
func exportHealthCheck(h *configpb.HealthCheck) coreHealthCheck {
	seconds := func(d *durationpb.Duration) string {
		if d == nil {
			return ""
		}
		return protoDuration(d.AsDuration())
	}
	out := coreHealthCheck{
		Timeout: seconds(h.GetTimeout()), Interval: seconds(h.GetInterval()), InitialJitter: seconds(h.GetInitialJitter()),
		IntervalJitter: seconds(h.GetIntervalJitter()), IntervalJitterPercent: h.GetIntervalJitterPercent(),
		UnhealthyThreshold: h.GetUnhealthyThreshold().GetValue(), HealthyThreshold: h.GetHealthyThreshold().GetValue(),
	}
	if c := h.GetHttpHealthCheck(); c != nil {
		out.HTTP = &coreHTTPCheck{Host: c.GetHost(), Path: c.GetPath(), CodecClientType: c.GetCodecClientType().String(),
			ExpectedStatuses: exportRanges(c.GetExpectedStatuses()), RetriableStatuses: exportRanges(c.GetRetriableStatuses())}
	}
	if c := h.GetTcpHealthCheck(); c != nil {
		out.TCP = &coreTCPCheck{}
		if t := c.GetSend().GetText(); t != "" {
			out.TCP.Send = &corePayload{Text: t}
		}
		for _, r := range c.GetReceive() {
			out.TCP.Receive = append(out.TCP.Receive, corePayload{Text: r.GetText()})
		}
	}
	if c := h.GetGrpcHealthCheck(); c != nil {
		out.GRPC = &coreGRPCCheck{ServiceName: c.GetServiceName(), Authority: c.GetAuthority()}
	}
	return out
}

func exportRanges(list []*configpb.HealthCheck_Int64Range) []coreRange {
	var out []coreRange
	for _, r := range list {
		out = append(out, coreRange{Start: r.GetStart(), End: r.GetEnd()})
	}
	return out
}

// policyNode writes a route's policies as one PPL document: their rules in
// order, a list when there are several.
func policyNode(list []*configpb.Policy) (*yaml.Node, error) {
	if len(list) == 0 {
		return nil, nil
	}
	var all ppl.Policy
	for _, p := range list {
		if p.SourcePpl == nil {
			return nil, fmt.Errorf("policy %q has no PPL source to write", p.GetName())
		}
		parsed, err := ppl.Parse([]byte(p.GetSourcePpl()))
		if err != nil {
			return nil, fmt.Errorf("policy %q: %w", p.GetName(), err)
		}
		all.Rules = append(all.Rules, parsed.Rules...)
		all.List = all.List || parsed.List
	}
	all.List = all.List || len(list) > 1
	text, err := ppl.Format(&all)
	if err != nil {
		return nil, err
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(text, &doc); err != nil || len(doc.Content) == 0 {
		return nil, fmt.Errorf("re-read the policy: %v", err)
	}
	return doc.Content[0], nil
}
