package grpcapi_test

import (
	"maps"
	"slices"
	"testing"

	"google.golang.org/grpc/codes"

	pb "github.com/pomerium-console-oss/pomerium-console/app/pb/dashboard"
	"github.com/pomerium-console-oss/pomerium-console/db"
)

func TestQueryUsersAndGetUserInfo(t *testing.T) {
	t.Parallel()
	e := newRuntimeEnv(t)
	e.seedPeople(t)
	team := e.app.Namespace(t, db.GlobalNamespaceID, "Team")
	e.app.Grant(t, team, db.SubjectUser, "ada", "manager")
	users := pb.NewUserServiceClient(e.admin(t, ""))
	ctx := t.Context()

	found, err := users.QueryUsers(ctx, &pb.QueryUsersRequest{Query: "corp.example"})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, u := range found.GetUsers() {
		ids = append(ids, u.GetId())
	}
	if !slices.Equal(ids, []string{"ada", "cyd"}) || found.GetTotalCount() != 2 {
		t.Fatalf("users = %v (total %d)", ids, found.GetTotalCount())
	}
	// Core's user.User names the user first; the directory adds groups.
	byName, err := users.QueryUsers(ctx, &pb.QueryUsersRequest{Query: "ada"})
	if err != nil || len(byName.GetUsers()) != 1 {
		t.Fatalf("QueryUsers(ada) = %v, %v", byName, err)
	}
	ada := byName.GetUsers()[0]
	if ada.GetName() != "Ada Lovelace" || ada.GetEmail() != "ada@example.com" || !slices.Equal(ada.GetGroups(), []string{"g-eng"}) {
		t.Errorf("ada = %v", ada)
	}
	if want := map[string]string{team: "manager"}; !maps.Equal(ada.GetNamespaceRoles(), want) {
		t.Errorf("ada's roles = %v, want %v", ada.GetNamespaceRoles(), want)
	}
	page, err := users.QueryUsers(ctx, &pb.QueryUsersRequest{Offset: 1, Limit: 1})
	if err != nil || len(page.GetUsers()) != 1 || page.GetTotalCount() < 4 {
		t.Fatalf("page = %v, %v", page, err)
	}
	_, err = users.QueryUsers(ctx, &pb.QueryUsersRequest{Limit: -1})
	expectCode(t, err, codes.InvalidArgument, "limit")

	info, err := users.GetUserInfo(ctx, &pb.GetUserInfoRequest{UserId: new("cyd")})
	if err != nil || info.GetUserInfo().GetName() != "Cyd Charisse" || !slices.Equal(info.GetUserInfo().GetGroups(), []string{"g-fin"}) ||
		len(info.GetUserInfo().GetNamespaceRoles()) != 0 {
		t.Fatalf("GetUserInfo(cyd) = %v, %v", info, err)
	}
	me, err := users.GetUserInfo(ctx, &pb.GetUserInfoRequest{})
	if err != nil || me.GetUserInfo().GetId() != "admin" || me.GetUserInfo().GetNamespaceRoles()[db.GlobalNamespaceID] != "admin" ||
		me.GetUserInfo().GetNamespaceRoles()[team] != "admin" || me.GetUserInfo().GetIsImpersonated() {
		t.Fatalf("GetUserInfo() = %v, %v", me, err)
	}
	_, err = users.GetUserInfo(ctx, &pb.GetUserInfoRequest{UserId: new("zed")})
	expectCode(t, err, codes.NotFound, "zed")

	// Somebody without any role may describe themselves, nobody else.
	nobody := pb.NewUserServiceClient(e.as(t, "nobody", "", ""))
	self, err := nobody.GetUserInfo(ctx, &pb.GetUserInfoRequest{})
	if err != nil || self.GetUserInfo().GetId() != "nobody" || len(self.GetUserInfo().GetNamespaceRoles()) != 0 {
		t.Fatalf("own GetUserInfo = %v, %v", self, err)
	}
	_, err = nobody.GetUserInfo(ctx, &pb.GetUserInfoRequest{UserId: new("ada")})
	expectCode(t, err, codes.PermissionDenied)
	_, err = nobody.QueryUsers(ctx, &pb.QueryUsersRequest{})
	expectCode(t, err, codes.PermissionDenied)
}

func TestQueryGroupsAndGetGroupInfo(t *testing.T) {
	t.Parallel()
	e := newRuntimeEnv(t)
	e.seedPeople(t)
	// Any role in a namespace the cluster serves lets one look groups up.
	team := e.app.Namespace(t, db.GlobalNamespaceID, "Team")
	users := pb.NewUserServiceClient(e.as(t, "vic", team, "viewer"))
	ctx := t.Context()

	all, err := users.QueryGroups(ctx, &pb.QueryGroupsRequest{})
	if err != nil {
		t.Fatal(err)
	}
	if len(all.GetGroups()) != 2 || all.GetTotalCount() != 2 || all.GetGroups()[0].GetName() != "Engineering" || all.GetGroups()[1].GetId() != "g-fin" {
		t.Fatalf("groups = %v", all)
	}
	found, err := users.QueryGroups(ctx, &pb.QueryGroupsRequest{Query: "FIN"})
	if err != nil || len(found.GetGroups()) != 1 || found.GetGroups()[0].GetName() != "Finance" {
		t.Fatalf("QueryGroups(FIN) = %v, %v", found, err)
	}
	page, err := users.QueryGroups(ctx, &pb.QueryGroupsRequest{Offset: 1, Limit: 5})
	if err != nil || len(page.GetGroups()) != 1 || page.GetTotalCount() != 2 {
		t.Fatalf("page = %v, %v", page, err)
	}
	_, err = users.QueryGroups(ctx, &pb.QueryGroupsRequest{Offset: -2})
	expectCode(t, err, codes.InvalidArgument, "offset")

	g, err := users.GetGroupInfo(ctx, &pb.GetGroupInfoRequest{GroupId: "g-eng"})
	if err != nil || g.GetGroupInfo().GetId() != "g-eng" || g.GetGroupInfo().GetName() != "Engineering" {
		t.Fatalf("GetGroupInfo = %v, %v", g, err)
	}
	_, err = users.GetGroupInfo(ctx, &pb.GetGroupInfoRequest{GroupId: "g-none"})
	expectCode(t, err, codes.NotFound, "g-none")
	_, err = users.GetGroupInfo(ctx, &pb.GetGroupInfoRequest{})
	expectCode(t, err, codes.InvalidArgument, "group_id")

	nobody := pb.NewUserServiceClient(e.as(t, "nobody", "", ""))
	_, err = nobody.GetGroupInfo(ctx, &pb.GetGroupInfoRequest{GroupId: "g-eng"})
	expectCode(t, err, codes.PermissionDenied)
}
