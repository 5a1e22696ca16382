package clusters_test

import (
	"slices"
	"testing"

	"github.com/pomerium-console-oss/pomerium-console/app/clusters"
	"github.com/pomerium-console-oss/pomerium-console/app/nstree"
	"github.com/pomerium-console-oss/pomerium-console/db"
)

func TestCoverage(t *testing.T) {
	t.Parallel()
	//	Global ─┬─ eng ─┬─ prod ── deep
	//	        │       └─ dev
	//	        └─ fin
	tree := nstree.New([]db.Namespace{
		{ID: db.GlobalNamespaceID, Name: "Global"},
		{ID: "eng", ParentID: db.GlobalNamespaceID, Name: "eng"},
		{ID: "prod", ParentID: "eng", Name: "prod"},
		{ID: "deep", ParentID: "prod", Name: "deep"},
		{ID: "dev", ParentID: "eng", Name: "dev"},
		{ID: "fin", ParentID: db.GlobalNamespaceID, Name: "fin"},
	})
	cov := clusters.NewCoverage(tree, []db.Cluster{
		{ID: db.DefaultClusterID, NamespaceID: db.GlobalNamespaceID},
		{ID: "c-eng", NamespaceID: "eng"},
		{ID: "c-prod", NamespaceID: "prod"},
	})
	for ns, want := range map[string]string{
		db.GlobalNamespaceID: db.DefaultClusterID, "fin": db.DefaultClusterID, "eng": "c-eng", "dev": "c-eng",
		"prod": "c-prod", "deep": "c-prod", "unknown": "",
	} {
		if c, _ := cov.ClusterOf(ns); c.ID != want {
			t.Errorf("ClusterOf(%s) = %q, want %q", ns, c.ID, want)
		}
	}
	for id, want := range map[string][]string{
		db.DefaultClusterID: {db.GlobalNamespaceID, "fin"}, "c-eng": {"eng", "dev"}, "c-prod": {"prod", "deep"}, "nope": nil,
	} {
		got := cov.Namespaces(id)
		slices.Sort(got)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("Namespaces(%s) = %v, want %v", id, got, want)
		}
	}
	// Eng's view keeps its ancestors (their enforced policies apply) and
	// drops the subtree prod's cluster serves.
	sub := cov.Tree("c-eng")
	for ns, want := range map[string]bool{db.GlobalNamespaceID: true, "eng": true, "dev": true, "fin": true, "prod": false, "deep": false} {
		if _, ok := sub.Get(ns); ok != want {
			t.Errorf("c-eng's tree has %s: %v, want %v", ns, ok, want)
		}
	}
	if got := sub.SubtreeIDs("eng"); !slices.Equal(got, []string{"eng", "dev"}) {
		t.Errorf("c-eng's subtree %v", got)
	}
}
