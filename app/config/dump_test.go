package config

import (
	"strings"
	"testing"
)

func TestRedactedAndDump(t *testing.T) {
	t.Parallel()
	c := &Config{
		DatabaseURL:           "postgres://console:pa55word@db:5432/console?sslmode=require",
		DatabaseEncryptionKey: testEncKey,
		SigningKey:            testSignKey,
		Administrators:        []string{"a@example.com"},
		BindAddr:              ":8701",
		Debug:                 true,
	}
	r := c.Redacted()
	tests := []struct {
		key  string
		want any
	}{
		{key: "database_encryption_key", want: Set},
		{key: "signing_key", want: Set},
		{key: "shared_secret", want: NotSet},
		{key: "license_key", want: NotSet},
		{key: "database_url", want: "postgres://console:xxxxx@db:5432/console?sslmode=require"},
		{key: "bind_addr", want: ":8701"},
		{key: "debug", want: true},
	}
	for _, tc := range tests {
		t.Run(tc.key, func(t *testing.T) {
			t.Parallel()
			if r[tc.key] != tc.want {
				t.Fatalf("Redacted()[%q] = %v, want %v", tc.key, r[tc.key], tc.want)
			}
		})
	}
	if len(r) != len(fields()) {
		t.Fatalf("Redacted has %d keys, want %d", len(r), len(fields()))
	}

	dump := c.Dump()
	for _, secret := range []string{"pa55word", testEncKey, testSignKey[:20]} {
		if strings.Contains(dump, secret) {
			t.Fatalf("Dump shows a secret:\n%s", dump)
		}
	}
	if !strings.HasPrefix(dump, "database_url: ") || !strings.Contains(dump, "signing_key: (set)") || !strings.Contains(dump, "- a@example.com") {
		t.Fatalf("Dump =\n%s", dump)
	}
}

func TestRedactURL(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{in: "./data/console.db", want: "./data/console.db"},
		{in: "postgres://u@h/db", want: "postgres://u@h/db"},
		{in: "postgres://h/db?user=u&password=s3cret&sslmode=disable", want: "postgres://h/db?user=u&password=xxxxx&sslmode=disable"},
		{in: "postgres://u:pw@h/db?password=s3cret", want: "postgres://u:xxxxx@h/db?password=xxxxx"},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			t.Parallel()
			if got := redactURL(tc.in); got != tc.want {
				t.Fatalf("redactURL(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}
