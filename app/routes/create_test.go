package routes_test

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/pomerium-console-oss/pomerium-console/app/apptest"
	"github.com/pomerium-console-oss/pomerium-console/app/rbac"
	"github.com/pomerium-console-oss/pomerium-console/app/routes"
	"github.com/pomerium-console-oss/pomerium-console/db"
	"github.com/pomerium-console-oss/pomerium-console/db/storetest"
)

// fullInput sets every field a route with upstreams can have.
func fullInput() routes.Input {
	prio, pass := int64(7), true
	return routes.Input{
		NamespaceID: eng, Name: "  Everything ", From: " https://All.Example.com:443/ ",
		To:     []string{" https://a.internal:8443 ", "", "https://b.internal"},
		Prefix: "/app", TLSCustomCAKeyPairID: kpEngCA, TLSClientKeyPairID: kpGlobal, TLSDownstreamClientCAKeyPairID: kpEngCA,
		PolicyIDs: []string{polEngOpt, polGlobalOpt},
		Spec: db.RouteSpec{
			PrefixRewrite: "/", RegexRewritePattern: "^/v1/(.*)$", RegexRewriteSubstitution: `/v2/\1`,
			HostRewriteHeader: "X-Forwarded-Host", RegexPriorityOrder: &prio, Timeout: "30s", IdleTimeout: "1h30m",
			AllowWebsockets: true, AllowSPDY: true, TLSUpstreamServerName: "a.internal", TLSDownstreamServerName: "all.example.com",
			TLSUpstreamAllowRenegotiation: true, SetRequestHeaders: map[string]string{"X-Team": "eng"},
			RemoveRequestHeaders: []string{"X-Debug"}, SetResponseHeaders: map[string]string{"Strict-Transport-Security": "max-age=63072000"},
			RewriteResponseHeaders: []db.RouteRewriteHeader{{Header: "Location", Prefix: "https://a.internal/", Value: "https://all.example.com/"}},
			PassIdentityHeaders:    &pass, JWTIssuerFormat: "uri", ShowErrorDetails: true, LoadBalancingPolicy: "least_request",
			HealthChecks: []db.RouteHealthCheck{{Timeout: "2s", Interval: "10s", UnhealthyThreshold: 3, HealthyThreshold: 2,
				HTTP: &db.RouteHTTPHealthCheck{Path: "/healthz", ExpectedStatuses: []db.RouteStatusRange{{Start: 200, End: 400}}}}},
			IdentityProviderClientID:           "per-route-client",
			SealedIdentityProviderClientSecret: "ignored: secrets change through Secret fields",
		},
		IdentityProviderClientSecret:  routes.Secret{Action: routes.SecretSet, Value: "client-s3cret"},
		KubernetesServiceAccountToken: routes.Secret{Action: routes.SecretSet, Value: "eyJhbGciOi.k8s.token"},
	}
}

func TestCreate(t *testing.T) {
	t.Parallel()
	for _, tc := range apptest.Writers(eng, rbac.RoleManager) {
		t.Run(tc.Name, func(t *testing.T) {
			t.Parallel()
			storetest.ForEach(t, func(t *testing.T, s db.Store) {
				e := newEnv(t, s)
				acc := tc.Resolve(t, e.Callers)
				before := storetest.Capture(t, s)
				r, err := e.svc.Create(t.Context(), acc, fullInput())
				if err != nil {
					t.Fatal(err)
				}
				in := fullInput()
				want := db.Route{
					ID: r.ID, NamespaceID: eng, Name: "Everything", From: "https://all.example.com",
					To: []string{"https://a.internal:8443", "https://b.internal"}, Prefix: "/app",
					MatchKey: "https://all.example.com|prefix:/app", TLSCustomCAKeyPairID: kpEngCA, TLSClientKeyPairID: kpGlobal,
					TLSDownstreamClientCAKeyPairID: kpEngCA, PolicyIDs: in.PolicyIDs, Spec: in.Spec,
					CreatedAt: atStore(now), ModifiedAt: atStore(now),
				}
				want.Spec.SealedIdentityProviderClientSecret = r.Spec.SealedIdentityProviderClientSecret
				want.Spec.SealedKubernetesServiceAccountToken = r.Spec.SealedKubernetesServiceAccountToken
				got := stored(t, s, r.ID)
				if !reflect.DeepEqual(got, want) || r.ID == "" {
					t.Fatalf("stored\n%+v, want\n%+v", got, want)
				}
				for field, plain := range map[string]string{"idp_client_secret": "client-s3cret", "kubernetes_token": "eyJhbGciOi.k8s.token"} {
					sealed := got.Spec.SealedIdentityProviderClientSecret
					if field == "kubernetes_token" {
						sealed = got.Spec.SealedKubernetesServiceAccountToken
					}
					opened, err := e.sealer.Open(sealed, routes.SealContext(r.ID, field))
					if err != nil || string(opened) != plain {
						t.Errorf("%s opens to %q, %v; want %q", field, opened, err, plain)
					}
				}
				entry := wantEntry(t, s, before, acc, db.ActivityCreate, want, "Engineering")
				wantSnapshot(t, entry.After, want, "set", "set")
				if entry.Before != "" {
					t.Errorf("a create has a Before: %s", entry.Before)
				}
			})
		})
	}
}

// wantSnapshot checks an activity side holds r in the REST shape with its
// secrets redacted to "set" or "not set", and no secret material.
func wantSnapshot(t testing.TB, side string, r db.Route, secret, token string) {
	t.Helper()
	for _, leak := range []string{"s3cret", "k8s.token", "sealed", "v1."} {
		if strings.Contains(strings.ToLower(side), leak) {
			t.Errorf("activity snapshot holds %q:\n%s", leak, side)
		}
	}
	var got map[string]any
	if err := json.Unmarshal([]byte(side), &got); err != nil {
		t.Fatalf("snapshot %s: %v", side, err)
	}
	want := map[string]any{
		"id": r.ID, "namespaceId": r.NamespaceID, "name": r.Name, "from": r.From,
		"identityProviderClientSecret": secret, "kubernetesServiceAccountToken": token,
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("snapshot %s = %v, want %v", k, got[k], v)
		}
	}
	ids, _ := json.Marshal(got["policyIds"])
	wantIDs, _ := json.Marshal(r.PolicyIDs)
	if r.PolicyIDs == nil {
		wantIDs = []byte("[]")
	}
	if string(ids) != string(wantIDs) {
		t.Errorf("snapshot policyIds = %s, want %s", ids, wantIDs)
	}
}

func TestCreateAccepts(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		change    func(in *routes.Input)
		from, key string // the stored From and MatchKey
	}{
		{"the minimal route", func(*routes.Input) {}, "https://app.example.com", "https://app.example.com|prefix:/"},
		{"a from in capitals with a slash", func(in *routes.Input) { in.From = "HTTPS://App.Example.COM/" },
			"https://app.example.com", "https://app.example.com|prefix:/"},
		{"a from with its default port", func(in *routes.Input) { in.From = "http://app.example.com:80" },
			"http://app.example.com", "http://app.example.com|prefix:/"},
		{"a from with another port", func(in *routes.Input) { in.From = "https://app.example.com:8443" },
			"https://app.example.com:8443", "https://app.example.com:8443|prefix:/"},
		{"a wildcard host", func(in *routes.Input) { in.From = "https://*.apps.example.com" },
			"https://*.apps.example.com", "https://*.apps.example.com|prefix:/"},
		{"an IPv6 host", func(in *routes.Input) { in.From = "https://[2001:DB8::1]:8443" },
			"https://[2001:db8::1]:8443", "https://[2001:db8::1]:8443|prefix:/"},
		{"a TCP route", tcp, "tcp+https://redis.example.com:6379", "tcp+https://redis.example.com:6379|prefix:/"},
		{"a unix socket upstream", func(in *routes.Input) { in.To = []string{"unix:///run/app.sock"} },
			"https://app.example.com", "https://app.example.com|prefix:/"},
		{"h2c upstreams", func(in *routes.Input) { in.To = []string{"h2c://a.internal:50051", "https://b.internal"} },
			"https://app.example.com", "https://app.example.com|prefix:/"},
		{"a redirect", func(in *routes.Input) {
			in.To, in.Spec.Redirect = nil, &db.RouteRedirect{HostRedirect: "new.example.com", PrefixRewrite: "/x", ResponseCode: 308}
		}, "https://app.example.com", "https://app.example.com|prefix:/"},
		{"a direct response with an empty body", func(in *routes.Input) { in.To, in.Spec.Response = nil, &db.RouteDirectResponse{Status: 503} },
			"https://app.example.com", "https://app.example.com|prefix:/"},
		{"the prefix /", func(in *routes.Input) { in.Prefix = "/" }, "https://app.example.com", "https://app.example.com|prefix:/"},
		{"a path", func(in *routes.Input) { in.Path = "/login" }, "https://app.example.com", "https://app.example.com|path:/login"},
		{"a regex", func(in *routes.Input) { in.Regex = `^/api/v[0-9]+/` }, "https://app.example.com", "https://app.example.com|regex:^/api/v[0-9]+/"},
		{"the from of another route with another prefix", func(in *routes.Input) { in.From, in.Prefix = "https://taken.example.com", "/other" },
			"https://taken.example.com", "https://taken.example.com|prefix:/other"},
		{"a name a route of another namespace has", func(in *routes.Input) { in.Name = "Ledger" },
			"https://app.example.com", "https://app.example.com|prefix:/"},
		{"long durations", func(in *routes.Input) { in.Spec.Timeout, in.Spec.IdleTimeout = "1y2w3d4h5m6s7ms", "0s" },
			"https://app.example.com", "https://app.example.com|prefix:/"},
		{"every health check kind", func(in *routes.Input) {
			in.Spec.HealthChecks = []db.RouteHealthCheck{
				{Timeout: "1s", Interval: "5s", UnhealthyThreshold: 2, HealthyThreshold: 1, HTTP: &db.RouteHTTPHealthCheck{Path: "/", CodecClientType: "http2"}},
				{Timeout: "1s", Interval: "5s", UnhealthyThreshold: 2, HealthyThreshold: 1, TCP: &db.RouteTCPHealthCheck{Send: "50494E47", Receive: []string{"504f4e47"}}},
				{Timeout: "1s", Interval: "5s", UnhealthyThreshold: 2, HealthyThreshold: 1, GRPC: &db.RouteGRPCHealthCheck{ServiceName: "app"}},
			}
		}, "https://app.example.com", "https://app.example.com|prefix:/"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := storetest.OpenSQLite(t)
			e := newEnv(t, s)
			in := minimal()
			tc.change(&in)
			r := e.seed(t, in)
			if got := stored(t, s, r.ID); got.From != tc.from || got.MatchKey != tc.key {
				t.Fatalf("stored from %q key %q, want %q and %q", got.From, got.MatchKey, tc.from, tc.key)
			}
		})
	}
}

func TestCreateRefusesCallers(t *testing.T) {
	t.Parallel()
	needsManager := func(role string) apptest.Refusal {
		return apptest.Forbidden(`this needs the manager role on namespace "Engineering"; you are a ` + role + ` there`)
	}
	noRole := apptest.Forbidden(`you have no role on namespace "Engineering"; the manager role is needed`)
	tests := []struct {
		name   string
		grants apptest.Roles
		in     routes.Input
		want   apptest.Refusal
	}{
		{"viewer of the namespace", apptest.Roles{eng: rbac.RoleViewer}, minimal(), needsManager("viewer")},
		{"guest of the namespace", apptest.Roles{eng: rbac.RoleGuest}, minimal(), needsManager("guest")},
		{"viewer inherited from Global", apptest.Roles{global: rbac.RoleViewer}, minimal(), needsManager("viewer")},
		{"manager of a child", apptest.Roles{prod: rbac.RoleManager}, minimal(), noRole},
		{"manager of a sibling", apptest.Roles{fin: rbac.RoleAdmin}, minimal(), noRole},
		{"authorization comes before validation", apptest.Roles{eng: rbac.RoleViewer}, routes.Input{NamespaceID: eng}, needsManager("viewer")},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			storetest.ForEach(t, func(t *testing.T, s db.Store) {
				e := newEnv(t, s)
				acc := e.Caller(t, tc.grants)
				apptest.WantRefused(t, s, tc.want, func() (db.Route, error) { return e.svc.Create(t.Context(), acc, tc.in) })
				apptest.WantErr(t, e.svc.Validate(t.Context(), acc, "", tc.in), tc.want.Target, tc.want.Msg)
			})
		})
	}
}
