package runtime

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/structpb"

	"github.com/pomerium-console-oss/pomerium-console/app/databroker"
	pb "github.com/pomerium-console-oss/pomerium-console/app/pb/databroker"
	devicepb "github.com/pomerium-console-oss/pomerium-console/app/pb/device"
	sessionpb "github.com/pomerium-console-oss/pomerium-console/app/pb/session"
	userpb "github.com/pomerium-console-oss/pomerium-console/app/pb/user"
)

// Record types, as Core and directory sync write them.
var (
	SessionType          = databroker.TypeURL(&sessionpb.Session{})
	UserType             = databroker.TypeURL(&userpb.User{})
	CredentialType       = databroker.TypeURL(&devicepb.Credential{})
	EnrollmentType       = databroker.TypeURL(&devicepb.Enrollment{})
	DeviceTypeType       = databroker.TypeURL(&devicepb.Type{})
	DirectoryUserType    = "pomerium.io/DirectoryUser"
	DirectoryGroupType   = "pomerium.io/DirectoryGroup"
	errNoSuchRecordShape = errors.New("the record holds another message type")
)

// decoded is a record's message with the record's own metadata.
type decoded[T proto.Message] struct {
	msg T
	rec *pb.Record
}

// decode unmarshals a record's data into a new T.
func decode[T proto.Message](rec *pb.Record, newT func() T) (T, error) {
	msg := newT()
	if !rec.GetData().MessageIs(msg) {
		return msg, fmt.Errorf("%s/%s: %w", rec.GetType(), rec.GetId(), errNoSuchRecordShape)
	}
	if err := rec.GetData().UnmarshalTo(msg); err != nil {
		return msg, fmt.Errorf("decode %s/%s: %w", rec.GetType(), rec.GetId(), err)
	}
	return msg, nil
}

// loadAll reads every record of typ (filtered by the databroker's free-text
// query when text is set) and decodes it; records of another shape are
// skipped rather than failing the whole list.
func loadAll[T proto.Message](ctx context.Context, c *databroker.Client, typ, text string, newT func() T) ([]decoded[T], error) {
	records, err := c.QueryAll(ctx, &pb.QueryRequest{Type: typ, Query: text})
	if err != nil {
		return nil, brokerError("read "+shortType(typ), err)
	}
	out := make([]decoded[T], 0, len(records))
	for _, rec := range records {
		msg, err := decode(rec, newT)
		if err != nil {
			continue
		}
		out = append(out, decoded[T]{msg: msg, rec: rec})
	}
	return out, nil
}

// getOne reads one record; found is false when it does not exist.
func getOne[T proto.Message](ctx context.Context, c *databroker.Client, typ, id string, newT func() T) (decoded[T], bool, error) {
	rec, err := c.Get(ctx, typ, id)
	switch {
	case errors.Is(err, databroker.ErrNotFound):
		return decoded[T]{}, false, nil
	case err != nil:
		return decoded[T]{}, false, brokerError("read "+shortType(typ), err)
	}
	msg, err := decode(rec, newT)
	if err != nil {
		return decoded[T]{}, false, fmt.Errorf("runtime: %w", err)
	}
	return decoded[T]{msg: msg, rec: rec}, true, nil
}

// shortType names a record type in messages ("session.Session").
func shortType(typ string) string {
	return strings.TrimPrefix(typ, "type.googleapis.com/")
}

func newSession() *sessionpb.Session      { return &sessionpb.Session{} }
func newUser() *userpb.User               { return &userpb.User{} }
func newCredential() *devicepb.Credential { return &devicepb.Credential{} }
func newEnrollment() *devicepb.Enrollment { return &devicepb.Enrollment{} }
func newDeviceType() *devicepb.Type       { return &devicepb.Type{} }
func newStruct() *structpb.Struct         { return &structpb.Struct{} }

// structString reads a string field of a directory record.
func structString(s *structpb.Struct, key string) string {
	return s.GetFields()[key].GetStringValue()
}

// structStrings reads a list-of-strings field of a directory record.
func structStrings(s *structpb.Struct, key string) []string {
	var out []string
	for _, v := range s.GetFields()[key].GetListValue().GetValues() {
		if str := v.GetStringValue(); str != "" {
			out = append(out, str)
		}
	}
	return out
}
