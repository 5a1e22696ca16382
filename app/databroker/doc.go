// Package databroker is the console's client for Pomerium Core's databroker:
// the gRPC service Core reads its dynamic configuration from. It dials
// "http://" URLs as plaintext HTTP/2 (h2c, what Core's grpc listener speaks by
// default) and "https://" URLs with TLS, and signs every call with a fresh
// HS256 token made from the cluster's shared secret, exactly as Core's own
// services do, because Core's check refuses anything else (an extra claim, a
// missing expiry). Errors name the cause in words an administrator can act on
// and keep the gRPC code for callers that branch on it.
//
// The protocol itself is declared in app/pb/databroker; databrokertest is an
// in-process databroker with Core's semantics for tests.
package databroker
