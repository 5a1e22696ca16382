package grpcapi_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"google.golang.org/grpc/codes"

	pb "github.com/pomerium-console-oss/pomerium-console/app/pb/dashboard"
	sessionpb "github.com/pomerium-console-oss/pomerium-console/app/pb/session"
	"github.com/pomerium-console-oss/pomerium-console/app/runtime"
	"github.com/pomerium-console-oss/pomerium-console/db"
)

func sessionIDs(list []*pb.PomeriumSession) []string {
	var out []string
	for _, s := range list {
		out = append(out, s.GetId())
	}
	return out
}

func TestListPomeriumSessions(t *testing.T) {
	t.Parallel()
	e := newRuntimeEnv(t)
	e.seedPeople(t)
	sessions := pb.NewPomeriumSessionServiceClient(e.as(t, "vic", db.GlobalNamespaceID, "viewer"))
	ctx := t.Context()

	all, err := sessions.ListPomeriumSessions(ctx, &pb.ListPomeriumSessionsRequest{})
	if err != nil {
		t.Fatal(err)
	}
	if got := sessionIDs(all.GetSessions()); !slices.Equal(got, []string{"s-cyd", "s-ada-2", "s-bob", "s-ada-1"}) || all.GetTotalCount() != 4 {
		t.Fatalf("sessions = %v (total %d)", got, all.GetTotalCount())
	}
	ada := all.GetSessions()[1]
	if u := ada.GetUser(); u.GetId() != "ada" || u.GetName() != "Ada Lovelace" || u.GetEmail() != "ada@corp.example" {
		t.Errorf("user = %v", u)
	}
	if len(ada.GetGroups()) != 1 || ada.GetGroups()[0].GetName() != "Engineering" || ada.GetGroups()[0].GetEmail() != "eng@corp.example" {
		t.Errorf("groups = %v", ada.GetGroups())
	}
	if ada.GetIssuer() != "https://idp.example.com" || !slices.Equal(ada.GetAudience(), []string{"app.example.com"}) ||
		ada.GetIssuedAt() == nil || ada.GetExpiresAt() == nil || ada.GetAccessedAt() == nil {
		t.Errorf("session = %v", ada)
	}
	if c := all.GetSessions()[0].GetClaims()["department"]; len(c.GetValues()) != 1 || c.GetValues()[0].GetStringValue() != "Treasury" {
		t.Errorf("claims = %v", all.GetSessions()[0].GetClaims())
	}

	page, err := sessions.ListPomeriumSessions(ctx, &pb.ListPomeriumSessionsRequest{
		Query: new("ada"), OrderBy: new("issued_at"), Offset: new(int64(1)), Limit: new(int64(1)),
	})
	if err != nil || !slices.Equal(sessionIDs(page.GetSessions()), []string{"s-ada-2"}) || page.GetTotalCount() != 2 {
		t.Fatalf("page = %v, %v", page, err)
	}
	bob, err := sessions.ListPomeriumSessions(ctx, &pb.ListPomeriumSessionsRequest{UserId: new("bob")})
	if err != nil || !slices.Equal(sessionIDs(bob.GetSessions()), []string{"s-bob"}) {
		t.Fatalf("bob's = %v, %v", bob, err)
	}

	_, err = sessions.ListPomeriumSessions(ctx, &pb.ListPomeriumSessionsRequest{OrderBy: new("name")})
	expectCode(t, err, codes.InvalidArgument, "order_by", "issued_at")
	_, err = sessions.ListPomeriumSessions(ctx, &pb.ListPomeriumSessionsRequest{Limit: new(int64(5000))})
	expectCode(t, err, codes.InvalidArgument, "limit")
	_, err = sessions.ListPomeriumSessions(ctx, &pb.ListPomeriumSessionsRequest{ClusterId: new("nope")})
	expectCode(t, err, codes.NotFound, `cluster "nope"`)

	nobody := pb.NewPomeriumSessionServiceClient(e.as(t, "nobody", "", ""))
	_, err = nobody.ListPomeriumSessions(ctx, &pb.ListPomeriumSessionsRequest{})
	expectCode(t, err, codes.PermissionDenied)
}

func TestGetAndDeletePomeriumSession(t *testing.T) {
	t.Parallel()
	e := newRuntimeEnv(t)
	e.seedPeople(t)
	admin := pb.NewPomeriumSessionServiceClient(e.admin(t, ""))
	viewer := pb.NewPomeriumSessionServiceClient(e.as(t, "vic", db.GlobalNamespaceID, "viewer"))
	ctx := t.Context()

	got, err := viewer.GetPomeriumSession(ctx, &pb.GetPomeriumSessionRequest{Id: "s-ada-1"})
	if err != nil {
		t.Fatal(err)
	}
	if got.GetSession().GetId() != "s-ada-1" || !slices.Equal(sessionIDs(got.GetAssociatedSessions()), []string{"s-ada-2"}) {
		t.Fatalf("GetPomeriumSession = %v", got)
	}
	_, err = viewer.GetPomeriumSession(ctx, &pb.GetPomeriumSessionRequest{Id: "s-gone"})
	expectCode(t, err, codes.NotFound, "s-gone")
	_, err = viewer.GetPomeriumSession(ctx, &pb.GetPomeriumSessionRequest{})
	expectCode(t, err, codes.InvalidArgument, "id")

	// A viewer may not sign anybody out; the session stays.
	_, err = viewer.DeletePomeriumSession(ctx, &pb.DeletePomeriumSessionRequest{Id: "s-ada-1"})
	expectCode(t, err, codes.PermissionDenied)
	if e.broker.Record(runtime.SessionType, "s-ada-1") == nil {
		t.Fatal("a refused revocation removed the session")
	}

	if _, err := admin.DeletePomeriumSession(ctx, &pb.DeletePomeriumSessionRequest{Id: "s-ada-1"}); err != nil {
		t.Fatal(err)
	}
	// Core sees the record deleted with its payload kept, as after a sign-out.
	tomb := e.broker.Tombstone(runtime.SessionType, "s-ada-1")
	kept := &sessionpb.Session{}
	if tomb == nil || tomb.GetDeletedAt() == nil || tomb.GetData().UnmarshalTo(kept) != nil || kept.GetUserId() != "ada" {
		t.Fatalf("tombstone = %v", tomb)
	}
	_, err = admin.GetPomeriumSession(ctx, &pb.GetPomeriumSessionRequest{Id: "s-ada-1"})
	expectCode(t, err, codes.NotFound)
	if e.broker.Record(runtime.SessionType, "s-ada-2") == nil {
		t.Fatal("the user's other session was revoked too")
	}
	if log := e.activity(t, "session"); len(log) != 1 || log[0].ActivityType != db.ActivityDelete || log[0].EntityID != "s-ada-1" || log[0].UserID != "admin" {
		t.Fatalf("activity = %+v", log)
	}
}

func TestDeletePomeriumSessionBlockingTheUser(t *testing.T) {
	t.Parallel()
	e := newRuntimeEnv(t)
	e.seedPeople(t)
	admin := pb.NewPomeriumSessionServiceClient(e.admin(t, ""))
	ctx := t.Context()

	if _, err := admin.DeletePomeriumSession(ctx, &pb.DeletePomeriumSessionRequest{Id: "s-ada-2", BlockUser: new(true)}); err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"s-ada-1", "s-ada-2"} {
		if e.broker.Record(runtime.SessionType, id) != nil {
			t.Errorf("%s survived blocking its user", id)
		}
	}
	if e.broker.Record(runtime.SessionType, "s-bob") == nil {
		t.Error("another user's session was revoked")
	}
	list, _, err := e.app.Store.ListPolicies(ctx, db.PolicyFilter{NamespaceIDs: []string{db.GlobalNamespaceID}, Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(list, func(p db.Policy) bool { return p.Name == runtime.BlockedUsersPolicy })
	if i < 0 || !list[i].Enforced || !strings.Contains(list[i].PPL, "ada") {
		t.Fatalf("policies = %+v", list)
	}
}

func TestImpersonate(t *testing.T) {
	t.Parallel()
	e := newRuntimeEnv(t)
	e.seedPeople(t)
	e.broker.Seed(t, coreSession("s-admin", "admin", time.Minute))
	admin := pb.NewPomeriumSessionServiceClient(e.admin(t, "s-admin"))
	users := pb.NewUserServiceClient(e.admin(t, "s-admin"))
	ctx := t.Context()

	targets, err := admin.ListPomeriumSessionsForImpersonation(ctx, &pb.ListPomeriumSessionsForImpersonationRequest{})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, s := range targets.GetSessions() {
		ids = append(ids, s.GetId())
	}
	// The caller's own session is no target.
	if !slices.Equal(ids, []string{"s-cyd", "s-ada-2", "s-bob", "s-ada-1"}) {
		t.Fatalf("targets = %v", ids)
	}
	if s := targets.GetSessions()[0]; s.GetUserDisplayName() != "Cyd Charisse" || s.GetUserEmail() != "cyd@corp.example" {
		t.Errorf("target = %v", s)
	}
	filtered, err := admin.ListPomeriumSessionsForImpersonation(ctx, &pb.ListPomeriumSessionsForImpersonationRequest{Query: new("bob")})
	if err != nil || len(filtered.GetSessions()) != 1 || filtered.GetSessions()[0].GetId() != "s-bob" {
		t.Fatalf("filtered = %v, %v", filtered, err)
	}

	if _, err := admin.Impersonate(ctx, &pb.ImpersonateRequest{SessionId: "s-bob"}); err != nil {
		t.Fatal(err)
	}
	mine := &sessionpb.Session{}
	if !e.broker.Message(t, runtime.SessionType, "s-admin", mine) || mine.GetImpersonateSessionId() != "s-bob" || mine.GetUserId() != "admin" {
		t.Fatalf("own session after Impersonate = %v", mine)
	}
	me, err := users.GetUserInfo(ctx, &pb.GetUserInfoRequest{})
	if err != nil || !me.GetUserInfo().GetIsImpersonated() {
		t.Fatalf("GetUserInfo while impersonating = %v, %v", me, err)
	}

	_, err = admin.Impersonate(ctx, &pb.ImpersonateRequest{SessionId: "s-gone"})
	expectCode(t, err, codes.InvalidArgument, "session_id", "s-gone")

	if _, err := admin.Impersonate(ctx, &pb.ImpersonateRequest{}); err != nil {
		t.Fatal(err)
	}
	mine = &sessionpb.Session{}
	if !e.broker.Message(t, runtime.SessionType, "s-admin", mine) || mine.ImpersonateSessionId != nil {
		t.Fatalf("own session after stopping = %v", mine)
	}
	if log := e.activity(t, "session"); len(log) != 2 || log[0].EntityID != "s-admin" || log[0].ActivityType != db.ActivityUpdate {
		t.Fatalf("activity = %+v", log)
	}

	// A caller without a Pomerium session has nothing to impersonate with.
	sa := pb.NewPomeriumSessionServiceClient(e.app.DialGRPC(t, serviceAccountMD(t, e.app, db.GlobalNamespaceID, "admin")))
	_, err = sa.Impersonate(ctx, &pb.ImpersonateRequest{SessionId: "s-bob"})
	expectCode(t, err, codes.FailedPrecondition, "Pomerium session")
	// Nor may a viewer impersonate.
	viewer := pb.NewPomeriumSessionServiceClient(e.app.DialGRPC(t, sessionCallerMD(t, e.app, "vic", "vic@example.com", "s-ada-1")))
	e.app.Grant(t, db.GlobalNamespaceID, db.SubjectUser, "vic", "viewer")
	_, err = viewer.Impersonate(ctx, &pb.ImpersonateRequest{SessionId: "s-bob"})
	expectCode(t, err, codes.PermissionDenied)
	if !e.broker.Message(t, runtime.SessionType, "s-ada-1", mine) || mine.ImpersonateSessionId != nil {
		t.Fatalf("a refused impersonation changed the session: %v", mine)
	}
}

func TestRuntimeWithoutDatabroker(t *testing.T) {
	t.Parallel()
	app := noBrokerApp(t)
	conn := app.DialGRPC(t, callerMD(t, app, "admin", "admin@example.com"))
	ctx := t.Context()
	sessions := pb.NewPomeriumSessionServiceClient(conn)
	devices := pb.NewDeviceServiceClient(conn)
	users := pb.NewUserServiceClient(conn)

	_, err := sessions.ListPomeriumSessions(ctx, &pb.ListPomeriumSessionsRequest{})
	expectCode(t, err, codes.FailedPrecondition, "databroker")
	_, err = sessions.DeletePomeriumSession(ctx, &pb.DeletePomeriumSessionRequest{Id: "s-1"})
	expectCode(t, err, codes.FailedPrecondition, "databroker")
	_, err = devices.ListDevices(ctx, &pb.ListDevicesRequest{})
	expectCode(t, err, codes.FailedPrecondition, "databroker")
	_, err = devices.ApproveDevice(ctx, &pb.ApproveDeviceRequest{Id: &pb.ApproveDeviceRequest_CredentialId{CredentialId: "c-1"}})
	expectCode(t, err, codes.FailedPrecondition, "databroker")
	_, err = users.QueryGroups(ctx, &pb.QueryGroupsRequest{})
	expectCode(t, err, codes.FailedPrecondition, "databroker")

	// The user search still finds the users the console itself has seen.
	found, err := users.QueryUsers(ctx, &pb.QueryUsersRequest{Query: "admin"})
	if err != nil || len(found.GetUsers()) != 1 || found.GetUsers()[0].GetId() != "admin" {
		t.Fatalf("QueryUsers without a databroker = %v, %v", found, err)
	}
	if log, _, err := app.Store.ListActivity(ctx, db.ActivityFilter{Limit: 10}); err != nil || len(log) != 0 {
		t.Fatalf("refused calls logged %v (%v)", log, err)
	}
}
