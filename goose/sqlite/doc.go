// Package sqlite holds the console's SQLite schema as goose SQL migrations,
// embedded so the binary can apply them itself (see db/sqlite).
package sqlite
