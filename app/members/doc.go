// Package members grants and revokes roles on a namespace to users and
// groups, and lists who holds which role there, directly or inherited.
package members
