package dbopen

import (
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	tests := []struct {
		url      string
		kind     string
		dsn      string
		errParts []string
	}{
		{url: "postgres://u:p@h:5432/db?sslmode=disable", kind: kindPostgres, dsn: "postgres://u:p@h:5432/db?sslmode=disable"},
		{url: "postgresql://h/db", kind: kindPostgres, dsn: "postgresql://h/db"},
		{url: "  POSTGRES://h/db ", kind: kindPostgres, dsn: "POSTGRES://h/db"},
		{url: "sqlite:///var/lib/console/console.db", kind: kindSQLite, dsn: "/var/lib/console/console.db"},
		{url: "sqlite://./data/console.db", kind: kindSQLite, dsn: "./data/console.db"},
		{url: "sqlite://data/console.db", kind: kindSQLite, dsn: "data/console.db"},
		{url: "sqlite:data/console.db", kind: kindSQLite, dsn: "data/console.db"},
		{url: "file:/tmp/c.db", kind: kindSQLite, dsn: "/tmp/c.db"},
		{url: "file:///tmp/c.db", kind: kindSQLite, dsn: "/tmp/c.db"},
		{url: "./data/console.db", kind: kindSQLite, dsn: "./data/console.db"},
		{url: "/var/lib/console/100% ok#1.db", kind: kindSQLite, dsn: "/var/lib/console/100% ok#1.db"},
		{url: "console.db", kind: kindSQLite, dsn: "console.db"},
		{url: "", errParts: []string{"database_url is empty", "postgres://", "sqlite://PATH"}},
		{url: "sqlite://", errParts: []string{"database_url", "path is empty"}},
		{url: "sqlite:x.db?_pragma=foo", errParts: []string{"database_url", "remove the '?...' part"}},
		{url: "mysql://root:hunter2@db/console", errParts: []string{`database_url "mysql://root:xxxxx@db/console"`, "unsupported", "postgres://", "sqlite:PATH", "file:PATH", "file path"}},
	}
	for _, tc := range tests {
		t.Run(tc.url, func(t *testing.T) {
			got, err := parse(tc.url)
			if tc.errParts != nil {
				if err == nil {
					t.Fatalf("parse = %+v, want an error", got)
				}
				for _, part := range tc.errParts {
					if !strings.Contains(err.Error(), part) {
						t.Errorf("error %q does not mention %q", err, part)
					}
				}
				if strings.Contains(err.Error(), "hunter2") {
					t.Errorf("error %q shows the password", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got != (target{kind: tc.kind, dsn: tc.dsn}) {
				t.Errorf("parse = %+v, want kind %s dsn %q", got, tc.kind, tc.dsn)
			}
		})
	}
}

func TestRedact(t *testing.T) {
	tests := []struct{ in, want string }{
		{"postgres://u:hunter2@h/db", "postgres://u:xxxxx@h/db"},
		{"postgres://u@h/db", "postgres://u@h/db"},
		{"./data/console.db", "./data/console.db"},
		{"postgres://u:p%zz@h/db", "postgres://u:p%zz@h/db"}, // unparsable: nothing to find
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			if got := Redact(tc.in); got != tc.want {
				t.Errorf("Redact = %q, want %q", got, tc.want)
			}
		})
	}
}
