package dbopen

import (
	"fmt"
	"net/url"
	"strings"
)

// Engines a database_url can select.
const (
	kindSQLite   = "sqlite"
	kindPostgres = "postgres"
)

// acceptedForms is quoted in every error about the shape of database_url.
const acceptedForms = "postgres://..., postgresql://..., sqlite://PATH, sqlite:PATH, file:PATH, file://PATH or a plain file path"

// target is a parsed database_url: the engine and what its adapter opens
// (the URL for Postgres, the file path for SQLite).
type target struct {
	kind string
	dsn  string
}

// parse picks the engine from the URL's scheme; text without a scheme is a
// SQLite file path.
func parse(databaseURL string) (target, error) {
	u := strings.TrimSpace(databaseURL)
	if u == "" {
		return target{}, fmt.Errorf("database_url is empty: use %s", acceptedForms)
	}
	lower := strings.ToLower(u)
	switch {
	case strings.HasPrefix(lower, "postgres://"), strings.HasPrefix(lower, "postgresql://"):
		return target{kind: kindPostgres, dsn: u}, nil
	case strings.HasPrefix(lower, "sqlite://"):
		return sqlitePath(u[len("sqlite://"):])
	case strings.HasPrefix(lower, "sqlite:"):
		return sqlitePath(u[len("sqlite:"):])
	case strings.HasPrefix(lower, "file://"):
		return sqlitePath(u[len("file://"):])
	case strings.HasPrefix(lower, "file:"):
		return sqlitePath(u[len("file:"):])
	case strings.Contains(u, "://"):
		return target{}, fmt.Errorf("database_url %q: unsupported database: use %s", Redact(u), acceptedForms)
	}
	return sqlitePath(u)
}

// sqlitePath checks the path part of a SQLite database_url.
func sqlitePath(path string) (target, error) {
	if path == "" {
		return target{}, fmt.Errorf("database_url: the SQLite file path is empty: use %s", acceptedForms)
	}
	if strings.ContainsRune(path, '?') {
		return target{}, fmt.Errorf("database_url %q: SQLite options are fixed by the console; remove the '?...' part", path)
	}
	return target{kind: kindSQLite, dsn: path}, nil
}

// Redact returns databaseURL with any password replaced by "xxxxx", for
// logs, errors and config dumps.
func Redact(databaseURL string) string {
	u, err := url.Parse(databaseURL)
	if err != nil || u.User == nil {
		return databaseURL
	}
	return u.Redacted()
}

// password returns the password in databaseURL, if any.
func password(databaseURL string) string {
	u, err := url.Parse(databaseURL)
	if err != nil || u.User == nil {
		return ""
	}
	p, _ := u.User.Password()
	return p
}
