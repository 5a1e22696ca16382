package config

import (
	"errors"
	"io/fs"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestLoadFileErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		yaml string
		want []string
	}{
		{name: "unknown key", yaml: "database_url: x\n\ndatabse_url: y\n", want: []string{`config.yaml:3: unknown key "databse_url"`}},
		{name: "every unknown key", yaml: "a: 1\nbind_addr: ':1'\nb: 2\n", want: []string{`config.yaml:1: unknown key "a"`, `config.yaml:3: unknown key "b"`}},
		{name: "malformed", yaml: "database_url: x\nadministrators: [a\n", want: []string{"config.yaml:2: "}},
		{name: "duplicate key", yaml: "bind_addr: ':1'\nbind_addr: ':2'\n", want: []string{`config.yaml:2: mapping key "bind_addr" already defined`}},
		{name: "bool type", yaml: "debug: sometimes\n", want: []string{"config.yaml:1: debug: must be true or false"}},
		{name: "list type", yaml: "\naudience: console.example.com\n", want: []string{"config.yaml:2: audience: must be a list of strings"}},
		{name: "string type", yaml: "database_url:\n  host: x\n", want: []string{"config.yaml:1: database_url: must be a string"}},
		{name: "not a mapping", yaml: "- database_url\n", want: []string{"config.yaml:1: must be a mapping"}},
		{name: "two documents", yaml: "debug: true\n---\ndebug: false\n", want: []string{"holds 2 YAML documents"}},
		{name: "alias", yaml: "bind_addr: &a ':1'\ngrpc_addr: *a\n", want: []string{"config.yaml:2: grpc_addr: YAML aliases are not supported"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			path := writeFile(t, t.TempDir(), "config.yaml", tc.yaml)
			_, err := Load(path, nil)
			wantProblems(t, err, tc.want...)
			if !strings.HasPrefix(err.(*Error).Problems[0], path) {
				t.Fatalf("problem %q does not name the file %s", err.(*Error).Problems[0], path)
			}
		})
	}
}

func TestLoadErrorsHideSecretValues(t *testing.T) {
	t.Parallel()
	path := writeFile(t, t.TempDir(), "config.yaml", "signing_key:\n  - hunter2-secret\nshared_secret: \"hunter3-secret\n")
	_, err := Load(path, nil)
	if err == nil || strings.Contains(err.Error(), "hunter") {
		t.Fatalf("err = %v: want an error that shows no value", err)
	}
}

func TestLoadFileAndEnv(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	path := writeFile(t, dir, "config.yaml", `
database_url: postgres://file/db
administrators: [file@example.com]
audience: [console.example.com]
bind_addr: "127.0.0.1:9000"
log_level: warn
`)
	signFile := writeFile(t, dir, "signing_key", testSignKey+"\n")
	tests := []struct {
		name  string
		env   map[string]string
		check func(t *testing.T, c *Config)
		want  []string
	}{
		{name: "file only, defaults fill the rest", check: func(t *testing.T, c *Config) {
			if c.DatabaseURL != "postgres://file/db" || c.BindAddr != "127.0.0.1:9000" || c.GRPCAddr != ":8702" || c.LogLevel != "warn" || c.DataDir != "./data" || c.Debug {
				t.Fatalf("config = %+v", c)
			}
		}},
		{name: "env wins over file", env: map[string]string{
			"DATABASE_URL": "postgres://env/db", "ADMINISTRATORS": " a@example.com, ,b@example.com,", "DEBUG": "true", "LOG_LEVEL": "debug",
		}, check: func(t *testing.T, c *Config) {
			if c.DatabaseURL != "postgres://env/db" || !slices.Equal(c.Administrators, []string{"a@example.com", "b@example.com"}) || !c.Debug || c.LogLevel != "debug" {
				t.Fatalf("config = %+v", c)
			}
			if !slices.Equal(c.Audience, []string{"console.example.com"}) {
				t.Fatalf("audience from file lost: %v", c.Audience)
			}
		}},
		{name: "empty variable is unset", env: map[string]string{"DATABASE_URL": ""}, check: func(t *testing.T, c *Config) {
			if c.DatabaseURL != "postgres://file/db" {
				t.Fatalf("DatabaseURL = %q", c.DatabaseURL)
			}
		}},
		{name: "secret from _FILE, newline trimmed", env: map[string]string{"SIGNING_KEY_FILE": signFile, "DATABASE_ENCRYPTION_KEY": testEncKey}, check: func(t *testing.T, c *Config) {
			if c.SigningKey != testSignKey || c.DatabaseEncryptionKey != testEncKey {
				t.Fatal("secrets not read from the environment")
			}
		}},
		{name: "bad bool names the variable", env: map[string]string{"DEBUG": "yess"}, want: []string{`DEBUG: must be true or false (got "yess")`}},
		{name: "both secret forms", env: map[string]string{"SHARED_SECRET": testSecret, "SHARED_SECRET_FILE": signFile}, want: []string{"SHARED_SECRET and SHARED_SECRET_FILE are both set"}},
		{name: "missing _FILE", env: map[string]string{"LICENSE_KEY_FILE": filepath.Join(dir, "nope")}, want: []string{"LICENSE_KEY_FILE: open "}},
		{name: "validation runs after env", env: map[string]string{"GRPC_ADDR": "8702", "DATABASE_ENCRYPTION_KEY": "c2hvcnQ="}, want: []string{
			"database_encryption_key: must be 32 bytes of base64 (got 5 bytes)", `grpc_addr: must be host:port`,
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, err := Load(path, env(tc.env))
			wantProblems(t, err, tc.want...)
			if tc.check != nil {
				tc.check(t, c)
			}
		})
	}
}

func TestLoadNoFile(t *testing.T) {
	t.Parallel()
	c, err := Load("", env(map[string]string{"BIND_ADDR": ":9999"}))
	if err != nil || c.BindAddr != ":9999" || c.LogLevel != "info" {
		t.Fatalf("Load = %+v, %v", c, err)
	}
	if _, err := Load(filepath.Join(t.TempDir(), "missing.yaml"), nil); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("Load of a missing file: %v", err)
	}
}

func TestResolvePath(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	existing := writeFile(t, dir, "c.yaml", "")
	missing := filepath.Join(dir, "missing.yaml")
	tests := []struct {
		name        string
		flag        string
		flagSet     bool
		defaultPath string
		want        string
		wantErr     string
	}{
		{name: "explicit existing", flag: existing, flagSet: true, defaultPath: missing, want: existing},
		{name: "explicit missing", flag: missing, flagSet: true, defaultPath: existing, wantErr: "--config " + missing + ": file does not exist"},
		{name: "explicit directory", flag: dir, flagSet: true, wantErr: "is a directory"},
		{name: "explicit empty means no file", flag: "", flagSet: true, defaultPath: existing, want: ""},
		{name: "default exists", defaultPath: existing, want: existing},
		{name: "default missing", defaultPath: missing, want: ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := resolvePath(tc.flag, tc.flagSet, tc.defaultPath)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Fatalf("resolvePath = %q, %v; want %q", got, err, tc.want)
			}
		})
	}
}
