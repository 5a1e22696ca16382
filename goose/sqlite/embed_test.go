package sqlite_test

import (
	"io/fs"
	"slices"
	"strings"
	"testing"

	"github.com/pomerium-console-oss/pomerium-console/goose/postgres"
	"github.com/pomerium-console-oss/pomerium-console/goose/sqlite"
)

// Both dialects must ship the same numbered migrations, each with an Up and
// a Down, so a schema change is never made for one engine only.
func TestDialectsHaveTheSameMigrations(t *testing.T) {
	list := func(fsys fs.FS) []string {
		names, err := fs.Glob(fsys, "*.sql")
		if err != nil {
			t.Fatal(err)
		}
		for _, name := range names {
			body, err := fs.ReadFile(fsys, name)
			if err != nil {
				t.Fatal(err)
			}
			for _, marker := range []string{"-- +goose Up", "-- +goose Down"} {
				if !strings.Contains(string(body), marker) {
					t.Errorf("%s has no %q section", name, marker)
				}
			}
		}
		return names
	}
	lite, pg := list(sqlite.FS), list(postgres.FS)
	if len(lite) == 0 || !slices.Equal(lite, pg) {
		t.Fatalf("sqlite migrations %v, postgres migrations %v", lite, pg)
	}
}
