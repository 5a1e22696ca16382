// Package storetest is the contract every db.Store adapter must pass (Run),
// plus helpers for other packages' tests: a fresh, migrated store on SQLite
// or, when POSTGRES_TEST_URL is set, on a throwaway Postgres database (one
// engine or ForEach), a Snapshot of what a mutation may change, and
// Failure, to show such helpers fail when they must.
package storetest
