package storetest

import (
	"testing"
	"time"

	"github.com/pomerium-console-oss/pomerium-console/db"
)

// cluster returns a cluster fixture bound to namespace ns.
func cluster(id, name, ns string) db.Cluster {
	return db.Cluster{
		ID: id, Name: name, NamespaceID: ns, DatabrokerURL: "https://databroker." + id + ".example.com:5443",
		SealedSharedSecret: "v1.sealed." + id, CAPEM: "-----BEGIN CERTIFICATE-----\n" + id + "\n",
		OverrideName: "databroker.internal", InsecureSkipVerify: true, CreatedAt: at(0), ModifiedAt: at(time.Minute),
	}
}

func storedCluster(c db.Cluster) db.Cluster {
	c.CreatedAt, c.ModifiedAt = stored(c.CreatedAt), stored(c.ModifiedAt)
	return c
}

func clusterIDs(list []db.Cluster) []string {
	out := []string{}
	for _, c := range list {
		out = append(out, c.ID)
	}
	return out
}

// defaultCluster is the row the migration creates.
var defaultCluster = db.Cluster{ID: db.DefaultClusterID, Name: "Default", NamespaceID: db.GlobalNamespaceID}

func testClusters(t *testing.T, newStore NewStore) {
	subtests(t, newStore, map[string]func(t *testing.T, s db.Store){
		"the migration creates the default cluster on Global": func(t *testing.T, s db.Store) {
			got, err := s.GetCluster(t.Context(), db.DefaultClusterID)
			must(t, err)
			wantEqual(t, "default", got, defaultCluster)
		},
		"create, get, update, delete round-trip": func(t *testing.T, s db.Store) {
			seedNamespaces(t, s)
			c := cluster("c1", "Edge ü", "team")
			must(t, s.CreateCluster(t.Context(), c))
			got, err := s.GetCluster(t.Context(), "c1")
			must(t, err)
			wantEqual(t, "created", got, storedCluster(c))

			c.Name, c.NamespaceID, c.DatabrokerURL, c.SealedSharedSecret = "Edge 2", "other", "http://127.0.0.1:5443", ""
			c.CAPEM, c.OverrideName, c.InsecureSkipVerify = "", "", false
			c.CreatedAt, c.ModifiedAt = at(time.Hour), at(2*time.Hour) // CreatedAt must not change
			must(t, s.UpdateCluster(t.Context(), c))
			got, err = s.GetCluster(t.Context(), "c1")
			must(t, err)
			want := storedCluster(c)
			want.CreatedAt = stored(at(0))
			wantEqual(t, "updated", got, want)
			wantDeleted(t, "c1", c, s.GetCluster, s.DeleteCluster, s.UpdateCluster)
		},
		"listed by name, case-insensitively": func(t *testing.T, s db.Store) {
			seedNamespaces(t, s)
			must(t, s.CreateCluster(t.Context(), cluster("c1", "edge", "team")))
			must(t, s.CreateCluster(t.Context(), cluster("c2", "Alpha", "other")))
			list, err := s.ListClusters(t.Context())
			must(t, err)
			wantEqual(t, "ids", clusterIDs(list), []string{"c2", db.DefaultClusterID, "c1"})
		},
		"names, namespaces and ids are unique": func(t *testing.T, s db.Store) {
			seedNamespaces(t, s)
			must(t, s.CreateCluster(t.Context(), cluster("c1", "Edge", "team")))
			must(t, s.CreateCluster(t.Context(), cluster("c2", "Other", "other")))
			for _, tc := range []struct {
				name string
				c    db.Cluster
			}{
				{"same id", cluster("c1", "Fresh", "other-team")},
				{"same name, other case", cluster("c3", "EDGE", "other-team")},
				{"same namespace", cluster("c3", "Fresh", "team")},
				{"the default cluster's namespace", cluster("c3", "Fresh", db.GlobalNamespaceID)},
			} {
				t.Run(tc.name, func(t *testing.T) {
					wantErr(t, s.CreateCluster(t.Context(), tc.c), db.ErrConflict)
				})
			}
			renamed := cluster("c2", "edge", "other")
			wantErr(t, s.UpdateCluster(t.Context(), renamed), db.ErrConflict)
			moved := cluster("c2", "Other", "team")
			wantErr(t, s.UpdateCluster(t.Context(), moved), db.ErrConflict)
		},
		"a missing namespace is not found": func(t *testing.T, s db.Store) {
			wantErr(t, s.CreateCluster(t.Context(), cluster("c1", "Edge", "nope")), db.ErrNotFound)
		},
		"a namespace bound to a cluster cannot be deleted": func(t *testing.T, s db.Store) {
			seedNamespaces(t, s)
			must(t, s.CreateCluster(t.Context(), cluster("c1", "Edge", "team")))
			wantErr(t, s.DeleteNamespace(t.Context(), "team"), db.ErrReferenced)
		},
		"deleting a cluster removes its deployments and push state": func(t *testing.T, s db.Store) {
			seedNamespaces(t, s)
			must(t, s.CreateCluster(t.Context(), cluster("c1", "Edge", "team")))
			_, err := s.CreateDeployment(t.Context(), deployment("d1", "c1", 1))
			must(t, err)
			must(t, s.PutPushState(t.Context(), pushState("c1")))
			must(t, s.DeleteCluster(t.Context(), "c1"))
			_, err = s.GetDeployment(t.Context(), "d1")
			wantErr(t, err, db.ErrNotFound)
			_, err = s.GetPushState(t.Context(), "c1")
			wantErr(t, err, db.ErrNotFound)
		},
	})
}

// pushState returns a push state fixture of cluster id.
func pushState(id string) db.PushState {
	return db.PushState{
		ClusterID: id, Connected: true, LastAttemptAt: at(time.Minute), LastSuccessAt: at(time.Minute),
		LastPushedDeploymentID: "d1", LastError: "", ServerVersion: "v0.31 (server 42)", RecordVersion: 1 << 40,
		Failures: 0, NextRetryAt: time.Time{},
	}
}

func storedPushState(p db.PushState) db.PushState {
	p.LastAttemptAt, p.LastSuccessAt, p.NextRetryAt = stored(p.LastAttemptAt), stored(p.LastSuccessAt), stored(p.NextRetryAt)
	return p
}

func testPushStates(t *testing.T, newStore NewStore) {
	subtests(t, newStore, map[string]func(t *testing.T, s db.Store){
		"no state before the first attempt": func(t *testing.T, s db.Store) {
			_, err := s.GetPushState(t.Context(), db.DefaultClusterID)
			wantErr(t, err, db.ErrNotFound)
			list, err := s.ListPushStates(t.Context())
			must(t, err)
			wantEqual(t, "list", len(list), 0)
		},
		"put inserts, then replaces": func(t *testing.T, s db.Store) {
			first := pushState(db.DefaultClusterID)
			must(t, s.PutPushState(t.Context(), first))
			got, err := s.GetPushState(t.Context(), db.DefaultClusterID)
			must(t, err)
			wantEqual(t, "inserted", got, storedPushState(first))

			second := db.PushState{
				ClusterID: db.DefaultClusterID, LastAttemptAt: at(time.Hour), LastSuccessAt: at(time.Minute),
				LastPushedDeploymentID: "d1", LastError: "cannot reach the databroker (connection refused)",
				ServerVersion: "unknown", Failures: 3, NextRetryAt: at(2 * time.Hour),
			}
			must(t, s.PutPushState(t.Context(), second))
			got, err = s.GetPushState(t.Context(), db.DefaultClusterID)
			must(t, err)
			wantEqual(t, "replaced", got, storedPushState(second))
			list, err := s.ListPushStates(t.Context())
			must(t, err)
			wantEqual(t, "list", list, []db.PushState{storedPushState(second)})
		},
		"a missing cluster is not found": func(t *testing.T, s db.Store) {
			wantErr(t, s.PutPushState(t.Context(), pushState("nope")), db.ErrNotFound)
		},
	})
}
