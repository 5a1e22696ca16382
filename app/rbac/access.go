package rbac

import (
	"context"
	"fmt"
	"strings"

	"github.com/pomerium-console-oss/pomerium-console/app/authn"
	"github.com/pomerium-console-oss/pomerium-console/app/errs"
	"github.com/pomerium-console-oss/pomerium-console/app/nstree"
	"github.com/pomerium-console-oss/pomerium-console/db"
)

// Store is the slice of db.Store role resolution reads.
type Store interface {
	ListNamespaces(ctx context.Context) ([]db.Namespace, error)
	ListPermissionsForSubjects(ctx context.Context, userSubjects, groups []string) ([]db.Permission, error)
}

// Authorizer resolves a principal's roles.
type Authorizer struct {
	store  Store
	admins map[string]bool
}

// NewAuthorizer returns an Authorizer; administrators (e-mails or user ids,
// from the config file) are admins of Global whatever the database says.
func NewAuthorizer(store Store, administrators []string) *Authorizer {
	admins := map[string]bool{}
	for _, a := range administrators {
		// NB: an empty entry would make any principal with an empty user
		// id a Global admin.
		if a = strings.ToLower(strings.TrimSpace(a)); a != "" {
			admins[a] = true
		}
	}
	return &Authorizer{store: store, admins: admins}
}

// Access is what one principal may do, resolved against one snapshot of the
// namespace tree. It is built once per request.
type Access struct {
	Principal authn.Principal
	tree      *nstree.Tree
	direct    map[string]Role
	// scope, when set, is the only subtree where any role holds: a
	// service account's namespace.
	scope string
}

// Resolve loads the tree and the principal's grants.
func (a *Authorizer) Resolve(ctx context.Context, p authn.Principal) (*Access, error) {
	all, err := a.store.ListNamespaces(ctx)
	if err != nil {
		return nil, fmt.Errorf("rbac: list namespaces: %w", err)
	}
	return a.ResolveIn(ctx, nstree.New(all), p)
}

// ResolveIn loads the principal's grants against a tree already read, such
// as another Access's: resolving many users in one request then reads the
// namespaces once.
func (a *Authorizer) ResolveIn(ctx context.Context, tree *nstree.Tree, p authn.Principal) (*Access, error) {
	acc := &Access{Principal: p, tree: tree, direct: map[string]Role{}}
	if p.Kind == authn.KindServiceAccount {
		// "A service account can only be used in the Namespace it was
		// created in, including its children": whatever its user id is
		// granted (or configured as) elsewhere stays out of reach.
		acc.scope = p.ServiceAccountNamespaceID
	}
	switch {
	case p.Kind == authn.KindRecovery:
		acc.direct[p.RecoveryNamespaceID] = RoleAdmin
		return acc, nil
	case a.isConfiguredAdmin(p):
		acc.direct[db.GlobalNamespaceID] = RoleAdmin
		return acc, nil
	}
	subjects := userSubjects(p)
	perms, err := a.store.ListPermissionsForSubjects(ctx, subjects, p.Groups)
	if err != nil {
		return nil, fmt.Errorf("rbac: list permissions: %w", err)
	}
	for _, perm := range perms {
		r, err := ParseRole(perm.Role)
		if err != nil {
			continue
		}
		if r > acc.direct[perm.NamespaceID] {
			acc.direct[perm.NamespaceID] = r
		}
	}
	return acc, nil
}

// userSubjects are the ids a user grant may name: the IdP user id, or the
// e-mail address (so an admin can grant a role before the user first signs in).
func userSubjects(p authn.Principal) []string {
	out := []string{p.UserID}
	if p.Email != "" {
		out = append(out, strings.ToLower(p.Email))
	}
	return out
}

func (a *Authorizer) isConfiguredAdmin(p authn.Principal) bool {
	return a.admins[strings.ToLower(p.UserID)] || (p.Email != "" && a.admins[strings.ToLower(p.Email)])
}

// Tree is the namespace snapshot the access was resolved against.
func (acc *Access) Tree() *nstree.Tree { return acc.tree }

// Role is the effective role on nsID: the strongest grant on it or any
// ancestor; none outside a service account's namespace subtree.
func (acc *Access) Role(nsID string) Role {
	best, inScope := RoleNone, acc.scope == ""
	for _, ns := range acc.tree.Ancestors(nsID) {
		inScope = inScope || ns.ID == acc.scope
		if r := acc.direct[ns.ID]; r > best {
			best = r
		}
	}
	if !inScope {
		return RoleNone
	}
	return best
}

// Require returns a forbidden error unless the effective role on nsID is at
// least min. The message names the namespace, the role needed and the role held.
func (acc *Access) Require(nsID string, min Role) error {
	have := acc.Role(nsID)
	if have >= min {
		return nil
	}
	name := nsID
	if ns, ok := acc.tree.Get(nsID); ok {
		name = ns.Name
	}
	if have == RoleNone {
		return errs.Forbidden("you have no role on namespace %q; the %s role is needed", name, min)
	}
	return errs.Forbidden("this needs the %s role on namespace %q; you are a %s there", min, name, have)
}

// Visible reports whether the namespace may be shown at all (any role on it).
func (acc *Access) Visible(nsID string) bool { return acc.Role(nsID) >= RoleGuest }

// SubtreeWith returns nsID and its descendants on which the principal holds
// at least min, in tree order.
func (acc *Access) SubtreeWith(nsID string, min Role) []string {
	ids := []string{}
	for _, id := range acc.tree.SubtreeIDs(nsID) {
		if acc.Role(id) >= min {
			ids = append(ids, id)
		}
	}
	return ids
}

// Home is the namespace a principal lands on: Global when visible, else the
// first visible namespace in tree order, else "".
func (acc *Access) Home() string {
	for _, n := range acc.tree.All() {
		if acc.Visible(n.ID) {
			return n.ID
		}
	}
	return ""
}
