// Package session is the generated Go code of Pomerium Core's session.proto records,
// as read and written through the databroker. Regenerate with
// `go generate ./app/pb/...`.
package session
