// Package pb holds the protocol buffer declarations the console speaks to
// Pomerium Core with, one sub-package per .proto file, and their generated Go
// code (committed; CI fails if regenerating changes it). The declarations keep
// Pomerium's package, message and field names and numbers, so the wire format
// matches Core's; only the Go import paths are ours.
package pb

//go:generate bash ../../scripts/gen-proto.sh
