package storetest

import (
	"testing"
	"time"

	"github.com/pomerium-console-oss/pomerium-console/db"
)

func testConfig(t *testing.T, newStore NewStore) {
	subtests(t, newStore, map[string]func(t *testing.T, s db.Store){
		"the revision starts at zero and counts changes": func(t *testing.T, s db.Store) {
			rev, when, err := s.ConfigRevision(t.Context())
			must(t, err)
			wantEqual(t, "initial", [2]any{rev, when}, [2]any{int64(0), time.Time{}})
			for i := int64(1); i <= 3; i++ {
				got, err := s.MarkConfigChanged(t.Context(), at(time.Duration(i)*time.Minute))
				must(t, err)
				wantEqual(t, "revision", got, i)
			}
			rev, when, err = s.ConfigRevision(t.Context())
			must(t, err)
			wantEqual(t, "after three changes", [2]any{rev, when}, [2]any{int64(3), stored(at(3 * time.Minute))})
		},
		"a rolled-back change leaves the revision": func(t *testing.T, s db.Store) {
			err := s.InTx(t.Context(), func(tx db.Store) error {
				if _, err := tx.MarkConfigChanged(t.Context(), at(0)); err != nil {
					return err
				}
				return errBoom
			})
			wantErr(t, err, errBoom)
			rev, _, err := s.ConfigRevision(t.Context())
			must(t, err)
			wantEqual(t, "revision", rev, int64(0))
		},
	})
}
