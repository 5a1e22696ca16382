package storetest

import (
	"reflect"
	"testing"
	"time"

	"github.com/pomerium-console-oss/pomerium-console/db"
)

// snapshotActivity is how many of the newest activity entries a Snapshot
// holds: far more than any fixture writes.
const snapshotActivity = 500

// snapshotRows is how many policies, routes and key pairs a Snapshot holds:
// more than any fixture makes (the list tests page through a few hundred).
const snapshotRows = 2000

// Snapshot is everything a mutation of the namespace tree, its grants,
// policies, routes, key pairs, settings, clusters or service accounts may
// change, with the configuration revision and the activity log, as read by
// Capture.
type Snapshot struct {
	Namespaces  []db.Namespace
	Permissions []db.Permission
	Policies    []db.Policy
	Routes      []db.Route
	KeyPairs    []db.KeyPair
	Settings    []db.Settings
	Clusters    []db.Cluster
	// ServiceAccounts leave out when an account was last used and how its
	// push went: a verified token and the background push change those
	// whatever a test's mutation did.
	ServiceAccounts []db.ServiceAccount
	Revision        int64
	Activity        []db.ActivityEntry
}

// Capture reads every namespace and grant, the policies, routes and key
// pairs (up to 2,000 each), every settings row, cluster and service
// account, the configuration revision and the newest 500 activity entries
// of s, stopping t on a store error.
func Capture(t testing.TB, s db.Store) Snapshot {
	t.Helper()
	ctx := t.Context()
	var (
		snap Snapshot
		err  error
	)
	check := func(err error) {
		if err != nil {
			t.Fatal(err)
		}
	}
	snap.Namespaces, err = s.ListNamespaces(ctx)
	check(err)
	snap.Permissions, err = s.ListPermissions(ctx, "")
	check(err)
	snap.Policies, err = pageAll(func(offset, limit int) ([]db.Policy, int, error) {
		return s.ListPolicies(ctx, db.PolicyFilter{Offset: offset, Limit: limit})
	})
	check(err)
	snap.Routes, err = pageAll(func(offset, limit int) ([]db.Route, int, error) {
		return s.ListRoutes(ctx, db.RouteFilter{Offset: offset, Limit: limit})
	})
	check(err)
	snap.KeyPairs, err = pageAll(func(offset, limit int) ([]db.KeyPair, int, error) {
		return s.ListKeyPairs(ctx, db.KeyPairFilter{Offset: offset, Limit: limit})
	})
	check(err)
	snap.Settings, err = s.ListSettings(ctx)
	check(err)
	snap.Clusters, err = s.ListClusters(ctx)
	check(err)
	snap.ServiceAccounts, err = s.ListServiceAccounts(ctx, db.ServiceAccountFilter{})
	check(err)
	for i := range snap.ServiceAccounts {
		snap.ServiceAccounts[i].AccessedAt, snap.ServiceAccounts[i].Sync = time.Time{}, db.ServiceAccountSync{}
	}
	snap.Revision, _, err = s.ConfigRevision(ctx)
	check(err)
	snap.Activity, _, err = s.ListActivity(ctx, db.ActivityFilter{Limit: snapshotActivity})
	check(err)
	return snap
}

// Unchanged fails t when s no longer holds exactly st, as a refused or
// failed mutation must leave it.
func (st Snapshot) Unchanged(t testing.TB, s db.Store) {
	t.Helper()
	if got := Capture(t, s); !reflect.DeepEqual(got, st) {
		t.Fatalf("a refused or failed mutation changed the store:\nbefore %+v\nafter  %+v", st, got)
	}
}

// NewActivity returns the entries s holds that st did not, newest first.
func (st Snapshot) NewActivity(t testing.TB, s db.Store) []db.ActivityEntry {
	t.Helper()
	return st.newIn(Capture(t, s))
}

// OnlyNewActivity returns the single entry written since st, and fails t
// when there is not exactly one.
func (st Snapshot) OnlyNewActivity(t testing.TB, s db.Store) db.ActivityEntry {
	t.Helper()
	return st.onlyNewIn(t, Capture(t, s))
}

// Changed checks that one configuration change was made since st: exactly
// one new activity entry, the configuration revision bumped once, and the
// entry carrying that revision (which links it to its changeset). It
// returns the entry with ConfigRevision cleared, so that callers compare
// the rest of it with what they expect.
func (st Snapshot) Changed(t testing.TB, s db.Store) db.ActivityEntry {
	t.Helper()
	now := Capture(t, s)
	e := st.onlyNewIn(t, now)
	if now.Revision != st.Revision+1 {
		t.Errorf("config revision %d, want %d", now.Revision, st.Revision+1)
	}
	if e.ConfigRevision != now.Revision {
		t.Errorf("the entry's config revision is %d, want %d (the change's)", e.ConfigRevision, now.Revision)
	}
	e.ConfigRevision = 0
	return e
}

// onlyNewIn is OnlyNewActivity against an already captured now.
func (st Snapshot) onlyNewIn(t testing.TB, now Snapshot) db.ActivityEntry {
	t.Helper()
	fresh := st.newIn(now)
	if len(fresh) != 1 {
		t.Fatalf("%d new activity entries, want 1: %+v", len(fresh), fresh)
	}
	return fresh[0]
}

// newIn returns the entries of now that st lacks. They are told apart by
// id, not by position: a fixed test clock gives every entry the same
// timestamp.
func (st Snapshot) newIn(now Snapshot) []db.ActivityEntry {
	old := map[string]bool{}
	for _, e := range st.Activity {
		old[e.ID] = true
	}
	var out []db.ActivityEntry
	for _, e := range now.Activity {
		if !old[e.ID] {
			out = append(out, e)
		}
	}
	return out
}

// pageAll pages through up to snapshotRows rows of a list: a store caps
// one page.
func pageAll[T any](list func(offset, limit int) ([]T, int, error)) ([]T, error) {
	var out []T
	for len(out) < snapshotRows {
		page, total, err := list(len(out), snapshotRows-len(out))
		if err != nil {
			return nil, err
		}
		out = append(out, page...)
		if len(page) == 0 || len(out) >= total {
			break
		}
	}
	return out, nil
}
