package grpcapi

import (
	"context"

	"google.golang.org/grpc"

	pb "github.com/pomerium-console-oss/pomerium-console/app/pb/dashboard"
	"github.com/pomerium-console-oss/pomerium-console/app/runtime"
)

func init() {
	registrations = append(registrations, func(gs *grpc.Server, d Deps) {
		pb.RegisterPomeriumSessionServiceServer(gs, &sessionAPI{d: d})
	})
}

// sessionAPI is PomeriumSessionService over the sessions in a cluster's
// databroker; an empty cluster_id is the cluster serving Global.
type sessionAPI struct {
	pb.UnimplementedPomeriumSessionServiceServer
	d Deps
}

// ListPomeriumSessions returns one page of sessions and how many matched.
func (s *sessionAPI) ListPomeriumSessions(ctx context.Context, req *pb.ListPomeriumSessionsRequest) (*pb.ListPomeriumSessionsResponse, error) {
	offset, limit, err := pageIn(req.GetOffset(), req.GetLimit())
	if err != nil {
		return nil, err
	}
	p, err := s.d.Runtime.ListSessions(ctx, access(ctx), runtime.SessionQuery{
		ClusterID: req.GetClusterId(), Query: req.GetQuery(), UserID: req.GetUserId(),
		Offset: offset, Limit: limit, OrderBy: req.GetOrderBy(),
	})
	if err != nil {
		return nil, err
	}
	out := &pb.ListPomeriumSessionsResponse{TotalCount: int64(p.Total)}
	for _, x := range p.Sessions {
		out.Sessions = append(out.Sessions, sessionMessage(x))
	}
	return out, nil
}

// GetPomeriumSession returns a session and the user's other sessions.
func (s *sessionAPI) GetPomeriumSession(ctx context.Context, req *pb.GetPomeriumSessionRequest) (*pb.GetPomeriumSessionResponse, error) {
	d, err := s.d.Runtime.GetSession(ctx, access(ctx), req.GetClusterId(), req.GetId())
	if err != nil {
		return nil, err
	}
	out := &pb.GetPomeriumSessionResponse{Session: sessionMessage(d.Session)}
	for _, x := range d.Associated {
		out.AssociatedSessions = append(out.AssociatedSessions, sessionMessage(x))
	}
	return out, nil
}

// DeletePomeriumSession signs a session out (Core sees the record
// deleted); with block_user it also ends the user's other sessions and
// adds the user to the namespace's "Blocked users" policy.
func (s *sessionAPI) DeletePomeriumSession(ctx context.Context, req *pb.DeletePomeriumSessionRequest) (*pb.DeletePomeriumSessionResponse, error) {
	_, err := s.d.Runtime.RevokeSession(ctx, access(ctx), runtime.RevokeInput{
		ClusterID: req.GetClusterId(), ID: req.GetId(), BlockUser: req.GetBlockUser(),
	})
	if err != nil {
		return nil, err
	}
	return &pb.DeletePomeriumSessionResponse{}, nil
}

// ListPomeriumSessionsForImpersonation lists the sessions the caller may
// impersonate, newest first.
func (s *sessionAPI) ListPomeriumSessionsForImpersonation(ctx context.Context, req *pb.ListPomeriumSessionsForImpersonationRequest) (*pb.ListPomeriumSessionsForImpersonationResponse, error) {
	list, err := s.d.Runtime.ListSessionsForImpersonation(ctx, access(ctx), req.GetClusterId(), req.GetQuery())
	if err != nil {
		return nil, err
	}
	out := &pb.ListPomeriumSessionsForImpersonationResponse{}
	for _, x := range list {
		out.Sessions = append(out.Sessions, &pb.ListPomeriumSessionsForImpersonationResponse_Session{
			Id: x.ID, UserDisplayName: x.UserDisplayName, UserEmail: x.UserEmail,
		})
	}
	return out, nil
}

// Impersonate makes the caller's own Pomerium session (the sid of the
// X-Pomerium-Jwt-Assertion) act as session_id; an empty session_id stops.
func (s *sessionAPI) Impersonate(ctx context.Context, req *pb.ImpersonateRequest) (*pb.ImpersonateResponse, error) {
	if err := s.d.Runtime.Impersonate(ctx, access(ctx), req.GetClusterId(), req.GetSessionId()); err != nil {
		return nil, err
	}
	return &pb.ImpersonateResponse{}, nil
}
