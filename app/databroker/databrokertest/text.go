package databrokertest

import (
	"github.com/pomerium-console-oss/pomerium-console/app/databroker"
	pb "github.com/pomerium-console-oss/pomerium-console/app/pb/databroker"

	// Core's record types, registered so that Patch and the free-text
	// Query can decode them, as Core's databroker decodes the types it
	// was compiled with.
	_ "github.com/pomerium-console-oss/pomerium-console/app/pb/config"
	_ "github.com/pomerium-console-oss/pomerium-console/app/pb/device"
	_ "github.com/pomerium-console-oss/pomerium-console/app/pb/session"
	_ "github.com/pomerium-console-oss/pomerium-console/app/pb/user"
)

// matchText reports whether the record's decoded data holds lowerText in
// any string field, as Core's storage.MatchAny does; data of a type the
// server does not know never matches.
func matchText(r *pb.Record, lowerText string) bool {
	msg, err := r.GetData().UnmarshalNew()
	if err != nil {
		return false
	}
	return databroker.MatchText(msg, lowerText)
}
