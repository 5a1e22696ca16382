// Package postgres opens the console's store on PostgreSQL through pgx's
// database/sql driver. The queries themselves live in db/sqlstore; this
// package brings the connection handling, error codes and migrations.
package postgres
