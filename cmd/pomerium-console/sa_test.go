package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/pomerium-console-oss/pomerium-console/app/clusters"
	"github.com/pomerium-console-oss/pomerium-console/app/databroker/databrokertest"
	"github.com/pomerium-console-oss/pomerium-console/app/seal"
	"github.com/pomerium-console-oss/pomerium-console/app/serviceaccounts"
	"github.com/pomerium-console-oss/pomerium-console/db/dbopen"
)

// saEnv is a migrated database whose default cluster points at an
// in-process databroker, as serve would have set it from the config file.
func saEnv(t *testing.T) *databrokertest.Server {
	t.Helper()
	dir := isolate(t)
	dbPath := migratedDB(t, dir)
	t.Setenv("DATABASE_ENCRYPTION_KEY", testKey)
	broker := databrokertest.Start(t)
	key, err := seal.ParseKey(testKey)
	if err != nil {
		t.Fatal(err)
	}
	sealer, err := seal.New(key)
	if err != nil {
		t.Fatal(err)
	}
	store, err := dbopen.OpenExisting(context.Background(), dbPath)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	d := clusters.Defaults{DatabrokerURL: broker.URL(), SharedSecret: broker.SharedSecret()}
	if _, err := clusters.NewService(store, sealer, time.Now).EnsureDefault(context.Background(), d); err != nil {
		t.Fatal(err)
	}
	return broker
}

func TestServiceAccountCommands(t *testing.T) {
	broker := saEnv(t)
	stdout, stderr, err := run(t, "sa", "create", "--namespace", "Global", "--description", "CI", "--expires-in", "30d")
	if err != nil {
		t.Fatalf("create: %v\n%s", err, stderr)
	}
	token := strings.TrimSuffix(stdout, "\n")
	if strings.Count(token, ".") != 2 || strings.ContainsAny(token, " \n") {
		t.Fatalf("stdout must be the token alone, got %q", stdout)
	}
	if !strings.Contains(stderr, "shown once") || !strings.Contains(stderr, "Pomerium's databroker has the change.") {
		t.Fatalf("stderr: %s", stderr)
	}
	records := broker.Records(serviceaccounts.RecordType)
	if len(records) != 1 {
		t.Fatalf("the databroker holds %d service accounts, want 1", len(records))
	}
	id := records[0].GetId()
	if !strings.Contains(stderr, "Created service account "+id+` in namespace "Global"; its user id is `+id+".") {
		t.Fatalf("stderr does not name the account: %s", stderr)
	}

	stdout, _, err = run(t, "sa", "list")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	if len(lines) != 2 || !strings.HasPrefix(lines[0], "ID ") || !strings.Contains(lines[0], "LAST USED") {
		t.Fatalf("list:\n%s", stdout)
	}
	if f := strings.Fields(lines[1]); f[0] != id || f[1] != id || f[2] != "Global" || f[len(f)-2] != "active" || f[len(f)-1] != "synced" ||
		!strings.Contains(lines[1], " never ") {
		t.Fatalf("list row: %q", lines[1])
	}

	stdout, stderr, err = run(t, "sa", "revoke", id)
	if err != nil || stdout != "" || !strings.Contains(stderr, "Revoked service account "+id) {
		t.Fatalf("revoke: %v %q %q", err, stdout, stderr)
	}
	if broker.Record(serviceaccounts.RecordType, id) != nil {
		t.Fatal("the revoked account is still in the databroker")
	}
	stdout, _, _ = run(t, "sa", "list", "--namespace", "Global")
	if !strings.Contains(stdout, " revoked ") {
		t.Fatalf("list after revoke:\n%s", stdout)
	}
	_, _, err = run(t, "sa", "revoke", id)
	if err == nil || !strings.Contains(err.Error(), "already revoked") {
		t.Fatalf("second revoke: %v", err)
	}
}

func TestServiceAccountCreateWhileTheDatabrokerIsDown(t *testing.T) {
	broker := saEnv(t)
	broker.Stop()
	stdout, stderr, err := run(t, "sa", "create", "--namespace", "Global", "--user-id", "robot@example.com")
	if err != nil || strings.Count(stdout, ".") != 2 {
		t.Fatalf("create: %v %q", err, stdout)
	}
	if !strings.Contains(stderr, "does not have the change yet (cannot reach the databroker") ||
		!strings.Contains(stderr, "the console server retries until it lands") {
		t.Fatalf("stderr: %s", stderr)
	}
	stdout, _, _ = run(t, "sa", "list")
	if !strings.Contains(stdout, "robot@example.com") || !strings.Contains(stdout, " failed") {
		t.Fatalf("list:\n%s", stdout)
	}
}

func TestServiceAccountBadInput(t *testing.T) {
	saEnv(t)
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no namespace", []string{"sa", "create"}, `required flag(s) "namespace" not set`},
		{"an unknown namespace", []string{"sa", "create", "--namespace", "Nowhere"}, `--namespace: there is no namespace with id or name "Nowhere"`},
		{"a bad duration", []string{"sa", "create", "--namespace", "Global", "--expires-in", "soon"},
			`--expires-in: "soon" is not a positive duration such as 720h or 30d`},
		{"every bad field", []string{"sa", "create", "--namespace", "Global", "--user-id", strings.Repeat("u", 256),
			"--description", strings.Repeat("d", 501)},
			"--description: must be at most 500 characters (got 501)\n--user-id: must be at most 255 characters (got 256)"},
		{"revoke an unknown account", []string{"sa", "revoke", "nope"}, `not found: service account "nope" does not exist`},
		{"revoke without an id", []string{"sa", "revoke"}, "accepts 1 arg(s), received 0"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			stdout, _, err := run(t, tc.args...)
			if err == nil || err.Error() != tc.want {
				t.Fatalf("err = %v, want %q", err, tc.want)
			}
			if stdout != "" {
				t.Fatalf("a refused command printed %q", stdout)
			}
		})
	}
	if stdout, _, _ := run(t, "sa", "list"); strings.Count(stdout, "\n") != 1 {
		t.Fatalf("refused commands created accounts:\n%s", stdout)
	}
}
