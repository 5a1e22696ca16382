package databrokertest

import (
	"testing"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/types/known/anypb"
	"google.golang.org/protobuf/types/known/structpb"

	"github.com/pomerium-console-oss/pomerium-console/app/databroker"
	pb "github.com/pomerium-console-oss/pomerium-console/app/pb/databroker"
)

// Seed stores each message as Core would: under the id in its own string
// "id" field, with the record type of its message type (session.Session,
// user.User, pomerium.device.Credential, ...). It fails the test for a
// message without a string id.
func (s *Server) Seed(tb testing.TB, msgs ...proto.Message) {
	tb.Helper()
	records := make([]*pb.Record, 0, len(msgs))
	for _, msg := range msgs {
		fd := msg.ProtoReflect().Descriptor().Fields().ByName("id")
		if fd == nil || fd.Kind() != protoreflect.StringKind || fd.IsList() {
			tb.Fatalf("databrokertest: seed: %s has no string id", msg.ProtoReflect().Descriptor().FullName())
		}
		data, err := databroker.NewAny(msg)
		if err != nil {
			tb.Fatalf("databrokertest: seed: %v", err)
		}
		id := msg.ProtoReflect().Get(fd).String()
		records = append(records, &pb.Record{Type: data.GetTypeUrl(), Id: id, Data: data})
	}
	s.store.put(records)
}

// SeedStruct stores fields as a google.protobuf.Struct record of typ under
// id, as directory sync and external data write them (for example
// typ "pomerium.io/DirectoryUser").
func (s *Server) SeedStruct(tb testing.TB, typ, id string, fields map[string]any) {
	tb.Helper()
	data, err := structpb.NewStruct(fields)
	if err != nil {
		tb.Fatalf("databrokertest: seed %s/%s: %v", typ, id, err)
	}
	value, err := anypb.New(data)
	if err != nil {
		tb.Fatalf("databrokertest: seed %s/%s: %v", typ, id, err)
	}
	s.store.put([]*pb.Record{{Type: typ, Id: id, Data: value}})
}

// Message decodes the current record (typ, id) into out; false when the
// record is missing or deleted.
func (s *Server) Message(tb testing.TB, typ, id string, out proto.Message) bool {
	tb.Helper()
	rec := s.store.get(typ, id)
	if rec == nil {
		return false
	}
	if err := rec.GetData().UnmarshalTo(out); err != nil {
		tb.Fatalf("databrokertest: decode %s/%s: %v", typ, id, err)
	}
	return true
}

// Tombstone returns the last change written for (typ, id) when it was a
// deletion, so a test can check the payload a style (b) delete kept; nil
// otherwise.
func (s *Server) Tombstone(typ, id string) *pb.Record {
	s.store.mu.Lock()
	defer s.store.mu.Unlock()
	for i := len(s.store.changes) - 1; i >= 0; i-- {
		rec := s.store.changes[i]
		if rec.GetType() == typ && rec.GetId() == id {
			if rec.GetDeletedAt() == nil {
				return nil
			}
			return proto.CloneOf(rec)
		}
	}
	return nil
}
