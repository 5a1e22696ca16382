package policies

import (
	"context"
	"errors"
	"fmt"

	"github.com/pomerium-console-oss/pomerium-console/app/errs"
	"github.com/pomerium-console-oss/pomerium-console/app/rbac"
	"github.com/pomerium-console-oss/pomerium-console/db"
)

// PageSize is the number of policies on one page of the list.
const PageSize = 50

// inheritedPage is how many policies Inherited reads at a time; it reads
// them all, however many a namespace holds.
const inheritedPage = 500

// Query selects policies as seen from one namespace.
type Query struct {
	NamespaceID string
	// IncludeDescendants adds the policies of every namespace below it that
	// the caller may view.
	IncludeDescendants bool
	Search             string
	Enforced           *bool
	Offset             int
	// Limit is the page's size; zero means PageSize.
	Limit int
}

// Page is one page of policies and the total that matched.
type Page struct {
	Policies []db.Policy
	Total    int
}

// List returns the policies of q's namespace (and descendants) for a viewer.
func (s *Service) List(ctx context.Context, acc *rbac.Access, q Query) (Page, error) {
	if err := acc.Require(q.NamespaceID, rbac.RoleViewer); err != nil {
		return Page{}, err
	}
	ids := []string{q.NamespaceID}
	if q.IncludeDescendants {
		ids = acc.SubtreeWith(q.NamespaceID, rbac.RoleViewer)
	}
	list, total, err := s.store.ListPolicies(ctx, db.PolicyFilter{
		NamespaceIDs: ids, Query: q.Search, Enforced: q.Enforced, Offset: max(q.Offset, 0), Limit: pageSize(q.Limit),
	})
	if err != nil {
		return Page{}, fmt.Errorf("policies: list: %w", err)
	}
	return Page{Policies: list, Total: total}, nil
}

// Get returns policy id for a viewer of its namespace.
func (s *Service) Get(ctx context.Context, acc *rbac.Access, id string) (db.Policy, error) {
	p, err := s.store.GetPolicy(ctx, id)
	if errors.Is(err, db.ErrNotFound) {
		return db.Policy{}, errs.NotFound("policy %s does not exist", id)
	}
	if err != nil {
		return db.Policy{}, fmt.Errorf("policies: get: %w", err)
	}
	if err := acc.Require(p.NamespaceID, rbac.RoleViewer); err != nil {
		return db.Policy{}, err
	}
	return p, nil
}

// Inherited lists, for routes of nsID, the enforced policies that apply to
// them and the optional ones they may attach: those of nsID and of every
// ancestor, nearest namespace first.
func (s *Service) Inherited(ctx context.Context, acc *rbac.Access, nsID string) (enforced, optional []db.Policy, err error) {
	if err := acc.Require(nsID, rbac.RoleViewer); err != nil {
		return nil, nil, err
	}
	path := acc.Tree().Ancestors(nsID)
	for i := len(path) - 1; i >= 0; i-- {
		list, err := db.ReadAll(func(offset int) ([]db.Policy, int, error) {
			return s.store.ListPolicies(ctx, db.PolicyFilter{NamespaceIDs: []string{path[i].ID}, Offset: offset, Limit: inheritedPage})
		})
		if err != nil {
			return nil, nil, fmt.Errorf("policies: inherited: %w", err)
		}
		for _, p := range list {
			if p.Enforced {
				enforced = append(enforced, p)
			} else {
				optional = append(optional, p)
			}
		}
	}
	return enforced, optional, nil
}

// Scope is where a policy applies: its namespace and every descendant.
// Enforced policies apply to every route there; optional ones are offered.
type Scope struct {
	Namespaces []db.Namespace
}

// ScopeOf returns the namespaces p reaches, in tree order.
func ScopeOf(acc *rbac.Access, p db.Policy) Scope {
	var sc Scope
	for _, n := range acc.Tree().Subtree(p.NamespaceID) {
		sc.Namespaces = append(sc.Namespaces, n.Namespace)
	}
	return sc
}

// Blocker lists the policies that keep a namespace from being deleted.
func Blocker(ctx context.Context, tx db.Store, namespaceID string) ([]string, error) {
	list, _, err := tx.ListPolicies(ctx, db.PolicyFilter{NamespaceIDs: []string{namespaceID}, Limit: 500})
	if err != nil {
		return nil, fmt.Errorf("policies: list the namespace's policies: %w", err)
	}
	names := make([]string, 0, len(list))
	for _, p := range list {
		names = append(names, fmt.Sprintf("policy %q", p.Name))
	}
	return names, nil
}

// pageSize is limit when it is positive, else PageSize.
func pageSize(limit int) int {
	if limit > 0 {
		return limit
	}
	return PageSize
}
