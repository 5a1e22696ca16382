package db

import "context"

// NamespaceCounts is how many routes and policies one namespace holds
// itself (its descendants' are not included).
type NamespaceCounts struct {
	Routes   int
	Policies int
}

// CountStore counts what namespaces hold, for lists that show a count per
// namespace without loading every row.
type CountStore interface {
	// CountByNamespace returns the counts of every namespace that holds at
	// least one route or policy; namespaces holding neither are absent.
	CountByNamespace(ctx context.Context) (map[string]NamespaceCounts, error)
}
