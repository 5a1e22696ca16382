package apptest

import (
	"maps"
	"slices"
	"testing"
	"time"

	"github.com/pomerium-console-oss/pomerium-console/app/authn"
	"github.com/pomerium-console-oss/pomerium-console/app/rbac"
	"github.com/pomerium-console-oss/pomerium-console/db"
)

// Callers resolves principals on Store the way the console does, with
// Admins as the configured administrators; the grants it stores are
// stamped At.
type Callers struct {
	Store  db.Store
	Admins []string
	At     time.Time
}

// Roles maps namespace ids to the role held there.
type Roles map[string]rbac.Role

// Pomerium is a user signed in through Pomerium.
func Pomerium(id, email string, groups ...string) authn.Principal {
	return authn.Principal{Kind: authn.KindPomerium, UserID: id, Email: email, Groups: groups}
}

// Recovery is the principal of a recovery token scoped to nsID.
func Recovery(nsID string) authn.Principal {
	return authn.Principal{Kind: authn.KindRecovery, UserID: "recovery:tok", Name: "Recovery admin", RecoveryNamespaceID: nsID}
}

// Resolve builds p's access, stopping t when that fails.
func (c Callers) Resolve(t testing.TB, p authn.Principal) *rbac.Access {
	t.Helper()
	acc, err := rbac.NewAuthorizer(c.Store, c.Admins).Resolve(t.Context(), p)
	if err != nil {
		t.Fatalf("resolve %+v: %v", p, err)
	}
	return acc
}

// Put stores each grant as given but for CreatedAt and ModifiedAt, which
// become c.At.
func (c Callers) Put(t testing.TB, grants ...db.Permission) {
	t.Helper()
	for _, g := range grants {
		g.CreatedAt, g.ModifiedAt = c.At, c.At
		if _, err := c.Store.PutPermission(t.Context(), g); err != nil {
			t.Fatalf("put %+v: %v", g, err)
		}
	}
}

// User grants the Pomerium user id each role directly (grant ids are
// "<id>@<namespace>") and resolves that user.
func (c Callers) User(t testing.TB, id string, roles Roles) *rbac.Access {
	t.Helper()
	// Sorted so that a failing put names the same grant on every run.
	for _, ns := range slices.Sorted(maps.Keys(roles)) {
		c.Put(t, db.Permission{
			ID: id + "@" + ns, NamespaceID: ns, SubjectType: db.SubjectUser, SubjectID: id, Role: roles[ns].String(),
		})
	}
	return c.Resolve(t, authn.Principal{Kind: authn.KindPomerium, UserID: id})
}

// Group resolves the user "u-caller" whose only grant is role on nsID,
// held through the group "g-<role>-<nsID>" so that the caller adds no user
// grant to any listing.
func (c Callers) Group(t testing.TB, nsID string, role rbac.Role) *rbac.Access {
	t.Helper()
	group := "g-" + role.String() + "-" + nsID
	c.Put(t, db.Permission{ID: group, NamespaceID: nsID, SubjectType: db.SubjectGroup, SubjectID: group, Role: role.String()})
	return c.Resolve(t, Pomerium("u-caller", "", group))
}
