// Package activity writes and reads the activity log: every mutation records
// who did what to which entity, with the entity before and after, inside the
// mutation's own transaction.
package activity
