package databroker

import (
	"context"
	"fmt"

	"google.golang.org/grpc/codes"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/anypb"
	"google.golang.org/protobuf/types/known/fieldmaskpb"
	"google.golang.org/protobuf/types/known/structpb"
	"google.golang.org/protobuf/types/known/timestamppb"

	pb "github.com/pomerium-console-oss/pomerium-console/app/pb/databroker"
)

// typeURLPrefix is what Core prefixes a message's full name with to get the
// record type (grpcutil.GetTypeURL).
const typeURLPrefix = "type.googleapis.com/"

// TypeURL is the record type Core uses for records carrying msg, for example
// "type.googleapis.com/pomerium.config.Config".
func TypeURL(msg proto.Message) string {
	return typeURLPrefix + string(msg.ProtoReflect().Descriptor().FullName())
}

// NewAny wraps msg in an Any marshalled deterministically, so the same
// message always gives the same bytes (and an unchanged config compares equal).
func NewAny(msg proto.Message) (*anypb.Any, error) {
	value, err := proto.MarshalOptions{Deterministic: true}.Marshal(msg)
	if err != nil {
		return nil, fmt.Errorf("databroker: marshal %s: %w", TypeURL(msg), err)
	}
	return &anypb.Any{TypeUrl: TypeURL(msg), Value: value}, nil
}

// Put writes records in one call. The databroker assigns each a version and
// modified_at; the response carries them. A record with deleted_at set
// removes that (type, id).
func (c *Client) Put(ctx context.Context, records ...*pb.Record) (*pb.PutResponse, error) {
	res, err := c.api.Put(ctx, &pb.PutRequest{Records: records})
	return res, c.wrap("put", err)
}

// PutMessage stores msg under id with the record type of its message type
// and returns the record as stored (with its server-assigned version).
func (c *Client) PutMessage(ctx context.Context, id string, msg proto.Message) (*pb.Record, error) {
	data, err := NewAny(msg)
	if err != nil {
		return nil, err
	}
	return c.putOne(ctx, &pb.Record{Type: data.GetTypeUrl(), Id: id, Data: data})
}

// DeleteMessage removes the record (typ, id) the way the ingress controller
// does: a Put with deleted_at set and, as data, an empty message of that type
// (an Any with the type URL and no bytes). Deleting a missing record is not
// an error, as on Core.
func (c *Client) DeleteMessage(ctx context.Context, typ, id string) error {
	_, err := c.putOne(ctx, &pb.Record{
		Type:      typ,
		Id:        id,
		Data:      &anypb.Any{TypeUrl: typ},
		DeletedAt: timestamppb.Now(),
	})
	return err
}

// putOne puts a single record and returns the databroker's copy of it.
func (c *Client) putOne(ctx context.Context, rec *pb.Record) (*pb.Record, error) {
	res, err := c.Put(ctx, rec)
	if err != nil {
		return nil, err
	}
	if len(res.GetRecords()) != 1 {
		return nil, fmt.Errorf("databroker: put %s/%s: the databroker returned %d records for 1", rec.GetType(), rec.GetId(), len(res.GetRecords()))
	}
	return res.GetRecords()[0], nil
}

// Get reads one record; a missing or deleted record is an error matching
// ErrNotFound.
func (c *Client) Get(ctx context.Context, typ, id string) (*pb.Record, error) {
	res, err := c.api.Get(ctx, &pb.GetRequest{Type: typ, Id: id})
	if err != nil {
		return nil, c.wrap("get", err)
	}
	return res.GetRecord(), nil
}

// Query runs req as given (type, filter, offset, limit).
func (c *Client) Query(ctx context.Context, req *pb.QueryRequest) (*pb.QueryResponse, error) {
	res, err := c.api.Query(ctx, req)
	return res, c.wrap("query", err)
}

// FilterByIDOrIndex is the Query filter Core's get_databroker_record uses:
// the record whose id is x, or whose $index CIDR contains the address x.
func FilterByIDOrIndex(x string) *structpb.Struct {
	return &structpb.Struct{Fields: map[string]*structpb.Value{
		"$or": structpb.NewListValue(&structpb.ListValue{Values: []*structpb.Value{
			structpb.NewStructValue(&structpb.Struct{Fields: map[string]*structpb.Value{"id": structpb.NewStringValue(x)}}),
			structpb.NewStructValue(&structpb.Struct{Fields: map[string]*structpb.Value{"$index": structpb.NewStringValue(x)}}),
		}}),
	}}
}

// Patch overwrites only the fields named by fieldMask in the stored record
// (record.type, record.id) with those of record.data, leaving every other
// field as the databroker holds it: the way to change one field of a record
// other writers update too (Core patches a session's accessed_at the same
// way). A masked field that record.data leaves unset is cleared. Core skips
// a record that does not exist, so that is an error matching ErrNotFound.
func (c *Client) Patch(ctx context.Context, record *pb.Record, fieldMask *fieldmaskpb.FieldMask) (*pb.Record, error) {
	res, err := c.api.Patch(ctx, &pb.PatchRequest{Records: []*pb.Record{record}, FieldMask: fieldMask})
	if err != nil {
		return nil, c.wrap("patch", err)
	}
	if len(res.GetRecords()) == 0 {
		return nil, &Error{Op: "patch", Code: codes.NotFound, Message: "the record does not exist (NotFound)"}
	}
	return res.GetRecords()[0], nil
}

// PatchMessage patches the record of msg's type under id with the fields
// named by paths (dotted for nested fields).
func (c *Client) PatchMessage(ctx context.Context, id string, msg proto.Message, paths ...string) (*pb.Record, error) {
	data, err := NewAny(msg)
	if err != nil {
		return nil, err
	}
	return c.Patch(ctx, &pb.Record{Type: data.GetTypeUrl(), Id: id, Data: data}, &fieldmaskpb.FieldMask{Paths: paths})
}

// Tombstone deletes the record (typ, id) the way Core deletes sessions and
// devices (its DeleteDataBrokerRecord): Get the record, then Put it back
// with deleted_at set and its payload kept, so Sync watchers still see
// whose record went. It returns the record as it was; a missing record is
// an error matching ErrNotFound.
func (c *Client) Tombstone(ctx context.Context, typ, id string) (*pb.Record, error) {
	rec, err := c.Get(ctx, typ, id)
	if err != nil {
		return nil, err
	}
	gone := proto.CloneOf(rec)
	gone.DeletedAt = timestamppb.Now()
	if _, err := c.putOne(ctx, gone); err != nil {
		return nil, err
	}
	return rec, nil
}

// queryPage is how many records QueryAll asks for at a time.
const queryPage = 500

// QueryAll runs req (its offset and limit ignored) page by page and returns
// every matching record. Core has no index on sessions or users, so
// listing them means reading them all and filtering in the console.
func (c *Client) QueryAll(ctx context.Context, req *pb.QueryRequest) ([]*pb.Record, error) {
	var all []*pb.Record
	for {
		page := proto.CloneOf(req)
		page.Offset, page.Limit = int64(len(all)), queryPage
		res, err := c.Query(ctx, page)
		if err != nil {
			return nil, err
		}
		all = append(all, res.GetRecords()...)
		if len(res.GetRecords()) == 0 || int64(len(all)) >= res.GetTotalCount() {
			return all, nil
		}
	}
}
