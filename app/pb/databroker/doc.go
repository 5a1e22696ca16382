// Package databroker is the generated Go code of databroker.proto, Pomerium
// Core's databroker protocol (package databroker: DataBrokerService and
// CheckpointService) with Core's names and field numbers. Regenerate with
// `go generate ./app/pb/...`; app/databroker is the client built on it.
package databroker
