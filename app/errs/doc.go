// Package errs defines the small set of errors every front (web UI, REST,
// gRPC, CLI) knows how to render: not found, forbidden, unauthenticated,
// conflict and validation errors that name each failing field.
package errs
