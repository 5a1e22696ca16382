package storetest_test

import (
	"fmt"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pomerium-console-oss/pomerium-console/db"
	"github.com/pomerium-console-oss/pomerium-console/db/storetest"
)

// TestForEach checks every engine runs, each on its own store.
func TestForEach(t *testing.T) {
	t.Parallel()
	var (
		mu    sync.Mutex
		kinds []string
	)
	t.Run("run", func(t *testing.T) {
		storetest.ForEach(t, func(t *testing.T, s db.Store) {
			mu.Lock()
			defer mu.Unlock()
			kinds = append(kinds, s.Kind())
			if t.Name() != "TestForEach/run/"+s.Kind() {
				t.Errorf("subtest %s runs on %s", t.Name(), s.Kind())
			}
		})
	})
	// The parallel subtests have all ended once "run" returns.
	want := []string{"sqlite"}
	if os.Getenv(storetest.PostgresEnv) != "" {
		want = []string{"postgres", "sqlite"}
	}
	slices.Sort(kinds)
	if !slices.Equal(kinds, want) {
		t.Fatalf("ran on %v, want %v", kinds, want)
	}
}

// at is the time of the fixtures.
var at = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)

// policy is a policy of Global.
func policy(id, name string) db.Policy {
	return db.Policy{ID: id, NamespaceID: db.GlobalNamespaceID, Name: name, PPL: "allow:\n  and:\n    - accept: true\n", CreatedAt: at, ModifiedAt: at}
}

// entry is an activity entry of Global.
func entry(id string) db.ActivityEntry {
	return db.ActivityEntry{ID: id, CreatedAt: at, ActivityType: db.ActivityCreate, NamespaceID: db.GlobalNamespaceID}
}

func TestSnapshot(t *testing.T) {
	t.Parallel()
	const none = "0 new activity entries, want 1"
	tests := []struct {
		name      string
		change    func(t *testing.T, s db.Store)
		unchanged string // the failure Unchanged reports; "" for none
		fresh     []string
		only      string // the failure OnlyNewActivity reports; "" for none
		changed   string // the failure Changed reports; "" for none
	}{
		{name: "nothing", change: func(*testing.T, db.Store) {},
			only: none, changed: none},
		{name: "a namespace", change: func(t *testing.T, s db.Store) {
			must(t, s.CreateNamespace(t.Context(), db.Namespace{ID: "n", ParentID: db.GlobalNamespaceID, Name: "N", CreatedAt: at, ModifiedAt: at}))
		}, unchanged: "changed the store", only: none, changed: none},
		{name: "a grant", change: func(t *testing.T, s db.Store) {
			_, err := s.PutPermission(t.Context(), db.Permission{ID: "p", NamespaceID: db.GlobalNamespaceID, SubjectType: db.SubjectUser, SubjectID: "u", Role: "admin", CreatedAt: at, ModifiedAt: at})
			must(t, err)
		}, unchanged: "changed the store", only: none, changed: none},
		{name: "a policy", change: func(t *testing.T, s db.Store) {
			must(t, s.CreatePolicy(t.Context(), policy("p", "P")))
		}, unchanged: "changed the store", only: none, changed: none},
		{name: "a policy edited", change: func(t *testing.T, s db.Store) {
			p := policy("a-policy", "Seeded")
			p.Enforced = true
			must(t, s.UpdatePolicy(t.Context(), p))
		}, unchanged: "changed the store", only: none, changed: none},
		{name: "the last of more policies than one store page", change: func(t *testing.T, s db.Store) {
			for i := range 600 {
				must(t, s.CreatePolicy(t.Context(), policy(fmt.Sprint("bulk-", i), fmt.Sprintf("bulk %03d", i))))
			}
			// Taken after the bulk insert, so only the deletion differs.
			before := storetest.Capture(t, s)
			must(t, s.DeletePolicy(t.Context(), "bulk-599"))
			if got := storetest.Failure(t, func(tb testing.TB) { before.Unchanged(tb, s) }); !strings.Contains(got, "changed the store") {
				t.Errorf("deleting the 601st policy went unnoticed: %q", got)
			}
		}, unchanged: "changed the store", only: none, changed: none},
		{name: "a route", change: func(t *testing.T, s db.Store) {
			must(t, s.CreateRoute(t.Context(), db.Route{ID: "r", NamespaceID: db.GlobalNamespaceID, Name: "R", From: "https://r.example.com",
				MatchKey: "https://r.example.com|prefix:/", To: []string{"http://r.internal"}, CreatedAt: at, ModifiedAt: at}))
		}, unchanged: "changed the store", only: none, changed: none},
		{name: "a key pair", change: func(t *testing.T, s db.Store) {
			must(t, s.CreateKeyPair(t.Context(), db.KeyPair{ID: "k", NamespaceID: db.GlobalNamespaceID, Name: "K", CertificatePEM: "pem",
				NotAfter: at, CreatedAt: at, ModifiedAt: at}))
		}, unchanged: "changed the store", only: none, changed: none},
		{name: "a settings row", change: func(t *testing.T, s db.Store) {
			must(t, s.PutSettings(t.Context(), db.Settings{ClusterID: "default", Values: "{}", CreatedAt: at, ModifiedAt: at}))
		}, unchanged: "changed the store", only: none, changed: none},
		{name: "a service account", change: func(t *testing.T, s db.Store) {
			must(t, s.CreateServiceAccount(t.Context(), db.ServiceAccount{ID: "sa", NamespaceID: db.GlobalNamespaceID, UserID: "sa", IssuedAt: at}))
		}, unchanged: "changed the store", only: none, changed: none},
		{name: "a service account's use and push, which happen whatever a test does", change: func(t *testing.T, s db.Store) {
			_, err := s.TouchServiceAccount(t.Context(), "a-service-account", at, 0)
			must(t, err)
			must(t, s.SetServiceAccountSync(t.Context(), "a-service-account", db.ServiceAccountSync{SyncedVersion: 1, ClusterID: "default"}))
		}, only: none, changed: none},
		{name: "the revision alone", change: func(t *testing.T, s db.Store) {
			_, err := s.MarkConfigChanged(t.Context(), at)
			must(t, err)
		}, unchanged: "changed the store", only: none, changed: none},
		{name: "one entry", change: func(t *testing.T, s db.Store) {
			must(t, s.InsertActivity(t.Context(), entry("b")))
		}, unchanged: "changed the store", fresh: []string{"b"}, changed: "config revision 0, want 1"},
		{name: "one entry and the revision", change: func(t *testing.T, s db.Store) {
			must(t, s.InTx(t.Context(), func(tx db.Store) error {
				if _, err := tx.MarkConfigChanged(t.Context(), at); err != nil {
					return err
				}
				return tx.InsertActivity(t.Context(), entry("b"))
			}))
		}, unchanged: "changed the store", fresh: []string{"b"}},
		{name: "one entry and the revision, not linked", change: func(t *testing.T, s db.Store) {
			must(t, s.InsertActivity(t.Context(), entry("b")))
			_, err := s.MarkConfigChanged(t.Context(), at)
			must(t, err)
		}, unchanged: "changed the store", fresh: []string{"b"}, changed: "the entry's config revision is 0, want 1"},
		{name: "one entry and the revision twice", change: func(t *testing.T, s db.Store) {
			must(t, s.InsertActivity(t.Context(), entry("b")))
			for range 2 {
				_, err := s.MarkConfigChanged(t.Context(), at)
				must(t, err)
			}
		}, unchanged: "changed the store", fresh: []string{"b"}, changed: "config revision 2, want 1"},
		{name: "two entries", change: func(t *testing.T, s db.Store) {
			must(t, s.InsertActivity(t.Context(), entry("b")))
			must(t, s.InsertActivity(t.Context(), entry("c")))
			_, err := s.MarkConfigChanged(t.Context(), at)
			must(t, err)
		}, unchanged: "changed the store", fresh: []string{"c", "b"}, only: "2 new activity entries, want 1", changed: "2 new activity entries, want 1"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := storetest.OpenSQLite(t)
			// An older entry with the same timestamp: told apart by id only.
			must(t, s.InsertActivity(t.Context(), entry("a")))
			must(t, s.CreatePolicy(t.Context(), policy("a-policy", "Seeded")))
			must(t, s.CreateServiceAccount(t.Context(), db.ServiceAccount{
				ID: "a-service-account", NamespaceID: db.GlobalNamespaceID, UserID: "robot", IssuedAt: at,
			}))
			before := storetest.Capture(t, s)
			tc.change(t, s)

			got := storetest.Failure(t, func(tb testing.TB) { before.Unchanged(tb, s) })
			wantFailure(t, "Unchanged", got, tc.unchanged)
			var ids []string
			for _, e := range before.NewActivity(t, s) {
				ids = append(ids, e.ID)
			}
			if !slices.Equal(ids, tc.fresh) {
				t.Errorf("NewActivity = %v, want %v", ids, tc.fresh)
			}
			for _, check := range []struct {
				name string
				run  func(testing.TB, db.Store) db.ActivityEntry
				want string
			}{{"OnlyNewActivity", before.OnlyNewActivity, tc.only}, {"Changed", before.Changed, tc.changed}} {
				var e db.ActivityEntry
				got = storetest.Failure(t, func(tb testing.TB) { e = check.run(tb, s) })
				wantFailure(t, check.name, got, check.want)
				if len(tc.fresh) == 1 && e.ID != tc.fresh[0] {
					t.Errorf("%s = %s, want %s", check.name, e.ID, tc.fresh[0])
				}
			}
		})
	}
}

// TestFailure checks the recorder reports what a check did, and that a
// fatal failure ends the check.
func TestFailure(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		check func(tb testing.TB)
		want  string
	}{
		{"passes", func(testing.TB) {}, ""},
		{"Errorf", func(tb testing.TB) { tb.Errorf("a %d", 1); tb.Error("b") }, "a 1"},
		{"Fatal ends the check", func(tb testing.TB) { tb.Fatal("c"); tb.Error("unreachable") }, "c"},
		{"FailNow without a message", func(tb testing.TB) { tb.FailNow() }, "failed"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := storetest.Failure(t, tc.check); got != tc.want {
				t.Fatalf("Failure = %q, want %q", got, tc.want)
			}
		})
	}
}

// wantFailure checks got, the failure of the helper what, contains want,
// or that there was none when want is "".
func wantFailure(t *testing.T, what, got, want string) {
	t.Helper()
	if (want == "") != (got == "") || !strings.Contains(got, want) {
		t.Errorf("%s failure = %q, want one containing %q", what, got, want)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
