// Package logging builds the console's slog logger: JSON lines by default,
// for log shippers, and coloured human-readable lines when debug is on, the
// same two formats Pomerium Core offers.
package logging
