package databroker_test

import (
	"errors"
	"fmt"
	"testing"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/anypb"
	"google.golang.org/protobuf/types/known/structpb"

	"github.com/pomerium-console-oss/pomerium-console/app/databroker"
	"github.com/pomerium-console-oss/pomerium-console/app/databroker/databrokertest"
	pb "github.com/pomerium-console-oss/pomerium-console/app/pb/databroker"
)

// connect starts a test databroker and a client of it.
func connect(t *testing.T, opts ...databrokertest.Option) (*databrokertest.Server, *databroker.Client) {
	t.Helper()
	s := databrokertest.Start(t, opts...)
	c, err := databroker.Dial(t.Context(), databroker.Options{URL: s.URL(), SharedSecret: s.SharedSecret()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return s, c
}

// bigStruct has enough map entries that a non-deterministic marshal would
// order them differently between runs.
func bigStruct(t *testing.T) *structpb.Struct {
	t.Helper()
	fields := map[string]any{}
	for i := range 32 {
		fields[fmt.Sprintf("field-%02d", i)] = float64(i)
	}
	s, err := structpb.NewStruct(fields)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestTypeURLAndDeterministicAny(t *testing.T) {
	t.Parallel()
	msg := bigStruct(t)
	if got := databroker.TypeURL(msg); got != "type.googleapis.com/google.protobuf.Struct" {
		t.Fatalf("TypeURL = %q", got)
	}
	first, err := databroker.NewAny(msg)
	if err != nil {
		t.Fatal(err)
	}
	for range 20 {
		again, err := databroker.NewAny(msg)
		if err != nil {
			t.Fatal(err)
		}
		if string(again.GetValue()) != string(first.GetValue()) {
			t.Fatal("NewAny gave different bytes for the same message")
		}
	}
	back := &structpb.Struct{}
	if err := first.UnmarshalTo(back); err != nil || !proto.Equal(back, msg) {
		t.Fatalf("the Any does not decode back: %v", err)
	}
}

func TestPutMessageGetAndDelete(t *testing.T) {
	t.Parallel()
	s, c := connect(t)
	ctx := t.Context()
	msg := bigStruct(t)
	typ := databroker.TypeURL(msg)

	stored, err := c.PutMessage(ctx, "console", msg)
	if err != nil {
		t.Fatal(err)
	}
	if stored.GetType() != typ || stored.GetId() != "console" || stored.GetVersion() != 1 || stored.GetModifiedAt() == nil {
		t.Fatalf("stored record %v", stored)
	}
	got, err := c.Get(ctx, typ, "console")
	if err != nil {
		t.Fatal(err)
	}
	back := &structpb.Struct{}
	if err := got.GetData().UnmarshalTo(back); err != nil || !proto.Equal(back, msg) {
		t.Fatalf("the stored message does not decode back: %v", err)
	}
	if again, err := c.PutMessage(ctx, "console", msg); err != nil || again.GetVersion() != 2 {
		t.Fatalf("second put: version %d, %v", again.GetVersion(), err)
	}

	if err := c.DeleteMessage(ctx, typ, "console"); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Get(ctx, typ, "console"); !errors.Is(err, databroker.ErrNotFound) {
		t.Fatalf("get after delete: %v, want ErrNotFound", err)
	}
	// The deletion carries an empty message of the type, as the ingress controller's does.
	var deletion *pb.Record
	err = c.Sync(ctx, typ, databroker.Versions{ServerVersion: s.Versions().ServerVersion, LatestRecordVersion: 2}, false,
		func(r *pb.Record) error { deletion = r; return nil })
	if err != nil {
		t.Fatal(err)
	}
	if deletion.GetDeletedAt() == nil || deletion.GetData().GetTypeUrl() != typ || len(deletion.GetData().GetValue()) != 0 {
		t.Fatalf("deletion record %v", deletion)
	}
	if s.Puts(typ, "console") != 3 {
		t.Fatalf("puts = %d, want 3", s.Puts(typ, "console"))
	}
	if err := c.DeleteMessage(ctx, typ, "never-there"); err != nil {
		t.Fatalf("deleting a missing record: %v", err)
	}
}

func TestGetNotFound(t *testing.T) {
	t.Parallel()
	_, c := connect(t)
	_, err := c.Get(t.Context(), "t", "missing")
	if !errors.Is(err, databroker.ErrNotFound) || status.Code(err) != codes.NotFound {
		t.Fatalf("get missing: %v", err)
	}
	if want := "the record does not exist (NotFound)"; databroker.Explain(err) != want {
		t.Fatalf("Explain = %q, want %q", databroker.Explain(err), want)
	}
}

func TestPutQuerySyncLatest(t *testing.T) {
	t.Parallel()
	s, c := connect(t)
	ctx := t.Context()
	geo, err := structpb.NewStruct(map[string]any{"$index": map[string]any{"cidr": "192.0.2.0/24"}, "country": "FR"})
	if err != nil {
		t.Fatal(err)
	}
	data, err := anypb.New(geo)
	if err != nil {
		t.Fatal(err)
	}
	const typ = "pomerium.io/GeoIP"
	res, err := c.Put(ctx, &pb.Record{Type: typ, Id: "net-1", Data: data}, &pb.Record{Type: typ, Id: "net-2", Data: data})
	if err != nil || len(res.GetRecords()) != 2 || res.GetRecords()[1].GetVersion() != 2 {
		t.Fatalf("put: %v, %v", res, err)
	}
	q, err := c.Query(ctx, &pb.QueryRequest{Type: typ, Limit: 1, Filter: databroker.FilterByIDOrIndex("192.0.2.77")})
	if err != nil || len(q.GetRecords()) != 1 || q.GetRecords()[0].GetId() != "net-1" || q.GetTotalCount() != 2 {
		t.Fatalf("query: %v, %v", q, err)
	}
	records, v, err := c.SyncLatest(ctx, typ)
	if err != nil || len(records) != 2 || v != s.Versions() {
		t.Fatalf("sync latest: %d records, %+v, %v", len(records), v, err)
	}
}

func TestSyncStopsOnCallbackError(t *testing.T) {
	t.Parallel()
	s, c := connect(t)
	if _, err := c.Put(t.Context(), &pb.Record{Type: "t", Id: "a"}, &pb.Record{Type: "t", Id: "b"}); err != nil {
		t.Fatal(err)
	}
	stop := errors.New("stop")
	calls := 0
	err := c.Sync(t.Context(), "t", databroker.Versions{ServerVersion: s.Versions().ServerVersion}, true, func(*pb.Record) error {
		calls++
		return stop
	})
	if !errors.Is(err, stop) || calls != 1 {
		t.Fatalf("sync: %v after %d calls, want the callback's error after 1", err, calls)
	}
}

func TestClosedClient(t *testing.T) {
	t.Parallel()
	_, c := connect(t)
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Get(t.Context(), "t", "a"); err == nil {
		t.Fatal("a closed client still answers")
	}
}
