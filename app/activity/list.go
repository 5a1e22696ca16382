package activity

import (
	"context"
	"fmt"

	"github.com/pomerium-console-oss/pomerium-console/app/rbac"
	"github.com/pomerium-console-oss/pomerium-console/db"
)

// PageSize is the number of entries on one page of the log.
const PageSize = 50

// Query selects a page of the log as seen from one namespace.
type Query struct {
	NamespaceID string
	// IncludeDescendants adds the entries of every namespace below NamespaceID.
	IncludeDescendants bool
	ActivityType       string
	EntityType         string
	EntityID           string
	UserID             string
	// ChangesetID is the changesetId filter as the caller gave it;
	// Changeset is what it resolved to (see deploy.Service.Scope).
	ChangesetID string
	Changeset   *ChangesetFilter
	Offset      int
	// Limit is the page size; 0 means PageSize.
	Limit int
}

// ChangesetFilter keeps the entries of one changeset: the configuration
// changes in its range of revisions, in the namespaces its cluster serves.
type ChangesetFilter struct {
	Revisions    db.RevisionRange
	NamespaceIDs []string
}

// Page is one page of entries and the total that matched.
type Page struct {
	Entries []db.ActivityEntry
	Total   int
	Offset  int
	Limit   int
}

// Reader reads the log for principals with at least the viewer role.
type Reader struct {
	store db.ActivityStore
}

// NewReader returns a Reader over store.
func NewReader(store db.ActivityStore) *Reader { return &Reader{store: store} }

// List returns the entries matching q. Entries of descendant namespaces the
// principal cannot view are left out.
func (r *Reader) List(ctx context.Context, acc *rbac.Access, q Query) (Page, error) {
	ids, err := scope(acc, q.NamespaceID, q.IncludeDescendants)
	if err != nil {
		return Page{}, err
	}
	if q.Changeset != nil {
		ids = intersect(ids, q.Changeset.NamespaceIDs)
	}
	f := db.ActivityFilter{
		ActivityType: q.ActivityType,
		EntityType:   q.EntityType,
		EntityID:     q.EntityID,
		UserID:       q.UserID,
		NamespaceIDs: ids,
		Offset:       max(q.Offset, 0),
		Limit:        PageSize,
	}
	if q.Limit > 0 {
		f.Limit = q.Limit
	}
	if q.Changeset != nil {
		f.Revisions = &q.Changeset.Revisions
	}
	entries, total, err := r.store.ListActivity(ctx, f)
	if err != nil {
		return Page{}, fmt.Errorf("activity: list: %w", err)
	}
	return Page{Entries: entries, Total: total, Offset: f.Offset, Limit: f.Limit}, nil
}

// Get returns one entry if the principal may view its namespace.
func (r *Reader) Get(ctx context.Context, acc *rbac.Access, id string) (db.ActivityEntry, error) {
	e, err := r.store.GetActivity(ctx, id)
	if err != nil {
		return db.ActivityEntry{}, fmt.Errorf("activity: get: %w", err)
	}
	// The log outlives namespaces; entries of a deleted one belong to Global's viewers.
	nsID := e.NamespaceID
	if _, ok := acc.Tree().Get(nsID); !ok {
		nsID = db.GlobalNamespaceID
	}
	if err := acc.Require(nsID, rbac.RoleViewer); err != nil {
		return db.ActivityEntry{}, err
	}
	return e, nil
}

// Users lists the people who appear in the entries List would show for
// namespaceID, for the user filter: names from namespaces the principal
// cannot view stay hidden.
func (r *Reader) Users(ctx context.Context, acc *rbac.Access, namespaceID string, includeDescendants bool) ([]db.ActivityEntry, error) {
	ids, err := scope(acc, namespaceID, includeDescendants)
	if err != nil {
		return nil, err
	}
	users, err := r.store.ListActivityUsers(ctx, ids)
	if err != nil {
		return nil, fmt.Errorf("activity: users: %w", err)
	}
	return users, nil
}

// scope returns the namespaces whose entries a view of namespaceID shows
// (nil: all of them), after checking the principal may view it.
func scope(acc *rbac.Access, namespaceID string, includeDescendants bool) ([]string, error) {
	if err := acc.Require(namespaceID, rbac.RoleViewer); err != nil {
		return nil, err
	}
	switch {
	case !includeDescendants:
		return []string{namespaceID}, nil
	case namespaceID == db.GlobalNamespaceID:
		// Everything is below Global, including the entries of deleted
		// namespaces, which the tree no longer knows; as in Get, they
		// belong to Global's viewers.
		return nil, nil
	}
	return acc.SubtreeWith(namespaceID, rbac.RoleViewer), nil
}

// intersect keeps the namespaces of scope (nil: all) that are in only.
func intersect(scope, only []string) []string {
	if scope == nil {
		return append([]string{}, only...)
	}
	keep := map[string]bool{}
	for _, id := range only {
		keep[id] = true
	}
	out := []string{}
	for _, id := range scope {
		if keep[id] {
			out = append(out, id)
		}
	}
	return out
}
