// Package storetest is the contract every db.Store adapter must pass (Run),
// plus helpers that give other packages' tests a fresh, migrated store on
// SQLite or, when POSTGRES_TEST_URL is set, on a throwaway Postgres database.
package storetest
