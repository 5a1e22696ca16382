package config

import (
	"crypto/ecdsa"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"sync"

	"github.com/pomerium-console-oss/pomerium-console/app/authn"
	"github.com/pomerium-console-oss/pomerium-console/app/seal"
)

// DefaultPath is read when no --config flag is given and the file exists.
const DefaultPath = "/etc/pomerium-console/config.yaml"

// Defaults for keys left empty.
const (
	DefaultBindAddr = ":8701"
	DefaultGRPCAddr = ":8702"
	DefaultLogLevel = "info"
	DefaultDataDir  = "./data"
)

// Config is the bootstrap configuration. Fields tagged secret are never
// printed and also accept a <NAME>_FILE environment variable.
type Config struct {
	DatabaseURL string `yaml:"database_url"`
	// DatabaseEncryptionKey is base64 of 32 bytes; it seals secrets at rest.
	DatabaseEncryptionKey string `yaml:"database_encryption_key" secret:"true"`
	// Administrators are e-mails or user ids made admins of Global.
	Administrators []string `yaml:"administrators"`
	// Audience lists the accepted aud of the Pomerium JWT: the console route's host.
	Audience []string `yaml:"audience"`
	// SigningKey is Pomerium Core's signing_key: a P-256 private key as base64 PEM.
	SigningKey string `yaml:"signing_key" secret:"true"`
	// SharedSecret is Pomerium Core's shared_secret (base64), for the databroker.
	SharedSecret         string `yaml:"shared_secret" secret:"true"`
	DatabrokerServiceURL string `yaml:"databroker_service_url"`
	// LicenseKey is accepted for compatibility and unused.
	LicenseKey  string `yaml:"license_key" secret:"true"`
	TLSCAFile   string `yaml:"tls_ca_file"`
	TLSCertFile string `yaml:"tls_cert_file"`
	TLSKeyFile  string `yaml:"tls_key_file"`
	BindAddr    string `yaml:"bind_addr"`
	GRPCAddr    string `yaml:"grpc_addr"`
	LogLevel    string `yaml:"log_level"`
	// Debug switches logs to coloured human-readable text.
	Debug bool `yaml:"debug"`
	// DataDir holds generated keys and the default SQLite database.
	DataDir string `yaml:"data_dir"`
}

func (c *Config) applyDefaults() {
	for _, d := range []struct {
		field *string
		value string
	}{
		{&c.BindAddr, DefaultBindAddr},
		{&c.GRPCAddr, DefaultGRPCAddr},
		{&c.LogLevel, DefaultLogLevel},
		{&c.DataDir, DefaultDataDir},
	} {
		if *d.field == "" {
			*d.field = d.value
		}
	}
}

// EncryptionKey returns the decoded database_encryption_key, or nil when it
// is unset or invalid (Validate reports that).
func (c *Config) EncryptionKey() []byte {
	k, err := seal.ParseKey(c.DatabaseEncryptionKey)
	if err != nil {
		return nil
	}
	return k
}

// SigningPublicKey returns the public half of signing_key, which verifies
// the assertions Pomerium Core signs.
func (c *Config) SigningPublicKey() (*ecdsa.PublicKey, error) {
	if c.SigningKey == "" {
		return nil, errors.New("config: signing_key is not set")
	}
	k, err := authn.ParseSigningKey(c.SigningKey)
	if err != nil {
		return nil, fmt.Errorf("config: signing_key: %w", err)
	}
	return &k.PublicKey, nil
}

// TLSEnabled reports whether the console serves TLS with its own certificate.
func (c *Config) TLSEnabled() bool {
	return c.TLSCertFile != "" && c.TLSKeyFile != ""
}

// field describes one Config key for the file decoder, the environment and Dump.
type field struct {
	key    string // YAML key
	env    string // environment variable
	secret bool
	index  int
}

// fields lists Config's keys in declaration order, read once from its tags.
var fields = sync.OnceValue(func() []field {
	t := reflect.TypeFor[Config]()
	out := make([]field, 0, t.NumField())
	for i := range t.NumField() {
		f := t.Field(i)
		key := f.Tag.Get("yaml")
		out = append(out, field{key: key, env: strings.ToUpper(key), secret: f.Tag.Get("secret") == "true", index: i})
	}
	return out
})

// value returns the addressable struct field f of c.
func (c *Config) value(f field) reflect.Value {
	return reflect.ValueOf(c).Elem().Field(f.index)
}

// kindWant says what a key's value must look like, for type errors.
func kindWant(v reflect.Value) string {
	switch v.Kind() {
	case reflect.Bool:
		return "true or false"
	case reflect.Slice:
		return "a list of strings"
	}
	return "a string"
}
