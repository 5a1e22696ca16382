// Package jobs runs the console's periodic work on one in-process cron
// scheduler. Jobs call domain code, never handlers, and stop on shutdown.
package jobs
