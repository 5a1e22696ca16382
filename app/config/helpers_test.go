package config

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/base64"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pomerium-console-oss/pomerium-console/app/authn"
)

// Test secrets: valid, and distinctive enough to search for in messages.
var (
	testEncKey  = base64.StdEncoding.EncodeToString([]byte("0123456789abcdef0123456789abcdef"))
	testSecret  = base64.StdEncoding.EncodeToString([]byte("shared-secret-value"))
	testSignKey = mustSigningKey()
)

func mustSigningKey() string {
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		panic(err)
	}
	s, err := authn.EncodeSigningKey(k)
	if err != nil {
		panic(err)
	}
	return s
}

func writeFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// env builds a lookupEnv from pairs.
func env(kv map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) {
		v, ok := kv[k]
		return v, ok
	}
}

// wantProblems checks err is an *Error whose problems are exactly want
// (each matched as a substring, in order).
func wantProblems(t *testing.T, err error, want ...string) {
	t.Helper()
	if len(want) == 0 {
		if err != nil {
			t.Fatalf("unexpected error: %v", err)
		}
		return
	}
	ce, ok := err.(*Error)
	if !ok {
		t.Fatalf("err = %v (%T), want *config.Error", err, err)
	}
	if len(ce.Problems) != len(want) {
		t.Fatalf("problems = %q, want %d like %q", ce.Problems, len(want), want)
	}
	for i, w := range want {
		if !strings.Contains(ce.Problems[i], w) {
			t.Fatalf("problem %d = %q, want it to contain %q", i, ce.Problems[i], w)
		}
	}
}
