// Package web is the browser front of the console: the Fiber app, its
// middleware (sessions, CSRF, sign-in, namespace RBAC), and thin handlers
// that parse a request, call a domain service and render a templ view.
package web
