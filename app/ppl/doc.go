// Package ppl parses and validates Pomerium Policy Language documents (YAML
// or JSON; one rule object or a list of them) into a typed AST, reporting
// every problem at once with the path of the rule it belongs to, and
// formats an AST back to YAML. It knows Core's criteria and the console-only
// ones (date, day_of_week, time_of_day, record); compiling to Rego lives in
// app/rego.
package ppl
