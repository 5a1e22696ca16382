package grpcapi_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/protobuf/types/known/timestamppb"

	pb "github.com/pomerium-console-oss/pomerium-console/app/pb/dashboard"
	userpb "github.com/pomerium-console-oss/pomerium-console/app/pb/user"
	"github.com/pomerium-console-oss/pomerium-console/app/serviceaccounts"
	"github.com/pomerium-console-oss/pomerium-console/db"
)

func accountIDs(list []*pb.PomeriumServiceAccount) []string {
	var out []string
	for _, a := range list {
		out = append(out, a.GetId())
	}
	return out
}

func TestServiceAccountLifecycle(t *testing.T) {
	t.Parallel()
	e := newRuntimeEnv(t)
	team := e.app.Namespace(t, db.GlobalNamespaceID, "Team")
	sas := pb.NewPomeriumServiceAccountServiceClient(e.admin(t, ""))
	ctx := t.Context()

	expires := time.Now().Add(24 * time.Hour).Truncate(time.Second)
	added, err := sas.AddPomeriumServiceAccount(ctx, &pb.AddPomeriumServiceAccountRequest{ServiceAccount: &pb.PomeriumServiceAccount{
		NamespaceId: new(team), Description: new("CI"), ExpiresAt: timestamppb.New(expires),
	}})
	if err != nil {
		t.Fatal(err)
	}
	ci := added.GetServiceAccount()
	if ci.GetId() == "" || ci.GetUserId() != ci.GetId()+"@"+team+".pomerium" || ci.GetNamespaceId() != team || ci.GetDescription() != "CI" ||
		!ci.GetExpiresAt().AsTime().Equal(expires) || ci.GetIssuedAt() == nil || ci.GetAccessedAt() != nil || ci.GetOriginatorId() != "admin" {
		t.Fatalf("added = %v", ci)
	}
	if strings.Count(added.GetJWT(), ".") != 2 {
		t.Fatalf("JWT = %q", added.GetJWT())
	}
	// The record Core verifies the token with reaches the databroker.
	e.app.Console.ServiceAccounts.Wait()
	rec := &userpb.ServiceAccount{}
	if !e.broker.Message(t, serviceaccounts.RecordType, ci.GetId(), rec) || rec.GetUserId() != ci.GetUserId() || rec.GetNamespaceId() != team {
		t.Fatalf("databroker record = %v", rec)
	}

	// An account impersonating an existing user, in Global by default.
	bob, err := sas.AddPomeriumServiceAccount(ctx, &pb.AddPomeriumServiceAccountRequest{ServiceAccount: &pb.PomeriumServiceAccount{UserId: "bob@example.com"}})
	if err != nil || bob.GetServiceAccount().GetUserId() != "bob@example.com" || bob.GetServiceAccount().GetNamespaceId() != db.GlobalNamespaceID {
		t.Fatalf("impersonating = %v, %v", bob, err)
	}

	got, err := sas.GetPomeriumServiceAccount(ctx, &pb.GetPomeriumServiceAccountRequest{Id: ci.GetId(), ClusterId: new(db.DefaultClusterID)})
	if err != nil || got.GetServiceAccount().GetUserId() != ci.GetUserId() || got.GetServiceAccount().GetDescription() != "CI" {
		t.Fatalf("GetPomeriumServiceAccount = %v, %v", got, err)
	}
	inTeam, err := sas.ListPomeriumServiceAccounts(ctx, &pb.ListPomeriumServiceAccountsRequest{Namespace: team})
	if err != nil || !slices.Equal(accountIDs(inTeam.GetServiceAccounts()), []string{ci.GetId()}) {
		t.Fatalf("team's = %v, %v", inTeam, err)
	}
	inGlobal, err := sas.ListPomeriumServiceAccounts(ctx, &pb.ListPomeriumServiceAccountsRequest{ClusterId: new(db.DefaultClusterID)})
	if err != nil || !slices.Equal(accountIDs(inGlobal.GetServiceAccounts()), []string{bob.GetServiceAccount().GetId()}) {
		t.Fatalf("the default cluster's = %v, %v", inGlobal, err)
	}

	// Set with a known id replaces the description and the expiry (unset:
	// it no longer expires) and answers with the account's token.
	set, err := sas.SetPomeriumServiceAccount(ctx, &pb.SetPomeriumServiceAccountRequest{ServiceAccount: &pb.PomeriumServiceAccount{
		Id: ci.GetId(), Description: new("CI deployer"),
	}})
	if err != nil || set.GetServiceAccount().GetId() != ci.GetId() || set.GetServiceAccount().GetExpiresAt() != nil || set.GetJwt() == "" {
		t.Fatalf("SetPomeriumServiceAccount = %v, %v", set, err)
	}
	stored, err := e.app.Store.GetServiceAccount(ctx, ci.GetId())
	if err != nil || stored.Description != "CI deployer" || !stored.ExpiresAt.IsZero() || stored.UserID != ci.GetUserId() {
		t.Fatalf("stored = %+v, %v", stored, err)
	}
	if _, err := e.app.Console.ServiceAccounts.Verify(ctx, set.GetJwt()); err != nil {
		t.Fatalf("the token Set answered is refused: %v", err)
	}
	_, err = sas.SetPomeriumServiceAccount(ctx, &pb.SetPomeriumServiceAccountRequest{ServiceAccount: &pb.PomeriumServiceAccount{
		Id: ci.GetId(), UserId: "someone-else", NamespaceId: new(db.GlobalNamespaceID),
	}})
	expectCode(t, err, codes.InvalidArgument, "service_account.user_id", "service_account.namespace_id")

	// Set without an id, or with an unknown one, creates.
	for _, id := range []string{"", "not-an-account"} {
		made, err := sas.SetPomeriumServiceAccount(ctx, &pb.SetPomeriumServiceAccountRequest{ServiceAccount: &pb.PomeriumServiceAccount{
			Id: id, NamespaceId: new(team), Description: new("made by Set"),
		}})
		if err != nil || made.GetServiceAccount().GetId() == "" || made.GetServiceAccount().GetId() == id || made.GetJwt() == "" {
			t.Fatalf("Set(%q) = %v, %v", id, made, err)
		}
	}
	if inTeam, err = sas.ListPomeriumServiceAccounts(ctx, &pb.ListPomeriumServiceAccountsRequest{Namespace: team}); err != nil || len(inTeam.GetServiceAccounts()) != 3 {
		t.Fatalf("team's after Set = %v, %v", inTeam, err)
	}

	if _, err := sas.DeletePomeriumServiceAccount(ctx, &pb.DeletePomeriumServiceAccountRequest{Id: ci.GetId()}); err != nil {
		t.Fatal(err)
	}
	_, err = sas.GetPomeriumServiceAccount(ctx, &pb.GetPomeriumServiceAccountRequest{Id: ci.GetId()})
	expectCode(t, err, codes.NotFound, ci.GetId())
	_, err = sas.DeletePomeriumServiceAccount(ctx, &pb.DeletePomeriumServiceAccountRequest{Id: ci.GetId()})
	expectCode(t, err, codes.NotFound)
	if inTeam, err = sas.ListPomeriumServiceAccounts(ctx, &pb.ListPomeriumServiceAccountsRequest{Namespace: team}); err != nil ||
		slices.Contains(accountIDs(inTeam.GetServiceAccounts()), ci.GetId()) {
		t.Fatalf("team's after Delete = %v, %v", inTeam, err)
	}
	e.app.Console.ServiceAccounts.Wait()
	if e.broker.Tombstone(serviceaccounts.RecordType, ci.GetId()) == nil {
		t.Error("the databroker record was not deleted")
	}

	var log []string
	for _, a := range e.activity(t, "service_account") {
		if a.EntityID == ci.GetId() {
			log = append(log, a.ActivityType)
		}
	}
	if strings.Join(log, ",") != "delete,update,create" {
		t.Fatalf("activity = %v", log)
	}
}

func TestServiceAccountRefusals(t *testing.T) {
	t.Parallel()
	e := newRuntimeEnv(t)
	team := e.app.Namespace(t, db.GlobalNamespaceID, "Team")
	admin := e.admin(t, "")
	sas := pb.NewPomeriumServiceAccountServiceClient(admin)
	ctx := t.Context()
	edge, err := pb.NewClustersServiceClient(admin).AddCluster(ctx, &pb.AddClusterRequest{
		ParentNamespaceId: db.GlobalNamespaceID, Cluster: &pb.Cluster{Name: "Edge"},
	})
	if err != nil {
		t.Fatal(err)
	}
	edgeID := edge.GetCluster().GetId()
	existing, err := sas.AddPomeriumServiceAccount(ctx, &pb.AddPomeriumServiceAccountRequest{ServiceAccount: &pb.PomeriumServiceAccount{NamespaceId: new(team)}})
	if err != nil {
		t.Fatal(err)
	}
	id := existing.GetServiceAccount().GetId()
	add := func(m *pb.PomeriumServiceAccount) *pb.AddPomeriumServiceAccountRequest {
		return &pb.AddPomeriumServiceAccountRequest{ServiceAccount: m}
	}

	tests := []struct {
		name  string
		call  func() error
		code  codes.Code
		texts []string
	}{
		{"no account", func() error { _, err := sas.AddPomeriumServiceAccount(ctx, add(nil)); return err },
			codes.InvalidArgument, []string{"service_account"}},
		{"an id to add", func() error {
			_, err := sas.AddPomeriumServiceAccount(ctx, add(&pb.PomeriumServiceAccount{Id: "mine"}))
			return err
		}, codes.InvalidArgument, []string{"service_account.id"}},
		{"bad fields", func() error {
			_, err := sas.AddPomeriumServiceAccount(ctx, add(&pb.PomeriumServiceAccount{
				NamespaceId: new(team), UserId: "two\nlines", Description: new(strings.Repeat("d", 501)),
				ExpiresAt: timestamppb.New(time.Now().Add(-time.Hour)),
			}))
			return err
		}, codes.InvalidArgument, []string{"service_account.user_id", "service_account.description", "service_account.expires_at"}},
		{"a cluster not serving the namespace", func() error {
			_, err := sas.AddPomeriumServiceAccount(ctx, &pb.AddPomeriumServiceAccountRequest{
				ServiceAccount: &pb.PomeriumServiceAccount{NamespaceId: new(team)}, ClusterId: new(edgeID),
			})
			return err
		}, codes.InvalidArgument, []string{"cluster_id", `"Edge"`}},
		{"an unknown cluster", func() error {
			_, err := sas.AddPomeriumServiceAccount(ctx, &pb.AddPomeriumServiceAccountRequest{
				ServiceAccount: &pb.PomeriumServiceAccount{}, ClusterId: new("nope"),
			})
			return err
		}, codes.NotFound, []string{`cluster "nope"`}},
		{"get through another cluster", func() error {
			_, err := sas.GetPomeriumServiceAccount(ctx, &pb.GetPomeriumServiceAccountRequest{Id: id, ClusterId: new(edgeID)})
			return err
		}, codes.InvalidArgument, []string{"cluster_id"}},
		{"delete through another cluster", func() error {
			_, err := sas.DeletePomeriumServiceAccount(ctx, &pb.DeletePomeriumServiceAccountRequest{Id: id, ClusterId: new(edgeID)})
			return err
		}, codes.InvalidArgument, []string{"cluster_id"}},
		{"set through another cluster", func() error {
			_, err := sas.SetPomeriumServiceAccount(ctx, &pb.SetPomeriumServiceAccountRequest{
				ServiceAccount: &pb.PomeriumServiceAccount{Id: id, Description: new("moved")}, ClusterId: new(edgeID),
			})
			return err
		}, codes.InvalidArgument, []string{"cluster_id"}},
		{"get without id", func() error {
			_, err := sas.GetPomeriumServiceAccount(ctx, &pb.GetPomeriumServiceAccountRequest{})
			return err
		}, codes.InvalidArgument, []string{"id"}},
		{"unknown id", func() error {
			_, err := sas.GetPomeriumServiceAccount(ctx, &pb.GetPomeriumServiceAccountRequest{Id: "nope"})
			return err
		}, codes.NotFound, []string{`"nope"`}},
		{"list without a namespace", func() error {
			_, err := sas.ListPomeriumServiceAccounts(ctx, &pb.ListPomeriumServiceAccountsRequest{})
			return err
		}, codes.InvalidArgument, []string{"namespace"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { expectCode(t, tc.call(), tc.code, tc.texts...) })
	}

	// A viewer of the namespace reads, but neither adds nor deletes.
	viewer := pb.NewPomeriumServiceAccountServiceClient(e.as(t, "vic", team, "viewer"))
	if _, err := viewer.GetPomeriumServiceAccount(ctx, &pb.GetPomeriumServiceAccountRequest{Id: id}); err != nil {
		t.Fatalf("a viewer cannot read: %v", err)
	}
	_, err = viewer.AddPomeriumServiceAccount(ctx, add(&pb.PomeriumServiceAccount{NamespaceId: new(team)}))
	expectCode(t, err, codes.PermissionDenied)
	_, err = viewer.SetPomeriumServiceAccount(ctx, &pb.SetPomeriumServiceAccountRequest{ServiceAccount: &pb.PomeriumServiceAccount{Id: id, Description: new("x")}})
	expectCode(t, err, codes.PermissionDenied)
	_, err = viewer.DeletePomeriumServiceAccount(ctx, &pb.DeletePomeriumServiceAccountRequest{Id: id})
	expectCode(t, err, codes.PermissionDenied)
	nobody := pb.NewPomeriumServiceAccountServiceClient(e.as(t, "nobody", "", ""))
	_, err = nobody.ListPomeriumServiceAccounts(ctx, &pb.ListPomeriumServiceAccountsRequest{Namespace: team})
	expectCode(t, err, codes.PermissionDenied)

	list, err := e.app.Store.ListServiceAccounts(ctx, db.ServiceAccountFilter{})
	if err != nil || len(list) != 1 || list[0].ID != id || list[0].Description != "" || !list[0].RevokedAt.IsZero() {
		t.Fatalf("refused calls changed the accounts: %+v (%v)", list, err)
	}
}
