// Package nstree holds an in-memory snapshot of the namespace tree: ancestry
// for role inheritance, descendants for "include child namespaces" filters,
// and a depth-first walk for the tree views.
package nstree
