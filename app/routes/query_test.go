package routes_test

import (
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pomerium-console-oss/pomerium-console/app/apptest"
	"github.com/pomerium-console-oss/pomerium-console/app/errs"
	"github.com/pomerium-console-oss/pomerium-console/app/keypairs"
	"github.com/pomerium-console-oss/pomerium-console/app/policies"
	"github.com/pomerium-console-oss/pomerium-console/app/rbac"
	"github.com/pomerium-console-oss/pomerium-console/app/routes"
	"github.com/pomerium-console-oss/pomerium-console/db"
	"github.com/pomerium-console-oss/pomerium-console/db/storetest"
)

// seedRoutes stores named routes in namespaces, straight in the store.
func seedRoutes(t testing.TB, s db.Store, byNS map[string][]string) {
	t.Helper()
	for ns, names := range byNS {
		for _, name := range names {
			host := strings.ToLower(strings.ReplaceAll(name, " ", "-")) + ".example.com"
			r := db.Route{ID: "r-" + host, NamespaceID: ns, Name: name, From: "https://" + host, To: []string{"http://up.internal"},
				MatchKey: host, CreatedAt: created, ModifiedAt: created}
			if err := s.CreateRoute(t.Context(), r); err != nil {
				t.Fatal(err)
			}
		}
	}
}

func names(list []db.Route) []string {
	out := []string{}
	for _, r := range list {
		out = append(out, r.Name)
	}
	return out
}

func TestList(t *testing.T) {
	t.Parallel()
	s := storetest.OpenSQLite(t)
	e := newEnv(t, s)
	seedRoutes(t, s, map[string][]string{global: {"Wiki"}, prod: {"Grafana", "Kibana"}, apptest.Dev: {"Sandbox"}})
	tests := []struct {
		name   string
		grants apptest.Roles
		q      routes.Query
		want   []string
		total  int
	}{
		{"a namespace", nil, routes.Query{NamespaceID: eng}, []string{"Existing"}, 1},
		{"with descendants", nil, routes.Query{NamespaceID: eng, IncludeDescendants: true}, []string{"Existing", "Grafana", "Kibana", "Sandbox"}, 4},
		{"descendants the caller may view", apptest.Roles{eng: rbac.RoleGuest, prod: rbac.RoleViewer},
			routes.Query{NamespaceID: prod, IncludeDescendants: true}, []string{"Grafana", "Kibana"}, 2},
		{"only viewable descendants", apptest.Roles{global: rbac.RoleViewer},
			routes.Query{NamespaceID: global, IncludeDescendants: true, Search: "ana"}, []string{"Grafana", "Kibana"}, 2},
		{"searching from", nil, routes.Query{NamespaceID: global, IncludeDescendants: true, Search: "FIN.example"}, []string{"Ledger"}, 1},
		{"sorted by from, descending", nil, routes.Query{NamespaceID: global, IncludeDescendants: true, Sort: db.RouteSortFrom, Desc: true},
			[]string{"Wiki", "Existing", "Sandbox", "Kibana", "Grafana", "Ledger"}, 6},
		{"a second page", nil, routes.Query{NamespaceID: global, IncludeDescendants: true, Offset: 4}, []string{"Sandbox", "Wiki"}, 6},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			page, err := e.svc.List(t.Context(), e.Caller(t, tc.grants), tc.q)
			if err != nil {
				t.Fatal(err)
			}
			if got := names(page.Routes); !slices.Equal(got, tc.want) || page.Total != tc.total {
				t.Fatalf("List = %q (%d), want %q (%d)", got, page.Total, tc.want, tc.total)
			}
		})
	}
	_, err := e.svc.List(t.Context(), e.Caller(t, apptest.Roles{eng: rbac.RoleGuest}), routes.Query{NamespaceID: eng})
	apptest.WantErr(t, err, errs.ErrForbidden, `forbidden: this needs the viewer role on namespace "Engineering"; you are a guest there`)
}

func TestGet(t *testing.T) {
	t.Parallel()
	s := storetest.OpenSQLite(t)
	e := newEnv(t, s)
	r, err := e.svc.Get(t.Context(), e.Caller(t, apptest.Roles{fin: rbac.RoleViewer}), rtFinance)
	if err != nil || r.Name != "Ledger" || !slices.Equal(r.PolicyIDs, []string{polFinOpt}) {
		t.Fatalf("Get = %+v, %v", r, err)
	}
	_, err = e.svc.Get(t.Context(), e.Caller(t, apptest.Roles{eng: rbac.RoleAdmin}), rtFinance)
	apptest.WantErr(t, err, errs.ErrForbidden, `forbidden: you have no role on namespace "Finance"; the viewer role is needed`)
	_, err = e.svc.Get(t.Context(), e.Caller(t, nil), "nope")
	apptest.WantErr(t, err, errs.ErrNotFound, "not found: route nope does not exist")
}

func TestCloneInput(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("é", 128)
	tests := []struct {
		name  string
		src   string
		taken []string
		want  string
	}{
		{"first copy", "App", nil, "App (copy)"},
		{"copies taken in other cases", "App", []string{"app (COPY)", "APP (copy 2)"}, "App (copy 3)"},
		{"a name of 128 characters is cut to fit", long, nil, long[:121*2] + " (copy)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := storetest.OpenSQLite(t)
			e := newEnv(t, s)
			acc := e.Caller(t, nil)
			in := fullInput()
			in.Name = tc.src
			src := e.seed(t, in)
			seedRoutes(t, s, map[string][]string{eng: tc.taken})
			before := storetest.Capture(t, s)
			got, err := e.svc.CloneInput(t.Context(), acc, src.ID)
			if err != nil {
				t.Fatal(err)
			}
			before.Unchanged(t, s)
			want := routes.InputOf(src)
			want.Name = tc.want
			want.Spec.SealedIdentityProviderClientSecret, want.Spec.SealedKubernetesServiceAccountToken = "", ""
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("CloneInput =\n%+v, want\n%+v", got, want)
			}
			// The copy answers the same requests: it must change before it is saved.
			in = got
			in.IdentityProviderClientSecret = routes.Secret{Action: routes.SecretSet, Value: "x"}
			_, err = e.svc.Create(t.Context(), acc, in)
			if ve, ok := errs.AsValidation(err); !ok || ve.Fields["from"].Code != errs.CodeConflict {
				t.Fatalf("saving the copy as it is: %v, want an overlap", err)
			}
		})
	}
	s := storetest.OpenSQLite(t)
	e := newEnv(t, s)
	_, err := e.svc.CloneInput(t.Context(), e.Caller(t, apptest.Roles{eng: rbac.RoleViewer}), rtExisting)
	apptest.WantErr(t, err, errs.ErrForbidden, `forbidden: this needs the manager role on namespace "Engineering"; you are a viewer there`)
}

func TestEffective(t *testing.T) {
	t.Parallel()
	storetest.ForEach(t, func(t *testing.T, s db.Store) {
		e := newEnv(t, s)
		acc := e.Caller(t, nil)
		in := minimal()
		in.NamespaceID, in.PolicyIDs = prod, []string{polProdOpt, polGlobalOpt}
		r := e.seed(t, in)
		// Made enforced after it was attached: it applies once, as enforced.
		if _, err := e.pols.Update(t.Context(), acc, polGlobalOpt, policiesEnforce()); err != nil {
			t.Fatal(err)
		}
		viewer := e.Caller(t, apptest.Roles{prod: rbac.RoleViewer})
		eff, err := e.svc.Effective(t.Context(), viewer, r)
		if err != nil {
			t.Fatal(err)
		}
		if got := policyNames(eff.Enforced); !slices.Equal(got, []string{"Eng enforced", "Global enforced", "Global optional"}) {
			t.Errorf("enforced %q", got)
		}
		if got := policyNames(eff.Attached); !slices.Equal(got, []string{"Prod optional"}) {
			t.Errorf("attached %q", got)
		}
		if !strings.Contains(eff.Attached[0].Rego, "# Prod optional") {
			t.Errorf("attached policy without its Rego: %+v", eff.Attached[0])
		}
		_, err = e.svc.Effective(t.Context(), e.Caller(t, apptest.Roles{fin: rbac.RoleViewer}), r)
		if err == nil {
			t.Error("a caller without a role on the route's namespace saw its policies")
		}
	})
}

// policiesEnforce makes a policy enforced.
func policiesEnforce() policies.UpdateInput {
	on := true
	return policies.UpdateInput{Enforced: &on}
}

func policyNames(list []db.Policy) []string {
	out := []string{}
	for _, p := range list {
		out = append(out, p.Name)
	}
	return out
}

func TestCertificatesAndKeyPairs(t *testing.T) {
	t.Parallel()
	s := storetest.OpenSQLite(t)
	e := newEnv(t, s)
	acc := e.Caller(t, nil)
	in := minimal()
	in.TLSCustomCAKeyPairID, in.TLSClientKeyPairID = kpEngCA, kpGlobal
	r := e.seed(t, in)
	certs, err := e.svc.Certificates(t.Context(), acc, r)
	if err != nil || len(certs) != 1 || certs[0].ID != kpGlobal {
		t.Fatalf("Certificates = %+v, %v; want the wildcard pair", certs, err)
	}
	ledger := stored(t, s, rtFinance)
	if certs, err := e.svc.Certificates(t.Context(), acc, ledger); err != nil || len(certs) != 2 || certs[0].ID != kpFin || certs[1].ID != kpGlobal {
		t.Fatalf("Certificates of the Finance route = %+v, %v", certs, err)
	}
	refs, err := e.svc.KeyPairs(t.Context(), r)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, ref := range refs {
		got = append(got, ref.Field+"="+ref.KeyPair.ID)
	}
	if want := []string{"tlsCustomCaKeyPairId=" + kpEngCA, "tlsClientKeyPairId=" + kpGlobal}; !slices.Equal(got, want) {
		t.Fatalf("KeyPairs = %q, want %q", got, want)
	}
	expiring := db.KeyPair{NotAfter: now.Add(24 * time.Hour)}
	if st := e.svc.KeyPairStatus(expiring); st != keypairs.StatusExpiring {
		t.Errorf("status %q, want expiring", st)
	}
}

func TestUsingPolicy(t *testing.T) {
	t.Parallel()
	s := storetest.OpenSQLite(t)
	e := newEnv(t, s)
	acc := e.Caller(t, nil)
	seedRoutes(t, s, map[string][]string{prod: {"Grafana"}})
	enforced, err := s.GetPolicy(t.Context(), polEngEnf)
	if err != nil {
		t.Fatal(err)
	}
	attached, applied, err := e.svc.UsingPolicy(t.Context(), acc, enforced, 10)
	if err != nil {
		t.Fatal(err)
	}
	if attached.Total != 0 || !slices.Equal(names(applied.Routes), []string{"Existing", "Grafana"}) || applied.Total != 2 {
		t.Fatalf("enforced policy: attached %+v, applied %q (%d)", attached, names(applied.Routes), applied.Total)
	}
	optional, err := s.GetPolicy(t.Context(), polFinOpt)
	if err != nil {
		t.Fatal(err)
	}
	attached, applied, err = e.svc.UsingPolicy(t.Context(), acc, optional, 10)
	if err != nil || !slices.Equal(names(attached.Routes), []string{"Ledger"}) || applied.Total != 0 {
		t.Fatalf("optional policy: attached %q, applied %d, %v", names(attached.Routes), applied.Total, err)
	}
	// Only a viewer of the policy's namespace lists what uses it.
	attached, _, err = e.svc.UsingPolicy(t.Context(), e.Caller(t, apptest.Roles{global: rbac.RoleGuest, prod: rbac.RoleViewer}), enforced, 10)
	if err == nil {
		t.Fatalf("a guest of Engineering listed its policy's routes: %+v", attached)
	}
}
