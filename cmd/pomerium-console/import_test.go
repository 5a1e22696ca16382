package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pomerium-console-oss/pomerium-console/db"
	"github.com/pomerium-console-oss/pomerium-console/db/dbopen"
)

// importEnv is an isolated data dir with a migrated database, the test key
// and a copy of the configyaml test file.
func importEnv(t *testing.T) (dir, dbPath, file string) {
	t.Helper()
	src, err := os.ReadFile("../../app/configyaml/testdata/oss.yaml")
	if err != nil {
		t.Fatal(err)
	}
	dir = isolate(t)
	dbPath = migratedDB(t, dir)
	t.Setenv("DATABASE_ENCRYPTION_KEY", testKey)
	file = filepath.Join(dir, "config.yaml")
	if err := os.WriteFile(file, src, 0o600); err != nil {
		t.Fatal(err)
	}
	return dir, dbPath, file
}

// countRoutes opens the database and counts its routes.
func countRoutes(t *testing.T, dbPath string) int {
	t.Helper()
	store, err := dbopen.OpenExisting(context.Background(), dbPath)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	_, total, err := store.ListRoutes(context.Background(), db.RouteFilter{Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	return total
}

func TestImport(t *testing.T) {
	_, dbPath, file := importEnv(t)
	out, _, err := run(t, "import", file, "--namespace", "global", "--dry-run")
	if err != nil || !strings.Contains(out, `create   route    "Grafana"  (routes[0], line 27)`) || !strings.Contains(out, "Dry run: nothing was changed.") ||
		!strings.Contains(out, "skipped  "+file+":3: shared_secret:") {
		t.Fatalf("dry run: %v\n%s", err, out)
	}
	if n := countRoutes(t, dbPath); n != 0 {
		t.Fatalf("the dry run stored %d routes", n)
	}
	out, _, err = run(t, "import", file, "--namespace", db.GlobalNamespaceID)
	if err != nil || !strings.Contains(out, "Importing into namespace \"Global\"…") ||
		!strings.Contains(out, "Imported 6 routes, 5 policies and 3 key pairs, and changed the global settings.") {
		t.Fatalf("import: %v\n%s", err, out)
	}
	if n := countRoutes(t, dbPath); n != 6 {
		t.Fatalf("routes = %d, want 6", n)
	}
	// Importing again conflicts with every route: nothing more is created.
	_, errOut, err := run(t, "import", file, "--namespace", "Global")
	if err == nil || !strings.Contains(err.Error(), "nothing was imported") ||
		!strings.Contains(errOut, file+`:75: routes[2].from: route "docs.example.com/old" in namespace "Global" already answers these requests`) {
		t.Fatalf("second import: %v\n%s", err, errOut)
	}
	if n := countRoutes(t, dbPath); n != 6 {
		t.Fatalf("routes after the refused import = %d", n)
	}
}

func TestImportRefusesABadFile(t *testing.T) {
	dir, dbPath, _ := importEnv(t)
	tests := []struct {
		name, yaml, want string
		args             []string
	}{
		{"unknown key", "log_levle: debug\n", "bad.yaml:1: log_levle: is not an option Pomerium Core knows", nil},
		{"route without from", "routes:\n  - to: http://a\n", "bad.yaml:2: routes[0].from: is required", nil},
		{"bad YAML", "routes: [\n", "bad.yaml:1: is not valid YAML: column 9", nil},
		{"unknown namespace", "log_level: debug\n", `--namespace: there is no namespace with id or name "nope"`, []string{"--namespace", "nope"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			file := filepath.Join(dir, "bad.yaml")
			if err := os.WriteFile(file, []byte(tc.yaml), 0o600); err != nil {
				t.Fatal(err)
			}
			args := append([]string{"import", "bad.yaml"}, tc.args...)
			if tc.args == nil {
				args = append(args, "--namespace", "Global")
			}
			_, errOut, err := run(t, args...)
			if err == nil || !strings.Contains(errOut+err.Error(), tc.want) {
				t.Fatalf("import = %v\n%s\nwant %q", err, errOut, tc.want)
			}
		})
	}
	if _, _, err := run(t, "import", "bad.yaml"); err == nil || !strings.Contains(err.Error(), `required flag(s) "namespace" not set`) {
		t.Errorf("without --namespace: %v", err)
	}
	if n := countRoutes(t, dbPath); n != 0 {
		t.Errorf("a refused import stored %d routes", n)
	}
}
