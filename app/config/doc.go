// Package config loads the console's bootstrap configuration: an optional
// YAML file (strict: unknown keys are errors), then environment variables
// named after each key (they always win), then defaults, then one
// validation pass that reports every problem at once. Bootstrap fills in the
// embedded defaults (SQLite in the data dir, generated keys) so a first run
// needs no configuration at all. Runtime settings edited in the UI live in
// the database, not here.
package config
