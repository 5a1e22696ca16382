// Package configyaml reads and writes Pomerium Core's config.yaml.
//
// Export writes a rendered pomerium.config.Config as a config.yaml that a
// file-configured Pomerium runs as it is: Core's option names, each route's
// policies as one PPL `policy:` list, certificates inline as base64.
//
// Import goes the other way, for moving an open-source Pomerium into the
// console: Parse reads a config.yaml into a Plan (the routes, policies, key
// pairs and settings changes it holds, and the keys the console cannot
// take, with why), reporting every problem with its file, line and key.
// A Service previews a Plan against the store (what would be created,
// what conflicts with existing routes) and applies it through the
// console's own services in one transaction, so either everything is
// created or nothing is.
package configyaml
