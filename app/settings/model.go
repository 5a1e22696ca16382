package settings

import (
	"slices"
	"time"
)

// DefaultClusterID is the cluster whose settings the console edits until
// clusters can be managed.
const DefaultClusterID = "default"

// Values are the non-secret settings. Nil pointers, nil slices and nil maps
// are unset: Pomerium Core's default applies and the JSON key is absent.
// JSON names are those of the REST reference's Settings object; cookieSecure
// and the two gRPC connection ages are console settings it lacks.
type Values struct {
	LogLevel           *string  `json:"logLevel,omitempty"`
	ProxyLogLevel      *string  `json:"proxyLogLevel,omitempty"`
	AccessLogFields    []string `json:"accessLogFields,omitempty"`
	AuthorizeLogFields []string `json:"authorizeLogFields,omitempty"`

	Address          *string `json:"address,omitempty"`
	DNSLookupFamily  *string `json:"dnsLookupFamily,omitempty"`
	HTTPRedirectAddr *string `json:"httpRedirectAddr,omitempty"`
	MetricsAddress   *string `json:"metricsAddress,omitempty"`
	SkipXFFAppend    *bool   `json:"skipXffAppend,omitempty"`

	TimeoutRead            *string `json:"timeoutRead,omitempty"`
	TimeoutWrite           *string `json:"timeoutWrite,omitempty"`
	TimeoutIdle            *string `json:"timeoutIdle,omitempty"`
	DefaultUpstreamTimeout *string `json:"defaultUpstreamTimeout,omitempty"`

	CookieName     *string `json:"cookieName,omitempty"`
	CookieDomain   *string `json:"cookieDomain,omitempty"`
	CookieSecure   *bool   `json:"cookieSecure,omitempty"`
	CookieHTTPOnly *bool   `json:"cookieHttpOnly,omitempty"`
	CookieExpire   *string `json:"cookieExpire,omitempty"`
	CookieSameSite *string `json:"cookieSameSite,omitempty"`

	GRPCServerMaxConnectionAge      *string `json:"grpcServerMaxConnectionAge,omitempty"`
	GRPCServerMaxConnectionAgeGrace *string `json:"grpcServerMaxConnectionAgeGrace,omitempty"`

	TracingProvider *string `json:"tracingProvider,omitempty"`
	// TracingSampleRate is a percentage (1 means 1% of requests), as the
	// console documents it; Core takes a fraction (see CoreSampleRate).
	TracingSampleRate              *float64 `json:"tracingSampleRate,omitempty"`
	TracingDatadogAddress          *string  `json:"tracingDatadogAddress,omitempty"`
	TracingJaegerCollectorEndpoint *string  `json:"tracingJaegerCollectorEndpoint,omitempty"`
	TracingJaegerAgentEndpoint     *string  `json:"tracingJaegerAgentEndpoint,omitempty"`
	TracingZipkinEndpoint          *string  `json:"tracingZipkinEndpoint,omitempty"`

	CertificateAuthorityKeyPairID *string `json:"certificateAuthorityKeyPairId,omitempty"`
	DownstreamMTLSCAKeyPairID     *string `json:"downstreamMtlsCaKeyPairId,omitempty"`

	// JWTClaimsHeaders maps a request header to the claim it carries.
	JWTClaimsHeaders    map[string]string `json:"jwtClaimsHeaders,omitempty"`
	SetResponseHeaders  map[string]string `json:"setResponseHeaders,omitempty"`
	PassIdentityHeaders *bool             `json:"passIdentityHeaders,omitempty"`

	AuthenticateServiceURL        *string           `json:"authenticateServiceUrl,omitempty"`
	IdentityProvider              *string           `json:"identityProvider,omitempty"`
	IdentityProviderClientID      *string           `json:"identityProviderClientId,omitempty"`
	IdentityProviderURL           *string           `json:"identityProviderUrl,omitempty"`
	IdentityProviderScopes        []string          `json:"identityProviderScopes,omitempty"`
	IdentityProviderRequestParams map[string]string `json:"identityProviderRequestParams,omitempty"`

	AutoApplyChangesets *bool `json:"autoApplyChangesets,omitempty"`
}

// CoreSampleRate is the tracing sample rate as Pomerium Core takes it (a
// fraction of 1), and whether one is set.
func (v Values) CoreSampleRate() (float64, bool) {
	if v.TracingSampleRate == nil {
		return 0, false
	}
	return *v.TracingSampleRate / 100, true
}

// Secret names a write-only setting. Its value is the key's JSON name.
type Secret string

// The secrets: sealed at rest, never shown, logged or returned.
const (
	SecretCookie                  Secret = "cookieSecret"
	SecretIdentityProviderClient  Secret = "identityProviderClientSecret"
	SecretDatabrokerStorage       Secret = "databrokerStorageConnection"
	SecretGoogleCloudServerlessSA Secret = "googleCloudServerlessAuthenticationServiceAccount"
)

// Secrets lists every secret in the order the settings page shows them.
var Secrets = []Secret{SecretCookie, SecretIdentityProviderClient, SecretDatabrokerStorage, SecretGoogleCloudServerlessSA}

// SecretChange replaces a secret with Value, or clears it.
type SecretChange struct {
	Value string
	Clear bool
}

// Update is every setting at once: Values replace the stored values
// wholesale, while a secret absent from Secrets keeps its stored value
// (secrets are never read back, so a client cannot send them again).
type Update struct {
	Values  Values
	Secrets map[Secret]SecretChange
	// problems are found while the update was built (a form line or a JSON
	// key that could not be read); they are reported with the validation.
	problems []problem
}

// problem is one field error found before validation.
type problem struct {
	field, code, msg string
}

// View is the settings of one cluster as a reader sees them: the values and
// which secrets are set. CreatedAt is zero while they were never saved.
type View struct {
	ClusterID  string
	Values     Values
	SecretsSet map[Secret]bool
	CreatedAt  time.Time
	ModifiedAt time.Time
}

// SetSecrets lists the secrets that are set, in Secrets order.
func (v View) SetSecrets() []Secret {
	var out []Secret
	for _, s := range Secrets {
		if v.SecretsSet[s] {
			out = append(out, s)
		}
	}
	return out
}

// IsSecret reports whether the setting name is one of Secrets.
func IsSecret(name string) bool {
	return slices.Contains(Secrets, Secret(name))
}
