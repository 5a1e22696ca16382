// Package postgres holds the console's PostgreSQL schema as goose SQL
// migrations, embedded so the binary can apply them itself (see db/postgres).
package postgres
