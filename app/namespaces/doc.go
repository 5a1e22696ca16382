// Package namespaces manages the namespace tree rooted at Global: create,
// rename, move and delete, each checked against the caller's role, validated,
// and written with its activity-log entry in one transaction.
package namespaces
