package databroker_test

import (
	"errors"
	"fmt"
	"testing"

	"google.golang.org/protobuf/types/known/structpb"

	"github.com/pomerium-console-oss/pomerium-console/app/databroker"
	pb "github.com/pomerium-console-oss/pomerium-console/app/pb/databroker"
	sessionpb "github.com/pomerium-console-oss/pomerium-console/app/pb/session"
)

func TestPatchMessage(t *testing.T) {
	t.Parallel()
	s, c := connect(t)
	ctx := t.Context()
	s.Seed(t, &sessionpb.Session{Id: "admin", UserId: "ann"})
	target := "victim"
	rec, err := c.PatchMessage(ctx, "admin", &sessionpb.Session{ImpersonateSessionId: &target}, "impersonate_session_id")
	if err != nil {
		t.Fatal(err)
	}
	got := &sessionpb.Session{}
	if err := rec.GetData().UnmarshalTo(got); err != nil || got.GetImpersonateSessionId() != "victim" || got.GetUserId() != "ann" {
		t.Fatalf("patched record %v (%v)", got, err)
	}
	if _, err := c.PatchMessage(ctx, "admin", &sessionpb.Session{}, "impersonate_session_id"); err != nil {
		t.Fatal(err)
	}
	stored := &sessionpb.Session{}
	if !s.Message(t, databroker.TypeURL(stored), "admin", stored) || stored.ImpersonateSessionId != nil || stored.GetUserId() != "ann" {
		t.Fatalf("after clearing: %v", stored)
	}
	_, err = c.PatchMessage(ctx, "ghost", &sessionpb.Session{}, "impersonate_session_id")
	var dbErr *databroker.Error
	if !errors.Is(err, databroker.ErrNotFound) || !errors.As(err, &dbErr) || dbErr.Op != "patch" {
		t.Fatalf("patch of a missing session: %v, want a NotFound patch error", err)
	}
}

func TestQueryAllReadsEveryPage(t *testing.T) {
	t.Parallel()
	s, c := connect(t)
	ctx := t.Context()
	const n = 1234 // more than two pages
	for i := range n {
		s.SeedStruct(t, "example.com/Thing", fmt.Sprintf("t%04d", i), map[string]any{"even": i%2 == 0})
	}
	all, err := c.QueryAll(ctx, &pb.QueryRequest{Type: "example.com/Thing", Offset: 7, Limit: 3})
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != n || all[0].GetId() != "t0000" || all[n-1].GetId() != fmt.Sprintf("t%04d", n-1) {
		t.Fatalf("QueryAll returned %d records", len(all))
	}
	some, err := c.QueryAll(ctx, &pb.QueryRequest{Type: "example.com/Thing", Filter: databroker.FilterByIDOrIndex("t0042")})
	if err != nil || len(some) != 1 {
		t.Fatalf("QueryAll with a filter: %d records, %v", len(some), err)
	}
	st := &structpb.Struct{}
	if err := some[0].GetData().UnmarshalTo(st); err != nil || !st.GetFields()["even"].GetBoolValue() {
		t.Fatalf("record data %v (%v)", st, err)
	}
}
