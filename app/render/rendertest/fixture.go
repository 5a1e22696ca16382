package rendertest

import (
	"embed"
	"testing"

	"github.com/pomerium-console-oss/pomerium-console/app/apptest"
	"github.com/pomerium-console-oss/pomerium-console/app/keypairs"
	"github.com/pomerium-console-oss/pomerium-console/app/policies"
	"github.com/pomerium-console-oss/pomerium-console/app/rbac"
	"github.com/pomerium-console-oss/pomerium-console/app/routes"
	"github.com/pomerium-console-oss/pomerium-console/app/seal"
	"github.com/pomerium-console-oss/pomerium-console/app/settings"
	"github.com/pomerium-console-oss/pomerium-console/db"
)

// Fixture is the rich example stored through the console's own services,
// so every entity in it passed their validation.
type Fixture struct {
	Store  db.Store
	Access *rbac.Access
	Sealer *seal.Sealer
	// Labels names every id of the fixture ("route:Grafana",
	// "policy:Employees", "keypair:Root CA"), for golden files; IDs maps
	// the labels back.
	Labels map[string]string
	IDs    map[string]string
}

// Plaintext secrets of the fixture, to check they are opened.
const (
	SecretRouteIDP    = "grafana-idp-secret"
	SecretRouteToken  = "k8s-token-value"
	SecretCookie      = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY="
	SecretIDPClient   = "settings-idp-secret"
	SecretStorage     = "postgres://user:pw@db.internal:5432/pomerium"
	SecretGCPSAbase64 = "eyJ0eXBlIjoic2VydmljZV9hY2NvdW50In0="
)

// pemFiles are the fixture's certificates and keys: a CA, a client
// certificate and a *.example.com server certificate, valid for a century.
//
//go:embed pem
var pemFiles embed.FS

// PEM returns the fixture file name: ca.pem, client.pem, client.key,
// wildcard.pem or wildcard.key.
func PEM(t testing.TB, name string) string {
	t.Helper()
	b, err := pemFiles.ReadFile("pem/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func ptr[T any](v T) *T { return &v }

// Seed stores the rich example on the apptest namespace tree: policies
// enforced and optional on several namespaces, three key pairs, routes
// that set every route field at least once between them, and settings
// with every value and secret.
func Seed(t *testing.T, s db.Store) *Fixture {
	t.Helper()
	f := &Fixture{Store: s, Access: apptest.Seeded(t, s).Caller(t, nil), Sealer: apptest.NewSealer(t), Labels: map[string]string{}, IDs: map[string]string{}}
	ctx := t.Context()
	pols := policies.NewService(s, apptest.Clock, policies.CompilePPL, routes.PolicyUsers)
	rts := routes.NewService(s, f.Sealer, apptest.Clock, pols)
	kps := keypairs.NewService(s, f.Sealer, apptest.Clock)
	for _, p := range []policies.Input{
		{NamespaceID: apptest.Global, Name: "Employees", Enforced: true, Explanation: "Only employees may enter", Remediation: "Ask IT for an account",
			PPL: "allow:\n  or:\n    - domain:\n        is: example.com\n"},
		{NamespaceID: apptest.Eng, Name: "Block contractors", Enforced: true, PPL: "deny:\n  or:\n    - email:\n        ends_with: '@contractor.example.com'\n"},
		{NamespaceID: apptest.Eng, Name: "Admins", PPL: "allow:\n  and:\n    - claim/groups: admins\n    - http_method:\n        in: [GET, POST]\n"},
		{NamespaceID: apptest.Global, Name: "Office network", PPL: "allow:\n  or:\n    - source_ip: 10.0.0.0/8\n"},
		{NamespaceID: apptest.Fin, Name: "Finance team", Enforced: true, PPL: "allow:\n  or:\n    - claim/department: finance\n"},
	} {
		p, err := pols.Create(ctx, f.Access, p)
		if err != nil {
			t.Fatalf("policy %s: %v", p.Name, err)
		}
		f.label(p.ID, "policy:"+p.Name)
	}
	for _, k := range []keypairs.Input{
		{NamespaceID: apptest.Global, Name: "Root CA", Certificate: PEM(t, "ca.pem")},
		{NamespaceID: apptest.Global, Name: "Client", Certificate: PEM(t, "client.pem"), Key: PEM(t, "client.key")},
		{NamespaceID: apptest.Global, Name: "Wildcard", Certificate: PEM(t, "wildcard.pem"), Key: PEM(t, "wildcard.key")},
	} {
		kp, err := kps.Create(ctx, f.Access, k)
		if err != nil {
			t.Fatalf("key pair %s: %v", k.Name, err)
		}
		f.label(kp.ID, "keypair:"+kp.Name)
	}
	for _, in := range f.richRoutes() {
		r, err := rts.Create(ctx, f.Access, in)
		if err != nil {
			t.Fatalf("route %s: %v", in.Name, err)
		}
		f.label(r.ID, "route:"+r.Name)
	}
	f.seedSettings(t)
	return f
}

func (f *Fixture) label(id, label string) {
	f.Labels[id] = label
	f.IDs[label] = id
}

// richRoutes sets every field of a route at least once between them
// (app/render's TestRichFixtureSetsEveryRouteField checks it).
func (f *Fixture) richRoutes() []routes.Input {
	id := func(label string) string { return f.IDs[label] }
	set := func(v string) routes.Secret { return routes.Secret{Action: routes.SecretSet, Value: v} }
	return []routes.Input{
		{NamespaceID: apptest.Prod, Name: "Grafana", From: "https://grafana.example.com", To: []string{"http://grafana-1:3000", "http://grafana-2:3000"},
			Prefix: "/", PolicyIDs: []string{id("policy:Admins"), id("policy:Office network")},
			TLSCustomCAKeyPairID: id("keypair:Root CA"), TLSClientKeyPairID: id("keypair:Client"), TLSDownstreamClientCAKeyPairID: id("keypair:Root CA"),
			IdentityProviderClientSecret: set(SecretRouteIDP),
			Spec: db.RouteSpec{
				PrefixRewrite: "/grafana/", HostRewrite: "grafana.internal", Timeout: "30s", IdleTimeout: "5m", AllowWebsockets: true,
				TLSUpstreamServerName: "grafana.internal", TLSDownstreamServerName: "grafana.example.com", TLSUpstreamAllowRenegotiation: true,
				SetRequestHeaders: map[string]string{"X-Team": "observability", "X-Env": "prod"}, RemoveRequestHeaders: []string{"X-Debug"},
				SetResponseHeaders: map[string]string{"X-Frame-Options": "DENY"},
				RewriteResponseHeaders: []db.RouteRewriteHeader{
					{Header: "Location", Prefix: "http://grafana-1:3000/", Value: "https://grafana.example.com/"},
					{Header: "X-Powered-By", Value: "pomerium"},
				},
				PassIdentityHeaders: ptr(true), JWTIssuerFormat: "uri", ShowErrorDetails: true, LoadBalancingPolicy: "least_request",
				IdentityProviderClientID: "grafana-client",
				HealthChecks: []db.RouteHealthCheck{
					{Timeout: "5s", Interval: "10s", InitialJitter: "1s", IntervalJitter: "2s", IntervalJitterPercent: 10, UnhealthyThreshold: 3, HealthyThreshold: 2,
						HTTP: &db.RouteHTTPHealthCheck{Host: "grafana.internal", Path: "/api/health", CodecClientType: "http2",
							ExpectedStatuses: []db.RouteStatusRange{{Start: 200, End: 300}}, RetriableStatuses: []db.RouteStatusRange{{Start: 503, End: 505}}}},
					{Timeout: "2s", Interval: "30s", UnhealthyThreshold: 1, HealthyThreshold: 1, TCP: &db.RouteTCPHealthCheck{Send: "50494E47", Receive: []string{"504F4E47"}}},
				},
			}},
		{NamespaceID: apptest.Prod, Name: "Grafana API", From: "https://grafana.example.com", Path: "/api/v2/query", To: []string{"https://grafana-api:8443"},
			KubernetesServiceAccountToken: set(SecretRouteToken),
			Spec: db.RouteSpec{
				RegexRewritePattern: "^/api/(.*)$", RegexRewriteSubstitution: "/\\1", HostRewriteHeader: "X-Upstream-Host", TLSSkipVerify: true, AllowSPDY: true,
				LoadBalancingPolicy: "ring_hash",
				HealthChecks:        []db.RouteHealthCheck{{Timeout: "1s", Interval: "5s", UnhealthyThreshold: 2, HealthyThreshold: 2, GRPC: &db.RouteGRPCHealthCheck{ServiceName: "query", Authority: "grafana-api"}}},
			}},
		{NamespaceID: apptest.Eng, Name: "Legacy", From: "https://legacy.example.com", Regex: "^/v[0-9]+/.*$", To: []string{"h2c://legacy:9000"},
			Spec: db.RouteSpec{RegexPriorityOrder: ptr(int64(5)), PreserveHostHeader: true, EnableGoogleCloudServerlessAuthentication: true,
				PassIdentityHeaders: ptr(false), JWTIssuerFormat: "hostOnly"}},
		{NamespaceID: apptest.Eng, Name: "Old docs", From: "https://docs.example.com", Prefix: "/old",
			Spec: db.RouteSpec{Redirect: &db.RouteRedirect{SchemeRedirect: "https", HostRedirect: "docs.example.org", PortRedirect: 8443,
				PathRedirect: "/new", ResponseCode: 308, StripQuery: true}}},
		{NamespaceID: apptest.Dev, Name: "Dev HTTPS", From: "http://dev.example.com",
			Spec: db.RouteSpec{Redirect: &db.RouteRedirect{HTTPSRedirect: true, PrefixRewrite: "/dev/", ResponseCode: 302}}},
		{NamespaceID: apptest.Global, Name: "Maintenance", From: "https://status.example.com",
			Spec: db.RouteSpec{Response: &db.RouteDirectResponse{Status: 503, Body: "down for maintenance"}}},
		{NamespaceID: apptest.Dev, Name: "Tenants", From: "https://tenant.example.com", To: []string{"http://tenants:8080"},
			Spec: db.RouteSpec{HostPathRegexRewritePattern: "^/(.+)/.*$", HostPathRegexRewriteSubstitution: "\\1.tenants.internal"}},
		{NamespaceID: apptest.Fin, Name: "Database", From: "tcp+https://db.example.com:5432", To: []string{"tcp://db.internal:5432"}},
	}
}

// seedSettings sets every setting and every secret of the default cluster.
func (f *Fixture) seedSettings(t *testing.T) {
	t.Helper()
	ca := f.IDs["keypair:Root CA"]
	v := settings.Values{
		LogLevel: ptr("debug"), ProxyLogLevel: ptr("warn"), AccessLogFields: []string{"request-id", "path"}, AuthorizeLogFields: []string{"request-id", "email"},
		Address: ptr(":8443"), DNSLookupFamily: ptr("V4_ONLY"), HTTPRedirectAddr: ptr(":80"), MetricsAddress: ptr(":9090"), SkipXFFAppend: ptr(true),
		TimeoutRead: ptr("30s"), TimeoutWrite: ptr("1m"), TimeoutIdle: ptr("5m"), DefaultUpstreamTimeout: ptr("45s"),
		CookieName: ptr("_pom"), CookieDomain: ptr("example.com"), CookieSecure: ptr(true), CookieHTTPOnly: ptr(true), CookieExpire: ptr("14h"), CookieSameSite: ptr("lax"),
		GRPCServerMaxConnectionAge: ptr("5m"), GRPCServerMaxConnectionAgeGrace: ptr("1m"),
		TracingProvider: ptr("zipkin"), TracingSampleRate: ptr(2.5), TracingDatadogAddress: ptr("localhost:8126"),
		TracingJaegerCollectorEndpoint: ptr("http://jaeger:14268/api/traces"), TracingJaegerAgentEndpoint: ptr("jaeger:6831"), TracingZipkinEndpoint: ptr("http://zipkin:9411/api/v2/spans"),
		CertificateAuthorityKeyPairID: &ca, DownstreamMTLSCAKeyPairID: &ca,
		JWTClaimsHeaders: map[string]string{"X-Email": "email"}, SetResponseHeaders: map[string]string{"X-Frame-Options": "SAMEORIGIN"}, PassIdentityHeaders: ptr(true),
		AuthenticateServiceURL: ptr("https://authenticate.example.com"), IdentityProvider: ptr("oidc"), IdentityProviderClientID: ptr("pomerium"),
		IdentityProviderURL: ptr("https://idp.example.com"), IdentityProviderScopes: []string{"openid", "email"},
		IdentityProviderRequestParams: map[string]string{"prompt": "login"}, AutoApplyChangesets: ptr(true),
	}
	secrets := map[settings.Secret]settings.SecretChange{
		settings.SecretCookie: {Value: SecretCookie}, settings.SecretIdentityProviderClient: {Value: SecretIDPClient},
		settings.SecretDatabrokerStorage: {Value: SecretStorage}, settings.SecretGoogleCloudServerlessSA: {Value: SecretGCPSAbase64},
	}
	svc := settings.NewService(f.Store, f.Sealer, apptest.Clock)
	if _, err := svc.Update(t.Context(), f.Access, settings.DefaultClusterID, settings.Update{Values: v, Secrets: secrets}); err != nil {
		t.Fatalf("settings: %v", err)
	}
}
