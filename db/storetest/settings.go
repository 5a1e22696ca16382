package storetest

import (
	"testing"
	"time"

	"github.com/pomerium-console-oss/pomerium-console/db"
)

// settingsRow returns a settings fixture of cluster id.
func settingsRow(id string) db.Settings {
	return db.Settings{
		ClusterID: id, Values: `{"logLevel":"debug","cookieName":"_ü"}`,
		Secrets:   map[string]string{"cookieSecret": "v1.sealed.a"},
		CreatedAt: at(0), ModifiedAt: at(time.Minute),
	}
}

func storedSettings(st db.Settings) db.Settings {
	st.CreatedAt, st.ModifiedAt = stored(st.CreatedAt), stored(st.ModifiedAt)
	if st.Secrets == nil {
		st.Secrets = map[string]string{}
	}
	if st.Values == "" {
		st.Values = "{}"
	}
	return st
}

func testSettings(t *testing.T, newStore NewStore) {
	subtests(t, newStore, map[string]func(t *testing.T, s db.Store){
		"never saved settings are not found": func(t *testing.T, s db.Store) {
			_, err := s.GetSettings(t.Context(), "default")
			wantErr(t, err, db.ErrNotFound)
			list, err := s.ListSettings(t.Context())
			must(t, err)
			wantEqual(t, "list", len(list), 0)
		},
		"put inserts, then replaces all but the creation time": func(t *testing.T, s db.Store) {
			first := settingsRow("default")
			must(t, s.PutSettings(t.Context(), first))
			got, err := s.GetSettings(t.Context(), "default")
			must(t, err)
			wantEqual(t, "inserted", got, storedSettings(first))

			second := db.Settings{
				ClusterID: "default", Values: `{"address":":8443"}`,
				Secrets:   map[string]string{"identityProviderClientSecret": "v1.sealed.b"},
				CreatedAt: at(time.Hour), ModifiedAt: at(2 * time.Hour),
			}
			must(t, s.PutSettings(t.Context(), second))
			got, err = s.GetSettings(t.Context(), "default")
			must(t, err)
			want := storedSettings(second)
			want.CreatedAt = stored(first.CreatedAt)
			wantEqual(t, "replaced", got, want)
		},
		"empty values and no secrets are stored as empty objects": func(t *testing.T, s db.Store) {
			must(t, s.PutSettings(t.Context(), db.Settings{ClusterID: "default", CreatedAt: at(0), ModifiedAt: at(0)}))
			got, err := s.GetSettings(t.Context(), "default")
			must(t, err)
			wantEqual(t, "stored", got, db.Settings{ClusterID: "default", Values: "{}", Secrets: map[string]string{},
				CreatedAt: stored(at(0)), ModifiedAt: stored(at(0))})
		},
		"one row per cluster, listed by id": func(t *testing.T, s db.Store) {
			for _, id := range []string{"zeta", "default", "alpha"} {
				must(t, s.PutSettings(t.Context(), settingsRow(id)))
			}
			list, err := s.ListSettings(t.Context())
			must(t, err)
			var ids []string
			for _, st := range list {
				ids = append(ids, st.ClusterID)
				wantEqual(t, "row "+st.ClusterID, st, storedSettings(settingsRow(st.ClusterID)))
			}
			wantEqual(t, "ids", ids, []string{"alpha", "default", "zeta"})
		},
		"a rolled-back put leaves nothing": func(t *testing.T, s db.Store) {
			err := s.InTx(t.Context(), func(tx db.Store) error {
				if err := tx.PutSettings(t.Context(), settingsRow("default")); err != nil {
					return err
				}
				return errBoom
			})
			wantErr(t, err, errBoom)
			_, err = s.GetSettings(t.Context(), "default")
			wantErr(t, err, db.ErrNotFound)
		},
	})
}
