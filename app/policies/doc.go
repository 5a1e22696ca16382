// Package policies manages PPL policies: each is validated, compiled to the
// Rego module Pomerium Core runs, and checked with OPA before it is stored,
// so a policy that Core could not load is never saved. Enforced policies
// apply to every route of their namespace and its descendants; optional
// ones are offered to routes there.
package policies
