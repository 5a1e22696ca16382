package members_test

import (
	"reflect"
	"testing"
	"time"

	"github.com/pomerium-console-oss/pomerium-console/app/apptest"
	"github.com/pomerium-console-oss/pomerium-console/app/authn"
	"github.com/pomerium-console-oss/pomerium-console/app/members"
	"github.com/pomerium-console-oss/pomerium-console/app/rbac"
	"github.com/pomerium-console-oss/pomerium-console/db"
	"github.com/pomerium-console-oss/pomerium-console/db/storetest"
)

// row is the part of a Member the members page shows.
type row struct {
	ns, nsName          string
	inherited           bool
	subject, id, role   string
	userName, userEmail string
}

func rows(ms []members.Member) []row {
	out := make([]row, 0, len(ms))
	for _, m := range ms {
		out = append(out, row{m.NamespaceID, m.NamespaceName, m.Inherited, m.SubjectType, m.SubjectID, m.Role, m.UserName, m.UserEmail})
	}
	return out
}

// seedMembers stores users who signed in and grants along the path
// Global → Engineering → production, plus one on Finance.
func seedMembers(t *testing.T, e *env) {
	t.Helper()
	for _, u := range []db.User{
		{ID: "u-bob", Email: "bob@example.com", Name: "Bob"},
		{ID: "u-carol", Email: "Carol@Example.com", Name: "Carol"},
		// Found too by a substring search for carol's address.
		{ID: "u-xcarol", Email: "xcarol@example.com", Name: "Not Carol"},
	} {
		u.CreatedAt, u.LastSeenAt = created, created
		if err := e.Store.UpsertUser(t.Context(), u); err != nil {
			t.Fatal(err)
		}
	}
	grant := func(id, ns, typ, subject, role string) db.Permission {
		return db.Permission{ID: id, NamespaceID: ns, SubjectType: typ, SubjectID: subject, Role: role}
	}
	e.Put(t,
		grant("1", global, db.SubjectGroup, "admins", "admin"),
		grant("2", eng, db.SubjectUser, "u-bob", "manager"),
		grant("3", eng, db.SubjectUser, "carol@example.com", "viewer"),
		grant("4", eng, db.SubjectUser, "dave@example.com", "guest"),
		grant("5", prod, db.SubjectGroup, "oncall", "viewer"),
		grant("6", prod, db.SubjectUser, "u-bob", "admin"),
		grant("7", fin, db.SubjectUser, "u-eve", "admin"),
	)
}

func TestList(t *testing.T) {
	t.Parallel()
	globalRows := []row{{global, "Global", true, "group", "admins", "admin", "", ""}}
	tests := []struct {
		name   string
		caller authn.Principal
		ns     string
		want   []row
	}{
		{
			name:   "a viewer sees own grants first, then inherited ones nearest first, with known users",
			caller: authn.Principal{Kind: authn.KindPomerium, UserID: "u-someone", Groups: []string{"oncall"}},
			ns:     prod,
			want: append([]row{
				{prod, "production", false, "group", "oncall", "viewer", "", ""},
				{prod, "production", false, "user", "u-bob", "admin", "Bob", "bob@example.com"},
				{eng, "Engineering", true, "user", "carol@example.com", "viewer", "Carol", "Carol@Example.com"},
				{eng, "Engineering", true, "user", "dave@example.com", "guest", "", ""},
				{eng, "Engineering", true, "user", "u-bob", "manager", "Bob", "bob@example.com"},
			}, globalRows...),
		},
		{
			name:   "a manager of a middle namespace does not see its children's grants",
			caller: authn.Principal{Kind: authn.KindPomerium, UserID: "u-bob", Email: "bob@example.com"},
			ns:     eng,
			want: append([]row{
				{eng, "Engineering", false, "user", "carol@example.com", "viewer", "Carol", "Carol@Example.com"},
				{eng, "Engineering", false, "user", "dave@example.com", "guest", "", ""},
				{eng, "Engineering", false, "user", "u-bob", "manager", "Bob", "bob@example.com"},
			}, globalRows...),
		},
		{
			name:   "Global has nothing to inherit",
			caller: root,
			ns:     global,
			want:   []row{{global, "Global", false, "group", "admins", "admin", "", ""}},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			storetest.ForEach(t, func(t *testing.T, s db.Store) {
				e := newEnv(t, s)
				seedMembers(t, e)
				got, err := e.svc.List(t.Context(), e.Resolve(t, tc.caller), tc.ns)
				if err != nil {
					t.Fatal(err)
				}
				if !reflect.DeepEqual(rows(got), tc.want) {
					t.Fatalf("List =\n%+v\nwant\n%+v", rows(got), tc.want)
				}
			})
		})
	}
}

func TestListRefused(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		groups []string
		ns     string
		want   apptest.Refusal
	}{
		{"a guest", []string{"g-guest"}, prod,
			apptest.Forbidden(`this needs the viewer role on namespace "production"; you are a guest there`)},
		{"a viewer of a child asking for its parent", []string{"oncall"}, eng,
			apptest.Forbidden(`you have no role on namespace "Engineering"; the viewer role is needed`)},
		{"no role at all", nil, fin,
			apptest.Forbidden(`you have no role on namespace "Finance"; the viewer role is needed`)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			storetest.ForEach(t, func(t *testing.T, s db.Store) {
				e := newEnv(t, s)
				seedMembers(t, e)
				e.Put(t, db.Permission{ID: "g", NamespaceID: prod, SubjectType: db.SubjectGroup, SubjectID: "g-guest", Role: rbac.RoleGuest.String()})
				acc := e.Resolve(t, authn.Principal{Kind: authn.KindPomerium, UserID: "u-someone", Groups: tc.groups})
				got, err := e.svc.List(t.Context(), acc, tc.ns)
				tc.want.Check(t, err)
				if got != nil {
					t.Errorf("List returned %+v with its error", got)
				}
			})
		})
	}
}

// TestListNamesUserOfEmailGrantAfterSignIn follows an e-mail grant made
// before the user's first sign-in: the name appears once the user is known.
func TestListNamesUserOfEmailGrantAfterSignIn(t *testing.T) {
	t.Parallel()
	storetest.ForEach(t, func(t *testing.T, s db.Store) {
		e := newEnv(t, s)
		acc := e.Resolve(t, root)
		e.grant(t, acc, fin, members.GrantInput{SubjectType: "user", SubjectID: "Zoe@Example.com", Role: "viewer"})
		name := func() string {
			t.Helper()
			ms, err := e.svc.List(t.Context(), acc, fin)
			if err != nil || len(ms) != 1 {
				t.Fatalf("List = %+v, %v", ms, err)
			}
			return ms[0].UserName
		}
		if got := name(); got != "" {
			t.Fatalf("UserName before sign-in = %q, want empty", got)
		}
		if err := s.UpsertUser(t.Context(), db.User{ID: "u-zoe", Email: "ZOE@example.com", Name: "Zoe", LastSeenAt: time.Now()}); err != nil {
			t.Fatal(err)
		}
		if got := name(); got != "Zoe" {
			t.Fatalf("UserName after sign-in = %q, want Zoe", got)
		}
	})
}
