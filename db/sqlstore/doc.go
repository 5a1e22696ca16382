// Package sqlstore implements db.Store once on database/sql for every engine
// the console supports. Queries use $1-style placeholders, which both the
// modernc SQLite driver and pgx accept; what really differs between engines
// (pools, error codes, case-insensitive matching, migrations) comes in a
// Dialect from db/sqlite or db/postgres.
package sqlstore
