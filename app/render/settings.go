package render

import (
	"fmt"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/durationpb"

	configpb "github.com/pomerium-console-oss/pomerium-console/app/pb/config"
	"github.com/pomerium-console-oss/pomerium-console/app/settings"
)

// NotRendered names, by JSON name, the console settings that have no
// field in Core's Settings message, and why; every other setting that is
// set is rendered.
var NotRendered = map[string]string{
	"cookieSecure":                    "Core always marks its cookies Secure (the option was removed)",
	"grpcServerMaxConnectionAge":      "Core no longer takes the gRPC connection age options",
	"grpcServerMaxConnectionAgeGrace": "Core no longer takes the gRPC connection age options",
	"tracingProvider":                 "Core traces through OpenTelemetry since v0.29: set the OTEL_* environment of Pomerium",
	"tracingDatadogAddress":           "Core traces through OpenTelemetry since v0.29: set the OTEL_* environment of Pomerium",
	"tracingJaegerCollectorEndpoint":  "Core traces through OpenTelemetry since v0.29: set the OTEL_* environment of Pomerium",
	"tracingJaegerAgentEndpoint":      "Core traces through OpenTelemetry since v0.29: set the OTEL_* environment of Pomerium",
	"tracingZipkinEndpoint":           "Core traces through OpenTelemetry since v0.29: set the OTEL_* environment of Pomerium",
	"autoApplyChangesets":             "it decides how the console deploys, not how Pomerium runs",
}

// settings renders the cluster's settings: a setting left unset stays
// unset (nil), so Core's own default applies.
func (r *renderer) settings() (*configpb.Settings, error) {
	v := r.m.Settings.Values
	out := &configpb.Settings{
		LogLevel: v.LogLevel, ProxyLogLevel: v.ProxyLogLevel,
		AccessLogFields: stringList(v.AccessLogFields), AuthorizeLogFields: stringList(v.AuthorizeLogFields),
		Address: v.Address, DnsLookupFamily: v.DNSLookupFamily, HttpRedirectAddr: v.HTTPRedirectAddr,
		MetricsAddress: v.MetricsAddress, SkipXffAppend: v.SkipXFFAppend,
		CookieName: v.CookieName, CookieDomain: v.CookieDomain, CookieHttpOnly: v.CookieHTTPOnly, CookieSameSite: v.CookieSameSite,
		JwtClaimsHeaders: v.JWTClaimsHeaders, SetResponseHeaders: v.SetResponseHeaders, PassIdentityHeaders: v.PassIdentityHeaders,
		AuthenticateServiceUrl: v.AuthenticateServiceURL, IdpProvider: v.IdentityProvider, IdpClientId: v.IdentityProviderClientID,
		IdpProviderUrl: v.IdentityProviderURL, Scopes: v.IdentityProviderScopes, RequestParams: v.IdentityProviderRequestParams,
	}
	if rate, ok := v.CoreSampleRate(); ok {
		out.OtelTracesSamplerArg = &rate
	}
	for _, d := range []struct {
		field string
		value *string
		dst   **durationpb.Duration
	}{
		{"timeoutRead", v.TimeoutRead, &out.TimeoutRead}, {"timeoutWrite", v.TimeoutWrite, &out.TimeoutWrite},
		{"timeoutIdle", v.TimeoutIdle, &out.TimeoutIdle}, {"defaultUpstreamTimeout", v.DefaultUpstreamTimeout, &out.DefaultUpstreamTimeout},
		{"cookieExpire", v.CookieExpire, &out.CookieExpire},
	} {
		if d.value == nil {
			continue
		}
		parsed, err := durationOf(d.field, *d.value)
		if err != nil {
			return nil, fmt.Errorf("render: settings: %w", err)
		}
		*d.dst = parsed
	}
	if err := r.settingsKeyPairs(out, v); err != nil {
		return nil, fmt.Errorf("render: settings: %w", err)
	}
	if err := r.settingsSecrets(out); err != nil {
		return nil, fmt.Errorf("render: settings: %w", err)
	}
	if err := r.certificates(out); err != nil {
		return nil, fmt.Errorf("render: settings: %w", err)
	}
	return out, nil
}

// settingsKeyPairs renders the two certificate authority settings as
// base64 PEM.
func (r *renderer) settingsKeyPairs(out *configpb.Settings, v settings.Values) error {
	if id := v.CertificateAuthorityKeyPairID; id != nil {
		ca, err := r.certBase64(*id, "certificateAuthorityKeyPairId")
		if err != nil {
			return err
		}
		out.CertificateAuthority = &ca
	}
	if id := v.DownstreamMTLSCAKeyPairID; id != nil {
		ca, err := r.certBase64(*id, "downstreamMtlsCaKeyPairId")
		if err != nil {
			return err
		}
		out.DownstreamMtls = &configpb.DownstreamMtlsSettings{Ca: &ca}
	}
	return nil
}

// secretFields are where each settings secret goes.
var secretFields = []struct {
	name settings.Secret
	dst  func(*configpb.Settings) **string
}{
	{settings.SecretCookie, func(s *configpb.Settings) **string { return &s.CookieSecret }},
	{settings.SecretIdentityProviderClient, func(s *configpb.Settings) **string { return &s.IdpClientSecret }},
	{settings.SecretDatabrokerStorage, func(s *configpb.Settings) **string { return &s.DatabrokerStorageConnectionString }},
	{settings.SecretGoogleCloudServerlessSA, func(s *configpb.Settings) **string { return &s.GoogleCloudServerlessAuthenticationServiceAccount }},
}

// settingsSecrets opens the set secrets. They were sealed by app/settings
// for "settings/<cluster id>/<name>" (TestRenderOpensSecrets keeps the two
// in step).
func (r *renderer) settingsSecrets(out *configpb.Settings) error {
	for _, f := range secretFields {
		sealed, ok := r.m.Settings.Secrets[string(f.name)]
		if !ok {
			continue
		}
		plain, err := r.secret(sealed, settings.SealContext(r.m.ClusterID, settings.Secret(f.name)), string(f.name))
		if err != nil {
			return err
		}
		*f.dst(out) = &plain
	}
	if out.DatabrokerStorageConnectionString != nil {
		// Core uses the connection string only with the postgres storage
		// type, and a connection string is a Postgres one.
		out.DatabrokerStorageType = proto.String("postgres")
	}
	return nil
}

// certificates renders the model's certificates with their private keys.
func (r *renderer) certificates(out *configpb.Settings) error {
	for _, id := range r.m.CertificateIDs {
		k, err := r.keyPair(id, "certificates")
		if err != nil {
			return err
		}
		key, err := r.privateKey(k, "certificates")
		if err != nil {
			return err
		}
		out.Certificates = append(out.Certificates, &configpb.Settings_Certificate{
			Id: k.ID, CertBytes: []byte(k.CertificatePEM), KeyBytes: key,
		})
	}
	return nil
}

// stringList is Core's StringList of list, nil when the list is unset.
func stringList(list []string) *configpb.Settings_StringList {
	if list == nil {
		return nil
	}
	return &configpb.Settings_StringList{Values: list}
}
