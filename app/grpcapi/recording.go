package grpcapi

import (
	"context"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/pomerium-console-oss/pomerium-console/app/errs"
	pb "github.com/pomerium-console-oss/pomerium-console/app/pb/recording"
	"github.com/pomerium-console-oss/pomerium-console/app/rbac"
)

func init() {
	registrations = append(registrations, func(gs *grpc.Server, _ Deps) {
		pb.RegisterRecordingQuerierServiceServer(gs, &recordingAPI{})
	})
}

// recordingAPI answers the Go client's session-recording service. The
// console keeps no recordings and no recording datasources (Core writes
// SSH recordings to blob storage the console does not read), so reads are
// empty and creating a datasource says so; the checks a real server makes
// (required fields, the caller's role) still apply.
type recordingAPI struct {
	pb.UnimplementedRecordingQuerierServiceServer
}

// errNoRecordings is the answer to what would need recording storage.
var errNoRecordings = status.Error(codes.Unimplemented,
	"session recording datasources are not supported by this console: it stores no recordings")

// recordingNamespace checks a namespace-scoped request the way upstream's
// validation rules and RBAC do.
func recordingNamespace(ctx context.Context, field, nsID string, min rbac.Role) error {
	if nsID == "" {
		return invalid(field, "enter a namespace id")
	}
	acc := access(ctx)
	if _, ok := acc.Tree().Get(nsID); !ok {
		return errs.NotFound("namespace %q does not exist", nsID)
	}
	return acc.Require(nsID, min)
}

func (a *recordingAPI) CreateDatasource(ctx context.Context, req *pb.CreateDatasourceRequest) (*pb.CreateDatasourceResponse, error) {
	ds := req.GetDatasource()
	switch {
	case ds.GetEntry() == nil:
		return nil, invalid("datasource.entry", "is required")
	case ds.GetEntry().GetName() == "":
		return nil, invalid("datasource.entry.name", "enter a name")
	case ds.GetEntry().GetBucketURI() == "":
		return nil, invalid("datasource.entry.bucketURI", "enter a bucket URI")
	}
	if err := recordingNamespace(ctx, "datasource.namespace", ds.GetNamespace(), rbac.RoleAdmin); err != nil {
		return nil, err
	}
	return nil, errNoRecordings
}

func (a *recordingAPI) GetDatasource(ctx context.Context, req *pb.GetDatasourceRequest) (*pb.GetDatasourceResponse, error) {
	if err := a.namedDatasource(ctx, req.GetName(), req.GetNamespace()); err != nil {
		return nil, err
	}
	return nil, errs.NotFound("datasource %q does not exist", req.GetName())
}

func (a *recordingAPI) DeleteDatasource(ctx context.Context, req *pb.DeleteDatasourceRequest) (*pb.DeleteDatasourceResponse, error) {
	if err := a.namedDatasource(ctx, req.GetName(), req.GetNamespace()); err != nil {
		return nil, err
	}
	return nil, errs.NotFound("datasource %q does not exist", req.GetName())
}

func (a *recordingAPI) namedDatasource(ctx context.Context, name, nsID string) error {
	if name == "" {
		return invalid("name", "enter a datasource name")
	}
	return recordingNamespace(ctx, "namespace", nsID, rbac.RoleViewer)
}

func (a *recordingAPI) ListDatasources(ctx context.Context, req *pb.ListDatasourceRequest) (*pb.ListDatasourceResponse, error) {
	if err := recordingNamespace(ctx, "namespace", req.GetNamespace(), rbac.RoleViewer); err != nil {
		return nil, err
	}
	return &pb.ListDatasourceResponse{}, nil
}

func (a *recordingAPI) ListSessionRecording(ctx context.Context, req *pb.ListSessionRecordingRequest) (*pb.ListSessionRecordingResponse, error) {
	if err := a.datasourceRef(ctx, req.GetDatasourceRef()); err != nil {
		return nil, err
	}
	return &pb.ListSessionRecordingResponse{}, nil
}

func (a *recordingAPI) GetSessionRecordingMetadata(ctx context.Context, req *pb.GetSessionRecordingMetadataRequest) (*pb.GetSessionRecordingMetadataResponse, error) {
	if err := a.datasourceRef(ctx, req.GetDatasourceRef()); err != nil {
		return nil, err
	}
	if req.GetRecordingId() == "" {
		return nil, invalid("recording_id", "enter a recording id")
	}
	return nil, errs.NotFound("recording %q does not exist", req.GetRecordingId())
}

func (a *recordingAPI) datasourceRef(ctx context.Context, ref *pb.DatasourceRef) error {
	if ref.GetDatasource() == "" {
		return invalid("datasource_ref.datasource", "enter a datasource name")
	}
	return recordingNamespace(ctx, "datasource_ref.namespace", ref.GetNamespace(), rbac.RoleViewer)
}
