package db

import (
	"context"
	"time"
)

// Route is a route of a namespace: the external URL it answers, where it
// sends requests, and how. The fields a list searches, sorts or checks are
// top-level (and columns); the rest of the REST Route is Spec.
type Route struct {
	ID          string
	NamespaceID string
	Name        string
	// From is the external URL (http, https or tcp+https), as the service
	// normalised it.
	From   string
	To     []string
	Prefix string
	Path   string
	Regex  string
	// MatchKey is what the route matches (From, Prefix, Path, Regex) in the
	// service's canonical form: two routes with one key would answer the
	// same requests, so keys are unique across all namespaces.
	MatchKey                       string
	TLSCustomCAKeyPairID           string
	TLSClientKeyPairID             string
	TLSDownstreamClientCAKeyPairID string
	// PolicyIDs are the optional policies the route attaches, in order.
	PolicyIDs  []string
	Spec       RouteSpec
	CreatedAt  time.Time
	ModifiedAt time.Time
}

// RouteSpec is every field of the REST Route that is not a column, stored
// as JSON under the REST names. Durations are REST Duration strings ("30s").
type RouteSpec struct {
	Response                         *RouteDirectResponse `json:"response,omitempty"`
	Redirect                         *RouteRedirect       `json:"redirect,omitempty"`
	PrefixRewrite                    string               `json:"prefixRewrite,omitempty"`
	RegexRewritePattern              string               `json:"regexRewritePattern,omitempty"`
	RegexRewriteSubstitution         string               `json:"regexRewriteSubstitution,omitempty"`
	HostRewrite                      string               `json:"hostRewrite,omitempty"`
	HostRewriteHeader                string               `json:"hostRewriteHeader,omitempty"`
	HostPathRegexRewritePattern      string               `json:"hostPathRegexRewritePattern,omitempty"`
	HostPathRegexRewriteSubstitution string               `json:"hostPathRegexRewriteSubstitution,omitempty"`
	RegexPriorityOrder               *int64               `json:"regexPriorityOrder,omitempty"`
	Timeout                          string               `json:"timeout,omitempty"`
	IdleTimeout                      string               `json:"idleTimeout,omitempty"`
	AllowWebsockets                  bool                 `json:"allowWebsockets,omitempty"`
	AllowSPDY                        bool                 `json:"allowSpdy,omitempty"`
	TLSSkipVerify                    bool                 `json:"tlsSkipVerify,omitempty"`
	TLSUpstreamServerName            string               `json:"tlsUpstreamServerName,omitempty"`
	TLSDownstreamServerName          string               `json:"tlsDownstreamServerName,omitempty"`
	TLSUpstreamAllowRenegotiation    bool                 `json:"tlsUpstreamAllowRenegotiation,omitempty"`
	SetRequestHeaders                map[string]string    `json:"setRequestHeaders,omitempty"`
	RemoveRequestHeaders             []string             `json:"removeRequestHeaders,omitempty"`
	SetResponseHeaders               map[string]string    `json:"setResponseHeaders,omitempty"`
	RewriteResponseHeaders           []RouteRewriteHeader `json:"rewriteResponseHeaders,omitempty"`
	PreserveHostHeader               bool                 `json:"preserveHostHeader,omitempty"`
	// PassIdentityHeaders nil follows the global setting.
	PassIdentityHeaders                       *bool              `json:"passIdentityHeaders,omitempty"`
	EnableGoogleCloudServerlessAuthentication bool               `json:"enableGoogleCloudServerlessAuthentication,omitempty"`
	JWTIssuerFormat                           string             `json:"jwtIssuerFormat,omitempty"`
	ShowErrorDetails                          bool               `json:"showErrorDetails,omitempty"`
	HealthChecks                              []RouteHealthCheck `json:"healthChecks,omitempty"`
	LoadBalancingPolicy                       string             `json:"loadBalancingPolicy,omitempty"`
	IdentityProviderClientID                  string             `json:"identityProviderClientId,omitempty"`
	// SealedIdentityProviderClientSecret is the route's IdP client secret
	// sealed with database_encryption_key (context "routes/<id>/idp_client_secret").
	SealedIdentityProviderClientSecret string `json:"sealedIdentityProviderClientSecret,omitempty"`
	// SealedKubernetesServiceAccountToken is the bearer token sent upstream,
	// sealed like the client secret (context "routes/<id>/kubernetes_token").
	SealedKubernetesServiceAccountToken string `json:"sealedKubernetesServiceAccountToken,omitempty"`
}

// RouteDirectResponse answers requests with a fixed status and body.
type RouteDirectResponse struct {
	Status uint32 `json:"status"`
	Body   string `json:"body,omitempty"`
}

// RouteRedirect answers requests with a redirect; zero fields keep that
// part of the request URL.
type RouteRedirect struct {
	HTTPSRedirect  bool   `json:"httpsRedirect,omitempty"`
	SchemeRedirect string `json:"schemeRedirect,omitempty"`
	HostRedirect   string `json:"hostRedirect,omitempty"`
	PortRedirect   uint32 `json:"portRedirect,omitempty"`
	PathRedirect   string `json:"pathRedirect,omitempty"`
	PrefixRewrite  string `json:"prefixRewrite,omitempty"`
	// ResponseCode is the HTTP status (301, 302, 303, 307 or 308; zero
	// means 301). Core reads the HTTP status since v0.28 and refuses
	// Envoy's 0–4 enum numbers, so it is pushed as is.
	ResponseCode int32 `json:"responseCode,omitempty"`
	StripQuery   bool  `json:"stripQuery,omitempty"`
}

// RouteRewriteHeader rewrites the start of a response header's value.
type RouteRewriteHeader struct {
	Header string `json:"header"`
	Prefix string `json:"prefix,omitempty"`
	Value  string `json:"value"`
}

// RouteHealthCheck is one active health check of the upstreams; exactly
// one of HTTP, TCP and GRPC is set.
type RouteHealthCheck struct {
	Timeout               string                `json:"timeout"`
	Interval              string                `json:"interval"`
	InitialJitter         string                `json:"initialJitter,omitempty"`
	IntervalJitter        string                `json:"intervalJitter,omitempty"`
	IntervalJitterPercent uint32                `json:"intervalJitterPercent,omitempty"`
	UnhealthyThreshold    uint32                `json:"unhealthyThreshold"`
	HealthyThreshold      uint32                `json:"healthyThreshold"`
	HTTP                  *RouteHTTPHealthCheck `json:"httpHealthCheck,omitempty"`
	TCP                   *RouteTCPHealthCheck  `json:"tcpHealthCheck,omitempty"`
	GRPC                  *RouteGRPCHealthCheck `json:"grpcHealthCheck,omitempty"`
}

// RouteHTTPHealthCheck requests Path and expects one of ExpectedStatuses
// (200 when empty).
type RouteHTTPHealthCheck struct {
	Host              string             `json:"host,omitempty"`
	Path              string             `json:"path"`
	ExpectedStatuses  []RouteStatusRange `json:"expectedStatuses,omitempty"`
	RetriableStatuses []RouteStatusRange `json:"retriableStatuses,omitempty"`
	// CodecClientType is "http1" (default), "http2" or "http3".
	CodecClientType string `json:"codecClientType,omitempty"`
}

// RouteStatusRange is the HTTP statuses from Start up to, not including, End.
type RouteStatusRange struct {
	Start int64 `json:"start"`
	End   int64 `json:"end"`
}

// RouteTCPHealthCheck sends Send and expects every Receive, as hex bytes;
// with neither, a connection is enough.
type RouteTCPHealthCheck struct {
	Send    string   `json:"send,omitempty"`
	Receive []string `json:"receive,omitempty"`
}

// RouteGRPCHealthCheck calls grpc.health.v1.Health/Check.
type RouteGRPCHealthCheck struct {
	ServiceName string `json:"serviceName,omitempty"`
	Authority   string `json:"authority,omitempty"`
}

// Sort orders of ListRoutes.
const (
	RouteSortName     = "name"
	RouteSortFrom     = "from"
	RouteSortModified = "modified"
)

// RouteFilter selects routes; zero fields do not filter.
type RouteFilter struct {
	// NamespaceIDs keeps routes of any of these namespaces; nil keeps all,
	// an empty non-nil slice keeps none.
	NamespaceIDs []string
	// Query matches name, from and to, case-insensitively.
	Query string
	// Name keeps the route of that name (case-insensitively; with
	// NamespaceIDs, to check a name is free).
	Name string
	// PolicyID keeps routes attaching that policy.
	PolicyID string
	// KeyPairID keeps routes that use that key pair in any TLS field.
	KeyPairID string
	// MatchKey keeps the route with that key.
	MatchKey string
	// Sort is RouteSortName (the default), RouteSortFrom or
	// RouteSortModified; ties go by id.
	Sort   string
	Desc   bool
	Offset int
	Limit  int
}

// RouteStore persists routes.
type RouteStore interface {
	// ListRoutes returns a page in f's order and the total matching count.
	ListRoutes(ctx context.Context, f RouteFilter) ([]Route, int, error)
	GetRoute(ctx context.Context, id string) (Route, error)
	// CreateRoute fails with ErrConflict when the id is taken, the
	// namespace has a route of that name (case-insensitively) or another
	// route has the MatchKey; ErrNotFound when the namespace, a policy or
	// a key pair does not exist.
	CreateRoute(ctx context.Context, r Route) error
	// UpdateRoute writes every field but ID, NamespaceID and CreatedAt;
	// errors as CreateRoute.
	UpdateRoute(ctx context.Context, r Route) error
	DeleteRoute(ctx context.Context, id string) error
	// MoveRoute is UpdateRoute that writes NamespaceID too, moving the
	// route; ErrNotFound also when that namespace does not exist.
	MoveRoute(ctx context.Context, r Route) error
}
