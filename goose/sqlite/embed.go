package sqlite

import "embed"

// FS holds the SQLite migrations, named 00001_<what>.sql, in goose format.
//
//go:embed *.sql
var FS embed.FS
