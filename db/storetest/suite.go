package storetest

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/pomerium-console-oss/pomerium-console/db"
)

// NewStore returns a fresh, migrated store that is closed when t ends.
type NewStore func(t *testing.T) db.Store

// Run checks every db.Store method and the semantics documented in
// db/store.go. Each subtest gets its own store from newStore and runs in
// parallel with the others.
func Run(t *testing.T, newStore NewStore) {
	groups := []struct {
		name string
		run  func(t *testing.T, newStore NewStore)
	}{
		{"Store", testStore},
		{"Tx", testTx},
		{"Namespaces", testNamespaces},
		{"Users", testUsers},
		{"Permissions", testPermissions},
		{"Activity", testActivity},
		{"Keys", testKeys},
		{"RecoveryTokens", testRecoveryTokens},
		{"Policies", testPolicies},
		{"PolicyNames", testPolicyNames},
		{"KeyPairs", testKeyPairs},
		{"Config", testConfig},
		{"Routes", testRoutes},
		{"RouteMoves", testRouteMoves},
		{"Settings", testSettings},
		{"Clusters", testClusters},
		{"PushStates", testPushStates},
		{"Deployments", testDeployments},
		{"ActivityRevisions", testActivityRevisions},
		{"ServiceAccounts", testServiceAccounts},
		{"Counts", testCounts},
	}
	for _, g := range groups {
		t.Run(g.name, func(t *testing.T) { g.run(t, newStore) })
	}
}

// subtests runs each case on its own fresh store, in parallel.
func subtests(t *testing.T, newStore NewStore, cases map[string]func(t *testing.T, s db.Store)) {
	t.Helper()
	for name, run := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			run(t, newStore(t))
		})
	}
}

// base is the reference time of the fixtures: it has sub-millisecond
// digits and a non-UTC zone, which the store must drop and normalise.
var base = time.Date(2025, 3, 4, 5, 6, 7, 891_234_567, time.FixedZone("UTC+5", 5*3600))

// at returns base plus d.
func at(d time.Duration) time.Time {
	return base.Add(d)
}

// stored is what a store must give back for t: UTC at millisecond precision.
func stored(t time.Time) time.Time {
	if t.IsZero() {
		return time.Time{}
	}
	return t.Truncate(time.Millisecond).UTC()
}

// must stops the test on an unexpected error.
func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("unexpected error: %v", err)
	}
}

// wantErr checks that err matches target (nil target: no error).
func wantErr(t *testing.T, err, target error) {
	t.Helper()
	switch {
	case target == nil && err != nil:
		t.Fatalf("unexpected error: %v", err)
	case target != nil && !errors.Is(err, target):
		t.Fatalf("error = %v, want %v", err, target)
	}
}

// wantEqual compares deeply.
func wantEqual[T any](t *testing.T, what string, got, want T) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("%s:\n got %+v\nwant %+v", what, got, want)
	}
}

// wantDeleted deletes id, then checks it is gone: reading, deleting and
// updating it (as v) all fail with ErrNotFound.
func wantDeleted[T any](t *testing.T, id string, v T, get func(context.Context, string) (T, error),
	del func(context.Context, string) error, update func(context.Context, T) error) {
	t.Helper()
	must(t, del(t.Context(), id))
	_, err := get(t.Context(), id)
	wantErr(t, err, db.ErrNotFound)
	wantErr(t, del(t.Context(), id), db.ErrNotFound)
	wantErr(t, update(t.Context(), v), db.ErrNotFound)
}
