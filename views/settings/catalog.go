package settings

// Kind is how a setting is edited.
type Kind int

// The kinds of settings inputs.
const (
	// KindText is a one-line input.
	KindText Kind = iota
	// KindLines is a textarea: one list entry or "Name: value" per line.
	KindLines
	// KindChoice is a select of fixed choices (Options of the input).
	KindChoice
	// KindTriState is a select of default, on and off.
	KindTriState
	// KindSecret is write-only: its status, a replacement input and Clear.
	KindSecret
)

// FieldDef describes one setting's input; Name is the setting's JSON name.
type FieldDef struct {
	Name  string
	Label string
	Help  string
	Kind  Kind
}

// SectionDef is one card of the page and one entry of the section nav.
type SectionDef struct {
	ID       string
	Title    string
	Subtitle string
	Fields   []FieldDef
}

// Catalog is every setting in the sections of the Enterprise Console
// documentation, with help from it.
var Catalog = []SectionDef{
	{ID: "logging", Title: "Logging", Subtitle: "What Pomerium logs, and how much.", Fields: []FieldDef{
		{"logLevel", "Log level", "The global logging level: only logs of this level and above are written.", KindChoice},
		{"proxyLogLevel", "Proxy log level", "The level of the proxy service's access logs.", KindChoice},
		{"accessLogFields", "Access log fields", "The fields of each access log entry, one per line; headers.<name> logs a request header.", KindLines},
		{"authorizeLogFields", "Authorize log fields", "The fields of each authorize log entry, one per line; headers.<name> logs a request header.", KindLines},
	}},
	{ID: "proxy", Title: "Proxy", Subtitle: "Where Pomerium listens and how it resolves upstreams.", Fields: []FieldDef{
		{"address", "Address", "The IP address and port to serve HTTPS requests on.", KindText},
		{"httpRedirectAddr", "HTTP redirect address", "The IP address and port of a server that redirects HTTP to HTTPS; unset, none is started.", KindText},
		{"dnsLookupFamily", "DNS lookup family", "The DNS IP address resolution policy.", KindChoice},
		{"skipXffAppend", "X-Forwarded-For HTTP header", "On: do not append the proxy's IP address to the x-forwarded-for header.", KindTriState},
		{"metricsAddress", "Metrics address", "The IP address and port of a Prometheus metrics endpoint.", KindText},
	}},
	{ID: "timeouts", Title: "Timeouts", Subtitle: "Global server timeouts; routes can set their own. Durations such as 30s, 5m or 1h30m.", Fields: []FieldDef{
		{"timeoutRead", "Read timeout", "How long the whole request stream may take to be received from the client.", KindText},
		{"timeoutWrite", "Write timeout", "The longest a stream may live; 0s means no limit, which streaming needs.", KindText},
		{"timeoutIdle", "Idle timeout", "A connection without active streams is closed after this long.", KindText},
		{"defaultUpstreamTimeout", "Default upstream timeout", "The timeout of a proxied route that sets none itself.", KindText},
	}},
	{ID: "cookies", Title: "Cookies", Subtitle: "The session cookie Pomerium gives signed-in users.", Fields: []FieldDef{
		{"cookieName", "Cookie name", "The name of the session cookie.", KindText},
		{"cookieSecret", "Cookie secret", "Encrypts and signs session cookies: 32 random bytes in base64 (head -c32 /dev/urandom | base64).", KindSecret},
		{"cookieDomain", "Cookie domain", "The scope of session cookies; subdomains of the domain are included.", KindText},
		{"cookieSecure", "Secure", "On: browsers send the session cookie over HTTPS only. Off may send it in cleartext.", KindTriState},
		{"cookieHttpOnly", "JavaScript security (HttpOnly)", "On: JavaScript cannot read the session cookie. Off lets hostile scripts steal sessions.", KindTriState},
		{"cookieExpire", "Cookie expiry", "The lifetime of a session cookie; after it, users sign in again.", KindText},
		{"cookieSameSite", "SameSite", "Whether browsers send the cookie with cross-site requests.", KindChoice},
	}},
	{ID: "grpc", Title: "gRPC", Subtitle: "Connections to Pomerium's own gRPC servers.", Fields: []FieldDef{
		{"grpcServerMaxConnectionAge", "Server max connection age", "After this long, servers ask clients to reconnect and rediscover endpoints from DNS.", KindText},
		{"grpcServerMaxConnectionAgeGrace", "Server max connection age grace", "Added to the max connection age; after it, servers close connections forcibly.", KindText},
	}},
	{ID: "tracing", Title: "Tracing", Subtitle: "Follow single requests through Pomerium to debug errors and latency.", Fields: []FieldDef{
		{"tracingProvider", "Tracing provider", "Where spans are sent; unset, tracing is off.", KindChoice},
		{"tracingSampleRate", "Sample rate (%)", "The percentage of requests to sample: 1 means 1%. Unlike open-source Pomerium, this is not a fraction.", KindText},
		{"tracingDatadogAddress", "Datadog address", "The host:port of the Datadog trace agent.", KindText},
		{"tracingJaegerCollectorEndpoint", "Jaeger collector endpoint", "The URL of the Jaeger HTTP Thrift collector.", KindText},
		{"tracingJaegerAgentEndpoint", "Jaeger agent endpoint", "The host:port of the jaeger-agent spans are sent to.", KindText},
		{"tracingZipkinEndpoint", "Zipkin endpoint", "The URL of the Zipkin HTTP endpoint.", KindText},
	}},
	{ID: "certificates", Title: "Certificate authority", Subtitle: "CA key pairs of the Global namespace (Certificates).", Fields: []FieldDef{
		{"certificateAuthorityKeyPairId", "Certificate authority", "Roots Pomerium trusts when it talks to TLS upstreams, added to the system's trust store; routes with their own CA use only that. Include intermediates.", KindChoice},
		{"downstreamMtlsCaKeyPairId", "Downstream mTLS client CA", "When set, every client must present a certificate issued by this CA.", KindChoice},
	}},
	{ID: "headers", Title: "Headers", Subtitle: "Headers Pomerium adds to requests and responses.", Fields: []FieldDef{
		{"jwtClaimsHeaders", "JWT claim headers", "Pass session claims upstream as unsigned headers, one per line: a claim (email → X-Pomerium-Claim-Email) or Header: claim (X-Email: email).", KindLines},
		{"setResponseHeaders", "Response headers", "Static response headers for every route, one Header: value per line; routes may override them.", KindLines},
		{"passIdentityHeaders", "Pass identity headers", "On: send the signed X-Pomerium-Jwt-Assertion identity header to every upstream.", KindTriState},
	}},
	{ID: "identity", Title: "Identity provider", Subtitle: "Sign-in through your own identity provider instead of the hosted authenticate service.", Fields: []FieldDef{
		{"authenticateServiceUrl", "Authenticate service URL", "The URL of your authenticate service; it must resolve to your Pomerium deployment.", KindText},
		{"identityProvider", "Identity provider type", "Your identity provider; unset, the hosted authenticate service is used.", KindChoice},
		{"identityProviderClientId", "Client ID", "The OAuth client id registered with the identity provider.", KindText},
		{"identityProviderClientSecret", "Client secret", "The OAuth client secret registered with the identity provider.", KindSecret},
		{"identityProviderUrl", "Provider URL", "The identity provider's issuer URL; some provider types need it.", KindText},
		{"identityProviderScopes", "Scopes", "OAuth scopes to request, one per line.", KindLines},
		{"identityProviderRequestParams", "Request parameters", "Extra parameters of the sign-in request, one Name: value per line.", KindLines},
	}},
	{ID: "databroker", Title: "Databroker", Subtitle: "Where the databroker keeps sessions and other records.", Fields: []FieldDef{
		{"databrokerStorageConnection", "Storage connection string", "A PostgreSQL connection string; unset, the databroker keeps its data in memory.", KindSecret},
	}},
	{ID: "google-cloud", Title: "Google Cloud", Subtitle: "Serverless authentication for Cloud Run and Cloud Functions upstreams.", Fields: []FieldDef{
		{"googleCloudServerlessAuthenticationServiceAccount", "Serverless authentication service account", "The service account's JSON key, base64-encoded, used to mint identity tokens for upstreams.", KindSecret},
	}},
	{ID: "changesets", Title: "Changesets", Subtitle: "How configuration changes reach Pomerium.", Fields: []FieldDef{
		{"autoApplyChangesets", "Apply changes automatically", "On: every change is deployed at once. Off: changes wait in a changeset until someone applies it.", KindTriState},
	}},
}
