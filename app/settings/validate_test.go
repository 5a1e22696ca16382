package settings_test

import (
	"strings"
	"testing"

	"github.com/pomerium-console-oss/pomerium-console/app/apptest"
	"github.com/pomerium-console-oss/pomerium-console/app/errs"
	"github.com/pomerium-console-oss/pomerium-console/app/settings"
	"github.com/pomerium-console-oss/pomerium-console/db"
	"github.com/pomerium-console-oss/pomerium-console/db/storetest"
)

// Messages shared by several cases.
const (
	msgDuration  = `must be a number and a unit, repeated: y, w, d, h, m, s or ms (e.g. "30s", "1h30m")`
	msgIPPort    = `must be an IP address and port, or just ":port" (e.g. ":443", "127.0.0.1:9090")`
	msgHostPort  = `must be a host and port (e.g. "localhost:8126")`
	msgURL       = `must be an absolute http or https URL (e.g. "https://idp.example.com")`
	msgOneLine   = "must be one line, without control characters"
	msgIdPOnly   = "is only used with an identity provider: choose its type, or clear this"
	msgHeader    = "is not a valid header name (letters, digits and !#$%&'*+-.^_`|~ only)"
	msgCookieB64 = "must be base64 (standard alphabet) of 32 random bytes, e.g. from `head -c32 /dev/urandom | base64`"
)

func invalid(field, msg string) map[string]errs.FieldError {
	return map[string]errs.FieldError{field: {Code: errs.CodeInvalid, Message: msg}}
}

func required(field, msg string) map[string]errs.FieldError {
	return map[string]errs.FieldError{field: {Code: errs.CodeRequired, Message: msg}}
}

// secret is a change setting one secret.
func secret(name settings.Secret, value string) map[settings.Secret]settings.SecretChange {
	return map[settings.Secret]settings.SecretChange{name: {Value: value}}
}

// TestUpdateRefuses covers every validation rule: each bad input is
// refused with its field's error, and nothing stored changes.
func TestUpdateRefuses(t *testing.T) {
	t.Parallel()
	longText := strings.Repeat("a", 2049)
	many := make([]string, 101)
	for i := range many {
		many[i] = "path"
	}
	tests := []struct {
		name    string
		values  settings.Values
		secrets map[settings.Secret]settings.SecretChange
		want    map[string]errs.FieldError
	}{
		// logging
		{"unknown log level", settings.Values{LogLevel: new("loud")}, nil, invalid("logLevel", "must be one of "+strings.Join(settings.LogLevels, ", "))},
		{"unknown proxy log level", settings.Values{ProxyLogLevel: new("verbose")}, nil, invalid("proxyLogLevel", "must be one of "+strings.Join(settings.LogLevels, ", "))},
		{"unknown access log field", settings.Values{AccessLogFields: []string{"path", "bogus"}}, nil,
			invalid("accessLogFields", `"bogus" is not a log field (known: `+strings.Join(settings.AccessLogFields, ", ")+", or headers.<name>)")},
		{"access log header with a space", settings.Values{AccessLogFields: []string{"headers.user agent"}}, nil, invalid("accessLogFields", `"user agent" `+msgHeader)},
		{"authorize field of the access log", settings.Values{AuthorizeLogFields: []string{"size"}}, nil,
			invalid("authorizeLogFields", `"size" is not a log field (known: `+strings.Join(settings.AuthorizeLogFields, ", ")+", or headers.<name>)")},
		{"more than 100 log fields", settings.Values{AccessLogFields: many}, nil, map[string]errs.FieldError{"accessLogFields": {Code: errs.CodeTooLong, Message: "must have at most 100 entries (got 101)"}}},
		// proxy
		{"address with a host name", settings.Values{Address: new("localhost:443")}, nil, invalid("address", `must use an IP address, not the name "localhost": Envoy listens on addresses only`)},
		{"address without port", settings.Values{Address: new("0.0.0.0")}, nil, invalid("address", msgIPPort)},
		{"address with port 70000", settings.Values{Address: new(":70000")}, nil, invalid("address", `the port "70000" must be a number from 1 to 65535`)},
		{"unknown DNS lookup family", settings.Values{DNSLookupFamily: new("v5_only")}, nil, invalid("dnsLookupFamily", "must be one of "+strings.Join(settings.DNSLookupFamilies, ", "))},
		{"redirect address that is a URL", settings.Values{HTTPRedirectAddr: new("http://0.0.0.0:80")}, nil, invalid("httpRedirectAddr", msgIPPort)},
		{"metrics address with port 0", settings.Values{MetricsAddress: new("127.0.0.1:0")}, nil, invalid("metricsAddress", `the port "0" must be a number from 1 to 65535`)},
		// timeouts and durations
		{"read timeout in words", settings.Values{TimeoutRead: new("30 seconds")}, nil, invalid("timeoutRead", msgDuration)},
		{"negative write timeout", settings.Values{TimeoutWrite: new("-1s")}, nil, invalid("timeoutWrite", msgDuration)},
		{"idle timeout without unit", settings.Values{TimeoutIdle: new("5")}, nil, invalid("timeoutIdle", msgDuration)},
		{"fractional upstream timeout", settings.Values{DefaultUpstreamTimeout: new("1.5h")}, nil, invalid("defaultUpstreamTimeout", msgDuration)},
		{"cookie expiry beyond 292 years", settings.Values{CookieExpire: new("300y")}, nil, invalid("cookieExpire", "is too long: at most 292y")},
		{"gRPC max age in Go syntax", settings.Values{GRPCServerMaxConnectionAge: new("5m0.5s")}, nil, invalid("grpcServerMaxConnectionAge", msgDuration)},
		{"gRPC grace with an unknown unit", settings.Values{GRPCServerMaxConnectionAgeGrace: new("1mo")}, nil, invalid("grpcServerMaxConnectionAgeGrace", msgDuration)},
		// cookies
		{"cookie name with a space", settings.Values{CookieName: new("my cookie")}, nil, invalid("cookieName", "must be letters, digits and !#$%&'*+-.^_`|~ only, without spaces")},
		{"cookie domain that is a URL", settings.Values{CookieDomain: new("https://example.com")}, nil, invalid("cookieDomain", `must be a domain name such as "example.com", without scheme, port or path`)},
		{"unknown SameSite", settings.Values{CookieSameSite: new("sometimes")}, nil, invalid("cookieSameSite", "must be one of lax, strict, none")},
		{"SameSite none without Secure", settings.Values{CookieSameSite: new("none"), CookieSecure: new(false)}, nil,
			invalid("cookieSameSite", "none needs secure cookies: browsers refuse SameSite=None cookies without Secure")},
		// tracing
		{"unknown tracing provider", settings.Values{TracingProvider: new("honeycomb")}, nil, invalid("tracingProvider", "must be one of datadog, jaeger, zipkin")},
		{"sample rate above 100%", settings.Values{TracingSampleRate: new(100.5)}, nil, invalid("tracingSampleRate", "must be a percentage from 0 to 100 (e.g. 0.01 for 0.01% of requests)")},
		{"negative sample rate", settings.Values{TracingSampleRate: new(-1.0)}, nil, invalid("tracingSampleRate", "must be a percentage from 0 to 100 (e.g. 0.01 for 0.01% of requests)")},
		{"datadog address without port", settings.Values{TracingDatadogAddress: new("datadog.internal")}, nil, invalid("tracingDatadogAddress", msgHostPort)},
		{"jaeger agent with a bad host", settings.Values{TracingJaegerAgentEndpoint: new("jae_ger:6831")}, nil, invalid("tracingJaegerAgentEndpoint", `"jae_ger" is not a host name or IP address`)},
		{"jaeger collector that is no URL", settings.Values{TracingJaegerCollectorEndpoint: new("jaeger:14268")}, nil, invalid("tracingJaegerCollectorEndpoint", msgURL)},
		{"zipkin endpoint over ftp", settings.Values{TracingZipkinEndpoint: new("ftp://zipkin/api")}, nil, invalid("tracingZipkinEndpoint", msgURL)},
		{"jaeger provider without endpoints", settings.Values{TracingProvider: new("jaeger")}, nil,
			required("tracingJaegerCollectorEndpoint", "the jaeger provider needs a collector endpoint or an agent endpoint")},
		{"zipkin provider without endpoint", settings.Values{TracingProvider: new("zipkin")}, nil, required("tracingZipkinEndpoint", "the zipkin provider needs its endpoint")},
		// certificate authorities
		{"unknown CA key pair", settings.Values{CertificateAuthorityKeyPairID: new("nope")}, nil,
			map[string]errs.FieldError{"certificateAuthorityKeyPairId": {Code: errs.CodeNotFound, Message: `there is no key pair with id "nope"`}}},
		{"CA key pair of another namespace", settings.Values{CertificateAuthorityKeyPairID: new("kp-eng-ca")}, nil,
			invalid("certificateAuthorityKeyPairId", `key pair "eng-ca" belongs to namespace "Engineering": global settings can only use key pairs of Global`)},
		{"server certificate as client CA", settings.Values{DownstreamMTLSCAKeyPairID: new("kp-web")}, nil,
			invalid("downstreamMtlsCaKeyPairId", `key pair "web" is not a certificate authority: its certificate is not marked as a CA`)},
		// headers
		{"claim header with a space", settings.Values{JWTClaimsHeaders: map[string]string{"X Email": "email"}}, nil, invalid("jwtClaimsHeaders", `"X Email" `+msgHeader)},
		{"claim header without claim", settings.Values{JWTClaimsHeaders: map[string]string{"X-Email": ""}}, nil, required("jwtClaimsHeaders", `"X-Email" needs a value`)},
		{"claim with a space", settings.Values{JWTClaimsHeaders: map[string]string{"X-Name": "given name"}}, nil, invalid("jwtClaimsHeaders", `"given name" must not contain spaces`)},
		{"claim headers differing in case only", settings.Values{JWTClaimsHeaders: map[string]string{"X-A": "a", "x-a": "b"}}, nil,
			map[string]errs.FieldError{"jwtClaimsHeaders": {Code: errs.CodeConflict, Message: `"X-A" and "x-a" are the same name (names are case-insensitive)`}}},
		{"response header with a colon in its name", settings.Values{SetResponseHeaders: map[string]string{"X:Frame": "DENY"}}, nil, invalid("setResponseHeaders", `"X:Frame" `+msgHeader)},
		{"response header value with a line break", settings.Values{SetResponseHeaders: map[string]string{"X-Frame-Options": "DENY\r\nSet-Cookie: a=b"}}, nil, invalid("setResponseHeaders", msgOneLine)},
		// identity provider
		{"authenticate URL without scheme", settings.Values{AuthenticateServiceURL: new("authenticate.example.com")}, nil, invalid("authenticateServiceUrl", msgURL)},
		{"unknown identity provider", settings.Values{IdentityProvider: new("keycloak")}, nil,
			invalid("identityProvider", "must be one of "+strings.Join(settings.IdentityProviders, ", "))},
		{"provider without client id, secret or URL", settings.Values{IdentityProvider: new("okta")}, nil, map[string]errs.FieldError{
			"identityProviderClientId":     {Code: errs.CodeRequired, Message: "the okta provider needs the client id it was registered with"},
			"identityProviderClientSecret": {Code: errs.CodeRequired, Message: "the okta provider needs its client secret"},
			"identityProviderUrl":          {Code: errs.CodeRequired, Message: "the okta provider needs its URL (its issuer)"},
		}},
		{"IdP settings without a provider", settings.Values{IdentityProviderClientID: new("abc"), IdentityProviderScopes: []string{"openid"}},
			secret(settings.SecretIdentityProviderClient, clientSecret), map[string]errs.FieldError{
				"identityProviderClientId":     {Code: errs.CodeInvalid, Message: msgIdPOnly},
				"identityProviderScopes":       {Code: errs.CodeInvalid, Message: msgIdPOnly},
				"identityProviderClientSecret": {Code: errs.CodeInvalid, Message: msgIdPOnly},
			}},
		{"provider URL that is no URL", settings.Values{IdentityProvider: new("google"), IdentityProviderClientID: new("abc"), IdentityProviderURL: new("accounts.google.com")},
			secret(settings.SecretIdentityProviderClient, clientSecret), invalid("identityProviderUrl", msgURL)},
		{"scope with a space", settings.Values{IdentityProvider: new("github"), IdentityProviderClientID: new("abc"), IdentityProviderScopes: []string{"read:user user:email"}},
			secret(settings.SecretIdentityProviderClient, clientSecret), invalid("identityProviderScopes", `"read:user user:email" must not contain spaces`)},
		{"request parameter with =", settings.Values{IdentityProvider: new("github"), IdentityProviderClientID: new("abc"), IdentityProviderRequestParams: map[string]string{"a=b": "c"}},
			secret(settings.SecretIdentityProviderClient, clientSecret), invalid("identityProviderRequestParams", `"a=b" must not contain &, = or #`)},
		// any text
		{"control character", settings.Values{IdentityProvider: new("github"), IdentityProviderClientID: new("ab\x00c")},
			secret(settings.SecretIdentityProviderClient, clientSecret), invalid("identityProviderClientId", msgOneLine)},
		{"text beyond 2048 characters", settings.Values{CookieName: new(longText)}, nil,
			map[string]errs.FieldError{"cookieName": {Code: errs.CodeTooLong, Message: "must be at most 2048 characters (got 2049)"}}},
		// secrets
		{"cookie secret not in base64", settings.Values{}, secret(settings.SecretCookie, "not base64!"), invalid("cookieSecret", msgCookieB64)},
		{"cookie secret in the URL alphabet", settings.Values{}, secret(settings.SecretCookie, "hNTBe3a1oPWFTtVVzb3kHTAaJeRS6gQpRoGpLNmwdAM_"), invalid("cookieSecret", msgCookieB64)},
		{"cookie secret of 3 bytes", settings.Values{}, secret(settings.SecretCookie, "YWJj"),
			invalid("cookieSecret", "must be base64 of 32 random bytes (this decodes to 3 bytes), e.g. from `head -c32 /dev/urandom | base64`")},
		{"databroker connection that is not Postgres", settings.Values{}, secret(settings.SecretDatabrokerStorage, "redis://cache:6379"),
			invalid("databrokerStorageConnection", `must be a PostgreSQL connection string: "postgres://user:password@host:5432/db" or "host=… user=… dbname=…"`)},
		{"databroker URL without host", settings.Values{}, secret(settings.SecretDatabrokerStorage, "postgres:///pomerium"),
			invalid("databrokerStorageConnection", "is not a valid postgres:// URL (it needs a host)")},
		{"service account that is not base64 JSON", settings.Values{}, secret(settings.SecretGoogleCloudServerlessSA, "eyJub3QganNvbg=="),
			invalid("googleCloudServerlessAuthenticationServiceAccount", "must be the service account's JSON key, base64-encoded")},
		{"client secret with a line break", settings.Values{IdentityProvider: new("github"), IdentityProviderClientID: new("abc")},
			secret(settings.SecretIdentityProviderClient, "abc\ndef"), invalid("identityProviderClientSecret", msgOneLine)},
		// every problem at once
		{"several fields", settings.Values{LogLevel: new("loud"), Address: new("nope"), CookieExpire: new("1 day")}, secret(settings.SecretCookie, "short"),
			map[string]errs.FieldError{
				"logLevel":     {Code: errs.CodeInvalid, Message: "must be one of " + strings.Join(settings.LogLevels, ", ")},
				"address":      {Code: errs.CodeInvalid, Message: msgIPPort},
				"cookieExpire": {Code: errs.CodeInvalid, Message: msgDuration},
				"cookieSecret": {Code: errs.CodeInvalid, Message: msgCookieB64},
			}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			storetest.ForEach(t, func(t *testing.T, s db.Store) {
				e := newEnv(t, s)
				e.keyPair(t, "kp-eng-ca", eng, "eng-ca", true)
				e.keyPair(t, "kp-web", global, "web", false)
				e.update(t, settings.Values{LogLevel: new("warn")}, secret(settings.SecretCookie, cookieSecret))
				apptest.WantRefused(t, s, apptest.Refusal{Fields: tc.want}, func() (settings.View, error) {
					return e.svc.Update(t.Context(), e.admin(t), cluster, settings.Update{Values: tc.values, Secrets: tc.secrets})
				})
			})
		})
	}
}

// TestUpdateAccepts checks inputs at the edges of the rules are taken.
func TestUpdateAccepts(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		values  settings.Values
		secrets map[settings.Secret]settings.SecretChange
	}{
		{"IPv6 address", settings.Values{Address: new("[::]:443")}, nil},
		{"every duration unit", settings.Values{TimeoutIdle: new("1y2w3d4h5m6s7ms")}, nil},
		{"zero write timeout", settings.Values{TimeoutWrite: new("0s")}, nil},
		{"cookie domain with a leading dot", settings.Values{CookieDomain: new(".corp.example.com")}, nil},
		{"SameSite none with Secure unset", settings.Values{CookieSameSite: new("none")}, nil},
		{"jaeger with an agent only", settings.Values{TracingProvider: new("jaeger"), TracingJaegerAgentEndpoint: new("10.0.0.5:6831")}, nil},
		{"sample rate of exactly 100%", settings.Values{TracingSampleRate: new(100.0)}, nil},
		{"access log header field", settings.Values{AccessLogFields: []string{"headers.X-Request-Start"}}, nil},
		{"all authorize headers", settings.Values{AuthorizeLogFields: []string{"headers"}}, nil},
		{"response headers turned off", settings.Values{SetResponseHeaders: map[string]string{"disable": ""}}, nil},
		{"google needs no URL", settings.Values{IdentityProvider: new("google"), IdentityProviderClientID: new("abc")}, secret(settings.SecretIdentityProviderClient, clientSecret)},
		{"databroker key=value string", settings.Values{}, secret(settings.SecretDatabrokerStorage, "host=db user=pomerium password=x dbname=pomerium")},
		{"service account key", settings.Values{}, secret(settings.SecretGoogleCloudServerlessSA, "eyJ0eXBlIjoic2VydmljZV9hY2NvdW50In0=")},
		{"CA key pair of Global", settings.Values{CertificateAuthorityKeyPairID: new("kp-ca"), DownstreamMTLSCAKeyPairID: new("kp-ca")}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			storetest.ForEach(t, func(t *testing.T, s db.Store) {
				e := newEnv(t, s)
				e.keyPair(t, "kp-ca", global, "root-ca", true)
				if _, err := e.svc.Update(t.Context(), e.admin(t), cluster, settings.Update{Values: tc.values, Secrets: tc.secrets}); err != nil {
					t.Fatal(err)
				}
			})
		})
	}
}
