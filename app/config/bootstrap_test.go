package config

import (
	"encoding/base64"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
)

func TestBootstrapGeneratesOnce(t *testing.T) {
	t.Parallel()
	dataDir := filepath.Join(t.TempDir(), "data")
	first := &Config{DataDir: dataDir}
	first.applyDefaults()
	generated, err := Bootstrap(first)
	if err != nil {
		t.Fatal(err)
	}
	encFile, signFile := filepath.Join(dataDir, EncryptionKeyFile), filepath.Join(dataDir, SigningKeyFile)
	secretFile := filepath.Join(dataDir, SharedSecretFile)
	if !slices.Equal(generated, []string{encFile, signFile, secretFile}) {
		t.Fatalf("generated = %v", generated)
	}
	if first.DatabaseURL != filepath.Join(dataDir, "console.db") {
		t.Fatalf("DatabaseURL = %q", first.DatabaseURL)
	}
	if err := first.Validate(); err != nil || first.EncryptionKey() == nil {
		t.Fatalf("generated keys do not validate: %v", err)
	}
	wantMode(t, dataDir, 0o700)
	wantMode(t, encFile, 0o600)
	wantMode(t, signFile, 0o600)
	wantMode(t, secretFile, 0o600)
	if key, err := base64.StdEncoding.DecodeString(first.SharedSecret); err != nil || len(key) != 32 {
		t.Fatalf("shared_secret is not the base64 of 32 bytes: %d bytes, %v", len(key), err)
	}
	if leftovers, _ := filepath.Glob(filepath.Join(dataDir, ".*tmp*")); len(leftovers) != 0 {
		t.Fatalf("temp files left behind: %v", leftovers)
	}

	second := &Config{DataDir: dataDir}
	generated, err = Bootstrap(second)
	if err != nil || len(generated) != 0 {
		t.Fatalf("second Bootstrap generated %v, %v", generated, err)
	}
	if second.DatabaseEncryptionKey != first.DatabaseEncryptionKey || second.SigningKey != first.SigningKey ||
		second.SharedSecret != first.SharedSecret {
		t.Fatal("second Bootstrap did not read back the generated keys")
	}
}

func TestBootstrapKeepsConfiguredValues(t *testing.T) {
	t.Parallel()
	dataDir := filepath.Join(t.TempDir(), "data")
	c := &Config{DataDir: dataDir, DatabaseURL: "postgres://x/y", DatabaseEncryptionKey: testEncKey, SigningKey: testSignKey,
		SharedSecret: testSecret}
	generated, err := Bootstrap(c)
	if err != nil || len(generated) != 0 || c.DatabaseURL != "postgres://x/y" || c.SigningKey != testSignKey ||
		c.SharedSecret != testSecret {
		t.Fatalf("Bootstrap changed a complete config: %v, %v, %+v", generated, err, c)
	}
	if _, err := os.Stat(dataDir); !os.IsNotExist(err) {
		t.Fatalf("Bootstrap created the data dir for a complete config: %v", err)
	}

	c = &Config{DataDir: dataDir, DatabaseEncryptionKey: testEncKey, SharedSecret: testSecret}
	generated, err = Bootstrap(c)
	if err != nil || !slices.Equal(generated, []string{filepath.Join(dataDir, SigningKeyFile)}) || c.DatabaseEncryptionKey != testEncKey ||
		c.SharedSecret != testSecret {
		t.Fatalf("Bootstrap with only the encryption key set: %v, %v", generated, err)
	}
}

func TestBootstrapRejectsCorruptKeyFile(t *testing.T) {
	t.Parallel()
	dataDir := t.TempDir()
	writeFile(t, dataDir, SigningKeyFile, "c2VjcmV0LWJ1dC1ub3QtYS1rZXk=\n")
	_, err := Bootstrap(&Config{DataDir: dataDir, DatabaseEncryptionKey: testEncKey})
	if err == nil || !strings.Contains(err.Error(), filepath.Join(dataDir, SigningKeyFile)+": must be a P-256 EC private key") {
		t.Fatalf("err = %v", err)
	}
	if strings.Contains(err.Error(), "c2VjcmV0") {
		t.Fatalf("error shows the file's content: %v", err)
	}
}

func TestBootstrapRejectsCorruptSharedSecretFile(t *testing.T) {
	t.Parallel()
	dataDir := t.TempDir()
	writeFile(t, dataDir, SharedSecretFile, "hunter2 not base64\n")
	_, err := Bootstrap(&Config{DataDir: dataDir, DatabaseEncryptionKey: testEncKey, SigningKey: testSignKey})
	if err == nil || err.Error() != "config: "+filepath.Join(dataDir, SharedSecretFile)+
		": must be the base64 of a random key (head -c32 /dev/urandom | base64)" {
		t.Fatalf("err = %v", err)
	}
}

func TestBootstrapConcurrentFirstRuns(t *testing.T) {
	t.Parallel()
	dataDir := t.TempDir()
	cfgs := make([]*Config, 8)
	var wg sync.WaitGroup
	for i := range cfgs {
		cfgs[i] = &Config{DataDir: dataDir}
		wg.Go(func() {
			if _, err := Bootstrap(cfgs[i]); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	for _, c := range cfgs[1:] {
		if c.DatabaseEncryptionKey != cfgs[0].DatabaseEncryptionKey || c.SigningKey != cfgs[0].SigningKey ||
			c.SharedSecret != cfgs[0].SharedSecret {
			t.Fatal("concurrent first runs ended with different keys")
		}
	}
}

func wantMode(t *testing.T, path string, want os.FileMode) {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := fi.Mode().Perm(); got != want {
		t.Fatalf("%s mode = %o, want %o", path, got, want)
	}
}
