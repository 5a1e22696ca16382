package routes

import (
	"context"
	"fmt"
	"unicode/utf8"

	"github.com/pomerium-console-oss/pomerium-console/app/rbac"
	"github.com/pomerium-console-oss/pomerium-console/db"
)

// PageSize is the number of routes on one page of the list.
const PageSize = 50

// Query selects routes as seen from one namespace.
type Query struct {
	NamespaceID string
	// IncludeDescendants adds the routes of every namespace below it that
	// the caller may view.
	IncludeDescendants bool
	Search             string
	// Sort is one of db.RouteSort*; Desc reverses it.
	Sort   string
	Desc   bool
	Offset int
	// Limit is the page's size; zero means PageSize.
	Limit int
}

// Page is one page of routes and the total that matched.
type Page struct {
	Routes []db.Route
	Total  int
}

// List returns the routes of q's namespace (and descendants) for a viewer.
func (s *Service) List(ctx context.Context, acc *rbac.Access, q Query) (Page, error) {
	if err := acc.Require(q.NamespaceID, rbac.RoleViewer); err != nil {
		return Page{}, err
	}
	ids := []string{q.NamespaceID}
	if q.IncludeDescendants {
		ids = acc.SubtreeWith(q.NamespaceID, rbac.RoleViewer)
	}
	list, total, err := s.store.ListRoutes(ctx, db.RouteFilter{
		NamespaceIDs: ids, Query: q.Search, Sort: q.Sort, Desc: q.Desc, Offset: max(q.Offset, 0), Limit: pageSize(q.Limit),
	})
	if err != nil {
		return Page{}, fmt.Errorf("routes: list: %w", err)
	}
	return Page{Routes: list, Total: total}, nil
}

// Get returns route id for a viewer of its namespace.
func (s *Service) Get(ctx context.Context, acc *rbac.Access, id string) (db.Route, error) {
	return s.getVisible(ctx, s.store, acc, id, rbac.RoleViewer)
}

// CloneInput is route id as a new route's input for a manager: the same
// fields under a free "(copy)" name, without its secrets, which are never
// read back. It is not stored: a copy answers the same requests as its
// source, so the form asks for a change first.
func (s *Service) CloneInput(ctx context.Context, acc *rbac.Access, id string) (Input, error) {
	src, err := s.getVisible(ctx, s.store, acc, id, rbac.RoleManager)
	if err != nil {
		return Input{}, err
	}
	in := InputOf(src)
	in.Spec.SealedIdentityProviderClientSecret, in.Spec.SealedKubernetesServiceAccountToken = "", ""
	for i := 1; ; i++ {
		suffix := " (copy)"
		if i > 1 {
			suffix = fmt.Sprintf(" (copy %d)", i)
		}
		base := []rune(src.Name)
		if len(base)+utf8.RuneCountInString(suffix) > MaxNameLength {
			base = base[:MaxNameLength-utf8.RuneCountInString(suffix)]
		}
		name := string(base) + suffix
		_, taken, err := firstRoute(ctx, s.store, db.RouteFilter{NamespaceIDs: []string{src.NamespaceID}, Name: name}, "")
		if err != nil {
			return Input{}, err
		}
		if !taken {
			in.Name = name
			return in, nil
		}
	}
}

// pageSize is limit when it is positive, else PageSize.
func pageSize(limit int) int {
	if limit > 0 {
		return limit
	}
	return PageSize
}
