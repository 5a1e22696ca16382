// Package user is the generated Go code of Pomerium Core's user.proto records,
// as read and written through the databroker. Regenerate with
// `go generate ./app/pb/...`.
package user
