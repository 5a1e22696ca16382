package deploy_test

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/pomerium-console-oss/pomerium-console/app/apptest"
	"github.com/pomerium-console-oss/pomerium-console/app/clusters"
	"github.com/pomerium-console-oss/pomerium-console/app/databroker"
	"github.com/pomerium-console-oss/pomerium-console/app/databroker/databrokertest"
	"github.com/pomerium-console-oss/pomerium-console/app/deploy"
	"github.com/pomerium-console-oss/pomerium-console/app/errs"
	configpb "github.com/pomerium-console-oss/pomerium-console/app/pb/config"
	"github.com/pomerium-console-oss/pomerium-console/app/rbac"
	"github.com/pomerium-console-oss/pomerium-console/db"
	"github.com/pomerium-console-oss/pomerium-console/db/storetest"
)

func TestEachClusterGetsTheRoutesOfItsNamespaces(t *testing.T) {
	t.Parallel()
	storetest.ForEach(t, func(t *testing.T, s db.Store) {
		e := newEnv(t, s)
		ctx := context.Background()
		second := databrokertest.Start(t)
		engCl, err := e.clusters.Create(ctx, e.root, clusters.Input{
			Name: "Eng", NamespaceID: eng, DatabrokerURL: second.URL(), SharedSecret: second.SharedSecret(),
		})
		if err != nil {
			t.Fatal(err)
		}
		e.dep.Wait()
		e.policy(global, "Everyone", allowEmail("root@example.com"), true)
		e.route(eng, "a", "https://a.example.com")
		e.route(apptest.Dev, "dev", "https://dev.example.com")
		e.route(fin, "f", "https://f.example.com")

		for _, tc := range []struct {
			cluster string
			want    int
		}{{db.DefaultClusterID, 2}, {engCl.ID, 3}} { // the policy counts in both: it is enforced on Eng's routes too
			p, err := e.dep.Pending(ctx, e.root, tc.cluster)
			if err != nil {
				t.Fatal(err)
			}
			if len(p.Changes) != tc.want {
				t.Errorf("cluster %s: %d pending changes %+v, want %d", tc.cluster, len(p.Changes), p.Changes, tc.want)
			}
		}
		e.apply("default")
		e.applyTo(engCl, "eng")
		def, _ := e.pushed()
		if got := routeFroms(def); !slices.Equal(got, []string{"https://f.example.com"}) {
			t.Errorf("the default cluster got %v, want only Finance's route", got)
		}
		rec := second.Record(databroker.TypeURL(&configpb.Config{}), deploy.RecordID)
		engCfg := &configpb.Config{}
		if rec == nil || rec.GetData().UnmarshalTo(engCfg) != nil {
			t.Fatal("the Eng cluster's databroker holds no Config")
		}
		if got := routeFroms(engCfg); !slices.Equal(got, []string{"https://a.example.com", "https://dev.example.com"}) {
			t.Errorf("the Eng cluster got %v", got)
		}
		if len(engCfg.GetRoutes()[0].GetPolicies()) != 1 {
			t.Error("Global's enforced policy does not reach the Eng cluster's routes")
		}

		// Deleting the cluster withdraws the console's record, and its
		// namespaces go back to the default cluster.
		if err := e.clusters.Delete(ctx, e.root, engCl.ID, false); err != nil {
			t.Fatal(err)
		}
		if second.Record(databroker.TypeURL(&configpb.Config{}), deploy.RecordID) != nil {
			t.Error("the deleted cluster's databroker still holds the console's record")
		}
		if n := len(e.pending().Changes); n != 2 {
			t.Errorf("%d pending changes for the default cluster after the delete, want 2 (Eng's routes)", n)
		}
	})
}

func TestDeletingAClusterWhoseDatabrokerIsDown(t *testing.T) {
	t.Parallel()
	s := storetest.OpenSQLite(t)
	e := newEnv(t, s)
	ctx := context.Background()
	second := databrokertest.Start(t)
	cl, err := e.clusters.Create(ctx, e.root, clusters.Input{Name: "Eng", NamespaceID: eng, DatabrokerURL: second.URL(), SharedSecret: second.SharedSecret()})
	if err != nil {
		t.Fatal(err)
	}
	e.dep.Wait()
	second.Stop()
	err = e.clusters.Delete(ctx, e.root, cl.ID, false)
	if !errors.Is(err, errs.ErrConflict) {
		t.Fatalf("delete while the databroker is down: %v, want a refusal", err)
	}
	if err := e.clusters.Delete(ctx, e.root, cl.ID, true); err != nil {
		t.Fatalf("forced delete: %v", err)
	}
}

func TestWhoMayDoWhat(t *testing.T) {
	t.Parallel()
	s := storetest.OpenSQLite(t)
	e := newEnv(t, s)
	ctx := context.Background()
	e.route(eng, "a", "https://a.example.com")
	first := e.apply("a")
	e.route(eng, "b", "https://b.example.com")
	tests := []struct {
		name       string
		roles      apptest.Roles
		read, edit bool
	}{
		{"admin of Global", apptest.Roles{global: rbac.RoleAdmin}, true, true},
		{"manager of Global", apptest.Roles{global: rbac.RoleManager}, true, false},
		{"viewer of Global", apptest.Roles{global: rbac.RoleViewer}, true, false},
		{"admin of Engineering", apptest.Roles{eng: rbac.RoleAdmin}, false, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			acc := e.Caller(t, tc.roles)
			reads := []error{}
			_, err := e.dep.Pending(ctx, acc, db.DefaultClusterID)
			reads = append(reads, err)
			_, err = e.dep.List(ctx, acc, db.DefaultClusterID, 0)
			reads = append(reads, err)
			_, err = e.dep.Compare(ctx, acc, first.ID, deploy.PendingID)
			reads = append(reads, err)
			for i, err := range reads {
				if (err == nil) != tc.read || (err != nil && !errors.Is(err, errs.ErrForbidden)) {
					t.Errorf("read %d: %v, want allowed=%v", i, err, tc.read)
				}
			}
			for name, call := range map[string]func() error{
				"redeploy": func() error { _, err := e.dep.Redeploy(ctx, acc, first.ID, ""); return err },
				"push":     func() error { return e.dep.PushNow(ctx, acc, db.DefaultClusterID) },
				"download": func() error { _, _, err := e.dep.Config(ctx, acc, first.ID); return err },
			} {
				err := call()
				if tc.edit == errors.Is(err, errs.ErrForbidden) {
					t.Errorf("%s: %v, want allowed=%v", name, err, tc.edit)
				}
			}
			if !tc.edit {
				if _, err := e.dep.Apply(ctx, acc, db.DefaultClusterID, ""); !errors.Is(err, errs.ErrForbidden) {
					t.Errorf("apply: %v, want forbidden", err)
				}
				if _, err := e.dep.Discard(ctx, acc, db.DefaultClusterID); !errors.Is(err, errs.ErrForbidden) {
					t.Errorf("discard: %v, want forbidden", err)
				}
			}
			n, err := e.dep.PendingCount(ctx, acc, eng)
			if err != nil || (n > 0) != tc.read {
				t.Errorf("pending count %d (%v), want shown=%v", n, err, tc.read)
			}
		})
	}
}

func TestChangesetScopeHoldsItsActivity(t *testing.T) {
	t.Parallel()
	storetest.ForEach(t, func(t *testing.T, s db.Store) {
		e := newEnv(t, s)
		ctx := context.Background()
		e.route(eng, "a", "https://a.example.com")
		first := e.apply("a")
		e.route(eng, "b", "https://b.example.com")
		e.route(fin, "c", "https://c.example.com")
		second := e.apply("b and c")
		e.route(eng, "d", "https://d.example.com")

		names := func(id string) []string {
			t.Helper()
			scope, err := e.dep.Scope(ctx, e.root, id, eng)
			if err != nil {
				t.Fatal(err)
			}
			list, _, err := s.ListActivity(ctx, db.ActivityFilter{Revisions: &scope.Revisions, NamespaceIDs: scope.NamespaceIDs})
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, en := range list {
				out = append(out, en.EntityName)
			}
			slices.Sort(out)
			return out
		}
		for _, tc := range []struct {
			id   string
			want []string
		}{
			{first.ID, []string{"Default #1", "a"}}, // the changes, and the apply that closed them
			{second.ID, []string{"Default #2", "b", "c"}},
			{deploy.PendingID, []string{"d"}},
		} {
			if got := names(tc.id); !slices.Equal(got, tc.want) {
				t.Errorf("changeset %s holds %v, want %v", tc.id, got, tc.want)
			}
		}
		redo, err := e.dep.Redeploy(ctx, e.root, first.ID, "")
		if err != nil {
			t.Fatal(err)
		}
		if got := names(redo.ID); len(got) != 0 {
			t.Errorf("a re-deploy's changeset holds %v, want nothing", got)
		}
	})
}
