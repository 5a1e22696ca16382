// Package rego compiles PPL policies (app/ppl) into the Rego modules that
// Pomerium Core enforces from a route's policies[].rego, and checks and
// evaluates such modules with OPA exactly as Core's authorize service does:
// the v0-compatible OPA packages, one module per query named pomerium.policy,
// the query `result = data.pomerium.policy` and Core's three custom builtins
// with Core's own type declarations (reference/rego-contract.md).
//
// A compiled module is self-contained: `package pomerium.policy`, `import
// rego.v1`, the default allow/deny, one combiner rule per non-empty rule
// group, one rule per criterion and only the helper functions its criteria
// need. Nothing is shared between modules, because Core compiles each one on
// its own.
//
// Check must pass before a module is written to a databroker: Core compiles
// every route's modules together and a single broken one stops policy updates
// for all routes.
package rego
