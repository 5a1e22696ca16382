package storetest

import (
	"reflect"
	"testing"

	"github.com/pomerium-console-oss/pomerium-console/db"
)

// snapshotActivity is how many of the newest activity entries a Snapshot
// holds: far more than any fixture writes.
const snapshotActivity = 500

// snapshotPolicies is how many policies a Snapshot holds: more than any
// fixture makes (the list tests page through a few hundred at most).
const snapshotPolicies = 2000

// Snapshot is everything a mutation of the namespace tree, its grants,
// its policies or the activity log may change, as read by Capture.
type Snapshot struct {
	Namespaces  []db.Namespace
	Permissions []db.Permission
	Policies    []db.Policy
	Activity    []db.ActivityEntry
}

// Capture reads every namespace, every grant, every policy (up to 2,000)
// and the newest 500 activity entries of s, stopping t on a store error.
func Capture(t testing.TB, s db.Store) Snapshot {
	t.Helper()
	ns, err := s.ListNamespaces(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	perms, err := s.ListPermissions(t.Context(), "")
	if err != nil {
		t.Fatal(err)
	}
	pols, err := allPolicies(t, s)
	if err != nil {
		t.Fatal(err)
	}
	act, _, err := s.ListActivity(t.Context(), db.ActivityFilter{Limit: snapshotActivity})
	if err != nil {
		t.Fatal(err)
	}
	return Snapshot{Namespaces: ns, Permissions: perms, Policies: pols, Activity: act}
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
// They are told apart by id, not by position: a fixed test clock gives
// every entry the same timestamp.
func (st Snapshot) NewActivity(t testing.TB, s db.Store) []db.ActivityEntry {
	t.Helper()
	old := map[string]bool{}
	for _, e := range st.Activity {
		old[e.ID] = true
	}
	var out []db.ActivityEntry
	for _, e := range Capture(t, s).Activity {
		if !old[e.ID] {
			out = append(out, e)
		}
	}
	return out
}

// OnlyNewActivity returns the single entry written since st, and fails t
// when there is not exactly one.
func (st Snapshot) OnlyNewActivity(t testing.TB, s db.Store) db.ActivityEntry {
	t.Helper()
	fresh := st.NewActivity(t, s)
	if len(fresh) != 1 {
		t.Fatalf("%d new activity entries, want 1: %+v", len(fresh), fresh)
	}
	return fresh[0]
}

// allPolicies pages through every policy of s: a store caps one page.
func allPolicies(t testing.TB, s db.Store) ([]db.Policy, error) {
	var out []db.Policy
	for len(out) < snapshotPolicies {
		page, total, err := s.ListPolicies(t.Context(), db.PolicyFilter{Offset: len(out), Limit: snapshotPolicies - len(out)})
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
