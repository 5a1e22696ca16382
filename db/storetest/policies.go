package storetest

import (
	"fmt"
	"testing"
	"time"

	"github.com/pomerium-console-oss/pomerium-console/db"
)

// policy returns a policy fixture named name in namespace ns.
func policy(id, ns, name string, enforced bool) db.Policy {
	return db.Policy{
		ID: id, NamespaceID: ns, Name: name, Description: "about " + name,
		Explanation: "why " + name, Remediation: "fix " + name, Enforced: enforced,
		PPL: "allow:\n  and:\n    - email:\n        is: " + name + "@example.com\n", Rego: "package pomerium.policy\n",
		CreatedAt: at(0), ModifiedAt: at(time.Minute),
	}
}

// policyNames lists the names of list, in order.
func policyNames(list []db.Policy) []string {
	out := []string{}
	for _, p := range list {
		out = append(out, p.Name)
	}
	return out
}

func testPolicies(t *testing.T, newStore NewStore) {
	enforced, optional := true, false
	subtests(t, newStore, map[string]func(t *testing.T, s db.Store){
		"create, get, update, delete round-trip": func(t *testing.T, s db.Store) {
			p := policy("p1", db.GlobalNamespaceID, "Engineers", true)
			must(t, s.CreatePolicy(t.Context(), p))
			got, err := s.GetPolicy(t.Context(), "p1")
			must(t, err)
			want := p
			want.CreatedAt, want.ModifiedAt = stored(p.CreatedAt), stored(p.ModifiedAt)
			wantEqual(t, "created", got, want)

			p.Name, p.Description, p.Enforced, p.PPL, p.Rego = "Engineers only", "ü", false, "allow: {}", "rego 2"
			p.CreatedAt, p.ModifiedAt = at(time.Hour), at(2*time.Hour) // CreatedAt must not change
			must(t, s.UpdatePolicy(t.Context(), p))
			got, err = s.GetPolicy(t.Context(), "p1")
			must(t, err)
			want = p
			want.CreatedAt, want.ModifiedAt = stored(at(0)), stored(at(2*time.Hour))
			wantEqual(t, "updated", got, want)

			wantDeleted(t, "p1", p, s.GetPolicy, s.DeletePolicy, s.UpdatePolicy)
		},
		"names are unique per namespace, case-insensitively": func(t *testing.T, s db.Store) {
			seedNamespaces(t, s)
			must(t, s.CreatePolicy(t.Context(), policy("p1", "team", "Admins", false)))
			wantErr(t, s.CreatePolicy(t.Context(), policy("p2", "team", "ADMINS", false)), db.ErrConflict)
			wantErr(t, s.CreatePolicy(t.Context(), policy("p1", "other", "Other", false)), db.ErrConflict)
			must(t, s.CreatePolicy(t.Context(), policy("p3", "other", "Admins", false)))
			renamed := policy("p3", "other", "admins", true)
			must(t, s.UpdatePolicy(t.Context(), renamed)) // its own name in another case
			must(t, s.CreatePolicy(t.Context(), policy("p4", "team", "Devs", false)))
			wantErr(t, s.UpdatePolicy(t.Context(), policy("p4", "team", "admins", false)), db.ErrConflict)
		},
		"a policy needs its namespace, which it keeps from being deleted": func(t *testing.T, s db.Store) {
			wantErr(t, s.CreatePolicy(t.Context(), policy("p1", "missing", "X", false)), db.ErrNotFound)
			seedNamespaces(t, s)
			must(t, s.CreatePolicy(t.Context(), policy("p1", "team", "X", false)))
			wantErr(t, s.DeleteNamespace(t.Context(), "team"), db.ErrReferenced)
			must(t, s.DeletePolicy(t.Context(), "p1"))
			must(t, s.DeleteNamespace(t.Context(), "team"))
		},
		"list filters, orders and pages": func(t *testing.T, s db.Store) {
			seedNamespaces(t, s)
			for i, f := range []struct {
				ns, name string
				enforced bool
			}{
				{"team", "beta", true}, {"team", "Alpha", false}, {"other", "gamma 100%", true},
				{db.GlobalNamespaceID, "delta_x", false}, {"other-team", "Epsilon", true},
			} {
				must(t, s.CreatePolicy(t.Context(), policy(fmt.Sprint("p", i), f.ns, f.name, f.enforced)))
			}
			tests := []struct {
				name  string
				f     db.PolicyFilter
				want  []string
				total int
			}{
				{"all by name", db.PolicyFilter{}, []string{"Alpha", "beta", "delta_x", "Epsilon", "gamma 100%"}, 5},
				{"namespaces", db.PolicyFilter{NamespaceIDs: []string{"team", "other-team"}}, []string{"Alpha", "beta", "Epsilon"}, 3},
				{"no namespaces", db.PolicyFilter{NamespaceIDs: []string{}}, []string{}, 0},
				{"enforced", db.PolicyFilter{Enforced: &enforced}, []string{"beta", "Epsilon", "gamma 100%"}, 3},
				{"optional", db.PolicyFilter{Enforced: &optional}, []string{"Alpha", "delta_x"}, 2},
				{"query on name, any case", db.PolicyFilter{Query: "ALP"}, []string{"Alpha"}, 1},
				{"query on description", db.PolicyFilter{Query: "about beta"}, []string{"beta"}, 1},
				{"wildcards match literally", db.PolicyFilter{Query: "%"}, []string{"gamma 100%"}, 1},
				{"underscore matches literally", db.PolicyFilter{Query: "a_x"}, []string{"delta_x"}, 1},
				{"page", db.PolicyFilter{Offset: 1, Limit: 2}, []string{"beta", "delta_x"}, 5},
				{"past the end", db.PolicyFilter{Offset: 9}, []string{}, 5},
				{"combined", db.PolicyFilter{NamespaceIDs: []string{"team", "other"}, Enforced: &enforced, Query: "a"}, []string{"beta", "gamma 100%"}, 2},
			}
			for _, tc := range tests {
				list, total, err := s.ListPolicies(t.Context(), tc.f)
				must(t, err)
				wantEqual(t, tc.name, policyNames(list), tc.want)
				wantEqual(t, tc.name+" total", total, tc.total)
			}
		},
	})
}

func testPolicyNames(t *testing.T, newStore NewStore) {
	subtests(t, newStore, map[string]func(t *testing.T, s db.Store){
		"names of one namespace only": func(t *testing.T, s db.Store) {
			seedNamespaces(t, s)
			must(t, s.CreatePolicy(t.Context(), policy("p1", "team", "Équipe", false)))
			must(t, s.CreatePolicy(t.Context(), policy("p2", "team", "Ops", true)))
			must(t, s.CreatePolicy(t.Context(), policy("p3", "other", "Else", true)))
			got, err := s.PolicyNames(t.Context(), "team")
			must(t, err)
			wantEqual(t, "names", got, map[string]string{"p1": "Équipe", "p2": "Ops"})
			got, err = s.PolicyNames(t.Context(), "missing")
			must(t, err)
			wantEqual(t, "names of an unknown namespace", got, map[string]string{})
		},
	})
}
