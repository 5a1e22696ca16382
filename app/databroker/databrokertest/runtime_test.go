package databrokertest_test

import (
	"errors"
	"slices"
	"testing"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/fieldmaskpb"
	"google.golang.org/protobuf/types/known/structpb"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/pomerium-console-oss/pomerium-console/app/databroker"
	"github.com/pomerium-console-oss/pomerium-console/app/databroker/databrokertest"
	pb "github.com/pomerium-console-oss/pomerium-console/app/pb/databroker"
	devicepb "github.com/pomerium-console-oss/pomerium-console/app/pb/device"
	sessionpb "github.com/pomerium-console-oss/pomerium-console/app/pb/session"
	userpb "github.com/pomerium-console-oss/pomerium-console/app/pb/user"
)

var sessionType = databroker.TypeURL(&sessionpb.Session{})

// patchRecord is a Patch request of one session.
func patchRecord(t *testing.T, msg *sessionpb.Session) *pb.Record {
	t.Helper()
	data, err := databroker.NewAny(msg)
	if err != nil {
		t.Fatal(err)
	}
	return &pb.Record{Type: sessionType, Id: msg.GetId(), Data: data}
}

func TestPatchOverwritesOnlyMaskedFields(t *testing.T) {
	t.Parallel()
	s := databrokertest.Start(t)
	c := dial(t, s)
	ctx := t.Context()
	issued := timestamppb.New(time.Now().Add(-time.Hour))
	s.Seed(t, &sessionpb.Session{
		Id: "s1", UserId: "u1", IssuedAt: issued, Audience: []string{"a"},
		IdToken: &sessionpb.IDToken{Issuer: "https://idp", Subject: "u1"},
	})
	target := "s2"
	tests := []struct {
		name  string
		patch *sessionpb.Session
		paths []string
		check func(*sessionpb.Session) bool
	}{
		{"set an optional field", &sessionpb.Session{Id: "s1", UserId: "someone else", ImpersonateSessionId: &target},
			[]string{"impersonate_session_id"},
			func(got *sessionpb.Session) bool {
				return got.GetImpersonateSessionId() == "s2" && got.GetUserId() == "u1" && proto.Equal(got.GetIssuedAt(), issued)
			}},
		{"clear a field the patch leaves unset", &sessionpb.Session{Id: "s1"}, []string{"impersonate_session_id"},
			func(got *sessionpb.Session) bool { return got.ImpersonateSessionId == nil && got.GetUserId() == "u1" }},
		{"nested path", &sessionpb.Session{Id: "s1", IdToken: &sessionpb.IDToken{Issuer: "https://other", Subject: "x"}},
			[]string{"id_token.issuer"},
			func(got *sessionpb.Session) bool {
				return got.GetIdToken().GetIssuer() == "https://other" && got.GetIdToken().GetSubject() == "u1"
			}},
		{"repeated field", &sessionpb.Session{Id: "s1", Audience: []string{"b", "c"}}, []string{"audience"},
			func(got *sessionpb.Session) bool { return slices.Equal(got.GetAudience(), []string{"b", "c"}) }},
	}
	for _, tc := range tests { // in order: each case patches the result of the one before
		before := s.Record(sessionType, "s1").GetVersion()
		res, err := c.Patch(ctx, patchRecord(t, tc.patch), &fieldmaskpb.FieldMask{Paths: tc.paths})
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		got := &sessionpb.Session{}
		if !s.Message(t, sessionType, "s1", got) || !tc.check(got) {
			t.Fatalf("%s: stored %v", tc.name, got)
		}
		if res.GetVersion() <= before || res.GetId() != "s1" {
			t.Fatalf("%s: answered version %d after %d", tc.name, res.GetVersion(), before)
		}
	}
}

func TestPatchRefusalsAndMissingRecords(t *testing.T) {
	t.Parallel()
	s := databrokertest.Start(t)
	c := dial(t, s)
	ctx := t.Context()
	s.Seed(t, &sessionpb.Session{Id: "s1", UserId: "u1"})
	if _, err := c.Patch(ctx, patchRecord(t, &sessionpb.Session{Id: "nope"}), &fieldmaskpb.FieldMask{Paths: []string{"user_id"}}); !errors.Is(err, databroker.ErrNotFound) {
		t.Fatalf("patch of a missing record: %v, want NotFound", err)
	}
	if _, err := c.Patch(ctx, patchRecord(t, &sessionpb.Session{Id: "s1"}), &fieldmaskpb.FieldMask{Paths: []string{"no_such_field"}}); status.Code(err) != codes.InvalidArgument {
		t.Fatalf("unknown field: %v, want InvalidArgument", err)
	}
	userData, err := databroker.NewAny(&userpb.User{Id: "s1"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Patch(ctx, &pb.Record{Type: sessionType, Id: "s1", Data: userData}, &fieldmaskpb.FieldMask{Paths: []string{"id"}}); status.Code(err) != codes.InvalidArgument {
		t.Fatalf("patch with another type: %v, want InvalidArgument", err)
	}
	got := &sessionpb.Session{}
	if !s.Message(t, sessionType, "s1", got) || got.GetUserId() != "u1" {
		t.Fatalf("a refused patch changed the record: %v", got)
	}
}

func TestDeletedRecordsAreGoneForGetAndQuery(t *testing.T) {
	t.Parallel()
	s := databrokertest.Start(t)
	c := dial(t, s)
	ctx := t.Context()
	s.Seed(t, &sessionpb.Session{Id: "s1", UserId: "u1"}, &sessionpb.Session{Id: "s2", UserId: "u1"})
	old, err := c.Tombstone(ctx, sessionType, "s1")
	if err != nil || old.GetId() != "s1" {
		t.Fatalf("tombstone: %v, %v", old, err)
	}
	if _, err := c.Get(ctx, sessionType, "s1"); !errors.Is(err, databroker.ErrNotFound) {
		t.Fatalf("get of a tombstoned id: %v, want NotFound", err)
	}
	res, err := c.Query(ctx, &pb.QueryRequest{Type: sessionType, Query: "u1"})
	if err != nil || res.GetTotalCount() != 1 || res.GetRecords()[0].GetId() != "s2" {
		t.Fatalf("query after a delete: %v, %v", res.GetRecords(), err)
	}
	tomb := s.Tombstone(sessionType, "s1")
	kept := &sessionpb.Session{}
	if tomb == nil || tomb.GetData().UnmarshalTo(kept) != nil || kept.GetUserId() != "u1" {
		t.Fatalf("the tombstone did not keep the payload: %v", tomb)
	}
	if _, err := c.Tombstone(ctx, sessionType, "s1"); !errors.Is(err, databroker.ErrNotFound) {
		t.Fatalf("second tombstone: %v, want NotFound", err)
	}
}

func TestFreeTextQueryReadsEveryStringField(t *testing.T) {
	t.Parallel()
	s := databrokertest.Start(t)
	c := dial(t, s)
	ctx := t.Context()
	claims := map[string]*structpb.ListValue{"groups": {Values: []*structpb.Value{structpb.NewStringValue("Platform-Team")}}}
	s.Seed(t,
		&sessionpb.Session{Id: "plain", UserId: "alice"},
		&sessionpb.Session{Id: "claims", UserId: "bob", Claims: claims},
		&sessionpb.Session{Id: "nested", UserId: "carol", IdToken: &sessionpb.IDToken{Issuer: "https://Login.Example"}},
		&sessionpb.Session{Id: "repeated", UserId: "dave", Audience: []string{"x", "Gateway"}},
		&devicepb.Credential{Id: "cred", UserId: "alice"},
	)
	s.SeedStruct(t, "pomerium.io/DirectoryUser", "alice", map[string]any{"id": "alice", "email": "Alice@Example.com", "group_ids": []any{"g1"}})
	tests := []struct {
		typ, query string
		want       []string
	}{
		{sessionType, "ALICE", []string{"plain"}},
		{sessionType, "platform", []string{"claims"}},
		{sessionType, "login.example", []string{"nested"}},
		{sessionType, "gateway", []string{"repeated"}},
		{sessionType, "a", []string{"claims", "nested", "plain", "repeated"}},
		{sessionType, "zzz", nil},
		{"pomerium.io/DirectoryUser", "alice@example", []string{"alice"}},
		{"pomerium.io/DirectoryUser", "g1", []string{"alice"}},
	}
	for _, tc := range tests {
		records, err := c.QueryAll(ctx, &pb.QueryRequest{Type: tc.typ, Query: tc.query})
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, r := range records {
			ids = append(ids, r.GetId())
		}
		if !slices.Equal(ids, tc.want) {
			t.Errorf("query %q in %s: %v, want %v", tc.query, tc.typ, ids, tc.want)
		}
	}
}
