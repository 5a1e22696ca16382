// Package testutil boots the real console (services, Fiber app, SQLite in a
// temp dir) for HTTP scenario tests, and drives it like a browser would:
// cookies, CSRF tokens, htmx headers, Pomerium assertions.
package testutil
