package grpcapi

import (
	"context"

	"google.golang.org/grpc"

	pb "github.com/pomerium-console-oss/pomerium-console/app/pb/dashboard"
	"github.com/pomerium-console-oss/pomerium-console/app/runtime"
)

func init() {
	registrations = append(registrations, func(gs *grpc.Server, d Deps) {
		pb.RegisterUserServiceServer(gs, &userAPI{d: d})
	})
}

// userAPI is UserService over the users the console has seen and the
// user and directory records of a cluster's databroker.
type userAPI struct {
	pb.UnimplementedUserServiceServer
	d Deps
}

// GetUserInfo describes user_id, or the caller when it is unset, with the
// roles they hold on the namespaces the caller can see.
func (s *userAPI) GetUserInfo(ctx context.Context, req *pb.GetUserInfoRequest) (*pb.GetUserInfoResponse, error) {
	u, err := s.d.Runtime.GetUserInfo(ctx, access(ctx), req.GetClusterId(), req.GetUserId())
	if err != nil {
		return nil, err
	}
	return &pb.GetUserInfoResponse{UserInfo: userInfoMessage(u)}, nil
}

// QueryUsers searches users by id, name, e-mail or claims. Without a
// reachable databroker it answers with the users the console has seen:
// a look-ahead search is more use partial than failed.
func (s *userAPI) QueryUsers(ctx context.Context, req *pb.QueryUsersRequest) (*pb.QueryUsersResponse, error) {
	offset, limit, err := pageIn(req.GetOffset(), req.GetLimit())
	if err != nil {
		return nil, err
	}
	p, err := s.d.Runtime.QueryUsers(ctx, access(ctx), runtime.UserQuery{
		ClusterID: req.GetClusterId(), Query: req.GetQuery(), Offset: offset, Limit: limit,
	})
	if err != nil {
		return nil, err
	}
	out := &pb.QueryUsersResponse{TotalCount: int64(p.Total)}
	for _, u := range p.Users {
		out.Users = append(out.Users, userInfoMessage(u))
	}
	return out, nil
}

// QueryGroups searches the directory groups by id, name or e-mail.
func (s *userAPI) QueryGroups(ctx context.Context, req *pb.QueryGroupsRequest) (*pb.QueryGroupsResponse, error) {
	offset, limit, err := pageIn(req.GetOffset(), req.GetLimit())
	if err != nil {
		return nil, err
	}
	p, err := s.d.Runtime.QueryGroups(ctx, access(ctx), runtime.GroupQuery{
		ClusterID: req.GetClusterId(), Query: req.GetQuery(), Offset: offset, Limit: limit,
	})
	if err != nil {
		return nil, err
	}
	out := &pb.QueryGroupsResponse{TotalCount: int64(p.Total)}
	for _, g := range p.Groups {
		out.Groups = append(out.Groups, &pb.GroupInfo{Id: g.ID, Name: g.Name})
	}
	return out, nil
}

// GetGroupInfo returns one directory group.
func (s *userAPI) GetGroupInfo(ctx context.Context, req *pb.GetGroupInfoRequest) (*pb.GetGroupInfoResponse, error) {
	g, err := s.d.Runtime.GetGroupInfo(ctx, access(ctx), req.GetClusterId(), req.GetGroupId())
	if err != nil {
		return nil, err
	}
	return &pb.GetGroupInfoResponse{GroupInfo: &pb.GroupInfo{Id: g.ID, Name: g.Name}}, nil
}
