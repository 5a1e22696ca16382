package policies_test

import (
	"fmt"
	"slices"
	"testing"

	"github.com/pomerium-console-oss/pomerium-console/app/apptest"
	"github.com/pomerium-console-oss/pomerium-console/app/errs"
	"github.com/pomerium-console-oss/pomerium-console/app/namespaces"
	"github.com/pomerium-console-oss/pomerium-console/app/policies"
	"github.com/pomerium-console-oss/pomerium-console/app/rbac"
	"github.com/pomerium-console-oss/pomerium-console/db"
	"github.com/pomerium-console-oss/pomerium-console/db/storetest"
)

// seedSpread stores an enforced and an optional policy in Global and
// Engineering, an enforced one in production and Finance, and an optional
// one in Dev, named after their namespace and enforcement.
func seedSpread(t *testing.T, e *env) {
	t.Helper()
	for i, p := range []struct {
		ns, name string
		enforced bool
	}{
		{global, "Global enforced", true}, {global, "Global optional", false},
		{eng, "Eng enforced", true}, {eng, "Eng optional", false},
		{prod, "Prod enforced", true}, {dev, "Dev optional", false}, {fin, "Fin enforced", true},
	} {
		desc := ""
		if p.name == "Eng enforced" {
			desc = "Guards the builds."
		}
		e.put(t, db.Policy{ID: fmt.Sprint("p", i), NamespaceID: p.ns, Name: p.name, Description: desc, Enforced: p.enforced, PPL: allowEngineers})
	}
}

// names lists the names of list, in order.
func names(list []db.Policy) []string {
	out := []string{}
	for _, p := range list {
		out = append(out, p.Name)
	}
	return out
}

func TestList(t *testing.T) {
	t.Parallel()
	yes, no := true, false
	tests := []struct {
		name   string
		grants apptest.Roles // nil: act as root
		q      policies.Query
		want   []string
		total  int
	}{
		{"a namespace's own", apptest.Roles{eng: rbac.RoleViewer}, policies.Query{NamespaceID: eng}, []string{"Eng enforced", "Eng optional"}, 2},
		{"with descendants", apptest.Roles{eng: rbac.RoleViewer}, policies.Query{NamespaceID: eng, IncludeDescendants: true},
			[]string{"Dev optional", "Eng enforced", "Eng optional", "Prod enforced"}, 4},
		{"everything from Global", nil, policies.Query{NamespaceID: global, IncludeDescendants: true},
			[]string{"Dev optional", "Eng enforced", "Eng optional", "Fin enforced", "Global enforced", "Global optional", "Prod enforced"}, 7},
		{"a leaf's descendants are itself", apptest.Roles{prod: rbac.RoleViewer}, policies.Query{NamespaceID: prod, IncludeDescendants: true}, []string{"Prod enforced"}, 1},
		{"search in the description, any case", nil, policies.Query{NamespaceID: eng, Search: "BUILDS"}, []string{"Eng enforced"}, 1},
		{"search in the name", nil, policies.Query{NamespaceID: global, IncludeDescendants: true, Search: "optional"},
			[]string{"Dev optional", "Eng optional", "Global optional"}, 3},
		{"enforced only", nil, policies.Query{NamespaceID: eng, IncludeDescendants: true, Enforced: &yes}, []string{"Eng enforced", "Prod enforced"}, 2},
		{"optional only", nil, policies.Query{NamespaceID: eng, IncludeDescendants: true, Enforced: &no}, []string{"Dev optional", "Eng optional"}, 2},
		{"an offset", nil, policies.Query{NamespaceID: eng, IncludeDescendants: true, Offset: 3}, []string{"Prod enforced"}, 4},
		{"a negative offset is the start", nil, policies.Query{NamespaceID: eng, Offset: -5}, []string{"Eng enforced", "Eng optional"}, 2},
		{"past the end", nil, policies.Query{NamespaceID: eng, Offset: 50}, []string{}, 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			storetest.ForEach(t, func(t *testing.T, s db.Store) {
				e := newEnv(t, s, nil)
				seedSpread(t, e)
				page, err := e.svc.List(t.Context(), e.Caller(t, tc.grants), tc.q)
				if err != nil {
					t.Fatal(err)
				}
				if got := names(page.Policies); !slices.Equal(got, tc.want) || page.Total != tc.total {
					t.Fatalf("List = %q (total %d), want %q (total %d)", got, page.Total, tc.want, tc.total)
				}
			})
		})
	}
}

func TestListPages(t *testing.T) {
	t.Parallel()
	storetest.ForEach(t, func(t *testing.T, s db.Store) {
		e := newEnv(t, s, nil)
		const n = policies.PageSize + 5
		for i := range n {
			e.put(t, db.Policy{ID: fmt.Sprint("p", i), NamespaceID: dev, Name: fmt.Sprintf("Policy %03d", i), PPL: allowEngineers})
		}
		acc := e.Resolve(t, root)
		for _, page := range []struct{ offset, first, count int }{{0, 0, policies.PageSize}, {policies.PageSize, policies.PageSize, 5}} {
			got, err := e.svc.List(t.Context(), acc, policies.Query{NamespaceID: eng, IncludeDescendants: true, Offset: page.offset})
			if err != nil {
				t.Fatal(err)
			}
			if got.Total != n || len(got.Policies) != page.count || got.Policies[0].Name != fmt.Sprintf("Policy %03d", page.first) {
				t.Fatalf("offset %d: %d policies from %q of %d, want %d from Policy %03d of %d",
					page.offset, len(got.Policies), got.Policies[0].Name, got.Total, page.count, page.first, n)
			}
		}
	})
}

func TestReadsRefused(t *testing.T) {
	t.Parallel()
	guest := apptest.Forbidden(`this needs the viewer role on namespace "Engineering"; you are a guest there`)
	noRole := apptest.Forbidden(`you have no role on namespace "Engineering"; the viewer role is needed`)
	tests := []struct {
		name   string
		grants apptest.Roles
		read   func(t *testing.T, e *env, acc *rbac.Access) error
		want   apptest.Refusal
	}{
		{"list as a guest", apptest.Roles{eng: rbac.RoleGuest}, func(t *testing.T, e *env, acc *rbac.Access) error {
			_, err := e.svc.List(t.Context(), acc, policies.Query{NamespaceID: eng})
			return err
		}, guest},
		{"get as a guest", apptest.Roles{eng: rbac.RoleGuest}, func(t *testing.T, e *env, acc *rbac.Access) error {
			_, err := e.svc.Get(t.Context(), acc, "p2")
			return err
		}, guest},
		{"get a parent's policy as a viewer of a child", apptest.Roles{prod: rbac.RoleAdmin}, func(t *testing.T, e *env, acc *rbac.Access) error {
			_, err := e.svc.Get(t.Context(), acc, "p2")
			return err
		}, noRole},
		{"get an unknown policy", apptest.Roles{global: rbac.RoleAdmin}, func(t *testing.T, e *env, acc *rbac.Access) error {
			_, err := e.svc.Get(t.Context(), acc, "nope")
			return err
		}, apptest.Refusal{Target: errs.ErrNotFound, Msg: "not found: policy nope does not exist"}},
		{"inherited as a guest", apptest.Roles{eng: rbac.RoleGuest}, func(t *testing.T, e *env, acc *rbac.Access) error {
			_, _, err := e.svc.Inherited(t.Context(), acc, eng)
			return err
		}, guest},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			storetest.ForEach(t, func(t *testing.T, s db.Store) {
				e := newEnv(t, s, nil)
				seedSpread(t, e)
				tc.want.Check(t, tc.read(t, e, e.Caller(t, tc.grants)))
			})
		})
	}
}

func TestGet(t *testing.T) {
	t.Parallel()
	storetest.ForEach(t, func(t *testing.T, s db.Store) {
		e := newEnv(t, s, nil)
		want := e.put(t, engineersOnly)
		for _, grants := range []apptest.Roles{{eng: rbac.RoleViewer}, {global: rbac.RoleViewer}} {
			got, err := e.svc.Get(t.Context(), e.User(t, "u-viewer", grants), want.ID)
			if err != nil || got != stored(t, s, want.ID) {
				t.Fatalf("Get as %v = %+v, %v; want the stored policy", grants, got, err)
			}
		}
	})
}

func TestInherited(t *testing.T) {
	t.Parallel()
	// Engineering holds a second enforced policy, which sorts first there.
	tests := []struct {
		name               string
		grants             apptest.Roles
		ns                 string
		enforced, optional []string
	}{
		{"a leaf: its own, then its parent's, then Global's", apptest.Roles{prod: rbac.RoleViewer}, prod,
			[]string{"Prod enforced", "Another eng enforced", "Eng enforced", "Global enforced"}, []string{"Eng optional", "Global optional"}},
		{"a leaf with only optional ones", apptest.Roles{dev: rbac.RoleManager}, dev,
			[]string{"Another eng enforced", "Eng enforced", "Global enforced"}, []string{"Dev optional", "Eng optional", "Global optional"}},
		{"a middle namespace", apptest.Roles{eng: rbac.RoleViewer}, eng,
			[]string{"Another eng enforced", "Eng enforced", "Global enforced"}, []string{"Eng optional", "Global optional"}},
		{"another branch", apptest.Roles{fin: rbac.RoleManager}, fin, []string{"Fin enforced", "Global enforced"}, []string{"Global optional"}},
		{"Global", apptest.Roles{global: rbac.RoleViewer}, global, []string{"Global enforced"}, []string{"Global optional"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			storetest.ForEach(t, func(t *testing.T, s db.Store) {
				e := newEnv(t, s, nil)
				seedSpread(t, e)
				e.put(t, db.Policy{ID: "p-eng-2", NamespaceID: eng, Name: "Another eng enforced", Enforced: true, PPL: denyContractor})
				enforced, optional, err := e.svc.Inherited(t.Context(), e.Caller(t, tc.grants), tc.ns)
				if err != nil {
					t.Fatal(err)
				}
				if got := names(enforced); !slices.Equal(got, tc.enforced) {
					t.Errorf("enforced = %q, want %q", got, tc.enforced)
				}
				if got := names(optional); !slices.Equal(got, tc.optional) {
					t.Errorf("optional = %q, want %q", got, tc.optional)
				}
			})
		})
	}
}

func TestScopeOf(t *testing.T) {
	t.Parallel()
	storetest.ForEach(t, func(t *testing.T, s db.Store) {
		e := newEnv(t, s, nil)
		acc := e.Resolve(t, root)
		for ns, want := range map[string][]string{
			global: {"Global", "Engineering", "Dev", "production", "Finance"},
			eng:    {"Engineering", "Dev", "production"},
			prod:   {"production"},
		} {
			var got []string
			for _, n := range policies.ScopeOf(acc, db.Policy{NamespaceID: ns}).Namespaces {
				got = append(got, n.Name)
			}
			if !slices.Equal(got, want) {
				t.Errorf("scope of a policy in %s = %q, want %q", ns, got, want)
			}
		}
	})
}

// TestNamespaceDeleteBlockedByPolicies checks policies.Blocker keeps a
// namespace holding policies from being deleted, naming them.
func TestNamespaceDeleteBlockedByPolicies(t *testing.T) {
	t.Parallel()
	storetest.ForEach(t, func(t *testing.T, s db.Store) {
		e := newEnv(t, s, nil)
		ns := namespaces.NewService(s, apptest.Clock, policies.Blocker)
		acc := e.Resolve(t, root)
		a := e.put(t, db.Policy{ID: "p-a", NamespaceID: dev, Name: "Dev only", PPL: allowEngineers})
		e.put(t, db.Policy{ID: "p-b", NamespaceID: dev, Name: "Contractors out", PPL: denyContractor})
		e.put(t, db.Policy{ID: "p-c", NamespaceID: fin, Name: "Elsewhere", PPL: denyContractor})

		before := storetest.Capture(t, s)
		apptest.WantErr(t, ns.Delete(t.Context(), acc, dev), errs.ErrConflict,
			`conflict: namespace "Dev" is not empty: it still contains policy "Contractors out", policy "Dev only". Move or delete them first`)
		before.Unchanged(t, s)

		for _, id := range []string{a.ID, "p-b"} {
			if err := e.svc.Delete(t.Context(), acc, id); err != nil {
				t.Fatal(err)
			}
		}
		if err := ns.Delete(t.Context(), acc, dev); err != nil {
			t.Fatalf("delete the emptied namespace: %v", err)
		}
	})
}
