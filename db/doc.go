// Package db declares the console's storage contract: the record types every
// adapter stores and the Store interface that db/sqlite and db/postgres
// implement. It imports no app package; domain services depend on the
// narrow slices of Store they use.
package db
