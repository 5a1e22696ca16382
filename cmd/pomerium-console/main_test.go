package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/spf13/pflag"

	"github.com/pomerium-console-oss/pomerium-console/app/authn"
	"github.com/pomerium-console-oss/pomerium-console/app/seal"
	"github.com/pomerium-console-oss/pomerium-console/db"
	"github.com/pomerium-console-oss/pomerium-console/db/dbopen"
)

const testKey = "hNTBe3a1oPWFTtVVzb3kHTAaJeRS6gQpRoGpLNmwdAM="

// run executes the CLI in-process with args and returns stdout, stderr and the error.
func run(t *testing.T, args ...string) (string, string, error) {
	t.Helper()
	cmd := newRootCommand()
	var out, errOut bytes.Buffer
	cmd.SetOut(&out)
	cmd.SetErr(&errOut)
	cmd.SetArgs(args)
	err := cmd.ExecuteContext(context.Background())
	return out.String(), errOut.String(), err
}

// isolate keeps the host's config file and environment out of a test.
func isolate(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	t.Chdir(dir)
	for _, key := range []string{"DATABASE_URL", "DATABASE_ENCRYPTION_KEY", "SIGNING_KEY", "DATA_DIR", "ADMINISTRATORS", "AUDIENCE", "DEBUG", "LOG_LEVEL", "BIND_ADDR"} {
		t.Setenv(key, "")
	}
	return dir
}

// migratedDB creates the default SQLite database in dir (the data dir) with
// `migrate up` and returns its path.
func migratedDB(t *testing.T, dir string) string {
	t.Helper()
	t.Setenv("DATA_DIR", dir)
	path := filepath.Join(dir, "console.db")
	if out, _, err := run(t, "migrate", "up", "--config", ""); err != nil || !strings.Contains(out, "00001") {
		t.Fatalf("migrate up: %v %q", err, out)
	}
	return path
}

func TestHelpOfEverySubcommand(t *testing.T) {
	for _, sub := range []string{"serve", "migrate", "generate-recovery-token", "version"} {
		t.Run(sub, func(t *testing.T) {
			out, _, err := run(t, sub, "--help")
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(out, "Usage:") || !strings.Contains(out, sub) {
				t.Fatalf("help of %s:\n%s", sub, out)
			}
		})
	}
}

func TestRecoveryTokenFlagsAreExactlyTheDocumented(t *testing.T) {
	var got []string
	newRecoveryTokenCommand().Flags().VisitAll(func(f *pflag.Flag) { got = append(got, f.Name) })
	want := []string{"database-encryption-key", "database-url", "namespace", "out", "ttl"}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("flags = %v, want %v", got, want)
	}
}

func TestVersion(t *testing.T) {
	out, _, err := run(t, "version")
	if err != nil || !strings.HasPrefix(out, "pomerium-console ") {
		t.Fatalf("version: %v %q", err, out)
	}
}

func TestGenerateRecoveryToken(t *testing.T) {
	dir := isolate(t)
	dbPath := migratedDB(t, dir)
	out, _, err := run(t, "generate-recovery-token", "--database-url", dbPath,
		"--database-encryption-key", testKey, "--ttl", "5m")
	if err != nil {
		t.Fatal(err)
	}
	token := strings.TrimSpace(out)
	if strings.Count(token, ".") != 2 || strings.Contains(token, "\n") {
		t.Fatalf("stdout must hold only the JWT, got %q", out)
	}
	p := verify(t, dbPath, token)
	if p.RecoveryNamespaceID != db.GlobalNamespaceID {
		t.Fatalf("namespace = %q, want Global", p.RecoveryNamespaceID)
	}
	if left := time.Until(p.ExpiresAt); left < 4*time.Minute || left > 5*time.Minute {
		t.Fatalf("expires in %s, want about 5m", left)
	}

	outFile := filepath.Join(dir, "token.jwt")
	if err := os.WriteFile(outFile, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	out, _, err = run(t, "generate-recovery-token", "--database-url", dbPath,
		"--database-encryption-key", testKey, "--out", outFile)
	if err != nil {
		t.Fatal(err)
	}
	if out != "" {
		t.Fatalf("with --out nothing goes to stdout, got %q", out)
	}
	info, err := os.Stat(outFile)
	if err != nil {
		t.Fatal(err)
	}
	if info.Mode().Perm() != 0o600 {
		t.Fatalf("--out mode %o, want 600", info.Mode().Perm())
	}
	data, _ := os.ReadFile(outFile)
	verify(t, dbPath, strings.TrimSpace(string(data)))
}

func TestGenerateRecoveryTokenBadInput(t *testing.T) {
	dir := isolate(t)
	dbURL := migratedDB(t, dir)
	// The first token creates the signing key, sealed with testKey.
	if _, _, err := run(t, "generate-recovery-token", "--database-url", dbURL, "--database-encryption-key", testKey); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"ttl without unit", []string{"--ttl", "30"}, "missing unit"},
		{"ttl zero", []string{"--ttl", "0s"}, "--ttl must be positive"},
		{"unknown namespace", []string{"--namespace", "nope"}, "--namespace"},
		{"bad key", []string{"--database-encryption-key", "c2hvcnQ="}, "32 bytes"},
		{"other key", []string{"--database-encryption-key", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="}, "database_encryption_key"},
		{"no database", []string{"--database-url", filepath.Join(dir, "missing", "x.db")}, "there is no database"},
		{"unknown flag", []string{"--config", "x"}, "unknown flag"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			args := append([]string{"generate-recovery-token", "--database-url", dbURL, "--database-encryption-key", testKey}, tc.args...)
			out, _, err := run(t, args...)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error = %v, want one mentioning %q", err, tc.want)
			}
			if out != "" {
				t.Fatalf("no token may be printed on error, got %q", out)
			}
		})
	}
}

func TestServeRefusesBadConfig(t *testing.T) {
	dir := isolate(t)
	tests := []struct {
		name, yaml, want string
	}{
		{"unknown key", "databse_url: x\n", `unknown key "databse_url"`},
		{"malformed yaml", "database_url: [\n", "config.yaml"},
		{"short encryption key", "database_encryption_key: c2hvcnQ=\n", "database_encryption_key"},
		{"wrong database url", "database_url: mysql://x/y\n", "database_url"},
		{"postgres without key", "database_url: postgres://127.0.0.1:1/x\n", "database_encryption_key: required"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(dir, strings.ReplaceAll(tc.name, " ", "_"), "config.yaml")
			if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, []byte(tc.yaml+"data_dir: "+filepath.Dir(path)+"\n"), 0o600); err != nil {
				t.Fatal(err)
			}
			_, _, err := run(t, "serve", "--config", path)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error = %v, want one mentioning %q", err, tc.want)
			}
		})
	}
}

func TestMigrateStatusAndDown(t *testing.T) {
	migratedDB(t, isolate(t))
	out, _, err := run(t, "migrate", "status", "--config", "")
	if err != nil || !strings.Contains(out, "applied  00001_foundation.sql") || strings.Contains(out, "pending") {
		t.Fatalf("status: %v\n%s", err, out)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	last := strings.TrimSpace(strings.TrimPrefix(lines[len(lines)-1], "applied"))
	if out, _, err = run(t, "migrate", "down", "--config", ""); err != nil || !strings.Contains(out, "rolled back "+last) {
		t.Fatalf("down: %v %q, want %s rolled back", err, out, last)
	}
	if out, _, err = run(t, "migrate", "status", "--config", ""); err != nil || !strings.Contains(out, "applied  00001") || !strings.Contains(out, "pending  "+last) {
		t.Fatalf("status after down: %v\n%s", err, out)
	}
	if _, _, err := run(t, "migrate", "sideways"); err == nil {
		t.Fatal("an unknown migrate action must fail")
	}
}

func verify(t *testing.T, dbURL, token string) authn.Principal {
	t.Helper()
	store, err := dbopen.Open(context.Background(), dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	key, _ := seal.ParseKey(testKey)
	sealer, _ := seal.New(key)
	p, err := authn.NewRecovery(store, sealer, time.Now).Verify(context.Background(), token)
	if err != nil {
		t.Fatalf("the printed token does not verify: %v", err)
	}
	return p
}
