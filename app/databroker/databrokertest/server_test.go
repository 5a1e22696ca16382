package databrokertest_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/anypb"
	"google.golang.org/protobuf/types/known/emptypb"
	"google.golang.org/protobuf/types/known/structpb"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/pomerium-console-oss/pomerium-console/app/databroker"
	"github.com/pomerium-console-oss/pomerium-console/app/databroker/databrokertest"
	pb "github.com/pomerium-console-oss/pomerium-console/app/pb/databroker"
)

const typ = "type.googleapis.com/google.protobuf.Struct"

// dial returns a client of s that closes when the test ends.
func dial(t *testing.T, s *databrokertest.Server) *databroker.Client {
	t.Helper()
	c, err := databroker.Dial(t.Context(), databroker.Options{URL: s.URL(), SharedSecret: s.SharedSecret(), CAPEM: s.CAPEM(), OverrideName: databrokertest.ServerName})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return c
}

// record builds a Struct record from fields.
func record(t *testing.T, id string, fields map[string]any) *pb.Record {
	t.Helper()
	s, err := structpb.NewStruct(fields)
	if err != nil {
		t.Fatal(err)
	}
	data, err := anypb.New(s)
	if err != nil {
		t.Fatal(err)
	}
	return &pb.Record{Type: typ, Id: id, Data: data}
}

func TestPutAssignsVersionsAndUpserts(t *testing.T) {
	t.Parallel()
	s := databrokertest.Start(t)
	c := dial(t, s)
	ctx := t.Context()

	forged := record(t, "a", map[string]any{"n": 1.0})
	forged.Version, forged.ModifiedAt = 999, timestamppb.New(time.Unix(1, 0))
	res, err := c.Put(ctx, forged, record(t, "b", nil), record(t, "a", map[string]any{"n": 2.0}))
	if err != nil {
		t.Fatal(err)
	}
	got := res.GetRecords()
	if len(got) != 3 || res.GetServerVersion() != s.Versions().ServerVersion {
		t.Fatalf("put returned %d records at server version %d", len(got), res.GetServerVersion())
	}
	for i, rec := range got {
		if rec.GetVersion() != uint64(i+1) {
			t.Errorf("record %d has version %d, want %d (server-assigned, increasing)", i, rec.GetVersion(), i+1)
		}
		if i > 0 && !rec.GetModifiedAt().AsTime().After(got[i-1].GetModifiedAt().AsTime()) {
			t.Errorf("modified_at of record %d does not increase", i)
		}
	}
	if got[0].GetModifiedAt().AsTime().Year() < 2000 {
		t.Error("the client's modified_at was kept")
	}
	current := s.Records(typ)
	if len(current) != 2 || current[0].GetId() != "a" || current[0].GetVersion() != 3 {
		t.Fatalf("records after upsert: %v", current)
	}
	if n := current[0].GetData(); !slices.Equal(n.GetValue(), got[2].GetData().GetValue()) {
		t.Error("upsert kept the old data")
	}
	if s.Puts(typ, "a") != 2 || s.Puts(typ, "b") != 1 || s.Puts(typ, "c") != 0 || s.PutCalls() != 1 {
		t.Errorf("counters: a=%d b=%d c=%d calls=%d", s.Puts(typ, "a"), s.Puts(typ, "b"), s.Puts(typ, "c"), s.PutCalls())
	}
	if v := s.Versions(); v.LatestRecordVersion != 3 || v.ServerVersion == 0 {
		t.Errorf("versions %+v", v)
	}
}

func TestPutRefusesRecordsWithoutTypeOrID(t *testing.T) {
	t.Parallel()
	s := databrokertest.Start(t)
	c := dial(t, s)
	for _, rec := range []*pb.Record{{Type: typ}, {Id: "x"}} {
		if _, err := c.Put(t.Context(), rec); status.Code(err) != codes.InvalidArgument {
			t.Errorf("put %v: %v, want InvalidArgument", rec, err)
		}
	}
	if s.PutCalls() != 0 {
		t.Error("a refused put was counted")
	}
}

func TestDeletion(t *testing.T) {
	t.Parallel()
	s := databrokertest.Start(t)
	c := dial(t, s)
	ctx := t.Context()
	if _, err := c.Put(ctx, record(t, "a", nil)); err != nil {
		t.Fatal(err)
	}
	_, from, err := c.SyncLatest(ctx, typ)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.DeleteMessage(ctx, typ, "a"); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Get(ctx, typ, "a"); !errors.Is(err, databroker.ErrNotFound) {
		t.Fatalf("get after delete: %v, want NotFound", err)
	}
	if s.Record(typ, "a") != nil || len(s.Records("")) != 0 {
		t.Fatal("the deleted record is still current")
	}
	var changes []*pb.Record
	err = c.Sync(ctx, typ, from, false, func(r *pb.Record) error { changes = append(changes, r); return nil })
	if err != nil {
		t.Fatal(err)
	}
	if len(changes) != 1 || changes[0].GetDeletedAt() == nil || changes[0].GetVersion() != 2 {
		t.Fatalf("sync after delete: %v, want one record with deleted_at", changes)
	}
}

func TestQuery(t *testing.T) {
	t.Parallel()
	s := databrokertest.Start(t)
	c := dial(t, s)
	ctx := t.Context()
	recs := []*pb.Record{
		record(t, "ten", map[string]any{"$index": map[string]any{"cidr": "10.0.0.0/8"}, "country": "US"}),
		record(t, "ten-one", map[string]any{"$index": map[string]any{"cidr": "10.1.0.0/16"}, "country": "FR"}),
		record(t, "v6", map[string]any{"$index": map[string]any{"cidr": "2001:db8::/32"}}),
		record(t, "plain", map[string]any{"country": "US"}),
		{Type: "other", Id: "ten", Data: &anypb.Any{TypeUrl: "other"}},
	}
	if _, err := c.Put(ctx, recs...); err != nil {
		t.Fatal(err)
	}
	filter := func(json string) *structpb.Struct {
		f := &structpb.Struct{}
		if err := f.UnmarshalJSON([]byte(json)); err != nil {
			t.Fatal(err)
		}
		return f
	}
	tests := []struct {
		name      string
		req       *pb.QueryRequest
		wantIDs   []string
		wantTotal int64
		wantCode  codes.Code
	}{
		{"all of a type", &pb.QueryRequest{Type: typ}, []string{"plain", "ten", "ten-one", "v6"}, 4, codes.OK},
		{"limit and offset", &pb.QueryRequest{Type: typ, Offset: 1, Limit: 2}, []string{"ten", "ten-one"}, 4, codes.OK},
		{"offset past the end", &pb.QueryRequest{Type: typ, Offset: 9}, nil, 4, codes.OK},
		{"by id", &pb.QueryRequest{Type: typ, Filter: databroker.FilterByIDOrIndex("plain")}, []string{"plain"}, 1, codes.OK},
		{"by address in a CIDR", &pb.QueryRequest{Type: typ, Limit: 1, Filter: databroker.FilterByIDOrIndex("10.2.3.4")}, []string{"ten"}, 1, codes.OK},
		{"address in nested CIDRs", &pb.QueryRequest{Type: typ, Filter: databroker.FilterByIDOrIndex("10.1.3.4")}, []string{"ten", "ten-one"}, 2, codes.OK},
		{"IPv6 address", &pb.QueryRequest{Type: typ, Filter: databroker.FilterByIDOrIndex("2001:db8::1")}, []string{"v6"}, 1, codes.OK},
		{"address in no CIDR", &pb.QueryRequest{Type: typ, Filter: databroker.FilterByIDOrIndex("192.168.0.1")}, nil, 0, codes.OK},
		{"prefix inside a CIDR", &pb.QueryRequest{Type: typ, Filter: filter(`{"$index":"10.1.2.0/24"}`)}, []string{"ten", "ten-one"}, 2, codes.OK},
		{"field equality", &pb.QueryRequest{Type: typ, Filter: filter(`{"country":"US"}`)}, []string{"plain", "ten"}, 2, codes.OK},
		{"and of keys", &pb.QueryRequest{Type: typ, Filter: filter(`{"country":"US","$index":"10.0.0.1"}`)}, []string{"ten"}, 1, codes.OK},
		{"$and", &pb.QueryRequest{Type: typ, Filter: filter(`{"$and":[{"country":"US"},{"id":"plain"}]}`)}, []string{"plain"}, 1, codes.OK},
		{"$not", &pb.QueryRequest{Type: typ, Filter: filter(`{"$not":{"country":"US"}}`)}, []string{"ten-one", "v6"}, 2, codes.OK},
		{"another type", &pb.QueryRequest{Type: "other", Filter: databroker.FilterByIDOrIndex("ten")}, []string{"ten"}, 1, codes.OK},
		{"operator object refused", &pb.QueryRequest{Type: typ, Filter: filter(`{"id":{"$contains":"t"}}`)}, nil, 0, codes.InvalidArgument},
		{"negative limit", &pb.QueryRequest{Type: typ, Limit: -1}, nil, 0, codes.InvalidArgument},
		{"free-text query over string values", &pb.QueryRequest{Type: typ, Query: "us"}, []string{"plain", "ten"}, 2, codes.OK},
		{"free-text query with a filter", &pb.QueryRequest{Type: typ, Query: "Fr", Filter: databroker.FilterByIDOrIndex("10.1.0.1")}, []string{"ten-one"}, 1, codes.OK},
		{"free-text query reads no ids", &pb.QueryRequest{Type: typ, Query: "plain"}, nil, 0, codes.OK},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			res, err := c.Query(ctx, tc.req)
			if status.Code(err) != tc.wantCode {
				t.Fatalf("query: %v, want %v", err, tc.wantCode)
			}
			if err != nil {
				return
			}
			var ids []string
			for _, r := range res.GetRecords() {
				ids = append(ids, r.GetId())
			}
			if !slices.Equal(ids, tc.wantIDs) || res.GetTotalCount() != tc.wantTotal {
				t.Errorf("got %v (total %d), want %v (total %d)", ids, res.GetTotalCount(), tc.wantIDs, tc.wantTotal)
			}
			if res.GetRecordVersion() != 5 || res.GetServerVersion() != s.Versions().ServerVersion {
				t.Errorf("versions %d/%d", res.GetServerVersion(), res.GetRecordVersion())
			}
		})
	}
}

func TestSyncLatestAndSync(t *testing.T) {
	t.Parallel()
	s := databrokertest.Start(t)
	c := dial(t, s)
	ctx := t.Context()
	if _, err := c.Put(ctx, record(t, "a", nil), &pb.Record{Type: "other", Id: "x"}, record(t, "b", nil)); err != nil {
		t.Fatal(err)
	}
	records, v, err := c.SyncLatest(ctx, typ)
	if err != nil {
		t.Fatal(err)
	}
	if len(records) != 2 || records[0].GetId() != "a" || records[1].GetId() != "b" {
		t.Fatalf("sync latest: %v", records)
	}
	if v != s.Versions() || v.LatestRecordVersion != 3 {
		t.Fatalf("sync latest versions %+v, server %+v", v, s.Versions())
	}
	all, _, err := c.SyncLatest(ctx, "")
	if err != nil || len(all) != 3 {
		t.Fatalf("sync latest of every type: %d records, %v", len(all), err)
	}

	// A waiting Sync sees a change made after it started, and only its type.
	got := make(chan *pb.Record, 4)
	syncCtx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() {
		done <- c.Sync(syncCtx, typ, v, true, func(r *pb.Record) error { got <- r; return nil })
	}()
	if _, err := c.Put(ctx, &pb.Record{Type: "other", Id: "y"}, record(t, "c", nil)); err != nil {
		t.Fatal(err)
	}
	select {
	case r := <-got:
		if r.GetId() != "c" || r.GetVersion() != 5 {
			t.Fatalf("sync delivered %s v%d, want c v5", r.GetId(), r.GetVersion())
		}
	case <-time.After(5 * time.Second):
		t.Fatal("a waiting sync did not see the change")
	}
	stop()
	if err := <-done; status.Code(err) != codes.Canceled {
		t.Fatalf("sync after cancel: %v", err)
	}

	// After a storage reset the old versions are refused with Aborted.
	s.Reset()
	err = c.Sync(ctx, typ, v, false, func(*pb.Record) error { return nil })
	if status.Code(err) != codes.Aborted {
		t.Fatalf("sync after reset: %v, want Aborted", err)
	}
	if n := len(s.Records("")); n != 0 || s.Versions().ServerVersion == v.ServerVersion {
		t.Fatalf("reset kept %d records or the server version", n)
	}
}

func TestSyncAbortedWhileWaiting(t *testing.T) {
	t.Parallel()
	s := databrokertest.Start(t)
	c := dial(t, s)
	_, v, err := c.SyncLatest(t.Context(), typ)
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- c.Sync(t.Context(), typ, v, true, func(*pb.Record) error { return nil }) }()
	time.Sleep(50 * time.Millisecond) // let the sync reach its wait
	s.Reset()
	select {
	case err := <-done:
		if status.Code(err) != codes.Aborted {
			t.Fatalf("waiting sync after reset: %v, want Aborted", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("a waiting sync was not aborted by a reset")
	}
}

func TestServerInfoAndOlderCore(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		opts     []databrokertest.Option
		wantCore string
		earliest uint64
	}{
		{"v0.31 or newer", nil, databroker.CoreWithServerInfo, 1},
		{"older than v0.31", []databrokertest.Option{databrokertest.WithoutServerInfo()}, databroker.CoreWithoutServerInfo, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := databrokertest.Start(t, tc.opts...)
			c := dial(t, s)
			if _, err := c.Put(t.Context(), record(t, "a", nil), record(t, "b", nil)); err != nil {
				t.Fatal(err)
			}
			info, err := c.ServerInfo(t.Context())
			if err != nil {
				t.Fatal(err)
			}
			want := databroker.Info{ServerVersion: s.Versions().ServerVersion, EarliestRecordVersion: tc.earliest, LatestRecordVersion: 2, Core: tc.wantCore}
			if info != want {
				t.Fatalf("server info %+v, want %+v", info, want)
			}
		})
	}
}

func TestDelayAndFailure(t *testing.T) {
	t.Parallel()
	s := databrokertest.Start(t)
	c := dial(t, s)
	s.SetDelay(time.Second)
	ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
	defer cancel()
	if _, err := c.Get(ctx, typ, "a"); status.Code(err) != codes.DeadlineExceeded {
		t.Fatalf("slow get: %v, want DeadlineExceeded", err)
	}
	s.SetDelay(0)
	s.SetFailure(codes.Internal, "disk full")
	if _, err := c.Put(t.Context(), record(t, "a", nil)); status.Code(err) != codes.Internal {
		t.Fatalf("failing put: %v, want Internal", err)
	}
	s.SetFailure(codes.OK, "")
	if _, err := c.Put(t.Context(), record(t, "a", nil)); err != nil {
		t.Fatalf("put after clearing the failure: %v", err)
	}
	if s.Puts(typ, "a") != 1 {
		t.Fatalf("puts = %d, want 1 (the failed put wrote nothing)", s.Puts(typ, "a"))
	}
}

func TestStopAndRestartKeepAddressAndRecords(t *testing.T) {
	t.Parallel()
	s := databrokertest.Start(t)
	c := dial(t, s)
	addr := s.Addr()
	if _, err := c.Put(t.Context(), record(t, "a", nil)); err != nil {
		t.Fatal(err)
	}
	s.Stop()
	if _, err := c.Get(t.Context(), typ, "a"); status.Code(err) != codes.Unavailable {
		t.Fatalf("get while stopped: %v, want Unavailable", err)
	}
	if err := s.Restart(); err != nil {
		t.Fatal(err)
	}
	if s.Addr() != addr {
		t.Fatalf("restarted on %s, want %s", s.Addr(), addr)
	}
	var err error
	for attempt := range 50 { // the client reconnects on its own back-off
		if _, err = c.Get(t.Context(), typ, "a"); status.Code(err) != codes.Unavailable {
			break
		}
		time.Sleep(databroker.Backoff{Initial: 20 * time.Millisecond, Max: 200 * time.Millisecond}.Delay(attempt))
	}
	if err != nil {
		t.Fatalf("get after restart: %v", err)
	}
}

func TestListTypesAndClear(t *testing.T) {
	t.Parallel()
	s := databrokertest.Start(t)
	c := dial(t, s)
	if _, err := c.Put(t.Context(), record(t, "a", nil), &pb.Record{Type: "other", Id: "x"}, record(t, "b", nil)); err != nil {
		t.Fatal(err)
	}
	key, err := databroker.DecodeSharedSecret(s.SharedSecret())
	if err != nil {
		t.Fatal(err)
	}
	api := pb.NewDataBrokerServiceClient(rawConn(t, s))
	ctx := metadata.AppendToOutgoingContext(t.Context(), databroker.JWTMetadataKey, databroker.SignToken(key, time.Now()))
	types, err := api.ListTypes(ctx, &emptypb.Empty{})
	if err != nil || !slices.Equal(types.GetTypes(), []string{"other", typ}) {
		t.Fatalf("list types: %v, %v", types.GetTypes(), err)
	}
	before := s.Versions().ServerVersion
	cleared, err := api.Clear(ctx, &emptypb.Empty{})
	if err != nil {
		t.Fatal(err)
	}
	if cleared.GetOldServerVersion() != before || cleared.GetNewServerVersion() == before || cleared.GetNewServerVersion() != s.Versions().ServerVersion {
		t.Fatalf("clear: %v (was %d)", cleared, before)
	}
	if len(s.Records("")) != 0 || s.Versions().LatestRecordVersion != 0 {
		t.Fatal("clear kept records")
	}
}
