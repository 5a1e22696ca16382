package grpcapi_test

import (
	"encoding/base64"
	"errors"
	"strings"
	"testing"

	"google.golang.org/grpc/codes"
	"google.golang.org/protobuf/proto"

	"github.com/pomerium-console-oss/pomerium-console/app/databroker/databrokertest"
	pb "github.com/pomerium-console-oss/pomerium-console/app/pb/dashboard"
	"github.com/pomerium-console-oss/pomerium-console/db"
)

func TestClusterLifecycle(t *testing.T) {
	t.Parallel()
	e := newConsoleEnv(t)
	broker := databrokertest.Start(t)
	regions := e.app.Namespace(t, db.GlobalNamespaceID, "Regions")
	cl := pb.NewClustersServiceClient(e.admin(t))
	ctx := t.Context()

	added, err := cl.AddCluster(ctx, &pb.AddClusterRequest{ParentNamespaceId: regions, Cluster: &pb.Cluster{
		Name: "Edge", DatabrokerServiceUrl: broker.URL(), SharedSecret: []byte(broker.SharedSecret()),
	}})
	if err != nil {
		t.Fatal(err)
	}
	c, ns, set := added.GetCluster(), added.GetNamespace(), added.GetSettings()
	if c.GetId() == "" || c.GetName() != "Edge" || c.GetDatabrokerServiceUrl() != broker.URL() || len(c.GetSharedSecret()) != 0 {
		t.Fatalf("added cluster = %v (the shared secret is never returned)", c)
	}
	if ns.GetName() != "Edge" || ns.GetParentId() != regions || ns.GetClusterId() != c.GetId() {
		t.Fatalf("the cluster's namespace = %v", ns)
	}
	if set.GetId() != c.GetId() || set.GetClusterId() != c.GetId() {
		t.Fatalf("the cluster's settings = %v", set)
	}
	stored, err := e.app.Store.GetCluster(ctx, c.GetId())
	if err != nil || stored.NamespaceID != ns.GetId() || stored.SealedSharedSecret == "" ||
		strings.Contains(stored.SealedSharedSecret, broker.SharedSecret()) {
		t.Fatalf("stored cluster = %+v, %v", stored, err)
	}

	// Update without a secret keeps the stored one; the namespace stays.
	upd, err := cl.UpdateCluster(ctx, &pb.UpdateClusterRequest{Cluster: &pb.Cluster{
		Id: c.GetId(), Name: "Edge EU", DatabrokerServiceUrl: broker.URL(),
	}})
	if err != nil {
		t.Fatal(err)
	}
	if upd.GetCluster().GetName() != "Edge EU" || upd.GetNamespace().GetId() != ns.GetId() {
		t.Fatalf("updated = %v", upd)
	}
	after, _ := e.app.Store.GetCluster(ctx, c.GetId())
	if after.SealedSharedSecret != stored.SealedSharedSecret || after.Name != "Edge EU" {
		t.Fatalf("after update: %+v", after)
	}

	got, err := cl.GetCluster(ctx, &pb.GetClusterRequest{Id: c.GetId()})
	if err != nil || got.GetCluster().GetName() != "Edge EU" || got.GetNamespace().GetId() != ns.GetId() {
		t.Fatalf("GetCluster = %v, %v", got, err)
	}
	list, err := cl.ListClusters(ctx, &pb.ListClustersRequest{})
	if err != nil || len(list.GetClusters()) != 2 {
		t.Fatalf("ListClusters = %v, %v", list, err)
	}
	for _, item := range list.GetClusters() {
		if len(item.GetSharedSecret()) != 0 {
			t.Fatalf("ListClusters returns a shared secret: %v", item)
		}
	}
	def, err := cl.GetCluster(ctx, &pb.GetClusterRequest{Id: db.DefaultClusterID})
	if err != nil || def.GetNamespace().GetId() != db.GlobalNamespaceID || def.GetSettings().GetId() != db.DefaultClusterID {
		t.Fatalf("default cluster = %v, %v", def, err)
	}

	if _, err := cl.DeleteCluster(ctx, &pb.DeleteClusterRequest{Id: c.GetId()}); err != nil {
		t.Fatal(err)
	}
	_, err = cl.GetCluster(ctx, &pb.GetClusterRequest{Id: c.GetId()})
	expectCode(t, err, codes.NotFound, c.GetId())
	if _, err := e.app.Store.GetNamespace(ctx, ns.GetId()); err != nil {
		t.Fatalf("the deleted cluster's namespace: %v (it stays)", err)
	}

	var log []string
	for _, a := range e.activity(t) {
		log = append(log, a.ActivityType+" "+a.EntityType)
		if strings.Contains(a.Before+a.After, broker.SharedSecret()) {
			t.Fatalf("entry %s logs the shared secret", a.ID)
		}
	}
	if strings.Join(log, ",") != "delete cluster,update cluster,create cluster,create namespace" {
		t.Fatalf("activity = %v", log)
	}
}

func TestClusterRawSharedSecret(t *testing.T) {
	t.Parallel()
	e := newConsoleEnv(t)
	// The raw key (not its base64 text) is accepted too. Deleting a
	// cluster removes the console's record from its databroker first, so it
	// only succeeds when the databroker accepts the key.
	raw := make([]byte, 32)
	for i := range raw {
		raw[i] = byte(0x80 + i)
	}
	wrong := append([]byte{0x01}, raw[1:]...)
	broker := databrokertest.Start(t, databrokertest.WithSharedSecret(base64.StdEncoding.EncodeToString(raw)))
	cl := pb.NewClustersServiceClient(e.admin(t))
	ctx := t.Context()
	add := func(name string, key []byte) string {
		t.Helper()
		added, err := cl.AddCluster(ctx, &pb.AddClusterRequest{
			ParentNamespaceId: db.GlobalNamespaceID, Cluster: &pb.Cluster{Name: name, DatabrokerServiceUrl: broker.URL(), SharedSecret: key},
		})
		if err != nil {
			t.Fatal(err)
		}
		return added.GetCluster().GetId()
	}
	wrongID, rawID := add("Wrong", wrong), add("Raw", raw)

	_, err := cl.DeleteCluster(ctx, &pb.DeleteClusterRequest{Id: wrongID})
	expectCode(t, err, codes.FailedPrecondition, "could not be removed")
	if _, err := e.app.Store.GetCluster(ctx, wrongID); err != nil {
		t.Fatalf("a refused delete removed the cluster: %v", err)
	}
	if _, err := cl.DeleteCluster(ctx, &pb.DeleteClusterRequest{Id: rawID}); err != nil {
		t.Fatalf("delete with the raw key: %v", err)
	}
}

func TestClusterErrors(t *testing.T) {
	t.Parallel()
	e := newConsoleEnv(t)
	team := e.app.Namespace(t, db.GlobalNamespaceID, "Team")
	admin := pb.NewClustersServiceClient(e.admin(t))
	teamAdmin := pb.NewClustersServiceClient(e.as(t, "tess", team, "admin"))
	viewer := pb.NewClustersServiceClient(e.as(t, "vera", db.GlobalNamespaceID, "viewer"))
	ctx := t.Context()
	before := len(e.activity(t))
	defaultBefore, err := e.app.Store.GetCluster(ctx, db.DefaultClusterID)
	if err != nil {
		t.Fatal(err)
	}

	add := func(parent string, c *pb.Cluster) *pb.AddClusterRequest {
		return &pb.AddClusterRequest{ParentNamespaceId: parent, Cluster: c}
	}
	tests := []struct {
		name   string
		client pb.ClustersServiceClient
		req    *pb.AddClusterRequest
		code   codes.Code
		texts  []string
	}{
		{"no cluster", admin, add(team, nil), codes.InvalidArgument, []string{"cluster:"}},
		{"no parent", admin, add("", &pb.Cluster{Name: "Edge"}), codes.InvalidArgument, []string{"parent_namespace_id"}},
		{"unknown parent", admin, add("ghost", &pb.Cluster{Name: "Edge"}), codes.InvalidArgument, []string{"parent_namespace_id", "ghost"}},
		{"no name", admin, add(team, &pb.Cluster{}), codes.InvalidArgument, []string{"cluster.name: enter a name"}},
		{"name of a sibling namespace", admin, add(db.GlobalNamespaceID, &pb.Cluster{Name: "team"}), codes.InvalidArgument, []string{"cluster.name", "already exists"}},
		// The namespace would be valid, the cluster is not: neither is created.
		{"bad databroker URL", admin, add(team, &pb.Cluster{Name: "Edge", DatabrokerServiceUrl: "ftp://edge"}),
			codes.InvalidArgument, []string{"cluster.databroker_service_url"}},
		{"bad shared secret", admin, add(team, &pb.Cluster{Name: "Edge", DatabrokerServiceUrl: "http://edge:5443", SharedSecret: []byte("not base64!")}),
			codes.InvalidArgument, []string{"cluster.shared_secret", "base64"}},
		{"TLS options on plaintext", admin, add(team, &pb.Cluster{Name: "Edge", InsecureSkipVerify: proto.Bool(true)}),
			codes.InvalidArgument, []string{"cluster.insecure_skip_verify"}},
		{"CA file", admin, add(team, &pb.Cluster{Name: "Edge", CertificateAuthorityFile: proto.String("/etc/ca.pem")}),
			codes.InvalidArgument, []string{"cluster.certificate_authority_file", "not supported"}},
		{"admin of the parent only", teamAdmin, add(team, &pb.Cluster{Name: "Edge"}), codes.PermissionDenied, []string{"Global"}},
		{"viewer", viewer, add(team, &pb.Cluster{Name: "Edge"}), codes.PermissionDenied, []string{"admin role"}},
	}
	for _, tc := range tests {
		_, err := tc.client.AddCluster(ctx, tc.req)
		t.Run(tc.name, func(t *testing.T) { expectCode(t, err, tc.code, tc.texts...) })
	}

	_, err = admin.UpdateCluster(ctx, &pb.UpdateClusterRequest{Cluster: &pb.Cluster{Id: db.DefaultClusterID, Name: "Main", DatabrokerServiceUrl: "http://evil:5443"}})
	expectCode(t, err, codes.InvalidArgument, "cluster.databroker_service_url", "config file")
	_, err = admin.UpdateCluster(ctx, &pb.UpdateClusterRequest{Cluster: &pb.Cluster{Name: "Main"}})
	expectCode(t, err, codes.InvalidArgument, "cluster.id")
	_, err = admin.UpdateCluster(ctx, &pb.UpdateClusterRequest{Cluster: &pb.Cluster{Id: "ghost", Name: "Main"}})
	expectCode(t, err, codes.NotFound, "ghost")
	_, err = viewer.UpdateCluster(ctx, &pb.UpdateClusterRequest{Cluster: &pb.Cluster{Id: db.DefaultClusterID, Name: "Mine"}})
	expectCode(t, err, codes.PermissionDenied)
	_, err = admin.DeleteCluster(ctx, &pb.DeleteClusterRequest{Id: db.DefaultClusterID})
	expectCode(t, err, codes.FailedPrecondition, "default cluster")
	_, err = admin.GetCluster(ctx, &pb.GetClusterRequest{Id: "ghost"})
	expectCode(t, err, codes.NotFound, "ghost")
	_, err = teamAdmin.ListClusters(ctx, &pb.ListClustersRequest{})
	expectCode(t, err, codes.PermissionDenied, "Global")

	// Nothing was created or changed.
	all, err := e.app.Store.ListNamespaces(ctx)
	if err != nil || len(all) != 2 {
		t.Fatalf("namespaces after refused calls: %v, %v", all, err)
	}
	if list, err := e.app.Store.ListClusters(ctx); err != nil || len(list) != 1 || list[0] != defaultBefore {
		t.Fatalf("clusters after refused calls: %+v, %v; want only %+v", list, err, defaultBefore)
	}
	if n := len(e.activity(t)); n != before {
		t.Fatalf("refused calls wrote %d activity entries", n-before)
	}
	if _, err := e.app.Store.GetCluster(ctx, "ghost"); !errors.Is(err, db.ErrNotFound) {
		t.Fatal(err)
	}
}
