package grpcapi

import (
	"cmp"
	"context"

	"google.golang.org/grpc"
	"google.golang.org/protobuf/types/known/emptypb"

	pb "github.com/pomerium-console-oss/pomerium-console/app/pb/dashboard"
	"github.com/pomerium-console-oss/pomerium-console/app/runtime"
	"github.com/pomerium-console-oss/pomerium-console/db"
)

func init() {
	registrations = append(registrations, func(gs *grpc.Server, d Deps) {
		pb.RegisterDeviceServiceServer(gs, &deviceAPI{d: d})
	})
}

// deviceAPI is DeviceService over the device records of a cluster's
// databroker. Requests without a cluster_id (most of them have none) act
// on the cluster serving Global.
type deviceAPI struct {
	pb.UnimplementedDeviceServiceServer
	d Deps
}

// ListDevices lists enrolled devices and pending enrollments, ordered by
// user, then enrollment time (newest first).
func (s *deviceAPI) ListDevices(ctx context.Context, req *pb.ListDevicesRequest) (*pb.ListDevicesResponse, error) {
	list, err := s.d.Runtime.ListDevices(ctx, access(ctx), runtime.DeviceFilter{
		ClusterID: req.GetClusterId(), TypeID: req.GetTypeId(), UserID: req.GetUserId(), ApprovedBy: req.GetApprovedBy(),
	})
	if err != nil {
		return nil, err
	}
	clusterID := cmp.Or(req.GetClusterId(), db.DefaultClusterID)
	out := &pb.ListDevicesResponse{}
	for _, d := range list {
		out.Devices = append(out.Devices, deviceMessage(d, clusterID))
	}
	return out, nil
}

// ApproveDevice marks a device approved by the caller, which is what a
// policy's `device: {approved: true}` checks.
func (s *deviceAPI) ApproveDevice(ctx context.Context, req *pb.ApproveDeviceRequest) (*emptypb.Empty, error) {
	ref := runtime.DeviceRef{CredentialID: req.GetCredentialId(), EnrollmentID: req.GetEnrollmentId()}
	if err := s.d.Runtime.ApproveDevice(ctx, access(ctx), ref); err != nil {
		return nil, err
	}
	return &emptypb.Empty{}, nil
}

// DeleteDevice removes a device (its credential and enrollment) or
// cancels a pending enrollment.
func (s *deviceAPI) DeleteDevice(ctx context.Context, req *pb.DeleteDeviceRequest) (*emptypb.Empty, error) {
	ref := runtime.DeviceRef{CredentialID: req.GetCredentialId(), EnrollmentID: req.GetEnrollmentId()}
	if err := s.d.Runtime.DeleteDevice(ctx, access(ctx), ref); err != nil {
		return nil, err
	}
	return &emptypb.Empty{}, nil
}

// CreateDeviceEnrollment stores a pre-approved enrollment for a user and
// returns the signed link (valid for five minutes) that enrolls a device.
func (s *deviceAPI) CreateDeviceEnrollment(ctx context.Context, req *pb.CreateDeviceEnrollmentRequest) (*pb.CreateDeviceEnrollmentResponse, error) {
	e := req.GetEnrollment()
	if e == nil {
		return nil, invalid("enrollment", "send the enrollment (its user_id, and device_type_id unless it is \"any\")")
	}
	link, err := s.d.Runtime.CreateEnrollment(ctx, access(ctx), runtime.EnrollmentInput{
		ClusterID: e.GetClusterId(), TypeID: e.GetDeviceTypeId(), UserID: e.GetUserId(),
		RouteURL: req.GetRouteUrl(), RedirectURL: req.GetRedirectUrl(),
	})
	if err != nil {
		return nil, withFieldPaths(err, enrollmentPath)
	}
	return &pb.CreateDeviceEnrollmentResponse{
		Enrollment:    enrollmentMessage(link.Enrollment, cmp.Or(e.GetClusterId(), db.DefaultClusterID)),
		EnrollmentUrl: link.URL,
	}, nil
}

// enrollmentPath maps the service's field names to the request's.
func enrollmentPath(field string) string {
	switch field {
	case "user_id":
		return "enrollment.user_id"
	case "type_id":
		return "enrollment.device_type_id"
	}
	return field
}

// ListDeviceTypes lists the device types, Core's built-ins included.
func (s *deviceAPI) ListDeviceTypes(ctx context.Context, _ *pb.ListDeviceTypesRequest) (*pb.ListDeviceTypesResponse, error) {
	list, err := s.d.Runtime.ListDeviceTypes(ctx, access(ctx), "")
	if err != nil {
		return nil, err
	}
	out := &pb.ListDeviceTypesResponse{}
	for _, t := range list {
		out.Types = append(out.Types, deviceTypeMessage(t))
	}
	return out, nil
}

// SetDeviceType creates (empty id) or replaces a device type; a type
// without WebAuthn options gets those of "any".
func (s *deviceAPI) SetDeviceType(ctx context.Context, req *pb.SetDeviceTypeRequest) (*pb.SetDeviceTypeResponse, error) {
	if req.GetType() == nil {
		return nil, invalid("type", "send the device type to save")
	}
	in, err := deviceTypeIn(req.GetType())
	if err != nil {
		return nil, err
	}
	t, err := s.d.Runtime.SetDeviceType(ctx, access(ctx), "", in)
	if err != nil {
		return nil, withFieldPaths(err, func(field string) string { return "type." + field })
	}
	return &pb.SetDeviceTypeResponse{Type: deviceTypeMessage(t)}, nil
}

// DeleteDeviceType removes a device type record; a built-in id then
// reverts to Core's own definition.
func (s *deviceAPI) DeleteDeviceType(ctx context.Context, req *pb.DeleteDeviceTypeRequest) (*emptypb.Empty, error) {
	if err := s.d.Runtime.DeleteDeviceType(ctx, access(ctx), "", req.GetTypeId()); err != nil {
		return nil, err
	}
	return &emptypb.Empty{}, nil
}
