package render

import (
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/pomerium-console-oss/pomerium-console/app/apptest"
	"github.com/pomerium-console-oss/pomerium-console/app/policies"
	"github.com/pomerium-console-oss/pomerium-console/db"
	"github.com/pomerium-console-oss/pomerium-console/db/storetest"
)

// names maps ids to the fixture's labels.
func (f *fixture) names(ids []string) []string {
	out := []string{}
	for _, id := range ids {
		out = append(out, f.Labels[id])
	}
	return out
}

func (f *fixture) route(t *testing.T, m Model, name string) Route {
	t.Helper()
	for _, r := range m.Routes {
		if r.Name == name {
			return r
		}
	}
	t.Fatalf("route %q is not in the model", name)
	return Route{}
}

func TestLoad(t *testing.T) {
	t.Parallel()
	storetest.ForEach(t, func(t *testing.T, s db.Store) {
		f := seedRich(t, s)
		m := f.load(t)
		grafana := f.route(t, m, "Grafana")
		var keys []string
		for _, k := range m.KeyPairs {
			keys = append(keys, f.Labels[k.ID]+map[bool]string{true: " (key)", false: ""}[k.SealedKey != ""])
		}
		var pols []string
		for _, p := range m.Policies {
			pols = append(pols, f.Labels[p.ID])
		}
		for _, c := range []struct {
			what      string
			got, want any
		}{
			{"routes", len(m.Routes), 8},
			{"namespace path", grafana.NamespacePath, []string{"Global", "Engineering", "production"}},
			{"enforced policies, nearest first", f.names(grafana.EnforcedPolicyIDs), []string{"policy:Block contractors", "policy:Employees"}},
			{"attached policies", f.names(grafana.PolicyIDs), []string{"policy:Admins", "policy:Office network"}},
			{"policies", slices.Sorted(slices.Values(pols)), []string{"policy:Admins", "policy:Block contractors", "policy:Employees", "policy:Finance team", "policy:Office network"}},
			{"key pairs, keys only where pushed", slices.Sorted(slices.Values(keys)), []string{"keypair:Client (key)", "keypair:Root CA", "keypair:Wildcard (key)"}},
			{"certificates", f.names(m.CertificateIDs), []string{"keypair:Wildcard"}},
			{"settings secrets", len(m.Settings.Secrets), 4},
			{"routes in id order", slices.IsSortedFunc(m.Routes, func(a, b Route) int { return strings.Compare(a.ID, b.ID) }), true},
		} {
			if !reflect.DeepEqual(c.got, c.want) {
				t.Errorf("%s = %v, want %v", c.what, c.got, c.want)
			}
		}
		raw, err := json.Marshal(m)
		if err != nil {
			t.Fatal(err)
		}
		var back Model
		if err := json.Unmarshal(raw, &back); err != nil || !reflect.DeepEqual(back, m) {
			t.Errorf("the model does not survive JSON: %v", err)
		}
	})
}

func TestLoadSubtree(t *testing.T) {
	t.Parallel()
	f := seedRich(t, storetest.OpenSQLite(t))
	m, err := Load(t.Context(), f.Store, f.Access.Tree(), "eng-cluster", apptest.Eng)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, r := range m.Routes {
		names = append(names, r.Name)
	}
	slices.Sort(names)
	if want := []string{"Dev HTTPS", "Grafana", "Grafana API", "Legacy", "Old docs", "Tenants"}; !slices.Equal(names, want) {
		t.Errorf("routes = %q, want %q (the Engineering subtree only)", names, want)
	}
	if got := f.names(f.route(t, m, "Legacy").EnforcedPolicyIDs); !slices.Equal(got, []string{"policy:Block contractors", "policy:Employees"}) {
		t.Errorf("enforced policies = %q: Global's apply above the cluster's root too", got)
	}
	if m.ClusterID != "eng-cluster" || m.RootNamespaceID != apptest.Eng || !reflect.DeepEqual(m.Settings, Settings{}) {
		t.Errorf("a cluster that never saved settings: %+v", m.Settings)
	}
	if _, err := Load(t.Context(), f.Store, f.Access.Tree(), "x", "no-such-namespace"); err == nil || !strings.Contains(err.Error(), "no-such-namespace does not exist") {
		t.Errorf("Load of an unknown namespace = %v", err)
	}
}

// An attached policy that later became enforced applies once, as enforced.
func TestLoadAttachedPolicyMadeEnforced(t *testing.T) {
	t.Parallel()
	f := seedRich(t, storetest.OpenSQLite(t))
	pols := policies.NewService(f.Store, apptest.Clock, policies.CompilePPL)
	if _, err := pols.Update(t.Context(), f.Access, f.IDs["policy:Admins"], policies.UpdateInput{Enforced: ptr(true)}); err != nil {
		t.Fatal(err)
	}
	grafana := f.route(t, f.load(t), "Grafana")
	if got := f.names(grafana.PolicyIDs); !slices.Equal(got, []string{"policy:Office network"}) {
		t.Errorf("attached = %q", got)
	}
	if got := f.names(grafana.EnforcedPolicyIDs); !slices.Equal(got, []string{"policy:Admins", "policy:Block contractors", "policy:Employees"}) {
		t.Errorf("enforced = %q", got)
	}
}
