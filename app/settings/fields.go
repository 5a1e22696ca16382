package settings

import "strings"

// The choices of the enumerated settings, as Pomerium Core accepts them.
var (
	// LogLevels are the levels Core's log_level and proxy_log_level take.
	LogLevels = []string{"trace", "debug", "info", "warn", "error", "critical", "fatal", "panic", "disabled"}
	// DNSLookupFamilies are Envoy's DNS resolution policies.
	DNSLookupFamilies = []string{"V4_PREFERRED", "V4_ONLY", "V6_ONLY", "AUTO", "ALL"}
	// CookieSameSites are the SameSite modes; unset leaves it to the browser.
	CookieSameSites = []string{"lax", "strict", "none"}
	// TracingProviders are the tracers whose endpoints the console configures.
	TracingProviders = []string{"datadog", "jaeger", "zipkin"}
	// IdentityProviders are the identity provider types of the REST reference.
	IdentityProviders = []string{"apple", "auth0", "azure", "cognito", "github", "gitlab", "google", "oidc", "okta", "onelogin", "ping"}
	// AccessLogFields are the fields Core's access log knows, besides
	// "headers.<name>".
	AccessLogFields = []string{
		"authority", "client-certificate", "cluster-stat-name", "dest-ip", "dest-port",
		"downstream-transport-failure-reason", "duration", "forwarded-for", "ip", "method", "path",
		"protocol-version", "query", "referer", "request-id", "response-code", "response-code-details",
		"size", "tls-cipher-suite", "tls-local-cert", "tls-peer-cert", "tls-sni-hostname", "tls-version",
		"upstream-cluster", "upstream-transport-failure-reason", "user-agent",
	}
	// AuthorizeLogFields are the fields Core's authorize log knows, besides
	// "headers.<name>".
	AuthorizeLogFields = []string{
		"body", "check-request-id", "cluster-stat-name", "email", "envoy-route-checksum", "envoy-route-id",
		"headers", "host", "id-token", "id-token-claims", "impersonate-email", "impersonate-session-id",
		"impersonate-user-id", "ip", "mcp-method", "mcp-tool", "mcp-tool-parameters", "method", "path", "query",
		"removed-groups-count", "request-id", "route-checksum", "route-id", "service-account-id", "session-id", "user",
	}
)

// providersNeedingURL have no default issuer: Core refuses them without
// identityProviderUrl.
var providersNeedingURL = []string{"auth0", "cognito", "oidc", "okta", "ping"}

// Core's defaults for the access and authorize log fields.
var (
	defaultAccessLogFields = []string{
		"upstream-cluster", "method", "authority", "path", "user-agent", "referer", "forwarded-for",
		"request-id", "duration", "size", "response-code", "response-code-details",
	}
	defaultAuthorizeLogFields = []string{
		"request-id", "check-request-id", "cluster-stat-name", "method", "path", "host", "ip", "session-id",
		"impersonate-session-id", "impersonate-user-id", "impersonate-email", "removed-groups-count",
		"service-account-id", "user", "email", "envoy-route-checksum", "envoy-route-id", "route-checksum", "route-id",
	}
)

// CoreDefaults describes, by JSON name, what applies while a setting is
// unset: Pomerium Core's default (or the console's, for its own settings),
// worded for a placeholder. Secrets are included.
var CoreDefaults = map[string]string{
	"logLevel":                            "info",
	"proxyLogLevel":                       "same as the log level",
	"accessLogFields":                     strings.Join(defaultAccessLogFields, ", "),
	"authorizeLogFields":                  strings.Join(defaultAuthorizeLogFields, ", "),
	"address":                             ":443",
	"dnsLookupFamily":                     "V4_PREFERRED",
	"httpRedirectAddr":                    "none: no redirect server is started",
	"metricsAddress":                      "none: metrics are not exposed",
	"skipXffAppend":                       "off",
	"timeoutRead":                         "30s",
	"timeoutWrite":                        "0s (no timeout, so streams can run)",
	"timeoutIdle":                         "5m",
	"defaultUpstreamTimeout":              "30s",
	"cookieName":                          "_pomerium",
	"cookieDomain":                        "none: each cookie stays with its host",
	"cookieSecure":                        "on",
	"cookieHttpOnly":                      "on",
	"cookieExpire":                        "14h",
	"cookieSameSite":                      "left to the browser (lax)",
	"grpcServerMaxConnectionAge":          "5m",
	"grpcServerMaxConnectionAgeGrace":     "5m",
	"tracingProvider":                     "none: tracing is off",
	"tracingSampleRate":                   "0.01 (%)",
	"tracingDatadogAddress":               "localhost:8126",
	"tracingJaegerCollectorEndpoint":      "none, e.g. http://localhost:14268/api/traces",
	"tracingJaegerAgentEndpoint":          "none, e.g. localhost:6831",
	"tracingZipkinEndpoint":               "none, e.g. http://localhost:9411/api/v2/spans",
	"certificateAuthorityKeyPairId":       "none: the system trust store only",
	"downstreamMtlsCaKeyPairId":           "none: no client certificate is asked for",
	"jwtClaimsHeaders":                    "none",
	"setResponseHeaders":                  "X-Frame-Options: SAMEORIGIN, X-XSS-Protection: 1; mode=block, Strict-Transport-Security: max-age=31536000; includeSubDomains; preload",
	"passIdentityHeaders":                 "off",
	"authenticateServiceUrl":              "https://authenticate.pomerium.app",
	"identityProvider":                    "none: the hosted authenticate service signs users in",
	"identityProviderClientId":            "none",
	"identityProviderUrl":                 "the provider's own issuer; required for auth0, cognito, oidc, okta and ping",
	"identityProviderScopes":              "the provider's defaults (openid, profile, email, offline_access)",
	"identityProviderRequestParams":       "none",
	"autoApplyChangesets":                 "off: changes wait in a changeset",
	string(SecretCookie):                  "generated by Pomerium at start-up",
	string(SecretIdentityProviderClient):  "",
	string(SecretDatabrokerStorage):       "the databroker keeps its data in memory",
	string(SecretGoogleCloudServerlessSA): "the GCP metadata server supplies identity tokens",
}
