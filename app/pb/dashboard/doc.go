// Package dashboard is the generated Go code of the Enterprise Console's public
// gRPC API, protocol buffer package `pomerium.dashboard`: RouteService,
// PolicyService, SettingsService, the namespace, key-chain, device, user,
// service-account and session services and their messages. The .proto files
// keep upstream's names and numbers (see reference/enterprise-api.md), so the
// upstream Go and Python clients call our server without changes.
package dashboard
