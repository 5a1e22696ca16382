package storetest

import (
	"testing"
	"time"

	"github.com/pomerium-console-oss/pomerium-console/db"
)

// serviceAccount is an account fixture of namespace ns issued minutes
// after base, never expiring, used or revoked.
func serviceAccount(id, ns string, minutes int) db.ServiceAccount {
	return db.ServiceAccount{
		ID: id, NamespaceID: ns, UserID: id + "@" + ns + ".pomerium", Description: "Robot ü " + id,
		CreatedBy: "u-admin", IssuedAt: at(time.Duration(minutes) * time.Minute),
	}
}

// storedServiceAccount is a as a store gives it back right after the
// create: version 1, never synced, times at millisecond precision in UTC.
func storedServiceAccount(a db.ServiceAccount) db.ServiceAccount {
	a.IssuedAt, a.ExpiresAt, a.AccessedAt, a.RevokedAt = stored(a.IssuedAt), stored(a.ExpiresAt), stored(a.AccessedAt), stored(a.RevokedAt)
	a.Version, a.Sync = 1, db.ServiceAccountSync{}
	return a
}

func serviceAccountIDs(list []db.ServiceAccount) []string {
	out := []string{}
	for _, a := range list {
		out = append(out, a.ID)
	}
	return out
}

func testServiceAccounts(t *testing.T, newStore NewStore) {
	subtests(t, newStore, map[string]func(t *testing.T, s db.Store){
		"create and get round-trip, unset times stay unset": func(t *testing.T, s db.Store) {
			seedNamespaces(t, s)
			a := serviceAccount("sa1", "team", 0)
			a.Version, a.Sync = 7, db.ServiceAccountSync{SyncedVersion: 9, ClusterID: "ignored"} // the store decides these
			must(t, s.CreateServiceAccount(t.Context(), a))
			got, err := s.GetServiceAccount(t.Context(), "sa1")
			must(t, err)
			wantEqual(t, "created", got, storedServiceAccount(a))
			if !got.Dirty() {
				t.Fatal("a new account must be owed to the databroker")
			}

			b := serviceAccount("sa2", "team", 1)
			b.ExpiresAt, b.AccessedAt, b.RevokedAt = at(time.Hour), at(2*time.Hour), at(3*time.Hour)
			must(t, s.CreateServiceAccount(t.Context(), b))
			got, err = s.GetServiceAccount(t.Context(), "sa2")
			must(t, err)
			wantEqual(t, "created with times", got, storedServiceAccount(b))

			_, err = s.GetServiceAccount(t.Context(), "nope")
			wantErr(t, err, db.ErrNotFound)
		},
		"ids are unique and the namespace must exist": func(t *testing.T, s db.Store) {
			seedNamespaces(t, s)
			must(t, s.CreateServiceAccount(t.Context(), serviceAccount("sa1", "team", 0)))
			wantErr(t, s.CreateServiceAccount(t.Context(), serviceAccount("sa1", "other", 0)), db.ErrConflict)
			wantErr(t, s.CreateServiceAccount(t.Context(), serviceAccount("sa2", "missing", 0)), db.ErrNotFound)
		},
		"listed newest first, filtered by namespace, activity and sync": func(t *testing.T, s db.Store) {
			seedNamespaces(t, s)
			for _, a := range []db.ServiceAccount{
				serviceAccount("sa1", "team", 1),
				serviceAccount("sa2", "other", 3),
				serviceAccount("sa3", "team", 2),
				serviceAccount("sa0", "team", 2), // same time as sa3: ties go by id
			} {
				must(t, s.CreateServiceAccount(t.Context(), a))
			}
			revoked := storedServiceAccount(serviceAccount("sa3", "team", 2))
			revoked.RevokedAt = at(time.Hour)
			must(t, s.UpdateServiceAccount(t.Context(), revoked))
			must(t, s.SetServiceAccountSync(t.Context(), "sa1", db.ServiceAccountSync{SyncedVersion: 1, ClusterID: "default"}))
			tests := []struct {
				name string
				f    db.ServiceAccountFilter
				want []string
			}{
				{"all", db.ServiceAccountFilter{}, []string{"sa2", "sa0", "sa3", "sa1"}},
				{"one namespace", db.ServiceAccountFilter{NamespaceIDs: []string{"team"}}, []string{"sa0", "sa3", "sa1"}},
				{"two namespaces", db.ServiceAccountFilter{NamespaceIDs: []string{"other", "team"}}, []string{"sa2", "sa0", "sa3", "sa1"}},
				{"no namespaces", db.ServiceAccountFilter{NamespaceIDs: []string{}}, []string{}},
				{"active", db.ServiceAccountFilter{Active: true}, []string{"sa2", "sa0", "sa1"}},
				{"dirty", db.ServiceAccountFilter{Dirty: true}, []string{"sa2", "sa0", "sa3"}},
				{"active and dirty in team", db.ServiceAccountFilter{NamespaceIDs: []string{"team"}, Active: true, Dirty: true}, []string{"sa0"}},
			}
			for _, tc := range tests {
				list, err := s.ListServiceAccounts(t.Context(), tc.f)
				must(t, err)
				wantEqual(t, tc.name, serviceAccountIDs(list), tc.want)
			}
		},
		"update writes description, expiry and revocation and bumps the version": func(t *testing.T, s db.Store) {
			seedNamespaces(t, s)
			a := serviceAccount("sa1", "team", 0)
			a.ExpiresAt = at(time.Hour)
			must(t, s.CreateServiceAccount(t.Context(), a))
			must(t, s.SetServiceAccountSync(t.Context(), "sa1", db.ServiceAccountSync{SyncedVersion: 1, ClusterID: "default", SyncedAt: at(time.Minute)}))

			next := a
			next.Description, next.ExpiresAt, next.RevokedAt = "", time.Time{}, at(2*time.Hour)
			// Only the three fields above may change.
			next.NamespaceID, next.UserID, next.CreatedBy, next.IssuedAt = "other", "someone-else", "u-other", at(time.Hour)
			must(t, s.UpdateServiceAccount(t.Context(), next))
			got, err := s.GetServiceAccount(t.Context(), "sa1")
			must(t, err)
			want := storedServiceAccount(a)
			want.Description, want.ExpiresAt, want.RevokedAt = "", time.Time{}, stored(at(2*time.Hour))
			want.Version = 2
			want.Sync = db.ServiceAccountSync{SyncedVersion: 1, ClusterID: "default", SyncedAt: stored(at(time.Minute))}
			wantEqual(t, "updated", got, want)
			if !got.Dirty() {
				t.Fatal("an updated account must be owed to the databroker again")
			}
			wantErr(t, s.UpdateServiceAccount(t.Context(), serviceAccount("nope", "team", 0)), db.ErrNotFound)
		},
		"touch writes at most once per interval": func(t *testing.T, s db.Store) {
			seedNamespaces(t, s)
			must(t, s.CreateServiceAccount(t.Context(), serviceAccount("sa1", "team", 0)))
			steps := []struct {
				at    time.Time
				wrote bool
			}{
				{at(time.Hour), true},
				{at(time.Hour + 59*time.Second), false},
				{at(time.Hour + time.Minute), true},
				{at(time.Hour + 30*time.Second), false}, // earlier than the stored use
			}
			for i, step := range steps {
				wrote, err := s.TouchServiceAccount(t.Context(), "sa1", step.at, time.Minute)
				must(t, err)
				if wrote != step.wrote {
					t.Fatalf("step %d: wrote = %v, want %v", i, wrote, step.wrote)
				}
			}
			got, err := s.GetServiceAccount(t.Context(), "sa1")
			must(t, err)
			wantEqual(t, "accessed at", got.AccessedAt, stored(at(time.Hour+time.Minute)))
			wantEqual(t, "version", got.Version, int64(1)) // a use is no change of the record
			wrote, err := s.TouchServiceAccount(t.Context(), "nope", at(0), time.Minute)
			must(t, err)
			if wrote {
				t.Fatal("touching a missing account must write nothing")
			}
			_, err = s.TouchServiceAccount(t.Context(), "sa1", time.Time{}, time.Minute)
			if err == nil {
				t.Fatal("a zero time must be refused: it would read as never used")
			}
		},
		"the synced version never goes down": func(t *testing.T, s db.Store) {
			seedNamespaces(t, s)
			must(t, s.CreateServiceAccount(t.Context(), serviceAccount("sa1", "team", 0)))
			next := storedServiceAccount(serviceAccount("sa1", "team", 0))
			must(t, s.UpdateServiceAccount(t.Context(), next)) // version 2
			ok := db.ServiceAccountSync{SyncedVersion: 2, ClusterID: "default", SyncedAt: at(time.Minute)}
			must(t, s.SetServiceAccountSync(t.Context(), "sa1", ok))
			late := db.ServiceAccountSync{SyncedVersion: 1, ClusterID: "default", LastError: "late", Failures: 1, NextAttemptAt: at(time.Hour)}
			must(t, s.SetServiceAccountSync(t.Context(), "sa1", late))
			got, err := s.GetServiceAccount(t.Context(), "sa1")
			must(t, err)
			want := late
			want.SyncedVersion, want.NextAttemptAt = 2, stored(late.NextAttemptAt)
			wantEqual(t, "sync", got.Sync, want)
			if got.Dirty() {
				t.Fatal("version 2 was pushed: the account is not dirty")
			}
			wantErr(t, s.SetServiceAccountSync(t.Context(), "nope", ok), db.ErrNotFound)
		},
		"deleting the namespace removes its accounts": func(t *testing.T, s db.Store) {
			seedNamespaces(t, s)
			must(t, s.CreateServiceAccount(t.Context(), serviceAccount("sa1", "team", 0)))
			must(t, s.CreateServiceAccount(t.Context(), serviceAccount("sa2", "other", 0)))
			must(t, s.DeleteNamespace(t.Context(), "team"))
			list, err := s.ListServiceAccounts(t.Context(), db.ServiceAccountFilter{})
			must(t, err)
			wantEqual(t, "left", serviceAccountIDs(list), []string{"sa2"})
		},
		"activity entries keep the service account behind them": func(t *testing.T, s db.Store) {
			e := entry("e1", 0, db.ActivityCreate, "ns1", "robot@ns1.pomerium", "route", "r1")
			e.AuthMethod, e.ServiceAccountID = "service_account", "sa1"
			must(t, s.InsertActivity(t.Context(), e))
			got, err := s.GetActivity(t.Context(), "e1")
			must(t, err)
			e.CreatedAt = stored(e.CreatedAt)
			wantEqual(t, "entry", got, e)
		},
	})
}
