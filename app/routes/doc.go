// Package routes manages routes: every field of the REST Route, validated
// as a whole with each failing field named, including every rule Pomerium
// Core applies when it loads a route — Core drops the whole pushed
// configuration when one route is invalid, so a route stored here is never
// one Core would reject. It also tells which policies apply to a route
// (enforced ones inherited, optional ones attached), which certificates
// serve its host, and what uses a policy or key pair.
package routes
