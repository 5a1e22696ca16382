package serviceaccounts_test

import (
	"strings"
	"testing"
	"time"

	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/pomerium-console-oss/pomerium-console/app/apptest"
	"github.com/pomerium-console-oss/pomerium-console/app/clusters"
	"github.com/pomerium-console-oss/pomerium-console/app/databroker"
	"github.com/pomerium-console-oss/pomerium-console/app/databroker/databrokertest"
	"github.com/pomerium-console-oss/pomerium-console/app/errs"
	"github.com/pomerium-console-oss/pomerium-console/app/namespaces"
	"github.com/pomerium-console-oss/pomerium-console/app/serviceaccounts"
	"github.com/pomerium-console-oss/pomerium-console/db"
	"github.com/pomerium-console-oss/pomerium-console/db/storetest"
)

// sync runs the retry job's pass.
func (e *env) sync() {
	e.t.Helper()
	if err := e.svc.Sync(e.t.Context()); err != nil {
		e.t.Fatal(err)
	}
}

// syncUntil runs retry passes, each after the back-off, until done holds:
// a restarted databroker takes the client a moment to reconnect to.
func (e *env) syncUntil(done func() bool) {
	e.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !done() {
		if time.Now().After(deadline) {
			e.t.Fatal("the retries did not land within 10s")
		}
		time.Sleep(50 * time.Millisecond)
		e.clock.skip(time.Hour)
		e.sync()
	}
}

func TestSyncRetriesUntilTheRecordLands(t *testing.T) {
	t.Parallel()
	storetest.ForEach(t, func(t *testing.T, s db.Store) {
		e := newEnv(t, s)
		e.broker.Stop()
		a, token := e.create(serviceaccounts.Input{NamespaceID: eng, Description: "CI"})
		st := e.get(a.ID).Sync
		if st.State != serviceaccounts.SyncFailed || !strings.Contains(st.LastError, "cannot reach the databroker") ||
			st.NextAttemptAt.Sub(apptest.Now).Round(time.Second) != time.Minute {
			t.Fatalf("sync while down: %+v", st)
		}
		// The console takes the token at once; Core will once the record lands.
		if _, err := e.svc.Verify(t.Context(), token); err != nil {
			t.Fatal(err)
		}
		if err := e.broker.Restart(); err != nil {
			t.Fatal(err)
		}
		e.sync() // not due yet
		if e.record(a.ID) != nil || e.get(a.ID).Sync.State != serviceaccounts.SyncFailed {
			t.Fatal("a push before its back-off passed")
		}
		e.clock.skip(time.Minute + time.Second)
		e.syncUntil(func() bool { return e.record(a.ID) != nil })
		if rec := e.record(a.ID); rec.GetDescription() != "CI" {
			t.Fatalf("record after the retry: %v", rec)
		}
		if st := e.get(a.ID).Sync; st.State != serviceaccounts.SyncDone || st.LastError != "" || st.ClusterID != db.DefaultClusterID {
			t.Fatalf("sync after the retry: %+v", st)
		}

		// A revocation while the databroker is down is owed too, and keeps
		// the namespace from being deleted until it lands.
		e.broker.Stop()
		if _, err := e.svc.Revoke(t.Context(), e.root, a.ID); err != nil {
			t.Fatal(err)
		}
		e.svc.Wait()
		nss := namespaces.NewService(s, e.clock.Now, serviceaccounts.Blocker)
		apptest.WantRefused(t, s, apptest.Refusal{Target: errs.ErrConflict,
			Msg: `conflict: namespace "Engineering" is not empty: it still contains namespace "Dev", namespace "production", ` +
				`revoked service account "CI" (its revocation has not reached the databroker yet). Move or delete them first`,
		}, func() (int, error) { return 0, nss.Delete(t.Context(), e.root, eng) })
		if err := e.broker.Restart(); err != nil {
			t.Fatal(err)
		}
		e.syncUntil(func() bool { return e.record(a.ID) == nil })
		names, err := serviceaccounts.Blocker(t.Context(), s, eng)
		if err != nil || len(names) != 0 {
			t.Fatalf("blockers after the tombstone: %v %v", names, err)
		}
	})
}

func TestSyncWithoutADatabroker(t *testing.T) {
	t.Parallel()
	storetest.ForEach(t, func(t *testing.T, s db.Store) {
		e := newEnv(t, s)
		e.pointDefaultAt("", e.broker.SharedSecret())
		a, _ := e.create(serviceaccounts.Input{NamespaceID: eng})
		st := e.get(a.ID).Sync
		if st.State != serviceaccounts.SyncFailed ||
			st.LastError != `cluster "Default" has no databroker configured: set its databroker service URL first` {
			t.Fatalf("sync without a databroker: %+v", st)
		}
		e.pointDefaultAt(e.broker.URL(), e.broker.SharedSecret())
		e.clock.skip(time.Minute + time.Second)
		e.sync()
		if e.record(a.ID) == nil {
			t.Fatal("the record did not land once the databroker was configured")
		}
	})
}

func TestReconcile(t *testing.T) {
	t.Parallel()
	storetest.ForEach(t, func(t *testing.T, s db.Store) {
		e := newEnv(t, s)
		a, _ := e.create(serviceaccounts.Input{NamespaceID: fin, Description: "finance bot"})
		b, _ := e.create(serviceaccounts.Input{NamespaceID: eng})

		// A restarted in-memory databroker lost everything.
		e.broker.Reset()
		if err := e.svc.Reconcile(t.Context()); err != nil {
			t.Fatal(err)
		}
		if e.record(a.ID) == nil || e.record(b.ID) == nil {
			t.Fatal("reconcile did not put the lost records back")
		}

		// Core's authorize wrote a use into the record: it becomes "last
		// used", and a later push keeps it.
		used := apptest.Now.Add(time.Hour).Truncate(time.Millisecond)
		rec := e.record(b.ID)
		rec.AccessedAt = timestamppb.New(used)
		client, err := databroker.Dial(t.Context(), databroker.Options{URL: e.broker.URL(), SharedSecret: e.broker.SharedSecret()})
		if err != nil {
			t.Fatal(err)
		}
		defer client.Close()
		if _, err := client.PutMessage(t.Context(), b.ID, rec); err != nil {
			t.Fatal(err)
		}
		if err := e.svc.Reconcile(t.Context()); err != nil {
			t.Fatal(err)
		}
		if got := e.get(b.ID).AccessedAt; !got.Equal(used) {
			t.Fatalf("last used %v, want Core's %v", got, used)
		}
		desc := "renamed"
		if _, _, err := e.svc.Update(t.Context(), e.root, b.ID, serviceaccounts.UpdateInput{Description: &desc}); err != nil {
			t.Fatal(err)
		}
		e.svc.Wait()
		if got := e.record(b.ID); got.GetDescription() != desc || !got.GetAccessedAt().AsTime().Equal(used) {
			t.Fatalf("record after an update: %v", got)
		}

		// Finance gets a cluster of its own: the record moves there.
		other := databrokertest.Start(t)
		c, err := e.clusters.Create(t.Context(), e.root, clusters.Input{
			Name: "Finance", NamespaceID: fin, DatabrokerURL: other.URL(), SharedSecret: other.SharedSecret(),
		})
		if err != nil {
			t.Fatal(err)
		}
		e.clock.skip(serviceaccounts.DefaultReconcileInterval)
		e.sync()
		if e.record(a.ID) != nil || other.Record(serviceaccounts.RecordType, a.ID) == nil {
			t.Fatal("the record did not move to the cluster now serving its namespace")
		}
		if st := e.get(a.ID).Sync; st.ClusterID != c.ID || st.State != serviceaccounts.SyncDone {
			t.Fatalf("sync after the move: %+v, want cluster %s", st, c.ID)
		}
		if e.record(b.ID) == nil {
			t.Fatal("the account of Engineering lost its record")
		}
	})
}
