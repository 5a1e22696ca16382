package grpcapi_test

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"google.golang.org/grpc/codes"

	pb "github.com/pomerium-console-oss/pomerium-console/app/pb/dashboard"
	"github.com/pomerium-console-oss/pomerium-console/db"
)

func TestNamespacePermissionLifecycle(t *testing.T) {
	t.Parallel()
	e := newConsoleEnv(t)
	team := e.app.Namespace(t, db.GlobalNamespaceID, "Team")
	other := e.app.Namespace(t, db.GlobalNamespaceID, "Other")
	perms := pb.NewNamespacePermissionServiceClient(e.admin(t))
	ctx := t.Context()

	created, err := perms.SetNamespacePermission(ctx, &pb.SetNamespacePermissionRequest{NamespacePermission: &pb.NamespacePermission{
		NamespaceId: team, SubjectType: "user", SubjectId: " Bob@Example.com ", Role: "viewer",
	}})
	if err != nil {
		t.Fatal(err)
	}
	p := created.GetNamespacePermission()
	if p.GetId() == "" || p.GetNamespaceName() != "Team" || p.GetSubjectId() != "bob@example.com" || p.GetRole() != "viewer" {
		t.Fatalf("created = %v", p)
	}

	// The same id with another role changes the role and keeps the id.
	changed, err := perms.SetNamespacePermission(ctx, &pb.SetNamespacePermissionRequest{NamespacePermission: &pb.NamespacePermission{
		Id: p.GetId(), NamespaceId: team, SubjectType: "user", SubjectId: "BOB@example.com", Role: "manager",
	}})
	if err != nil || changed.GetNamespacePermission().GetId() != p.GetId() || changed.GetNamespacePermission().GetRole() != "manager" {
		t.Fatalf("role change = %v, %v", changed, err)
	}
	got, err := perms.GetNamespacePermission(ctx, &pb.GetNamespacePermissionRequest{Id: p.GetId()})
	if err != nil || got.GetNamespacePermission().GetRole() != "manager" {
		t.Fatalf("GetNamespacePermission = %v, %v", got, err)
	}

	// Another namespace replaces the grant: revoked there, granted here.
	moved, err := perms.SetNamespacePermission(ctx, &pb.SetNamespacePermissionRequest{NamespacePermission: &pb.NamespacePermission{
		Id: p.GetId(), NamespaceId: other, SubjectType: "user", SubjectId: "bob@example.com", Role: "admin",
	}})
	if err != nil || moved.GetNamespacePermission().GetNamespaceId() != other || moved.GetNamespacePermission().GetRole() != "admin" {
		t.Fatalf("move = %v, %v", moved, err)
	}
	if _, err := e.app.Store.GetPermission(ctx, p.GetId()); !errors.Is(err, db.ErrNotFound) {
		t.Fatalf("the replaced grant still exists: %v", err)
	}

	list, err := perms.ListNamespacePermissions(ctx, &pb.ListNamespacePermissionsRequest{})
	if err != nil || len(list.GetNamespacePermissions()) != 1 || list.GetNamespacePermissions()[0].GetNamespaceName() != "Other" {
		t.Fatalf("ListNamespacePermissions = %v, %v", list, err)
	}

	if _, err := perms.DeleteNamespacePermission(ctx, &pb.DeleteNamespacePermissionRequest{Id: moved.GetNamespacePermission().GetId()}); err != nil {
		t.Fatal(err)
	}
	_, err = perms.GetNamespacePermission(ctx, &pb.GetNamespacePermissionRequest{Id: moved.GetNamespacePermission().GetId()})
	expectCode(t, err, codes.NotFound)

	var log []string
	for _, a := range e.activity(t) {
		if a.EntityType == "namespace_permission" {
			log = append(log, a.ActivityType+" "+a.NamespaceName)
		}
	}
	if strings.Join(log, ",") != "delete Other,create Other,delete Team,update Team,create Team" {
		t.Fatalf("activity = %v", log)
	}
}

func TestNamespacePermissionUsersAndGroups(t *testing.T) {
	t.Parallel()
	e := newConsoleEnv(t)
	team := e.app.Namespace(t, db.GlobalNamespaceID, "Team")
	ctx := t.Context()
	if err := e.app.Store.UpsertUser(ctx, db.User{ID: "u-bob", Email: "bob@example.com", Name: "Bob", Groups: []string{"eng", "ops"}, LastSeenAt: time.Now()}); err != nil {
		t.Fatal(err)
	}
	e.app.Grant(t, db.GlobalNamespaceID, db.SubjectGroup, "eng", "viewer")
	e.app.Grant(t, team, db.SubjectUser, "bob@example.com", "manager")
	e.app.Grant(t, team, db.SubjectUser, "u-unknown", "guest")
	perms := pb.NewNamespacePermissionServiceClient(e.admin(t))

	users, err := perms.ListNamespacePermissionUsers(ctx, &pb.ListNamespacePermissionUsersRequest{NamespaceId: team})
	if err != nil {
		t.Fatal(err)
	}
	byID := map[string]*pb.NamespacePermissionUser{}
	for _, u := range users.GetUsers() {
		byID[u.GetUserId()] = u
	}
	bob := byID["bob@example.com"]
	if bob == nil || bob.GetUserName() != "Bob" || bob.GetUserEmail() != "bob@example.com" || bob.GetRole() != "manager" ||
		!slices.Equal(bob.GetGroupIds(), []string{"eng"}) || bob.GetNamespaceName() != "Team" {
		t.Fatalf("bob = %v (group_ids: the user's groups holding a grant here)", bob)
	}
	if u := byID["u-unknown"]; u == nil || u.GetUserName() != "" || u.GetRole() != "guest" {
		t.Fatalf("a user who never signed in = %v", u)
	}

	groups, err := perms.ListNamespacePermissionGroups(ctx, &pb.ListNamespacePermissionGroupsRequest{NamespaceId: team})
	if err != nil {
		t.Fatal(err)
	}
	if len(groups.GetGroups()) != 1 || groups.GetGroups()[0].GetGroupId() != "eng" || groups.GetGroups()[0].GetNamespaceName() != "Global" {
		t.Fatalf("groups of Team = %v, want eng inherited from Global", groups)
	}

	_, err = perms.ListNamespacePermissionUsers(ctx, &pb.ListNamespacePermissionUsersRequest{})
	expectCode(t, err, codes.InvalidArgument, "namespace_id")
	_, err = perms.ListNamespacePermissionGroups(ctx, &pb.ListNamespacePermissionGroupsRequest{NamespaceId: "ghost"})
	expectCode(t, err, codes.NotFound, `"ghost"`)
	_, err = pb.NewNamespacePermissionServiceClient(e.as(t, "gus", team, "guest")).
		ListNamespacePermissionUsers(ctx, &pb.ListNamespacePermissionUsersRequest{NamespaceId: team})
	expectCode(t, err, codes.PermissionDenied, "viewer role")
}

func TestNamespacePermissionErrors(t *testing.T) {
	t.Parallel()
	e := newConsoleEnv(t)
	team := e.app.Namespace(t, db.GlobalNamespaceID, "Team")
	other := e.app.Namespace(t, db.GlobalNamespaceID, "Other")
	globalGrant := e.app.Grant(t, db.GlobalNamespaceID, db.SubjectUser, "ann", "admin")
	// Tess administers Team only; Vera views Team.
	tess := pb.NewNamespacePermissionServiceClient(e.as(t, "tess", team, "admin"))
	vera := pb.NewNamespacePermissionServiceClient(e.as(t, "vera", team, "viewer"))
	teamGrant := e.app.Grant(t, team, db.SubjectGroup, "eng", "viewer")
	admin := pb.NewNamespacePermissionServiceClient(e.admin(t))
	ctx := t.Context()
	before := len(e.activity(t))

	set := func(p *pb.NamespacePermission) *pb.SetNamespacePermissionRequest {
		return &pb.SetNamespacePermissionRequest{NamespacePermission: p}
	}
	tests := []struct {
		name   string
		client pb.NamespacePermissionServiceClient
		req    *pb.SetNamespacePermissionRequest
		code   codes.Code
		texts  []string
	}{
		{"no permission", admin, set(nil), codes.InvalidArgument, []string{"namespace_permission:"}},
		{"unknown role", admin, set(&pb.NamespacePermission{NamespaceId: team, SubjectType: "user", SubjectId: "x", Role: "owner"}),
			codes.InvalidArgument, []string{"namespace_permission.role", `"owner"`}},
		{"unknown subject type", admin, set(&pb.NamespacePermission{NamespaceId: team, SubjectType: "robot", SubjectId: "x", Role: "viewer"}),
			codes.InvalidArgument, []string{"namespace_permission.subject_type"}},
		{"subject too long", admin, set(&pb.NamespacePermission{NamespaceId: team, SubjectType: "group", SubjectId: strings.Repeat("g", 257), Role: "viewer"}),
			codes.InvalidArgument, []string{"namespace_permission.subject_id", "at most 256"}},
		{"no namespace", admin, set(&pb.NamespacePermission{SubjectType: "user", SubjectId: "x", Role: "viewer"}),
			codes.InvalidArgument, []string{"namespace_permission.namespace_id"}},
		{"unknown namespace", admin, set(&pb.NamespacePermission{NamespaceId: "ghost", SubjectType: "user", SubjectId: "x", Role: "viewer"}),
			codes.InvalidArgument, []string{"namespace_permission.namespace_id", `"ghost"`}},
		{"unknown id", admin, set(&pb.NamespacePermission{Id: "ghost", NamespaceId: team, SubjectType: "user", SubjectId: "x", Role: "viewer"}),
			codes.NotFound, []string{`"ghost"`}},
		{"viewer grants", vera, set(&pb.NamespacePermission{NamespaceId: team, SubjectType: "user", SubjectId: "vera", Role: "admin"}),
			codes.PermissionDenied, []string{"admin role"}},
		{"admin of Team grants on Other", tess, set(&pb.NamespacePermission{NamespaceId: other, SubjectType: "user", SubjectId: "tess", Role: "admin"}),
			codes.PermissionDenied, []string{"Other"}},
		// Moving a grant of Team to Other needs Other too: the revoke on
		// Team is rolled back.
		{"admin of Team moves a grant to Other", tess, set(&pb.NamespacePermission{Id: teamGrant, NamespaceId: other, SubjectType: "group", SubjectId: "eng", Role: "viewer"}),
			codes.PermissionDenied, []string{"Other"}},
		{"admin of Team changes a Global grant", tess, set(&pb.NamespacePermission{Id: globalGrant, NamespaceId: team, SubjectType: "user", SubjectId: "ann", Role: "guest"}),
			codes.PermissionDenied, []string{"Global"}},
	}
	for _, tc := range tests {
		_, err := tc.client.SetNamespacePermission(ctx, tc.req)
		t.Run(tc.name, func(t *testing.T) { expectCode(t, err, tc.code, tc.texts...) })
	}
	_, err := tess.DeleteNamespacePermission(ctx, &pb.DeleteNamespacePermissionRequest{Id: globalGrant})
	expectCode(t, err, codes.PermissionDenied, "Global")
	_, err = admin.DeleteNamespacePermission(ctx, &pb.DeleteNamespacePermissionRequest{Id: "ghost"})
	expectCode(t, err, codes.NotFound, `"ghost"`)
	_, err = vera.GetNamespacePermission(ctx, &pb.GetNamespacePermissionRequest{Id: globalGrant})
	expectCode(t, err, codes.PermissionDenied, "Global")

	if stored, err := e.app.Store.GetPermission(ctx, teamGrant); err != nil || stored.NamespaceID != team {
		t.Fatalf("the grant a refused move tried to replace: %+v, %v", stored, err)
	}
	if n := len(e.activity(t)); n != before {
		t.Fatalf("refused calls wrote %d activity entries", n-before)
	}

	// A viewer of Team lists Team's grants only.
	list, err := vera.ListNamespacePermissions(ctx, &pb.ListNamespacePermissionsRequest{})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range list.GetNamespacePermissions() {
		if p.GetNamespaceId() != team {
			t.Fatalf("a viewer of Team sees the grant %v", p)
		}
	}
	if len(list.GetNamespacePermissions()) != 3 {
		t.Fatalf("Team's grants = %v, want tess, vera and eng", list.GetNamespacePermissions())
	}
}
