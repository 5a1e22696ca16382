// Package recording is the generated Go code of the Enterprise Console's
// session-recording query API, protocol buffer package `recording`
// (RecordingQuerierService), which the upstream Go client exposes as
// SessionRecordingService.
package recording
