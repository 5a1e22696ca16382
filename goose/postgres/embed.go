package postgres

import "embed"

// FS holds the Postgres migrations, named 00001_<what>.sql, in goose format.
//
//go:embed *.sql
var FS embed.FS
