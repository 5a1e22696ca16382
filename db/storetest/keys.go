package storetest

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/pomerium-console-oss/pomerium-console/db"
)

func testKeys(t *testing.T, newStore NewStore) {
	subtests(t, newStore, map[string]func(t *testing.T, s db.Store){
		"get a missing key": func(t *testing.T, s db.Store) {
			_, err := s.GetKey(t.Context(), "recovery")
			wantErr(t, err, db.ErrNotFound)
		},
		"the first key stays": func(t *testing.T, s db.Store) {
			first := db.SealedKey{Purpose: "recovery", Sealed: "sealed-1", CreatedAt: at(0)}
			want := db.SealedKey{Purpose: "recovery", Sealed: "sealed-1", CreatedAt: stored(at(0))}
			for i, k := range []db.SealedKey{first, {Purpose: "recovery", Sealed: "sealed-2", CreatedAt: at(time.Hour)}} {
				got, err := s.InsertKeyIfAbsent(t.Context(), k)
				must(t, err)
				wantEqual(t, fmt.Sprintf("insert %d", i), got, want)
			}
			got, err := s.GetKey(t.Context(), "recovery")
			must(t, err)
			wantEqual(t, "get", got, want)
			other, err := s.InsertKeyIfAbsent(t.Context(), db.SealedKey{Purpose: "other", Sealed: "sealed-3"})
			must(t, err)
			wantEqual(t, "other purpose", other, db.SealedKey{Purpose: "other", Sealed: "sealed-3"})
		},
		"concurrent first runs agree on one key": func(t *testing.T, s db.Store) {
			const n = 8
			got := make([]db.SealedKey, n)
			errs := make([]error, n)
			var wg sync.WaitGroup
			for i := range n {
				wg.Go(func() {
					got[i], errs[i] = s.InsertKeyIfAbsent(t.Context(), db.SealedKey{Purpose: "recovery", Sealed: fmt.Sprint("sealed-", i)})
				})
			}
			wg.Wait()
			kept, err := s.GetKey(t.Context(), "recovery")
			must(t, err)
			for i := range n {
				must(t, errs[i])
				wantEqual(t, fmt.Sprint("caller ", i), got[i], kept)
			}
		},
	})
}

func testRecoveryTokens(t *testing.T, newStore NewStore) {
	token := func(id string, expires time.Duration) db.RecoveryToken {
		return db.RecoveryToken{ID: id, NamespaceID: db.GlobalNamespaceID, CreatedAt: at(0), ExpiresAt: at(expires), SingleUse: true}
	}
	subtests(t, newStore, map[string]func(t *testing.T, s db.Store){
		"insert and get round-trip": func(t *testing.T, s db.Store) {
			for _, tok := range []db.RecoveryToken{
				token("t1", time.Hour),
				{ID: "t2", NamespaceID: "ns", CreatedAt: at(0), ExpiresAt: at(time.Hour), SingleUse: false, UsedAt: at(time.Minute)},
			} {
				must(t, s.InsertRecoveryToken(t.Context(), tok))
				got, err := s.GetRecoveryToken(t.Context(), tok.ID)
				must(t, err)
				tok.CreatedAt, tok.ExpiresAt, tok.UsedAt = stored(tok.CreatedAt), stored(tok.ExpiresAt), stored(tok.UsedAt)
				wantEqual(t, "token", got, tok)
			}
			wantErr(t, s.InsertRecoveryToken(t.Context(), token("t1", 0)), db.ErrConflict)
			_, err := s.GetRecoveryToken(t.Context(), "nope")
			wantErr(t, err, db.ErrNotFound)
		},
		"mark used": func(t *testing.T, s db.Store) {
			must(t, s.InsertRecoveryToken(t.Context(), token("t1", time.Hour)))
			if err := s.MarkRecoveryTokenUsed(t.Context(), "t1", time.Time{}); err == nil {
				t.Fatal("marking with the zero time succeeded")
			}
			tests := []struct {
				name string
				id   string
				at   time.Time
				want error
			}{
				{"first use", "t1", at(time.Minute), nil},
				{"second use", "t1", at(2 * time.Minute), db.ErrConflict},
				{"unknown token", "nope", at(time.Minute), db.ErrNotFound},
			}
			for _, tc := range tests {
				t.Run(tc.name, func(t *testing.T) {
					wantErr(t, s.MarkRecoveryTokenUsed(t.Context(), tc.id, tc.at), tc.want)
				})
			}
			got, err := s.GetRecoveryToken(t.Context(), "t1")
			must(t, err)
			wantEqual(t, "UsedAt", got.UsedAt, stored(at(time.Minute)))
		},
		"concurrent uses: exactly one wins": func(t *testing.T, s db.Store) {
			must(t, s.InsertRecoveryToken(t.Context(), token("t1", time.Hour)))
			const n = 8
			errs := make([]error, n)
			var wg sync.WaitGroup
			for i := range n {
				wg.Go(func() { errs[i] = s.MarkRecoveryTokenUsed(t.Context(), "t1", at(time.Minute)) })
			}
			wg.Wait()
			won := 0
			for _, err := range errs {
				if err == nil {
					won++
				} else {
					wantErr(t, err, db.ErrConflict)
				}
			}
			if won != 1 {
				t.Fatalf("%d callers won, want 1", won)
			}
		},
		"delete expired": func(t *testing.T, s db.Store) {
			for _, tok := range []db.RecoveryToken{
				token("old", -time.Hour), token("just-expired", -time.Millisecond),
				token("now", 0), token("later", time.Hour),
			} {
				must(t, s.InsertRecoveryToken(t.Context(), tok))
			}
			n, err := s.DeleteExpiredRecoveryTokens(t.Context(), at(0))
			must(t, err)
			if n != 2 {
				t.Errorf("deleted %d, want 2", n)
			}
			for id, want := range map[string]error{"old": db.ErrNotFound, "just-expired": db.ErrNotFound, "now": nil, "later": nil} {
				_, err := s.GetRecoveryToken(t.Context(), id)
				wantErr(t, err, want)
			}
		},
	})
}
