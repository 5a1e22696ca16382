// Package databrokertest runs an in-process databroker for tests: a gRPC
// server built from the console's own databroker.proto, on a real loopback
// socket (h2c, or TLS with a self-signed certificate), that follows Pomerium
// Core's semantics as far as the console relies on them: server-assigned,
// increasing record versions and modified_at, upsert by (type, id), deletion
// by deleted_at, NotFound, Patch with a field mask, Query with the
// id/$index filter and the free-text query over every string field, SyncLatest and
// Sync with Aborted after a storage reset, ServerInfo, and Core's token check
// on every method. Real Core cannot run on the build machines (see
// shared/reference/databroker.md §7), so this is what the console's push is
// tested against; compatibility with Core rests on the shared protocol.
//
// Seed and SeedStruct put Core's runtime records (sessions, users,
// devices, directory entries) as Core and directory sync write them.
//
// Tests can slow it down, make it fail, make it look like a Core older than
// v0.31 (no ServerInfo), stop and restart it on the same address, and count
// the writes each record received.
package databrokertest
