package grpcapi_test

import (
	"strings"
	"testing"
	"time"

	"google.golang.org/grpc/codes"

	pb "github.com/pomerium-console-oss/pomerium-console/app/pb/dashboard"
	"github.com/pomerium-console-oss/pomerium-console/db"
)

func TestNamespaceLifecycle(t *testing.T) {
	t.Parallel()
	e := newConsoleEnv(t)
	ns := pb.NewNamespaceServiceClient(e.admin(t))
	ctx := t.Context()

	prod, err := ns.SetNamespace(ctx, &pb.SetNamespaceRequest{Namespace: &pb.Namespace{ParentId: db.GlobalNamespaceID, Name: " Production "}})
	if err != nil {
		t.Fatal(err)
	}
	got := prod.GetNamespace()
	if got.GetId() == "" || got.GetName() != "Production" || got.GetParentId() != db.GlobalNamespaceID ||
		got.GetClusterId() != db.DefaultClusterID || got.GetCreatedAt() == nil {
		t.Fatalf("created namespace = %v", got)
	}
	staging, err := ns.SetNamespace(ctx, &pb.SetNamespaceRequest{Namespace: &pb.Namespace{ParentId: db.GlobalNamespaceID, Name: "Staging"}})
	if err != nil {
		t.Fatal(err)
	}

	// A known id replaces name and parent.
	moved, err := ns.SetNamespace(ctx, &pb.SetNamespaceRequest{Namespace: &pb.Namespace{
		Id: got.GetId(), ParentId: staging.GetNamespace().GetId(), Name: "Prod", RouteCount: 99,
	}})
	if err != nil {
		t.Fatal(err)
	}
	if m := moved.GetNamespace(); m.GetName() != "Prod" || m.GetParentId() != staging.GetNamespace().GetId() || m.GetRouteCount() != 0 {
		t.Fatalf("moved namespace = %v (route_count is computed, not taken from the request)", m)
	}
	stored, err := e.app.Store.GetNamespace(ctx, got.GetId())
	if err != nil || stored.Name != "Prod" || stored.ParentID != staging.GetNamespace().GetId() {
		t.Fatalf("stored = %+v, %v", stored, err)
	}

	read, err := ns.GetNamespace(ctx, &pb.GetNamespaceRequest{Id: got.GetId()})
	if err != nil || read.GetNamespace().GetName() != "Prod" {
		t.Fatalf("GetNamespace = %v, %v", read, err)
	}
	list, err := ns.ListNamespaces(ctx, &pb.ListNamespacesRequest{})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, n := range list.GetNamespaces() {
		names = append(names, n.GetName())
	}
	if strings.Join(names, ",") != "Global,Staging,Prod" {
		t.Fatalf("ListNamespaces = %v, want tree order Global,Staging,Prod", names)
	}

	// Sending Global back unchanged is not an error; changing it is.
	if _, err := ns.SetNamespace(ctx, &pb.SetNamespaceRequest{Namespace: &pb.Namespace{Id: db.GlobalNamespaceID, Name: "Global"}}); err != nil {
		t.Fatalf("Global sent back as is: %v", err)
	}
	_, err = ns.SetNamespace(ctx, &pb.SetNamespaceRequest{Namespace: &pb.Namespace{Id: db.GlobalNamespaceID, Name: "Root"}})
	expectCode(t, err, codes.FailedPrecondition, "cannot be renamed")

	// Deleting a namespace that still has a child is refused.
	_, err = ns.DeleteNamespace(ctx, &pb.DeleteNamespaceRequest{Id: staging.GetNamespace().GetId()})
	expectCode(t, err, codes.FailedPrecondition, `"Prod"`)
	if _, err := ns.DeleteNamespace(ctx, &pb.DeleteNamespaceRequest{Id: got.GetId()}); err != nil {
		t.Fatal(err)
	}
	_, err = ns.GetNamespace(ctx, &pb.GetNamespaceRequest{Id: got.GetId()})
	expectCode(t, err, codes.NotFound, got.GetId())

	var types []string
	for _, a := range e.activity(t) {
		if a.EntityType == "namespace" {
			types = append(types, a.ActivityType)
			if a.UserEmail != "admin@example.com" {
				t.Errorf("entry %s by %q, want the caller", a.ID, a.UserEmail)
			}
		}
	}
	if strings.Join(types, ",") != "delete,update,create,create" {
		t.Fatalf("activity = %v", types)
	}
}

func TestNamespaceErrors(t *testing.T) {
	t.Parallel()
	e := newConsoleEnv(t)
	team := e.app.Namespace(t, db.GlobalNamespaceID, "Team")
	admin := pb.NewNamespaceServiceClient(e.admin(t))
	viewer := pb.NewNamespaceServiceClient(e.as(t, "vera", team, "viewer"))
	ctx := t.Context()
	before := len(e.activity(t))

	tests := []struct {
		name   string
		client pb.NamespaceServiceClient
		req    *pb.SetNamespaceRequest
		code   codes.Code
		texts  []string
	}{
		{"no namespace", admin, &pb.SetNamespaceRequest{}, codes.InvalidArgument, []string{"namespace:"}},
		{"empty name", admin, &pb.SetNamespaceRequest{Namespace: &pb.Namespace{ParentId: team}}, codes.InvalidArgument, []string{"namespace.name: enter a name"}},
		{"name too long", admin, &pb.SetNamespaceRequest{Namespace: &pb.Namespace{ParentId: team, Name: strings.Repeat("n", 129)}},
			codes.InvalidArgument, []string{"namespace.name: must be at most 128"}},
		{"unknown parent", admin, &pb.SetNamespaceRequest{Namespace: &pb.Namespace{ParentId: "nope", Name: "X"}},
			codes.InvalidArgument, []string{"namespace.parent_id", "nope does not exist"}},
		{"sibling name taken", admin, &pb.SetNamespaceRequest{Namespace: &pb.Namespace{ParentId: db.GlobalNamespaceID, Name: "team"}},
			codes.InvalidArgument, []string{"namespace.name", "already exists"}},
		{"move into itself", admin, &pb.SetNamespaceRequest{Namespace: &pb.Namespace{Id: team, ParentId: team, Name: "Team"}},
			codes.InvalidArgument, []string{"namespace.parent_id"}},
		{"unknown id", admin, &pb.SetNamespaceRequest{Namespace: &pb.Namespace{Id: "ghost", ParentId: team, Name: "X"}},
			codes.NotFound, []string{`"ghost"`}},
		{"viewer creates", viewer, &pb.SetNamespaceRequest{Namespace: &pb.Namespace{ParentId: team, Name: "Mine"}},
			codes.PermissionDenied, []string{"admin role", "Team"}},
		{"viewer renames", viewer, &pb.SetNamespaceRequest{Namespace: &pb.Namespace{Id: team, ParentId: db.GlobalNamespaceID, Name: "Ours"}},
			codes.PermissionDenied, []string{"admin role"}},
	}
	for _, tc := range tests {
		_, err := tc.client.SetNamespace(ctx, tc.req)
		t.Run(tc.name, func(t *testing.T) { expectCode(t, err, tc.code, tc.texts...) })
	}
	_, err := viewer.DeleteNamespace(ctx, &pb.DeleteNamespaceRequest{Id: team})
	expectCode(t, err, codes.PermissionDenied)
	_, err = admin.GetNamespace(ctx, &pb.GetNamespaceRequest{Id: "ghost"})
	expectCode(t, err, codes.NotFound, `"ghost"`)
	_, err = admin.GetNamespace(ctx, &pb.GetNamespaceRequest{})
	expectCode(t, err, codes.InvalidArgument, "id:")
	_, err = viewer.GetNamespace(ctx, &pb.GetNamespaceRequest{Id: db.GlobalNamespaceID})
	expectCode(t, err, codes.PermissionDenied, "Global")

	// Nothing the refused calls tried was written.
	all, err := e.app.Store.ListNamespaces(ctx)
	if err != nil || len(all) != 2 {
		t.Fatalf("namespaces after refused calls = %v, %v", all, err)
	}
	if stored, _ := e.app.Store.GetNamespace(ctx, team); stored.Name != "Team" || stored.ParentID != db.GlobalNamespaceID {
		t.Fatalf("team changed: %+v", stored)
	}
	if n := len(e.activity(t)); n != before {
		t.Fatalf("refused calls wrote %d activity entries", n-before)
	}
}

// seedResources stores a route, a policy and a key pair in team and a
// route in child, directly.
func seedResources(t *testing.T, e *consoleEnv, team, child string) {
	t.Helper()
	ctx, now := t.Context(), time.Now()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(e.app.Store.CreatePolicy(ctx, db.Policy{ID: "p1", NamespaceID: team, Name: "Engineers", PPL: "allow: {}", CreatedAt: now, ModifiedAt: now}))
	must(e.app.Store.CreatePolicy(ctx, db.Policy{ID: "p2", NamespaceID: team, Name: "Admins", PPL: "allow: {}", CreatedAt: now, ModifiedAt: now}))
	for _, r := range []db.Route{
		{ID: "r1", NamespaceID: team, Name: "Wiki", From: "https://wiki.example.com", To: []string{"http://wiki:80"}, MatchKey: "https://wiki.example.com|||"},
		{ID: "r2", NamespaceID: child, Name: "Grafana", From: "https://grafana.example.com", To: []string{"http://grafana:80"}, MatchKey: "https://grafana.example.com|||"},
	} {
		r.CreatedAt, r.ModifiedAt = now, now
		must(e.app.Store.CreateRoute(ctx, r))
	}
	must(e.app.Store.CreateKeyPair(ctx, db.KeyPair{ID: "k1", NamespaceID: team, Name: "wildcard", CertificatePEM: "-", CreatedAt: now, ModifiedAt: now}))
}

func TestNamespaceCountsAndResources(t *testing.T) {
	t.Parallel()
	e := newConsoleEnv(t)
	team := e.app.Namespace(t, db.GlobalNamespaceID, "Team")
	child := e.app.Namespace(t, team, "Child")
	seedResources(t, e, team, child)
	ctx := t.Context()

	list, err := pb.NewNamespaceServiceClient(e.admin(t)).ListNamespaces(ctx, &pb.ListNamespacesRequest{})
	if err != nil {
		t.Fatal(err)
	}
	counts := map[string][2]int64{}
	for _, n := range list.GetNamespaces() {
		counts[n.GetId()] = [2]int64{n.GetRouteCount(), n.GetPolicyCount()}
	}
	want := map[string][2]int64{db.GlobalNamespaceID: {0, 0}, team: {1, 2}, child: {1, 0}}
	for id, w := range want {
		if counts[id] != w {
			t.Errorf("namespace %s: [routes policies] = %v, want %v", id, counts[id], w)
		}
	}

	// A guest sees the namespace but not what it holds.
	guest := pb.NewNamespaceServiceClient(e.as(t, "gus", team, "guest"))
	got, err := guest.GetNamespace(ctx, &pb.GetNamespaceRequest{Id: team})
	if err != nil || got.GetNamespace().GetRouteCount() != 0 || got.GetNamespace().GetPolicyCount() != 0 {
		t.Fatalf("guest GetNamespace = %v, %v", got, err)
	}
	guestList, err := guest.ListNamespaces(ctx, &pb.ListNamespacesRequest{})
	if err != nil || len(guestList.GetNamespaces()) != 2 {
		t.Fatalf("guest sees %v, %v; want Team and Child", guestList, err)
	}
	_, err = guest.ListNamespaceResources(ctx, &pb.ListNamespaceResourcesRequest{Ids: []string{team}})
	expectCode(t, err, codes.PermissionDenied, "viewer role")

	res, err := pb.NewNamespaceServiceClient(e.as(t, "vera", team, "viewer")).
		ListNamespaceResources(ctx, &pb.ListNamespaceResourcesRequest{Ids: []string{team}})
	if err != nil {
		t.Fatal(err)
	}
	var items []string
	for _, r := range res.GetResources() {
		items = append(items, r.GetType()+":"+r.GetId()+":"+r.GetName())
	}
	if strings.Join(items, ",") != "route:r1:Wiki,policy:p2:Admins,policy:p1:Engineers,key_pair:k1:wildcard" {
		t.Fatalf("resources of Team = %v (the child's route belongs to Child)", items)
	}
	_, err = pb.NewNamespaceServiceClient(e.admin(t)).ListNamespaceResources(ctx, &pb.ListNamespaceResourcesRequest{Ids: []string{team, "ghost"}})
	expectCode(t, err, codes.NotFound, `"ghost"`, "ids[1]")
}
