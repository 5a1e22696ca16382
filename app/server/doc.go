// Package server assembles the console from its configuration — store,
// migrations, keys, services, the web front and background jobs — runs it,
// and shuts it down in order (HTTP, then jobs, then the database).
package server
