package grpcapi_test

import (
	"context"
	"strings"
	"testing"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	pb "github.com/pomerium-console-oss/pomerium-console/app/pb/recording"
	"github.com/pomerium-console-oss/pomerium-console/app/testutil"
	"github.com/pomerium-console-oss/pomerium-console/db"
)

func TestRecordingService(t *testing.T) {
	app := testutil.NewApp(t, testutil.WithAdministrators("admin@example.com"))
	ctx := context.Background()
	admin := pb.NewRecordingQuerierServiceClient(app.DialGRPC(t, callerMD(t, app, "u1", "admin@example.com")))
	nobody := pb.NewRecordingQuerierServiceClient(app.DialGRPC(t, callerMD(t, app, "u2", "nobody@example.com")))
	global := db.GlobalNamespaceID
	ref := &pb.DatasourceRef{Datasource: "s3", Namespace: global}

	list, err := admin.ListDatasources(ctx, &pb.ListDatasourceRequest{Namespace: global})
	if err != nil || len(list.GetEntries()) != 0 {
		t.Fatalf("ListDatasources: %v %v", list, err)
	}
	recs, err := admin.ListSessionRecording(ctx, &pb.ListSessionRecordingRequest{DatasourceRef: ref})
	if err != nil || recs.GetTotalCount() != 0 || len(recs.GetItems()) != 0 {
		t.Fatalf("ListSessionRecording: %v %v", recs, err)
	}

	refused := []struct {
		name string
		call func() error
		code codes.Code
		msg  string
	}{
		{"list without namespace", func() error {
			_, err := admin.ListDatasources(ctx, &pb.ListDatasourceRequest{})
			return err
		}, codes.InvalidArgument, "namespace"},
		{"list of an unknown namespace", func() error {
			_, err := admin.ListDatasources(ctx, &pb.ListDatasourceRequest{Namespace: "nope"})
			return err
		}, codes.NotFound, `"nope"`},
		{"list without a role", func() error {
			_, err := nobody.ListDatasources(ctx, &pb.ListDatasourceRequest{Namespace: global})
			return err
		}, codes.PermissionDenied, "viewer"},
		{"create without bucket", func() error {
			_, err := admin.CreateDatasource(ctx, &pb.CreateDatasourceRequest{Datasource: &pb.Datasource{Namespace: global, Entry: &pb.DatasourceEntry{Name: "s3"}}})
			return err
		}, codes.InvalidArgument, "datasource.entry.bucketURI"},
		{"create", func() error {
			_, err := admin.CreateDatasource(ctx, &pb.CreateDatasourceRequest{Datasource: &pb.Datasource{Namespace: global, Entry: &pb.DatasourceEntry{Name: "s3", BucketURI: "s3://b"}}})
			return err
		}, codes.Unimplemented, "not supported"},
		{"get", func() error {
			_, err := admin.GetDatasource(ctx, &pb.GetDatasourceRequest{Name: "s3", Namespace: global})
			return err
		}, codes.NotFound, `"s3"`},
		{"delete", func() error {
			_, err := admin.DeleteDatasource(ctx, &pb.DeleteDatasourceRequest{Name: "s3", Namespace: global})
			return err
		}, codes.NotFound, `"s3"`},
		{"metadata without recording id", func() error {
			_, err := admin.GetSessionRecordingMetadata(ctx, &pb.GetSessionRecordingMetadataRequest{DatasourceRef: ref})
			return err
		}, codes.InvalidArgument, "recording_id"},
		{"metadata", func() error {
			_, err := admin.GetSessionRecordingMetadata(ctx, &pb.GetSessionRecordingMetadataRequest{DatasourceRef: ref, RecordingId: "r1"})
			return err
		}, codes.NotFound, `"r1"`},
		{"recordings without datasource", func() error {
			_, err := admin.ListSessionRecording(ctx, &pb.ListSessionRecordingRequest{DatasourceRef: &pb.DatasourceRef{Namespace: global}})
			return err
		}, codes.InvalidArgument, "datasource_ref.datasource"},
	}
	for _, tc := range refused {
		err := tc.call()
		if status.Code(err) != tc.code || !strings.Contains(status.Convert(err).Message(), tc.msg) {
			t.Errorf("%s: err = %v, want %v containing %q", tc.name, err, tc.code, tc.msg)
		}
	}
}
