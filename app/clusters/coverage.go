package clusters

import (
	"github.com/pomerium-console-oss/pomerium-console/app/nstree"
	"github.com/pomerium-console-oss/pomerium-console/db"
)

// Coverage tells which cluster serves each namespace: the cluster bound to
// the namespace itself or to its nearest ancestor. A subtree bound to a
// cluster of its own is left out of the clusters above it, so every route
// is pushed to exactly one cluster.
type Coverage struct {
	tree     *nstree.Tree
	byID     map[string]db.Cluster
	byRoot   map[string]string // namespace id → cluster id bound to it
	clusters map[string]string // namespace id → cluster id serving it
}

// NewCoverage computes the coverage of tree by clusters.
func NewCoverage(tree *nstree.Tree, clusters []db.Cluster) Coverage {
	c := Coverage{tree: tree, byID: map[string]db.Cluster{}, byRoot: map[string]string{}, clusters: map[string]string{}}
	for _, cl := range clusters {
		c.byID[cl.ID] = cl
		c.byRoot[cl.NamespaceID] = cl.ID
	}
	for _, n := range tree.All() {
		if id, ok := c.byRoot[n.ID]; ok {
			c.clusters[n.ID] = id
			continue
		}
		if id, ok := c.clusters[n.ParentID]; ok {
			c.clusters[n.ID] = id
		}
	}
	return c
}

// ClusterOf returns the cluster that serves namespace nsID; false when no
// cluster covers it (only for namespaces outside the tree).
func (c Coverage) ClusterOf(nsID string) (db.Cluster, bool) {
	id, ok := c.clusters[nsID]
	if !ok {
		return db.Cluster{}, false
	}
	return c.byID[id], true
}

// Cluster returns the cluster with id, if it is known.
func (c Coverage) Cluster(id string) (db.Cluster, bool) {
	cl, ok := c.byID[id]
	return cl, ok
}

// Namespaces returns the ids of the namespaces cluster id serves, in
// depth-first order from its root.
func (c Coverage) Namespaces(id string) []string {
	cl, ok := c.byID[id]
	if !ok {
		return nil
	}
	var out []string
	for _, n := range c.tree.Subtree(cl.NamespaceID) {
		if c.clusters[n.ID] == id {
			out = append(out, n.ID)
		}
	}
	return out
}

// Tree returns the namespace tree as cluster id sees it: every namespace
// but the subtrees below its root that other clusters serve. Ancestors of
// its root stay, since their enforced policies apply to its routes.
func (c Coverage) Tree(id string) *nstree.Tree {
	cl, ok := c.byID[id]
	if !ok {
		return nstree.New(nil)
	}
	var keep []db.Namespace
	for _, n := range c.tree.All() {
		if c.tree.IsWithin(n.ID, cl.NamespaceID) && c.clusters[n.ID] != id {
			continue
		}
		keep = append(keep, n.Namespace)
	}
	return nstree.New(keep)
}
