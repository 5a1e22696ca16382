// Package errorpage renders errors for people: a full page body (wrapped in the layout by the web
// package) and a fragment for htmx targets. It shows the status and a readable reason, never the
// internal error.
package errorpage
