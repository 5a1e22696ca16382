package nstree

import (
	"sort"
	"strings"

	"github.com/pomerium-console-oss/pomerium-console/db"
)

// Tree is an immutable snapshot of all namespaces.
type Tree struct {
	byID     map[string]db.Namespace
	children map[string][]string
}

// Node is one namespace in depth-first order with its depth below the roots.
type Node struct {
	db.Namespace
	Depth int
}

// New builds a tree from every namespace. Children are ordered by name.
func New(all []db.Namespace) *Tree {
	t := &Tree{byID: make(map[string]db.Namespace, len(all)), children: map[string][]string{}}
	for _, ns := range all {
		t.byID[ns.ID] = ns
	}
	for _, ns := range all {
		if ns.ParentID != "" {
			t.children[ns.ParentID] = append(t.children[ns.ParentID], ns.ID)
		}
	}
	for _, ids := range t.children {
		sort.Slice(ids, func(i, j int) bool {
			return strings.ToLower(t.byID[ids[i]].Name) < strings.ToLower(t.byID[ids[j]].Name)
		})
	}
	return t
}

// Get returns the namespace with id.
func (t *Tree) Get(id string) (db.Namespace, bool) {
	ns, ok := t.byID[id]
	return ns, ok
}

// Len is the number of namespaces.
func (t *Tree) Len() int { return len(t.byID) }

// Children returns the direct children of id, ordered by name.
func (t *Tree) Children(id string) []db.Namespace {
	out := make([]db.Namespace, 0, len(t.children[id]))
	for _, c := range t.children[id] {
		out = append(out, t.byID[c])
	}
	return out
}

// Ancestors returns the path from the root down to id, id included; nil when
// id is unknown. A parent cycle (which the service never creates) ends the walk.
func (t *Tree) Ancestors(id string) []db.Namespace {
	var path []db.Namespace
	seen := map[string]bool{}
	for cur, ok := t.byID[id]; ok && !seen[cur.ID]; cur, ok = t.byID[cur.ParentID] {
		seen[cur.ID] = true
		path = append(path, cur)
	}
	for i, j := 0, len(path)-1; i < j; i, j = i+1, j-1 {
		path[i], path[j] = path[j], path[i]
	}
	return path
}

// IsWithin reports whether id is ancestor itself or one of its descendants.
func (t *Tree) IsWithin(id, ancestor string) bool {
	for _, ns := range t.Ancestors(id) {
		if ns.ID == ancestor {
			return true
		}
	}
	return false
}

// Subtree returns root and all its descendants in depth-first order, depths
// counted from root (0).
func (t *Tree) Subtree(root string) []Node {
	if _, ok := t.byID[root]; !ok {
		return nil
	}
	var out []Node
	var walk func(id string, depth int)
	walk = func(id string, depth int) {
		out = append(out, Node{Namespace: t.byID[id], Depth: depth})
		for _, c := range t.children[id] {
			walk(c, depth+1)
		}
	}
	walk(root, 0)
	return out
}

// SubtreeIDs returns the ids of root and its descendants.
func (t *Tree) SubtreeIDs(root string) []string {
	nodes := t.Subtree(root)
	ids := make([]string, len(nodes))
	for i, n := range nodes {
		ids[i] = n.ID
	}
	return ids
}

// All returns every namespace in depth-first order from the root(s).
func (t *Tree) All() []Node {
	var roots []string
	for id, ns := range t.byID {
		if _, ok := t.byID[ns.ParentID]; !ok {
			roots = append(roots, id)
		}
	}
	sort.Slice(roots, func(i, j int) bool {
		// Global first, then any orphan roots by name.
		if roots[i] == db.GlobalNamespaceID || roots[j] == db.GlobalNamespaceID {
			return roots[i] == db.GlobalNamespaceID
		}
		return t.byID[roots[i]].Name < t.byID[roots[j]].Name
	})
	var out []Node
	for _, r := range roots {
		out = append(out, t.Subtree(r)...)
	}
	return out
}
