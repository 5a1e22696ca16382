package grpcapi

import (
	"context"
	"errors"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/pomerium-console-oss/pomerium-console/app/clusters"
	"github.com/pomerium-console-oss/pomerium-console/app/errs"
	pb "github.com/pomerium-console-oss/pomerium-console/app/pb/dashboard"
	"github.com/pomerium-console-oss/pomerium-console/app/serviceaccounts"
	"github.com/pomerium-console-oss/pomerium-console/db"
)

func init() {
	registrations = append(registrations, func(gs *grpc.Server, d Deps) {
		pb.RegisterPomeriumServiceAccountServiceServer(gs, &serviceAccountAPI{d: d})
	})
}

// serviceAccountAPI is PomeriumServiceAccountService over the service
// accounts service. Deleting an account revokes it: its token stops working
// at once, and the API no longer shows it.
type serviceAccountAPI struct {
	pb.UnimplementedPomeriumServiceAccountServiceServer
	d Deps
}

// AddPomeriumServiceAccount creates an account in namespace_id (Global when
// unset, as for accounts made before namespaces had them) and returns its
// token, which is never shown again.
func (s *serviceAccountAPI) AddPomeriumServiceAccount(ctx context.Context, req *pb.AddPomeriumServiceAccountRequest) (*pb.AddPomeriumServiceAccountResponse, error) {
	m := req.GetServiceAccount()
	switch {
	case m == nil:
		return nil, invalid("service_account", "send the service account to add")
	case m.GetId() != "":
		return nil, invalid("service_account.id", "leave empty: the console assigns the id (use SetPomeriumServiceAccount to change an account)")
	}
	a, token, err := s.create(ctx, m, req.ClusterId)
	if err != nil {
		return nil, err
	}
	return &pb.AddPomeriumServiceAccountResponse{ServiceAccount: serviceAccountMessage(a), JWT: token}, nil
}

// SetPomeriumServiceAccount creates the account when its id is empty or
// unknown, and otherwise replaces its description and expiry (an unset
// expires_at removes the expiry); the user id and namespace of an account
// cannot change. It returns the account's token as it now is.
func (s *serviceAccountAPI) SetPomeriumServiceAccount(ctx context.Context, req *pb.SetPomeriumServiceAccountRequest) (*pb.SetPomeriumServiceAccountResponse, error) {
	m := req.GetServiceAccount()
	if m == nil {
		return nil, invalid("service_account", "send the service account to save")
	}
	var (
		a     serviceaccounts.Account
		token string
		err   error
	)
	old, found, err := s.lookup(ctx, m.GetId())
	switch {
	case err != nil:
		return nil, err
	case !found:
		a, token, err = s.create(ctx, m, req.ClusterId)
	default:
		a, token, err = s.update(ctx, old, m, req.ClusterId)
	}
	if err != nil {
		return nil, err
	}
	return &pb.SetPomeriumServiceAccountResponse{ServiceAccount: serviceAccountMessage(a), Jwt: token}, nil
}

// GetPomeriumServiceAccount returns one account that has not been deleted.
func (s *serviceAccountAPI) GetPomeriumServiceAccount(ctx context.Context, req *pb.GetPomeriumServiceAccountRequest) (*pb.GetPomeriumServiceAccountResponse, error) {
	a, err := s.get(ctx, req.GetId(), req.ClusterId)
	if err != nil {
		return nil, err
	}
	return &pb.GetPomeriumServiceAccountResponse{ServiceAccount: serviceAccountMessage(a)}, nil
}

// ListPomeriumServiceAccounts lists the live accounts of namespace (or of
// cluster_id's namespace when namespace is empty), newest first.
func (s *serviceAccountAPI) ListPomeriumServiceAccounts(ctx context.Context, req *pb.ListPomeriumServiceAccountsRequest) (*pb.ListPomeriumServiceAccountsResponse, error) {
	acc := access(ctx)
	nsID, err := listNamespace(ctx, s.d, acc, "namespace", req.GetNamespace(), req.ClusterId)
	if err != nil {
		return nil, err
	}
	list, err := s.d.ServiceAccounts.List(ctx, acc, nsID, false)
	if err != nil {
		return nil, err
	}
	out := &pb.ListPomeriumServiceAccountsResponse{}
	for _, a := range list {
		if a.Status != serviceaccounts.StatusRevoked {
			out.ServiceAccounts = append(out.ServiceAccounts, serviceAccountMessage(a))
		}
	}
	return out, nil
}

// DeletePomeriumServiceAccount revokes an account.
func (s *serviceAccountAPI) DeletePomeriumServiceAccount(ctx context.Context, req *pb.DeletePomeriumServiceAccountRequest) (*pb.DeletePomeriumServiceAccountResponse, error) {
	a, err := s.get(ctx, req.GetId(), req.ClusterId)
	if err != nil {
		return nil, err
	}
	if _, err := s.d.ServiceAccounts.Revoke(ctx, access(ctx), a.ID); err != nil {
		return nil, err
	}
	return &pb.DeletePomeriumServiceAccountResponse{}, nil
}

// lookup reads account id for an upsert: found is false for an empty or
// unknown id (and for a revoked one the update refuses).
func (s *serviceAccountAPI) lookup(ctx context.Context, id string) (serviceaccounts.Account, bool, error) {
	if id == "" {
		return serviceaccounts.Account{}, false, nil
	}
	a, err := s.d.ServiceAccounts.Get(ctx, access(ctx), id)
	switch {
	case errors.Is(err, errs.ErrNotFound):
		return serviceaccounts.Account{}, false, nil
	case err != nil:
		return serviceaccounts.Account{}, false, err
	}
	return a, true, nil
}

// get reads a live account and checks cluster_id against it.
func (s *serviceAccountAPI) get(ctx context.Context, id string, clusterID *string) (serviceaccounts.Account, error) {
	if id == "" {
		return serviceaccounts.Account{}, errs.Field("id", errs.CodeRequired, "enter the service account id")
	}
	a, err := s.d.ServiceAccounts.Get(ctx, access(ctx), id)
	if err != nil {
		return serviceaccounts.Account{}, err
	}
	if a.Status == serviceaccounts.StatusRevoked {
		return serviceaccounts.Account{}, errs.NotFound("service account %q was deleted", id)
	}
	if err := s.checkCluster(ctx, a.NamespaceID, clusterID); err != nil {
		return serviceaccounts.Account{}, err
	}
	return a, nil
}

// create makes an account from m.
func (s *serviceAccountAPI) create(ctx context.Context, m *pb.PomeriumServiceAccount, clusterID *string) (serviceaccounts.Account, string, error) {
	nsID, err := s.namespaceOf(ctx, m, clusterID)
	if err != nil {
		return serviceaccounts.Account{}, "", err
	}
	expires, err := expiryIn(m.GetExpiresAt())
	if err != nil {
		return serviceaccounts.Account{}, "", err
	}
	in := serviceaccounts.Input{NamespaceID: nsID, UserID: m.GetUserId(), Description: m.GetDescription(), ExpiresAt: expires}
	a, token, err := s.d.ServiceAccounts.Create(ctx, access(ctx), in)
	return a, token, withFieldPaths(err, serviceAccountPath)
}

// update replaces the description and expiry of old with m's.
func (s *serviceAccountAPI) update(ctx context.Context, old serviceaccounts.Account, m *pb.PomeriumServiceAccount, clusterID *string) (serviceaccounts.Account, string, error) {
	var v errs.Validator
	if m.GetUserId() != "" && m.GetUserId() != old.UserID {
		v.Add("service_account.user_id", errs.CodeInvalid, "cannot change (the account's is %q): add a new account instead", old.UserID)
	}
	if m.GetNamespaceId() != "" && m.GetNamespaceId() != old.NamespaceID {
		v.Add("service_account.namespace_id", errs.CodeInvalid, "cannot change: add a new account in the other namespace instead")
	}
	if err := v.Err(); err != nil {
		return serviceaccounts.Account{}, "", err
	}
	if err := s.checkCluster(ctx, old.NamespaceID, clusterID); err != nil {
		return serviceaccounts.Account{}, "", err
	}
	expires, err := expiryIn(m.GetExpiresAt())
	if err != nil {
		return serviceaccounts.Account{}, "", err
	}
	in := serviceaccounts.UpdateInput{Description: new(m.GetDescription()), ExpiresAt: new(time.Time{})}
	if expires != nil {
		in.ExpiresAt = expires
	}
	a, token, err := s.d.ServiceAccounts.Update(ctx, access(ctx), old.ID, in)
	return a, token, withFieldPaths(err, serviceAccountPath)
}

// namespaceOf is the namespace a new account goes in: namespace_id, else
// cluster_id's namespace, else Global.
func (s *serviceAccountAPI) namespaceOf(ctx context.Context, m *pb.PomeriumServiceAccount, clusterID *string) (string, error) {
	nsID := m.GetNamespaceId()
	if nsID == "" && clusterID != nil && *clusterID != "" {
		c, err := s.d.Store.GetCluster(ctx, *clusterID)
		switch {
		case errors.Is(err, db.ErrNotFound):
			return "", errs.NotFound("cluster %q does not exist", *clusterID)
		case err != nil:
			return "", err
		}
		return c.NamespaceID, nil
	}
	if nsID == "" {
		nsID = db.GlobalNamespaceID
	}
	return nsID, s.checkCluster(ctx, nsID, clusterID)
}

// checkCluster refuses a cluster_id that is not the cluster serving
// namespace nsID, whose shared secret signs the account's tokens.
func (s *serviceAccountAPI) checkCluster(ctx context.Context, nsID string, clusterID *string) error {
	if clusterID == nil || *clusterID == "" {
		return nil
	}
	cov, err := clusters.Load(ctx, s.d.Store)
	if err != nil {
		return err
	}
	want, ok := cov.Cluster(*clusterID)
	if !ok {
		return errs.NotFound("cluster %q does not exist", *clusterID)
	}
	if c, ok := cov.ClusterOf(nsID); !ok || c.ID != want.ID {
		return invalid("cluster_id", "cluster %q does not serve the service account's namespace", want.Name)
	}
	return nil
}

// serviceAccountPath maps the service's field names (already the proto
// names) into the request's service_account.
func serviceAccountPath(field string) string { return "service_account." + field }

// expiryIn reads an optional expires_at.
func expiryIn(ts *timestamppb.Timestamp) (*time.Time, error) {
	if ts == nil {
		return nil, nil
	}
	if err := ts.CheckValid(); err != nil {
		return nil, invalid("service_account.expires_at", "is not a valid time: %v", err)
	}
	t := ts.AsTime()
	return &t, nil
}

// serviceAccountMessage is a as the API shows it; its token is never part
// of it.
func serviceAccountMessage(a serviceaccounts.Account) *pb.PomeriumServiceAccount {
	return &pb.PomeriumServiceAccount{
		Id: a.ID, NamespaceId: new(a.NamespaceID), Description: new(a.Description), UserId: a.UserID,
		AccessedAt: pbTime(a.AccessedAt), ExpiresAt: pbTime(a.ExpiresAt), IssuedAt: pbTime(a.IssuedAt),
		OriginatorId: new(a.CreatedBy),
	}
}
