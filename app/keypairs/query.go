package keypairs

import (
	"context"
	"fmt"
	"time"

	"github.com/pomerium-console-oss/pomerium-console/app/rbac"
	"github.com/pomerium-console-oss/pomerium-console/db"
)

// PageSize is the number of key pairs on one page of the list.
const PageSize = 50

// Expiry filters of the list.
const (
	// FilterExpiring keeps pairs that expire within ExpiringWithin,
	// expired ones included: both need attention.
	FilterExpiring = "expiring"
	FilterExpired  = "expired"
)

// Query selects key pairs as seen from one namespace.
type Query struct {
	NamespaceID string
	// IncludeDescendants adds the pairs of every namespace below it that
	// the caller may view.
	IncludeDescendants bool
	Search             string
	// Expiry is "", FilterExpiring or FilterExpired.
	Expiry string
	Offset int
	// Limit is the page's size; zero means PageSize.
	Limit int
}

// Page is one page of key pairs and the total that matched.
type Page struct {
	KeyPairs []db.KeyPair
	Total    int
}

// List returns the key pairs of q's namespace (and descendants) for a viewer.
func (s *Service) List(ctx context.Context, acc *rbac.Access, q Query) (Page, error) {
	if err := acc.Require(q.NamespaceID, rbac.RoleViewer); err != nil {
		return Page{}, err
	}
	f := db.KeyPairFilter{NamespaceIDs: []string{q.NamespaceID}, Query: q.Search, Offset: max(q.Offset, 0), Limit: pageSize(q.Limit)}
	if q.IncludeDescendants {
		f.NamespaceIDs = acc.SubtreeWith(q.NamespaceID, rbac.RoleViewer)
	}
	switch q.Expiry {
	case FilterExpiring:
		f.ExpiresBefore = s.now().Add(ExpiringWithin)
	case FilterExpired:
		// A pair ending exactly now is expired too; the store keeps
		// milliseconds.
		f.ExpiresBefore = s.now().Truncate(time.Millisecond).Add(time.Millisecond)
	}
	list, total, err := s.store.ListKeyPairs(ctx, f)
	if err != nil {
		return Page{}, fmt.Errorf("keypairs: list: %w", err)
	}
	return Page{KeyPairs: list, Total: total}, nil
}

// Get returns key pair id for a viewer of its namespace.
func (s *Service) Get(ctx context.Context, acc *rbac.Access, id string) (db.KeyPair, error) {
	k, err := getPair(ctx, s.store, id)
	if err != nil {
		return db.KeyPair{}, err
	}
	if err := acc.Require(k.NamespaceID, rbac.RoleViewer); err != nil {
		return db.KeyPair{}, err
	}
	return k, nil
}

// Usage names what uses key pair id, for a viewer of its namespace.
func (s *Service) Usage(ctx context.Context, acc *rbac.Access, id string) ([]string, error) {
	if _, err := s.Get(ctx, acc, id); err != nil {
		return nil, err
	}
	return s.usersOf(ctx, s.store, id)
}

// RouteCertificates returns, for a viewer of namespace nsID, the key pairs
// that can serve host there (see the package function).
func (s *Service) RouteCertificates(ctx context.Context, acc *rbac.Access, nsID, host string) ([]db.KeyPair, error) {
	if err := acc.Require(nsID, rbac.RoleViewer); err != nil {
		return nil, err
	}
	return RouteCertificates(ctx, s.store, acc.Tree(), nsID, host)
}

// Blocker lists the key pairs that keep a namespace from being deleted.
func Blocker(ctx context.Context, tx db.Store, namespaceID string) ([]string, error) {
	list, err := InNamespace(ctx, tx, namespaceID)
	if err != nil {
		return nil, err
	}
	names := make([]string, 0, len(list))
	for _, k := range list {
		names = append(names, fmt.Sprintf("key pair %q", k.Name))
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
