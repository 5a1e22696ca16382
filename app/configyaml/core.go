package configyaml

import (
	"fmt"

	"go.yaml.in/yaml/v3"
)

// coreConfig is the part of a config.yaml the console reads and writes: the
// settings inline, the certificates and the routes. Field order is the
// order Export writes keys in.
type coreConfig struct {
	coreSettings `yaml:",inline"`
	// Certificate and CertificateKey are one base64 PEM pair, the only
	// certificate Core takes inline.
	Certificate        string            `yaml:"certificate,omitempty"`
	CertificateKey     string            `yaml:"certificate_key,omitempty"`
	CertificateFile    string            `yaml:"certificate_file,omitempty"`
	CertificateKeyFile string            `yaml:"certificate_key_file,omitempty"`
	Certificates       []coreCertificate `yaml:"certificates,omitempty"`
	Routes             []coreRoute       `yaml:"routes,omitempty"`
}

// coreCertificate is an entry of `certificates`: Core (since v0.24) reads
// both as file paths.
type coreCertificate struct {
	Cert string `yaml:"cert"`
	Key  string `yaml:"key"`
}

// coreSettings are the global settings the console manages, under Core's
// option names. Durations are Go duration strings.
type coreSettings struct {
	LogLevel                   *string           `yaml:"log_level,omitempty"`
	ProxyLogLevel              *string           `yaml:"proxy_log_level,omitempty"`
	AccessLogFields            []string          `yaml:"access_log_fields,omitempty"`
	AuthorizeLogFields         []string          `yaml:"authorize_log_fields,omitempty"`
	Address                    *string           `yaml:"address,omitempty"`
	DNSLookupFamily            *string           `yaml:"dns_lookup_family,omitempty"`
	HTTPRedirectAddr           *string           `yaml:"http_redirect_addr,omitempty"`
	MetricsAddress             *string           `yaml:"metrics_address,omitempty"`
	SkipXFFAppend              *bool             `yaml:"skip_xff_append,omitempty"`
	TimeoutRead                *string           `yaml:"timeout_read,omitempty"`
	TimeoutWrite               *string           `yaml:"timeout_write,omitempty"`
	TimeoutIdle                *string           `yaml:"timeout_idle,omitempty"`
	DefaultUpstreamTimeout     *string           `yaml:"default_upstream_timeout,omitempty"`
	CookieName                 *string           `yaml:"cookie_name,omitempty"`
	CookieSecret               *string           `yaml:"cookie_secret,omitempty"`
	CookieDomain               *string           `yaml:"cookie_domain,omitempty"`
	CookieSecure               *bool             `yaml:"cookie_secure,omitempty"`
	CookieHTTPOnly             *bool             `yaml:"cookie_http_only,omitempty"`
	CookieExpire               *string           `yaml:"cookie_expire,omitempty"`
	CookieSameSite             *string           `yaml:"cookie_same_site,omitempty"`
	GRPCServerMaxConnectionAge *string           `yaml:"grpc_server_max_connection_age,omitempty"`
	GRPCServerMaxConnAgeGrace  *string           `yaml:"grpc_server_max_connection_age_grace,omitempty"`
	AuthenticateServiceURL     *string           `yaml:"authenticate_service_url,omitempty"`
	IDPProvider                *string           `yaml:"idp_provider,omitempty"`
	IDPProviderURL             *string           `yaml:"idp_provider_url,omitempty"`
	IDPClientID                *string           `yaml:"idp_client_id,omitempty"`
	IDPClientSecret            *string           `yaml:"idp_client_secret,omitempty"`
	IDPScopes                  []string          `yaml:"idp_scopes,omitempty"`
	IDPRequestParams           map[string]string `yaml:"idp_request_params,omitempty"`
	CertificateAuthority       *string           `yaml:"certificate_authority,omitempty"`
	CertificateAuthorityFile   *string           `yaml:"certificate_authority_file,omitempty"`
	DownstreamMTLS             *coreMTLS         `yaml:"downstream_mtls,omitempty"`
	JWTClaimsHeaders           map[string]string `yaml:"jwt_claims_headers,omitempty"`
	SetResponseHeaders         map[string]string `yaml:"set_response_headers,omitempty"`
	PassIdentityHeaders        *bool             `yaml:"pass_identity_headers,omitempty"`
	OtelTracesSamplerArg       *float64          `yaml:"otel_traces_sampler_arg,omitempty"`
	// TracingSampleRate and the tracing_* keys are Core's options before
	// v0.29; the console keeps them as settings, so they import.
	TracingSampleRate              *float64 `yaml:"tracing_sample_rate,omitempty"`
	TracingProvider                *string  `yaml:"tracing_provider,omitempty"`
	TracingDatadogAddress          *string  `yaml:"tracing_datadog_address,omitempty"`
	TracingJaegerCollectorEndpoint *string  `yaml:"tracing_jaeger_collector_endpoint,omitempty"`
	TracingJaegerAgentEndpoint     *string  `yaml:"tracing_jaeger_agent_endpoint,omitempty"`
	TracingZipkinEndpoint          *string  `yaml:"tracing_zipkin_endpoint,omitempty"`
	DatabrokerStorageType          *string  `yaml:"databroker_storage_type,omitempty"`
	DatabrokerStorageConnection    *string  `yaml:"databroker_storage_connection_string,omitempty"`
	GoogleCloudServerlessSA        *string  `yaml:"google_cloud_serverless_authentication_service_account,omitempty"`
}

// coreMTLS is downstream_mtls; the console manages its CA.
type coreMTLS struct {
	CA     string `yaml:"ca,omitempty"`
	CAFile string `yaml:"ca_file,omitempty"`
}

// coreRoute is one entry of `routes` with every key the console manages.
// The allow_* keys and the aliases are only read; Export writes policies as
// `policy` PPL.
type coreRoute struct {
	Name                              string              `yaml:"name,omitempty"`
	From                              string              `yaml:"from"`
	To                                stringList          `yaml:"to,omitempty"`
	Prefix                            string              `yaml:"prefix,omitempty"`
	Path                              string              `yaml:"path,omitempty"`
	Regex                             string              `yaml:"regex,omitempty"`
	RegexPriorityOrder                *int64              `yaml:"regex_priority_order,omitempty"`
	Redirect                          *coreRedirect       `yaml:"redirect,omitempty"`
	Response                          *coreResponse       `yaml:"response,omitempty"`
	Policy                            yaml.Node           `yaml:"policy,omitempty"`
	AllowPublicUnauthenticatedAccess  bool                `yaml:"allow_public_unauthenticated_access,omitempty"`
	AllowAnyAuthenticatedUser         bool                `yaml:"allow_any_authenticated_user,omitempty"`
	CORSAllowPreflight                bool                `yaml:"cors_allow_preflight,omitempty"`
	AllowedUsers                      []string            `yaml:"allowed_users,omitempty"`
	AllowedDomains                    []string            `yaml:"allowed_domains,omitempty"`
	AllowedIDPClaims                  map[string][]any    `yaml:"allowed_idp_claims,omitempty"`
	PrefixRewrite                     string              `yaml:"prefix_rewrite,omitempty"`
	RegexRewritePattern               string              `yaml:"regex_rewrite_pattern,omitempty"`
	RegexRewriteSubstitution          string              `yaml:"regex_rewrite_substitution,omitempty"`
	HostRewrite                       string              `yaml:"host_rewrite,omitempty"`
	HostRewriteHeader                 string              `yaml:"host_rewrite_header,omitempty"`
	HostPathRegexRewritePattern       string              `yaml:"host_path_regex_rewrite_pattern,omitempty"`
	HostPathRegexRewriteSubstitution  string              `yaml:"host_path_regex_rewrite_substitution,omitempty"`
	Timeout                           string              `yaml:"timeout,omitempty"`
	IdleTimeout                       string              `yaml:"idle_timeout,omitempty"`
	AllowWebsockets                   bool                `yaml:"allow_websockets,omitempty"`
	AllowSPDY                         bool                `yaml:"allow_spdy,omitempty"`
	TLSSkipVerify                     bool                `yaml:"tls_skip_verify,omitempty"`
	TLSServerName                     string              `yaml:"tls_server_name,omitempty"`
	TLSUpstreamServerName             string              `yaml:"tls_upstream_server_name,omitempty"`
	TLSDownstreamServerName           string              `yaml:"tls_downstream_server_name,omitempty"`
	TLSCustomCA                       string              `yaml:"tls_custom_ca,omitempty"`
	TLSCustomCAFile                   string              `yaml:"tls_custom_ca_file,omitempty"`
	TLSClientCert                     string              `yaml:"tls_client_cert,omitempty"`
	TLSClientKey                      string              `yaml:"tls_client_key,omitempty"`
	TLSClientCertFile                 string              `yaml:"tls_client_cert_file,omitempty"`
	TLSClientKeyFile                  string              `yaml:"tls_client_key_file,omitempty"`
	TLSDownstreamClientCA             string              `yaml:"tls_downstream_client_ca,omitempty"`
	TLSDownstreamClientCAFile         string              `yaml:"tls_downstream_client_ca_file,omitempty"`
	TLSUpstreamAllowRenegotiation     bool                `yaml:"tls_upstream_allow_renegotiation,omitempty"`
	SetRequestHeaders                 map[string]string   `yaml:"set_request_headers,omitempty"`
	RemoveRequestHeaders              []string            `yaml:"remove_request_headers,omitempty"`
	SetResponseHeaders                map[string]string   `yaml:"set_response_headers,omitempty"`
	RewriteResponseHeaders            []coreRewriteHeader `yaml:"rewrite_response_headers,omitempty"`
	PreserveHostHeader                bool                `yaml:"preserve_host_header,omitempty"`
	PassIdentityHeaders               *bool               `yaml:"pass_identity_headers,omitempty"`
	KubernetesServiceAccountToken     string              `yaml:"kubernetes_service_account_token,omitempty"`
	KubernetesServiceAccountTokenFile string              `yaml:"kubernetes_service_account_token_file,omitempty"`
	EnableGoogleCloudServerlessAuth   bool                `yaml:"enable_google_cloud_serverless_authentication,omitempty"`
	JWTIssuerFormat                   string              `yaml:"jwt_issuer_format,omitempty"`
	IDPClientID                       string              `yaml:"idp_client_id,omitempty"`
	IDPClientSecret                   string              `yaml:"idp_client_secret,omitempty"`
	ShowErrorDetails                  bool                `yaml:"show_error_details,omitempty"`
	LoadBalancingPolicy               string              `yaml:"load_balancing_policy,omitempty"`
	LBPolicy                          string              `yaml:"lb_policy,omitempty"`
	HealthChecks                      []coreHealthCheck   `yaml:"health_checks,omitempty"`
}

// coreRedirect is a route's redirect; ResponseCode is the HTTP status.
type coreRedirect struct {
	HTTPSRedirect  *bool   `yaml:"https_redirect,omitempty"`
	SchemeRedirect *string `yaml:"scheme_redirect,omitempty"`
	HostRedirect   *string `yaml:"host_redirect,omitempty"`
	PortRedirect   *uint32 `yaml:"port_redirect,omitempty"`
	PathRedirect   *string `yaml:"path_redirect,omitempty"`
	PrefixRewrite  *string `yaml:"prefix_rewrite,omitempty"`
	ResponseCode   *int32  `yaml:"response_code,omitempty"`
	StripQuery     *bool   `yaml:"strip_query,omitempty"`
}

// coreResponse is a route's direct response.
type coreResponse struct {
	Status uint32 `yaml:"status"`
	Body   string `yaml:"body,omitempty"`
}

// coreRewriteHeader is one entry of rewrite_response_headers.
type coreRewriteHeader struct {
	Header string `yaml:"header"`
	Prefix string `yaml:"prefix,omitempty"`
	Value  string `yaml:"value,omitempty"`
}

// coreHealthCheck is Envoy's HealthCheck as Core reads it (protojson: the
// durations are seconds such as "5s", the codec an enum name).
type coreHealthCheck struct {
	Timeout               string         `yaml:"timeout"`
	Interval              string         `yaml:"interval"`
	InitialJitter         string         `yaml:"initial_jitter,omitempty"`
	IntervalJitter        string         `yaml:"interval_jitter,omitempty"`
	IntervalJitterPercent uint32         `yaml:"interval_jitter_percent,omitempty"`
	UnhealthyThreshold    uint32         `yaml:"unhealthy_threshold"`
	HealthyThreshold      uint32         `yaml:"healthy_threshold"`
	HTTP                  *coreHTTPCheck `yaml:"http_health_check,omitempty"`
	TCP                   *coreTCPCheck  `yaml:"tcp_health_check,omitempty"`
	GRPC                  *coreGRPCCheck `yaml:"grpc_health_check,omitempty"`
}

type coreHTTPCheck struct {
	Host              string      `yaml:"host,omitempty"`
	Path              string      `yaml:"path"`
	ExpectedStatuses  []coreRange `yaml:"expected_statuses,omitempty"`
	RetriableStatuses []coreRange `yaml:"retriable_statuses,omitempty"`
	CodecClientType   string      `yaml:"codec_client_type,omitempty"`
}

type coreRange struct {
	Start int64 `yaml:"start"`
	End   int64 `yaml:"end"`
}

type coreTCPCheck struct {
	Send    *corePayload  `yaml:"send,omitempty"`
	Receive []corePayload `yaml:"receive,omitempty"`
}

// corePayload is Envoy's payload; the console writes hex text.
type corePayload struct {
	Text string `yaml:"text"`
}

type coreGRPCCheck struct {
	ServiceName string `yaml:"service_name,omitempty"`
	Authority   string `yaml:"authority,omitempty"`
}

// stringList is a list Core also accepts as one string.
type stringList []string

// UnmarshalYAML reads a scalar as a list of one.
func (l *stringList) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.ScalarNode {
		*l = stringList{n.Value}
		return nil
	}
	var list []string
	if err := n.Decode(&list); err != nil {
		return fmt.Errorf("must be a URL or a list of URLs")
	}
	*l = list
	return nil
}
