package configyaml

import (
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"fmt"
	"strings"

	"github.com/pomerium-console-oss/pomerium-console/app/settings"
)

// settings plans the global settings and the certificates of the file.
func (p *parser) settings(c coreConfig) {
	s, v := &p.plan.Settings, &p.plan.Settings.Values
	s.Secrets = map[settings.Secret]string{}
	text := func(yamlKey, name string, src *string, dst **string) {
		if src != nil {
			*dst = src
			p.settingKey(yamlKey, name)
		}
	}
	flag := func(yamlKey, name string, src *bool, dst **bool) {
		if src != nil {
			*dst = src
			p.settingKey(yamlKey, name)
		}
	}
	dur := func(yamlKey, name string, src *string, dst **string) {
		if src != nil {
			d := p.duration(yamlKey, *src)
			*dst = &d
			p.settingKey(yamlKey, name)
		}
	}
	cs := c.coreSettings
	text("log_level", "logLevel", cs.LogLevel, &v.LogLevel)
	text("proxy_log_level", "proxyLogLevel", cs.ProxyLogLevel, &v.ProxyLogLevel)
	text("address", "address", cs.Address, &v.Address)
	text("dns_lookup_family", "dnsLookupFamily", cs.DNSLookupFamily, &v.DNSLookupFamily)
	text("http_redirect_addr", "httpRedirectAddr", cs.HTTPRedirectAddr, &v.HTTPRedirectAddr)
	text("metrics_address", "metricsAddress", cs.MetricsAddress, &v.MetricsAddress)
	flag("skip_xff_append", "skipXffAppend", cs.SkipXFFAppend, &v.SkipXFFAppend)
	dur("timeout_read", "timeoutRead", cs.TimeoutRead, &v.TimeoutRead)
	dur("timeout_write", "timeoutWrite", cs.TimeoutWrite, &v.TimeoutWrite)
	dur("timeout_idle", "timeoutIdle", cs.TimeoutIdle, &v.TimeoutIdle)
	dur("default_upstream_timeout", "defaultUpstreamTimeout", cs.DefaultUpstreamTimeout, &v.DefaultUpstreamTimeout)
	text("cookie_name", "cookieName", cs.CookieName, &v.CookieName)
	text("cookie_domain", "cookieDomain", cs.CookieDomain, &v.CookieDomain)
	flag("cookie_secure", "cookieSecure", cs.CookieSecure, &v.CookieSecure)
	flag("cookie_http_only", "cookieHttpOnly", cs.CookieHTTPOnly, &v.CookieHTTPOnly)
	dur("cookie_expire", "cookieExpire", cs.CookieExpire, &v.CookieExpire)
	text("cookie_same_site", "cookieSameSite", cs.CookieSameSite, &v.CookieSameSite)
	dur("grpc_server_max_connection_age", "grpcServerMaxConnectionAge", cs.GRPCServerMaxConnectionAge, &v.GRPCServerMaxConnectionAge)
	dur("grpc_server_max_connection_age_grace", "grpcServerMaxConnectionAgeGrace", cs.GRPCServerMaxConnAgeGrace, &v.GRPCServerMaxConnectionAgeGrace)
	text("authenticate_service_url", "authenticateServiceUrl", cs.AuthenticateServiceURL, &v.AuthenticateServiceURL)
	text("idp_provider", "identityProvider", cs.IDPProvider, &v.IdentityProvider)
	text("idp_provider_url", "identityProviderUrl", cs.IDPProviderURL, &v.IdentityProviderURL)
	text("idp_client_id", "identityProviderClientId", cs.IDPClientID, &v.IdentityProviderClientID)
	flag("pass_identity_headers", "passIdentityHeaders", cs.PassIdentityHeaders, &v.PassIdentityHeaders)
	text("tracing_provider", "tracingProvider", cs.TracingProvider, &v.TracingProvider)
	text("tracing_datadog_address", "tracingDatadogAddress", cs.TracingDatadogAddress, &v.TracingDatadogAddress)
	text("tracing_jaeger_collector_endpoint", "tracingJaegerCollectorEndpoint", cs.TracingJaegerCollectorEndpoint, &v.TracingJaegerCollectorEndpoint)
	text("tracing_jaeger_agent_endpoint", "tracingJaegerAgentEndpoint", cs.TracingJaegerAgentEndpoint, &v.TracingJaegerAgentEndpoint)
	text("tracing_zipkin_endpoint", "tracingZipkinEndpoint", cs.TracingZipkinEndpoint, &v.TracingZipkinEndpoint)
	p.settingsCollections(cs)
	p.settingsSecrets(cs)
	p.settingsKeyPairs(c)
	p.certificates(c)
}

// settingsCollections plans the list and map settings and the sample rate.
func (p *parser) settingsCollections(cs coreSettings) {
	v := &p.plan.Settings.Values
	for _, l := range []struct {
		yamlKey, name string
		src           []string
		dst           *[]string
	}{
		{"access_log_fields", "accessLogFields", cs.AccessLogFields, &v.AccessLogFields},
		{"authorize_log_fields", "authorizeLogFields", cs.AuthorizeLogFields, &v.AuthorizeLogFields},
		{"idp_scopes", "identityProviderScopes", cs.IDPScopes, &v.IdentityProviderScopes},
	} {
		if l.src != nil {
			*l.dst = l.src
			p.settingKey(l.yamlKey, l.name)
		}
	}
	for _, m := range []struct {
		yamlKey, name string
		src           map[string]string
		dst           *map[string]string
	}{
		{"idp_request_params", "identityProviderRequestParams", cs.IDPRequestParams, &v.IdentityProviderRequestParams},
		{"jwt_claims_headers", "jwtClaimsHeaders", cs.JWTClaimsHeaders, &v.JWTClaimsHeaders},
		{"set_response_headers", "setResponseHeaders", cs.SetResponseHeaders, &v.SetResponseHeaders},
	} {
		if m.src != nil {
			*m.dst = m.src
			p.settingKey(m.yamlKey, m.name)
		}
	}
	// Core takes a fraction of requests; the console a percentage.
	for _, r := range []struct {
		yamlKey string
		rate    *float64
	}{{"otel_traces_sampler_arg", cs.OtelTracesSamplerArg}, {"tracing_sample_rate", cs.TracingSampleRate}} {
		if r.rate != nil {
			pct := *r.rate * 100
			v.TracingSampleRate = &pct
			p.settingKey(r.yamlKey, "tracingSampleRate")
		}
	}
}

// settingsSecrets plans the secret settings.
func (p *parser) settingsSecrets(cs coreSettings) {
	for _, s := range []struct {
		yamlKey string
		secret  settings.Secret
		value   *string
	}{
		{"cookie_secret", settings.SecretCookie, cs.CookieSecret},
		{"idp_client_secret", settings.SecretIdentityProviderClient, cs.IDPClientSecret},
		{"databroker_storage_connection_string", settings.SecretDatabrokerStorage, cs.DatabrokerStorageConnection},
		{"google_cloud_serverless_authentication_service_account", settings.SecretGoogleCloudServerlessSA, cs.GoogleCloudServerlessSA},
	} {
		if s.value != nil {
			p.plan.Settings.Secrets[s.secret] = *s.value
			p.settingKey(s.yamlKey, string(s.secret))
		}
	}
	if t := cs.DatabrokerStorageType; t != nil && *t != "postgres" {
		p.unsupported(p.lines["databroker_storage_type"], "databroker_storage_type",
			"the console sets the databroker's storage by its connection string (which means postgres); "+*t+" storage stays in Pomerium's own configuration")
	}
}

// settingsKeyPairs plans the certificate authorities of the settings as
// key pairs of Global.
func (p *parser) settingsKeyPairs(c coreConfig) {
	s := &p.plan.Settings
	if ca := p.inlineOrFile("certificate_authority", deref(c.CertificateAuthority), deref(c.CertificateAuthorityFile), true); ca != "" {
		s.CertificateAuthority = p.keyPair("certificate_authority", "Certificate authority", ca, "", true)
		p.settingKey("certificate_authority", "certificateAuthorityKeyPairId")
	}
	if m := c.DownstreamMTLS; m != nil {
		if ca := p.inlineOrFile("downstream_mtls.ca", m.CA, m.CAFile, true); ca != "" {
			s.DownstreamCA = p.keyPair("downstream_mtls.ca", "Downstream mTLS CA", ca, "", true)
			p.settingKey("downstream_mtls.ca", "downstreamMtlsCaKeyPairId")
		}
	}
}

// certificates plans the served certificates as key pairs; the console
// serves every pair whose names match a route's host.
func (p *parser) certificates(c coreConfig) {
	if cert := p.inlineOrFile("certificate", c.Certificate, c.CertificateFile, true); cert != "" {
		key := p.inlineOrFile("certificate_key", c.CertificateKey, c.CertificateKeyFile, true)
		switch {
		case key == "" && c.CertificateKey == "" && c.CertificateKeyFile == "":
			at := "certificate_file"
			if c.Certificate != "" {
				at = "certificate"
			}
			p.failKey(at, "a certificate needs its key: set certificate_key too")
		case key != "":
			p.keyPair("certificate", certName(cert), cert, key, false)
		}
	}
	for i, pair := range c.Certificates {
		key := fmt.Sprintf("certificates[%d]", i)
		cert, priv := p.pairPart(key+".cert", pair.Cert), p.pairPart(key+".key", pair.Key)
		if cert != "" && priv != "" {
			p.keyPair(key, certName(cert), cert, priv, false)
		}
	}
}

// pairPart is one half of a certificates entry: a file path, as Core reads
// it since v0.24, or base64 PEM, as it read it before.
func (p *parser) pairPart(key, v string) string {
	if b, err := base64.StdEncoding.DecodeString(strings.TrimSpace(v)); err == nil {
		if block, _ := pem.Decode(b); block != nil {
			return string(b)
		}
	}
	return p.readNamed(key, v)
}

// certName names a served certificate by its subject (or first DNS name).
func certName(certPEM string) string {
	block, _ := pem.Decode([]byte(certPEM))
	if block == nil {
		return "Certificate"
	}
	c, err := x509.ParseCertificate(block.Bytes)
	switch {
	case err != nil:
		return "Certificate"
	case c.Subject.CommonName != "":
		return strings.TrimSpace(c.Subject.CommonName)
	case len(c.DNSNames) > 0:
		return c.DNSNames[0]
	}
	return "Certificate"
}

// settingKey records an imported setting.
func (p *parser) settingKey(yamlKey, name string) {
	p.plan.Settings.Keys = append(p.plan.Settings.Keys, SettingKey{Name: name, Line: p.lines[yamlKey], Key: yamlKey})
}
