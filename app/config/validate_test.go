package config

import (
	"encoding/base64"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pomerium-console-oss/pomerium-console/app/apptest"
)

func TestValidate(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	cert, key := apptest.WriteCert(t, dir)
	otherCert, _ := apptest.WriteCert(t, t.TempDir())
	notPEM := writeFile(t, dir, "ca.txt", "hello")
	missing := filepath.Join(dir, "missing.pem")
	rawPEM, err := base64.StdEncoding.DecodeString(testSignKey)
	if err != nil {
		t.Fatal(err)
	}

	valid := func() Config {
		return Config{
			DatabaseEncryptionKey: testEncKey, SigningKey: testSignKey, SharedSecret: testSecret,
			BindAddr: ":8701", GRPCAddr: "127.0.0.1:0", LogLevel: "info",
			Audience: []string{"console.example.com"}, Administrators: []string{"a@example.com"},
			DatabrokerServiceURL: "https://databroker.example.com:5443",
		}
	}
	tests := []struct {
		name string
		mod  func(c *Config)
		want []string
	}{
		{name: "valid", mod: func(*Config) {}},
		{name: "empty keys are fine before Bootstrap", mod: func(c *Config) { c.DatabaseEncryptionKey, c.SigningKey, c.SharedSecret = "", "", "" }},
		{name: "raw PEM signing key", mod: func(c *Config) { c.SigningKey = string(rawPEM) }},
		{name: "TLS pair and CA", mod: func(c *Config) { c.TLSCertFile, c.TLSKeyFile, c.TLSCAFile = cert, key, cert }},
		{name: "short encryption key", mod: func(c *Config) { c.DatabaseEncryptionKey = base64.StdEncoding.EncodeToString(make([]byte, 12)) },
			want: []string{"database_encryption_key: must be 32 bytes of base64 (got 12 bytes)"}},
		{name: "encryption key not base64", mod: func(c *Config) { c.DatabaseEncryptionKey = "!!!" }, want: []string{"database_encryption_key: must be 32 bytes of base64 (not valid base64)"}},
		{name: "signing key not a key", mod: func(c *Config) { c.SigningKey = testEncKey }, want: []string{"signing_key: must be a P-256 EC private key"}},
		{name: "shared secret not base64", mod: func(c *Config) { c.SharedSecret = "not base64!" }, want: []string{"shared_secret: must be base64"}},
		// Core reads standard, padded base64 only.
		{name: "shared secret unpadded", mod: func(c *Config) { c.SharedSecret = "YWI" }, want: []string{"shared_secret: must be base64"}},
		{name: "bind addr without port", mod: func(c *Config) { c.BindAddr = "localhost" }, want: []string{`bind_addr: must be host:port, e.g. :8701 (got "localhost")`}},
		{name: "grpc port out of range", mod: func(c *Config) { c.GRPCAddr = ":70000" }, want: []string{`grpc_addr: port must be a number from 0 to 65535 (got "70000")`}},
		{name: "log level", mod: func(c *Config) { c.LogLevel = "trace" }, want: []string{`log_level: must be one of debug, info, warn, error (got "trace")`}},
		{name: "cert without key", mod: func(c *Config) { c.TLSCertFile = cert }, want: []string{"tls_cert_file, tls_key_file: set both or neither"}},
		{name: "unreadable key file", mod: func(c *Config) { c.TLSCertFile, c.TLSKeyFile = cert, missing }, want: []string{"tls_key_file: open " + missing}},
		{name: "mismatched pair", mod: func(c *Config) { c.TLSCertFile, c.TLSKeyFile = otherCert, key }, want: []string{"tls_cert_file, tls_key_file: not a usable certificate and key"}},
		{name: "CA unreadable", mod: func(c *Config) { c.TLSCAFile = missing }, want: []string{"tls_ca_file: open "}},
		{name: "CA not PEM", mod: func(c *Config) { c.TLSCAFile = notPEM }, want: []string{"tls_ca_file: " + notPEM + " holds no PEM certificate"}},
		{name: "databroker scheme", mod: func(c *Config) { c.DatabrokerServiceURL = "grpc://x:5443" }, want: []string{"databroker_service_url: must be an http:// or https:// URL"}},
		{name: "databroker no host", mod: func(c *Config) { c.DatabrokerServiceURL = "https://" }, want: []string{"databroker_service_url: must be an http:// or https:// URL"}},
		{name: "empty audience", mod: func(c *Config) { c.Audience = []string{"a", " "} }, want: []string{"audience[1]: must not be empty"}},
		{name: "empty administrator", mod: func(c *Config) { c.Administrators = []string{""} }, want: []string{"administrators[0]: must not be empty"}},
		{name: "all problems at once", mod: func(c *Config) {
			c.DatabaseEncryptionKey, c.SigningKey, c.BindAddr, c.LogLevel, c.Audience = "x", "x", "x", "x", []string{""}
		}, want: []string{"database_encryption_key:", "signing_key:", "bind_addr:", "log_level:", "audience[0]:"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c := valid()
			tc.mod(&c)
			err := c.Validate()
			wantProblems(t, err, tc.want...)
			if err != nil && len(tc.want) > 1 && strings.Count(err.Error(), "\n") != len(tc.want) {
				t.Fatalf("message %q does not list one problem per line", err)
			}
		})
	}
}

func TestHelpers(t *testing.T) {
	t.Parallel()
	c := Config{DatabaseEncryptionKey: testEncKey, SigningKey: testSignKey}
	if got := c.EncryptionKey(); string(got) != "0123456789abcdef0123456789abcdef" {
		t.Fatalf("EncryptionKey = %q", got)
	}
	if pub, err := c.SigningPublicKey(); err != nil || pub.Curve.Params().Name != "P-256" {
		t.Fatalf("SigningPublicKey = %v, %v", pub, err)
	}
	empty := Config{TLSCertFile: "c"}
	if empty.EncryptionKey() != nil || empty.TLSEnabled() {
		t.Fatal("EncryptionKey/TLSEnabled on an incomplete config")
	}
	if _, err := empty.SigningPublicKey(); err == nil || !strings.Contains(err.Error(), "signing_key is not set") {
		t.Fatalf("SigningPublicKey without a key: %v", err)
	}
	if !(&Config{TLSCertFile: "c", TLSKeyFile: "k"}).TLSEnabled() {
		t.Fatal("TLSEnabled with both files = false")
	}
}
