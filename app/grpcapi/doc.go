// Package grpcapi serves the enterprise gRPC API (package pomerium.dashboard,
// the API the public enterprise-client-go and enterprise-client-python speak)
// on grpc_addr. Handlers are thin: they translate messages to the domain
// services the web UI uses, so validation, RBAC, the activity log and
// changesets are the same whichever front a change comes through.
//
// Every call is authenticated (auth.go), always over TLS (tls.go), and
// domain errors become gRPC status codes (status.go).
package grpcapi
