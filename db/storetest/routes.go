package storetest

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/pomerium-console-oss/pomerium-console/db"
)

// route returns a minimal route fixture answering https://<host> in ns.
func route(id, ns, name, host string) db.Route {
	return db.Route{
		ID: id, NamespaceID: ns, Name: name, From: "https://" + host, To: []string{"http://" + name + ".internal:8080"},
		MatchKey: "https://" + host + "|||", CreatedAt: at(0), ModifiedAt: at(time.Minute),
	}
}

// fullRoute sets every field of a route, nested ones included.
func fullRoute(id, ns string) db.Route {
	prio, pass := int64(-3), false
	r := route(id, ns, "Everything & more", "all.example.com")
	r.To = []string{"https://a.internal?x=1&y=2", "https://b.internal"}
	r.Prefix, r.MatchKey = "/app", "https://all.example.com|/app||"
	r.Spec = db.RouteSpec{
		PrefixRewrite: "/", RegexRewritePattern: "^/v1/(.*)", RegexRewriteSubstitution: `/v2/\1`,
		HostRewrite: "internal.example.com", HostPathRegexRewritePattern: "a", HostPathRegexRewriteSubstitution: "b",
		HostRewriteHeader: "X-Host", RegexPriorityOrder: &prio, Timeout: "30s", IdleTimeout: "5m",
		AllowWebsockets: true, AllowSPDY: true, TLSSkipVerify: true, TLSUpstreamServerName: "up.internal",
		TLSDownstreamServerName: "down.example.com", TLSUpstreamAllowRenegotiation: true,
		SetRequestHeaders: map[string]string{"X-A": "1", "X-B": "ü"}, RemoveRequestHeaders: []string{"X-Old"},
		SetResponseHeaders:     map[string]string{"X-Frame-Options": "DENY"},
		RewriteResponseHeaders: []db.RouteRewriteHeader{{Header: "Location", Prefix: "http://a/", Value: "https://b/"}},
		PreserveHostHeader:     true, PassIdentityHeaders: &pass, EnableGoogleCloudServerlessAuthentication: true,
		JWTIssuerFormat: "uri", ShowErrorDetails: true, LoadBalancingPolicy: "maglev",
		HealthChecks: []db.RouteHealthCheck{
			{Timeout: "1s", Interval: "10s", InitialJitter: "1s", IntervalJitter: "2s", IntervalJitterPercent: 5,
				UnhealthyThreshold: 3, HealthyThreshold: 2, HTTP: &db.RouteHTTPHealthCheck{
					Host: "h", Path: "/healthz", ExpectedStatuses: []db.RouteStatusRange{{Start: 200, End: 300}},
					RetriableStatuses: []db.RouteStatusRange{{Start: 503, End: 504}}, CodecClientType: "http2"}},
			{Timeout: "1s", Interval: "10s", UnhealthyThreshold: 1, HealthyThreshold: 1,
				TCP: &db.RouteTCPHealthCheck{Send: "50494e47", Receive: []string{"504f4e47"}}},
			{Timeout: "1s", Interval: "10s", UnhealthyThreshold: 1, HealthyThreshold: 1,
				GRPC: &db.RouteGRPCHealthCheck{ServiceName: "svc", Authority: "a"}},
		},
		IdentityProviderClientID: "client", SealedIdentityProviderClientSecret: "v1.k.secret",
		SealedKubernetesServiceAccountToken: "v1.k.token",
	}
	return r
}

// storedRoute is what a store must give back for r.
func storedRoute(r db.Route) db.Route {
	r.CreatedAt, r.ModifiedAt = stored(r.CreatedAt), stored(r.ModifiedAt)
	if r.To == nil {
		r.To = []string{}
	}
	return r
}

func routeNames(list []db.Route) []string {
	out := []string{}
	for _, r := range list {
		out = append(out, r.Name)
	}
	return out
}

// seedRouteRefs stores the namespaces, policies and key pairs route
// fixtures point at.
func seedRouteRefs(t *testing.T, s db.Store) {
	t.Helper()
	seedNamespaces(t, s)
	for _, p := range []db.Policy{policy("p1", "team", "One", false), policy("p2", "team", "Two", false)} {
		must(t, s.CreatePolicy(t.Context(), p))
	}
	for _, k := range []db.KeyPair{keyPair("k1", "team", "ca", at(time.Hour)), keyPair("k2", "team", "client", at(time.Hour))} {
		must(t, s.CreateKeyPair(t.Context(), k))
	}
}

func testRoutes(t *testing.T, newStore NewStore) {
	subtests(t, newStore, map[string]func(t *testing.T, s db.Store){
		"create, get, update, delete round-trip": func(t *testing.T, s db.Store) {
			seedRouteRefs(t, s)
			r := fullRoute("r1", "team")
			r.PolicyIDs = []string{"p2", "p1"}
			r.TLSCustomCAKeyPairID, r.TLSClientKeyPairID, r.TLSDownstreamClientCAKeyPairID = "k1", "k2", "k1"
			must(t, s.CreateRoute(t.Context(), r))
			got, err := s.GetRoute(t.Context(), "r1")
			must(t, err)
			wantEqual(t, "created", got, storedRoute(r))

			r = route("r1", "team", "Plain", "plain.example.com")
			r.To, r.CreatedAt = nil, at(time.Hour) // CreatedAt must not change
			r.Spec.Redirect = &db.RouteRedirect{HTTPSRedirect: true, HostRedirect: "x", PortRedirect: 8443, ResponseCode: 308, StripQuery: true}
			r.PolicyIDs = []string{"p1"}
			must(t, s.UpdateRoute(t.Context(), r))
			got, err = s.GetRoute(t.Context(), "r1")
			must(t, err)
			want := storedRoute(r)
			want.CreatedAt = stored(at(0))
			wantEqual(t, "updated", got, want)

			wantDeleted(t, "r1", r, s.GetRoute, s.DeleteRoute, s.UpdateRoute)
			// The attachment went with the route: the policy may go now.
			must(t, s.DeletePolicy(t.Context(), "p1"))
		},
		"a direct response and an empty spec round-trip": func(t *testing.T, s db.Store) {
			r := route("r1", db.GlobalNamespaceID, "Static", "static.example.com")
			r.To, r.Spec.Response = nil, &db.RouteDirectResponse{Status: 200, Body: "ok\n"}
			must(t, s.CreateRoute(t.Context(), r))
			must(t, s.CreateRoute(t.Context(), route("r2", db.GlobalNamespaceID, "Bare", "bare.example.com")))
			for _, want := range []db.Route{r, route("r2", db.GlobalNamespaceID, "Bare", "bare.example.com")} {
				got, err := s.GetRoute(t.Context(), want.ID)
				must(t, err)
				wantEqual(t, want.Name, got, storedRoute(want))
			}
		},
		"names are unique per namespace, case-insensitively, also beyond ASCII": func(t *testing.T, s db.Store) {
			seedNamespaces(t, s)
			must(t, s.CreateRoute(t.Context(), route("r1", "team", "Équipe", "a.example.com")))
			wantErr(t, s.CreateRoute(t.Context(), route("r2", "team", "éQUIPE", "b.example.com")), db.ErrConflict)
			wantErr(t, s.CreateRoute(t.Context(), route("r1", "other", "Other", "c.example.com")), db.ErrConflict)
			must(t, s.CreateRoute(t.Context(), route("r3", "other", "équipe", "d.example.com")))
			must(t, s.UpdateRoute(t.Context(), route("r3", "other", "ÉQUIPE", "d.example.com"))) // its own name
			must(t, s.CreateRoute(t.Context(), route("r4", "team", "Devs", "e.example.com")))
			wantErr(t, s.UpdateRoute(t.Context(), route("r4", "team", "équipe", "e.example.com")), db.ErrConflict)
		},
		"match keys are unique across namespaces": func(t *testing.T, s db.Store) {
			seedNamespaces(t, s)
			must(t, s.CreateRoute(t.Context(), route("r1", "team", "A", "a.example.com")))
			wantErr(t, s.CreateRoute(t.Context(), route("r2", "other", "B", "a.example.com")), db.ErrConflict)
			must(t, s.CreateRoute(t.Context(), route("r2", "other", "B", "b.example.com")))
			wantErr(t, s.UpdateRoute(t.Context(), route("r2", "other", "B", "a.example.com")), db.ErrConflict)
		},
		"references must exist and keep what they point at": func(t *testing.T, s db.Store) {
			seedRouteRefs(t, s)
			for name, r := range map[string]db.Route{
				"namespace": route("r1", "missing", "X", "x.example.com"),
				"policy":    withPolicies(route("r1", "team", "X", "x.example.com"), "p1", "missing"),
				"key pair":  withKeyPair(route("r1", "team", "X", "x.example.com"), "missing"),
			} {
				if err := s.CreateRoute(t.Context(), r); !errors.Is(err, db.ErrNotFound) {
					t.Fatalf("a route pointing at a missing %s: err = %v, want ErrNotFound", name, err)
				}
				_, err := s.GetRoute(t.Context(), "r1")
				wantErr(t, err, db.ErrNotFound) // nothing half-written
			}
			r := withKeyPair(withPolicies(route("r1", "team", "X", "x.example.com"), "p1"), "k1")
			must(t, s.CreateRoute(t.Context(), r))
			wantErr(t, s.DeletePolicy(t.Context(), "p1"), db.ErrReferenced)
			wantErr(t, s.DeleteKeyPair(t.Context(), "k1"), db.ErrReferenced)
			wantErr(t, s.DeleteNamespace(t.Context(), "team"), db.ErrReferenced)
			wantErr(t, s.UpdateRoute(t.Context(), withPolicies(route("r1", "team", "X", "x.example.com"), "missing")), db.ErrNotFound)
			got, err := s.GetRoute(t.Context(), "r1")
			must(t, err)
			wantEqual(t, "after a failed update", got.PolicyIDs, []string{"p1"})
			must(t, s.UpdateRoute(t.Context(), route("r1", "team", "X", "x.example.com")))
			must(t, s.DeletePolicy(t.Context(), "p1"))
			must(t, s.DeleteKeyPair(t.Context(), "k1"))
		},
		"list filters, orders and pages": func(t *testing.T, s db.Store) {
			seedRouteRefs(t, s)
			fixtures := []db.Route{
				withPolicies(route("r0", "team", "beta", "b.example.com"), "p1"),
				withKeyPair(route("r1", "team", "Alpha", "z.example.com"), "k2"),
				route("r2", "other", "gamma 100%", "g.example.com"),
				withPolicies(route("r3", db.GlobalNamespaceID, "delta_x", "d.example.com"), "p2", "p1"),
				route("r4", "other-team", "Epsilon", "e.example.com"),
			}
			fixtures[2].To = []string{"http://upstream.internal/?a=1&b=2"}
			for i, r := range fixtures {
				r.ModifiedAt = at(time.Duration(10-i) * time.Minute)
				must(t, s.CreateRoute(t.Context(), r))
			}
			tests := []struct {
				name  string
				f     db.RouteFilter
				want  []string
				total int
			}{
				{"all by name", db.RouteFilter{}, []string{"Alpha", "beta", "delta_x", "Epsilon", "gamma 100%"}, 5},
				{"by name, descending", db.RouteFilter{Desc: true}, []string{"gamma 100%", "Epsilon", "delta_x", "beta", "Alpha"}, 5},
				{"by from", db.RouteFilter{Sort: db.RouteSortFrom}, []string{"beta", "delta_x", "Epsilon", "gamma 100%", "Alpha"}, 5},
				{"by modification, newest first", db.RouteFilter{Sort: db.RouteSortModified, Desc: true}, []string{"beta", "Alpha", "gamma 100%", "delta_x", "Epsilon"}, 5},
				{"an unknown order sorts by name", db.RouteFilter{Sort: "nope"}, []string{"Alpha", "beta", "delta_x", "Epsilon", "gamma 100%"}, 5},
				{"namespaces", db.RouteFilter{NamespaceIDs: []string{"team", "other-team"}}, []string{"Alpha", "beta", "Epsilon"}, 3},
				{"no namespaces", db.RouteFilter{NamespaceIDs: []string{}}, []string{}, 0},
				{"query on name, any case", db.RouteFilter{Query: "ALP"}, []string{"Alpha"}, 1},
				{"query on from", db.RouteFilter{Query: "z.example"}, []string{"Alpha"}, 1},
				{"query on to, with an ampersand", db.RouteFilter{Query: "a=1&b"}, []string{"gamma 100%"}, 1},
				{"wildcards match literally", db.RouteFilter{Query: "%"}, []string{"gamma 100%"}, 1},
				{"underscore matches literally", db.RouteFilter{Query: "a_x"}, []string{"delta_x"}, 1},
				{"name, exactly but for case", db.RouteFilter{Name: "BETA"}, []string{"beta"}, 1},
				{"name is not a substring search", db.RouteFilter{Name: "bet"}, []string{}, 0},
				{"policy", db.RouteFilter{PolicyID: "p1"}, []string{"beta", "delta_x"}, 2},
				{"key pair", db.RouteFilter{KeyPairID: "k2"}, []string{"Alpha"}, 1},
				{"match key", db.RouteFilter{MatchKey: "https://e.example.com|||"}, []string{"Epsilon"}, 1},
				{"page", db.RouteFilter{Offset: 1, Limit: 2}, []string{"beta", "delta_x"}, 5},
				{"past the end", db.RouteFilter{Offset: 9}, []string{}, 5},
				{"combined", db.RouteFilter{NamespaceIDs: []string{"team", db.GlobalNamespaceID}, PolicyID: "p1", Query: "e"}, []string{"beta", "delta_x"}, 2},
			}
			for _, tc := range tests {
				list, total, err := s.ListRoutes(t.Context(), tc.f)
				must(t, err)
				wantEqual(t, tc.name, routeNames(list), tc.want)
				wantEqual(t, tc.name+" total", total, tc.total)
			}
			list, _, err := s.ListRoutes(t.Context(), db.RouteFilter{PolicyID: "p1"})
			must(t, err)
			wantEqual(t, "listed policies, in order", [][]string{list[0].PolicyIDs, list[1].PolicyIDs}, [][]string{{"p1"}, {"p2", "p1"}})
		},
		"a failed write in a transaction leaves the route as it was": func(t *testing.T, s db.Store) {
			seedRouteRefs(t, s)
			r := withPolicies(route("r1", "team", "X", "x.example.com"), "p1")
			must(t, s.CreateRoute(t.Context(), r))
			err := s.InTx(t.Context(), func(tx db.Store) error {
				if err := tx.UpdateRoute(t.Context(), withPolicies(route("r1", "team", "Y", "y.example.com"), "p2")); err != nil {
					return err
				}
				return fmt.Errorf("boom")
			})
			if err == nil || err.Error() != "boom" {
				t.Fatalf("InTx = %v, want boom", err)
			}
			got, err := s.GetRoute(t.Context(), "r1")
			must(t, err)
			wantEqual(t, "after rollback", got, storedRoute(r))
		},
	})
}

func withPolicies(r db.Route, ids ...string) db.Route {
	r.PolicyIDs = ids
	return r
}

func withKeyPair(r db.Route, id string) db.Route {
	r.TLSClientKeyPairID = id
	return r
}
