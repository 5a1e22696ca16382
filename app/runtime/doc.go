// Package runtime reads and changes the state Pomerium Core keeps in a
// cluster's databroker at run time: sessions (list, revoke, impersonate),
// users and groups (Core's user.User records merged with directory sync's
// pomerium.io/DirectoryUser and DirectoryGroup records and the users the
// console has seen) and devices (WebAuthn credentials, enrollments and
// device types). The UI and the gRPC API share it.
//
// Every method takes the caller's access and a cluster id ("" for the
// cluster serving Global). Reading needs the viewer role on the cluster's
// namespace, changing needs admin. A cluster without a databroker gives an
// error matching errs.ErrUnavailable, as does an unreachable databroker.
// Records are written the way Core writes them (shared/reference/
// runtime-records.md): revocation and device removal are tombstones that
// keep the payload, impersonation is a Patch of impersonate_session_id.
// Each change writes an activity entry in the console database once the
// databroker accepted it.
package runtime
