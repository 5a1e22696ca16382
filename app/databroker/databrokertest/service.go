package databrokertest

import (
	"context"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/emptypb"

	pb "github.com/pomerium-console-oss/pomerium-console/app/pb/databroker"
)

// service implements the DataBrokerService calls the console uses; leases
// and options answer Unimplemented.
type service struct {
	pb.UnimplementedDataBrokerServiceServer
	store *storage
}

// Put stores the records; type and id are required.
func (s *service) Put(_ context.Context, req *pb.PutRequest) (*pb.PutResponse, error) {
	for _, rec := range req.GetRecords() {
		if rec.GetType() == "" || rec.GetId() == "" {
			return nil, status.Error(codes.InvalidArgument, "every record needs a type and an id")
		}
	}
	records := s.store.put(req.GetRecords())
	serverVersion, _, _ := s.store.info()
	return &pb.PutResponse{ServerVersion: serverVersion, Records: records}, nil
}

// Patch overwrites the masked fields of existing records; type and id are
// required, and a record that does not exist is left out of the answer.
func (s *service) Patch(_ context.Context, req *pb.PatchRequest) (*pb.PatchResponse, error) {
	for _, rec := range req.GetRecords() {
		if rec.GetType() == "" || rec.GetId() == "" {
			return nil, status.Error(codes.InvalidArgument, "every record needs a type and an id")
		}
	}
	records, err := s.store.patch(req.GetRecords(), req.GetFieldMask())
	if err != nil {
		return nil, err
	}
	serverVersion, _, _ := s.store.info()
	return &pb.PatchResponse{ServerVersion: serverVersion, Records: records}, nil
}

// Get returns the current record or NotFound.
func (s *service) Get(_ context.Context, req *pb.GetRequest) (*pb.GetResponse, error) {
	rec := s.store.get(req.GetType(), req.GetId())
	if rec == nil {
		return nil, status.Error(codes.NotFound, "record not found")
	}
	return &pb.GetResponse{Record: rec}, nil
}

// Query filters, counts and pages the current records.
func (s *service) Query(_ context.Context, req *pb.QueryRequest) (*pb.QueryResponse, error) {
	res, err := s.store.query(req)
	if err != nil {
		if _, ok := status.FromError(err); ok {
			return nil, err
		}
		return nil, status.Error(codes.InvalidArgument, err.Error())
	}
	return res, nil
}

// ServerInfo reports the versions.
func (s *service) ServerInfo(context.Context, *emptypb.Empty) (*pb.ServerInfoResponse, error) {
	serverVersion, earliest, latest := s.store.info()
	return &pb.ServerInfoResponse{ServerVersion: serverVersion, EarliestRecordVersion: earliest, LatestRecordVersion: latest}, nil
}

// ListTypes lists the types with current records.
func (s *service) ListTypes(context.Context, *emptypb.Empty) (*pb.ListTypesResponse, error) {
	return &pb.ListTypesResponse{Types: s.store.types()}, nil
}

// Clear wipes the storage; the server version changes.
func (s *service) Clear(context.Context, *emptypb.Empty) (*pb.ClearResponse, error) {
	oldVersion, newVersion := s.store.clear()
	return &pb.ClearResponse{OldServerVersion: oldVersion, NewServerVersion: newVersion}, nil
}

// SyncLatest streams the current records of a type, then the versions.
func (s *service) SyncLatest(req *pb.SyncLatestRequest, stream grpc.ServerStreamingServer[pb.SyncLatestResponse]) error {
	records, serverVersion, latest := s.store.snapshot(req.GetType())
	for _, rec := range records {
		if err := stream.Send(&pb.SyncLatestResponse{Response: &pb.SyncLatestResponse_Record{Record: rec}}); err != nil {
			return err
		}
	}
	return stream.Send(&pb.SyncLatestResponse{Response: &pb.SyncLatestResponse_Versions{
		Versions: &pb.Versions{ServerVersion: serverVersion, LatestRecordVersion: latest},
	}})
}

// Sync streams the changes after the request's record version, then, unless
// wait is false, every later change until the client goes away. A server
// version other than the storage's is Aborted, at the start or after a wipe.
func (s *service) Sync(req *pb.SyncRequest, stream grpc.ServerStreamingServer[pb.SyncResponse]) error {
	after := req.GetRecordVersion()
	for {
		changes, serverVersion, next := s.store.changesAfter(req.GetType(), after)
		if serverVersion != req.GetServerVersion() {
			return status.Error(codes.Aborted, "server version mismatch")
		}
		for _, rec := range changes {
			if err := stream.Send(&pb.SyncResponse{Response: &pb.SyncResponse_Record{Record: rec}}); err != nil {
				return err
			}
			after = rec.GetVersion()
		}
		if req.Wait != nil && !req.GetWait() {
			return nil
		}
		select {
		case <-next:
		case <-stream.Context().Done():
			return status.FromContextError(stream.Context().Err()).Err()
		}
	}
}

// checkpoints answers every CheckpointService call Unimplemented; it is
// registered so those calls still pass the token check, as on Core.
type checkpoints struct {
	pb.UnimplementedCheckpointServiceServer
}
