package storetest

import (
	"fmt"
	"testing"
	"time"

	"github.com/pomerium-console-oss/pomerium-console/db"
)

// deployment returns a deployment fixture of cluster c made minutes after base.
func deployment(id, c string, minutes int) db.Deployment {
	return db.Deployment{
		ID: id, ClusterID: c, Status: db.StatusCurrent, Message: "Deploy ü " + id, ConfigRevision: int64(minutes),
		UserID: "alice", UserName: "Alice", UserEmail: "alice@example.com", Summary: `{"routes":1}`,
		Model: `{"model":"` + id + `"}`, Config: "v1.sealed." + id, YAML: "yaml of " + id, ConfigHash: "sha256:" + id,
		CreatedAt: at(time.Duration(minutes) * time.Minute), ModifiedAt: at(time.Duration(minutes) * time.Minute),
	}
}

func storedDeployment(d db.Deployment, number int64) db.Deployment {
	d.Number = number
	d.CreatedAt, d.ModifiedAt = stored(d.CreatedAt), stored(d.ModifiedAt)
	return d
}

// summaryOf is d as lists return it: without model and configuration.
func summaryOf(d db.Deployment) db.Deployment {
	d.Model, d.Config, d.YAML = "", "", ""
	return d
}

func deploymentNumbers(list []db.Deployment) []string {
	out := []string{}
	for _, d := range list {
		out = append(out, fmt.Sprintf("%s#%d", d.ClusterID, d.Number))
	}
	return out
}

func testDeployments(t *testing.T, newStore NewStore) {
	subtests(t, newStore, map[string]func(t *testing.T, s db.Store){
		"create numbers per cluster, get round-trips": func(t *testing.T, s db.Store) {
			seedNamespaces(t, s)
			must(t, s.CreateCluster(t.Context(), cluster("c1", "Edge", "team")))
			var made []db.Deployment
			for i, d := range []db.Deployment{
				deployment("d1", db.DefaultClusterID, 1), deployment("d2", db.DefaultClusterID, 2),
				deployment("d3", "c1", 3), deployment("d4", db.DefaultClusterID, 4),
			} {
				got, err := s.CreateDeployment(t.Context(), d)
				must(t, err)
				made = append(made, got)
				want := storedDeployment(d, []int64{1, 2, 1, 3}[i])
				wantEqual(t, "created "+d.ID, got, want)
				read, err := s.GetDeployment(t.Context(), d.ID)
				must(t, err)
				wantEqual(t, "read "+d.ID, read, want)
			}
			list, total, err := s.ListDeployments(t.Context(), db.DeploymentFilter{ClusterID: db.DefaultClusterID})
			must(t, err)
			wantEqual(t, "total", total, 3)
			wantEqual(t, "listed newest first, without blobs", list,
				[]db.Deployment{summaryOf(made[3]), summaryOf(made[1]), summaryOf(made[0])})
		},
		"an empty summary is stored as an empty object": func(t *testing.T, s db.Store) {
			d := deployment("d1", db.DefaultClusterID, 1)
			d.Summary = ""
			got, err := s.CreateDeployment(t.Context(), d)
			must(t, err)
			wantEqual(t, "summary", got.Summary, "{}")
		},
		"filters and pages": func(t *testing.T, s db.Store) {
			seedNamespaces(t, s)
			must(t, s.CreateCluster(t.Context(), cluster("c1", "Edge", "team")))
			statuses := []string{db.StatusApplied, db.StatusFailed, db.StatusApplied, db.StatusCurrent, db.StatusRejected}
			for i, st := range statuses {
				d := deployment(fmt.Sprintf("d%d", i), db.DefaultClusterID, i)
				d.Status = st
				_, err := s.CreateDeployment(t.Context(), d)
				must(t, err)
			}
			_, err := s.CreateDeployment(t.Context(), deployment("other", "c1", 9))
			must(t, err)
			tests := []struct {
				name  string
				f     db.DeploymentFilter
				want  []string
				total int
			}{
				{"all clusters", db.DeploymentFilter{}, []string{"default#5", "default#4", "default#3", "default#2", "c1#1", "default#1"}, 6},
				{"one cluster", db.DeploymentFilter{ClusterID: "c1"}, []string{"c1#1"}, 1},
				{"statuses", db.DeploymentFilter{ClusterID: db.DefaultClusterID, Statuses: []string{db.StatusApplied, db.StatusCurrent}}, []string{"default#4", "default#3", "default#1"}, 3},
				{"a page", db.DeploymentFilter{ClusterID: db.DefaultClusterID, Offset: 1, Limit: 2}, []string{"default#4", "default#3"}, 5},
				{"past the end", db.DeploymentFilter{ClusterID: db.DefaultClusterID, Offset: 9}, []string{}, 5},
				{"unknown cluster", db.DeploymentFilter{ClusterID: "nope"}, []string{}, 0},
			}
			for _, tc := range tests {
				t.Run(tc.name, func(t *testing.T) {
					list, total, err := s.ListDeployments(t.Context(), tc.f)
					must(t, err)
					wantEqual(t, "deployments", deploymentNumbers(list), tc.want)
					wantEqual(t, "total", total, tc.total)
				})
			}
		},
		"status and yaml change; nothing else does": func(t *testing.T, s db.Store) {
			d, err := s.CreateDeployment(t.Context(), deployment("d1", db.DefaultClusterID, 1))
			must(t, err)
			must(t, s.SetDeploymentStatus(t.Context(), "d1", db.StatusFailed, "connection refused", at(time.Hour)))
			got, err := s.GetDeployment(t.Context(), "d1")
			must(t, err)
			d.Status, d.FailureMessage, d.ModifiedAt = db.StatusFailed, "connection refused", stored(at(time.Hour))
			wantEqual(t, "after status change", got, d)
			wantErr(t, s.SetDeploymentStatus(t.Context(), "nope", db.StatusFailed, "", at(0)), db.ErrNotFound)
			must(t, s.SetDeploymentYAML(t.Context(), "d1", "redacted yaml ü"))
			got, err = s.GetDeployment(t.Context(), "d1")
			must(t, err)
			d.YAML = "redacted yaml ü"
			wantEqual(t, "after the yaml", got, d)
			wantErr(t, s.SetDeploymentYAML(t.Context(), "nope", ""), db.ErrNotFound)
		},
		"refusals": func(t *testing.T, s db.Store) {
			_, err := s.CreateDeployment(t.Context(), deployment("d1", "nope", 1))
			wantErr(t, err, db.ErrNotFound)
			_, err = s.CreateDeployment(t.Context(), deployment("d1", db.DefaultClusterID, 1))
			must(t, err)
			_, err = s.CreateDeployment(t.Context(), deployment("d1", db.DefaultClusterID, 2))
			wantErr(t, err, db.ErrConflict)
			_, err = s.GetDeployment(t.Context(), "nope")
			wantErr(t, err, db.ErrNotFound)
		},
	})
}

// testActivityRevisions checks that activity entries carry the revision
// of their transaction's configuration change, and the changeset filter.
func testActivityRevisions(t *testing.T, newStore NewStore) {
	subtests(t, newStore, map[string]func(t *testing.T, s db.Store){
		"entries after MarkConfigChanged in one transaction carry its revision": func(t *testing.T, s db.Store) {
			must(t, s.InsertActivity(t.Context(), entry("before", 0, db.ActivityCreate, "ns1", "alice", "route", "r1")))
			must(t, s.InTx(t.Context(), func(tx db.Store) error {
				if err := tx.InsertActivity(t.Context(), entry("early", 1, db.ActivityCreate, "ns1", "alice", "namespace", "n1")); err != nil {
					return err
				}
				if _, err := tx.MarkConfigChanged(t.Context(), at(0)); err != nil {
					return err
				}
				return tx.InTx(t.Context(), func(inner db.Store) error { // a nested call shares the transaction
					return inner.InsertActivity(t.Context(), entry("change", 2, db.ActivityUpdate, "ns1", "alice", "route", "r1"))
				})
			}))
			explicit := entry("explicit", 3, db.ActivityUpdate, "ns1", "alice", "route", "r1")
			explicit.ConfigRevision = 7
			must(t, s.InsertActivity(t.Context(), explicit))
			must(t, s.InTx(t.Context(), func(tx db.Store) error { // no configuration change here
				return tx.InsertActivity(t.Context(), entry("member", 4, db.ActivityCreate, "ns1", "alice", "namespace_permission", "p1"))
			}))
			for id, want := range map[string]int64{"before": 0, "early": 0, "change": 1, "explicit": 7, "member": 0} {
				got, err := s.GetActivity(t.Context(), id)
				must(t, err)
				wantEqual(t, "revision of "+id, got.ConfigRevision, want)
			}
		},
		"the changeset filter keeps a range of revisions": func(t *testing.T, s db.Store) {
			for i, rev := range []int64{0, 1, 2, 2, 3, 5} {
				e := entry(fmt.Sprintf("e%d", i), i, db.ActivityUpdate, "ns1", "alice", "route", "r1")
				e.ConfigRevision = rev
				must(t, s.InsertActivity(t.Context(), e))
			}
			tests := []struct {
				name string
				r    db.RevisionRange
				want []string
			}{
				{"the first changeset", db.RevisionRange{After: 0, UpTo: 2}, []string{"e3", "e2", "e1"}},
				{"a middle one", db.RevisionRange{After: 2, UpTo: 3}, []string{"e4"}},
				{"the open changeset", db.RevisionRange{After: 3}, []string{"e5"}},
				{"everything that changed configuration", db.RevisionRange{}, []string{"e5", "e4", "e3", "e2", "e1"}},
				{"an empty range", db.RevisionRange{After: 3, UpTo: 4}, []string{}},
			}
			for _, tc := range tests {
				t.Run(tc.name, func(t *testing.T) {
					list, total, err := s.ListActivity(t.Context(), db.ActivityFilter{Revisions: &tc.r})
					must(t, err)
					wantEqual(t, "ids", activityIDs(list), tc.want)
					wantEqual(t, "total", total, len(tc.want))
				})
			}
		},
	})
}
