// Package settings manages the global settings the console pushes to
// Pomerium Core: one set per cluster, every key of the Enterprise Console's
// Settings (logging, proxy, timeouts, cookies, gRPC, tracing, certificate
// authorities, headers, identity provider, databroker, ...). A key an admin
// never set stays unset, so Core's own default applies. Secrets are sealed
// at rest and write-only: they can be set, replaced or cleared, never read
// back. Full updates, HTML forms and RFC 6902 JSON Patches all go through
// the same validation, which follows the rules Core applies to its own
// options.
package settings
