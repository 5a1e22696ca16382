// Package routes renders the route list, a route's page (with the
// policies that apply to it and the certificates for its host) and the
// route form, in sections with a section nav.
package routes
