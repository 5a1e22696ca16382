package nstree

import (
	"reflect"
	"testing"

	"github.com/pomerium-console-oss/pomerium-console/db"
)

func sample() *Tree {
	return New([]db.Namespace{
		{ID: db.GlobalNamespaceID, Name: "Global"},
		{ID: "eng", ParentID: db.GlobalNamespaceID, Name: "Engineering"},
		{ID: "prod", ParentID: "eng", Name: "production"},
		{ID: "dev", ParentID: "eng", Name: "Dev"},
		{ID: "fin", ParentID: db.GlobalNamespaceID, Name: "Finance"},
	})
}

func names(nodes []Node) []string {
	var out []string
	for _, n := range nodes {
		out = append(out, n.Name)
	}
	return out
}

func TestAncestors(t *testing.T) {
	t.Parallel()
	tr := sample()
	var got []string
	for _, ns := range tr.Ancestors("prod") {
		got = append(got, ns.ID)
	}
	if want := []string{db.GlobalNamespaceID, "eng", "prod"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("ancestors = %v, want %v", got, want)
	}
	if tr.Ancestors("missing") != nil {
		t.Fatal("unknown id should have no ancestors")
	}
}

func TestIsWithin(t *testing.T) {
	t.Parallel()
	tr := sample()
	tests := []struct {
		id, anc string
		want    bool
	}{
		{"prod", "eng", true},
		{"prod", "prod", true},
		{"prod", db.GlobalNamespaceID, true},
		{"eng", "prod", false},
		{"fin", "eng", false},
	}
	for _, tc := range tests {
		if got := tr.IsWithin(tc.id, tc.anc); got != tc.want {
			t.Errorf("IsWithin(%s, %s) = %v, want %v", tc.id, tc.anc, got, tc.want)
		}
	}
}

func TestWalkOrderAndDepth(t *testing.T) {
	t.Parallel()
	tr := sample()
	all := tr.All()
	if got, want := names(all), []string{"Global", "Engineering", "Dev", "production", "Finance"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("walk = %v, want %v (children sorted case-insensitively)", got, want)
	}
	if all[2].Depth != 2 || all[4].Depth != 1 {
		t.Fatalf("depths wrong: %+v", all)
	}
	if got := tr.SubtreeIDs("eng"); !reflect.DeepEqual(got, []string{"eng", "dev", "prod"}) {
		t.Fatalf("subtree = %v", got)
	}
}

func TestCycleDoesNotHang(t *testing.T) {
	t.Parallel()
	tr := New([]db.Namespace{{ID: "a", ParentID: "b", Name: "a"}, {ID: "b", ParentID: "a", Name: "b"}})
	if n := len(tr.Ancestors("a")); n != 2 {
		t.Fatalf("ancestors in a cycle = %d, want 2", n)
	}
}
