// Package sqlite opens the console's store on a SQLite file with the pure-Go
// modernc.org/sqlite driver: WAL, a busy timeout and foreign keys on, a
// read pool plus a one-connection write pool whose transactions take the
// write lock up front. The queries themselves live in db/sqlstore.
//
// NB: inside InTx, write through the transaction's store only. A write
// through the outer store waits for the one write connection, which the
// transaction holds, until its context ends.
package sqlite
