// Package dbopen turns the database_url setting into an open, reachable
// db.Store (SQLite or Postgres) and gives access to its migrations.
package dbopen
