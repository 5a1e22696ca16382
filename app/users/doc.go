// Package users records the people Pomerium signs in, from the claims of
// their identity assertion, so grants and the activity log can show names.
package users
