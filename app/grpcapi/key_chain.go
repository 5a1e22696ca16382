package grpcapi

import (
	"context"

	"google.golang.org/grpc"

	"github.com/pomerium-console-oss/pomerium-console/app/errs"
	"github.com/pomerium-console-oss/pomerium-console/app/keypairs"
	pb "github.com/pomerium-console-oss/pomerium-console/app/pb/dashboard"
	"github.com/pomerium-console-oss/pomerium-console/db"
)

func init() {
	registrations = append(registrations, func(gs *grpc.Server, d Deps) {
		pb.RegisterKeyChainServiceServer(gs, &keyChainAPI{d: d})
	})
}

// keyChainAPI is KeyChainService over the key pairs service.
type keyChainAPI struct {
	pb.UnimplementedKeyChainServiceServer
	d Deps
}

func (a *keyChainAPI) GetKeyPair(ctx context.Context, req *pb.GetKeyPairRequest) (*pb.GetKeyPairResponse, error) {
	k, err := a.d.KeyPairs.Get(ctx, access(ctx), req.GetId())
	if err != nil {
		return nil, err
	}
	rec, err := keyPairRecord(k)
	if err != nil {
		return nil, err
	}
	return &pb.GetKeyPairResponse{KeyPair: rec}, nil
}

// ListKeyPairs lists a namespace's key pairs by name; domain keeps those
// whose certificate can serve that host (a SAN equal to it, or a wildcard
// for one more label).
func (a *keyChainAPI) ListKeyPairs(ctx context.Context, req *pb.ListKeyPairsRequest) (*pb.ListKeyPairsResponse, error) {
	acc := access(ctx)
	nsID, err := listNamespace(ctx, a.d, acc, "namespace_id", req.GetNamespaceId(), req.ClusterId)
	if err != nil {
		return nil, err
	}
	offset, limit, err := page(req.Offset, req.Limit)
	if err != nil {
		return nil, err
	}
	if o := req.GetOrderBy(); o != "" && o != "name" {
		return nil, invalid("order_by", "key pairs are listed by name: leave it empty or name (got %q)", o)
	}
	q := keypairs.Query{NamespaceID: nsID, Search: req.GetQuery(), Offset: offset, Limit: limit}
	var list []db.KeyPair
	var total int
	if req.GetDomain() == "" {
		p, err := a.d.KeyPairs.List(ctx, acc, q)
		if err != nil {
			return nil, err
		}
		list, total = p.KeyPairs, p.Total
	} else if list, total, err = a.matching(ctx, q, req.GetDomain(), offset, limit); err != nil {
		return nil, err
	}
	recs, err := keyPairRecords(list)
	if err != nil {
		return nil, err
	}
	return &pb.ListKeyPairsResponse{KeyPairs: recs, TotalCount: int64(total)}, nil
}

// matching reads every pair q selects, keeps those that serve host and
// answers the page of them: the store cannot match certificate names.
func (a *keyChainAPI) matching(ctx context.Context, q keypairs.Query, host string, offset, limit int) ([]db.KeyPair, int, error) {
	var hits []db.KeyPair
	q.Limit = maxPageSize
	err := readPages(func(offset int) (int, int, error) {
		q.Offset = offset
		p, err := a.d.KeyPairs.List(ctx, access(ctx), q)
		for _, k := range p.KeyPairs {
			if keypairs.MatchesHost(k, host) {
				hits = append(hits, k)
			}
		}
		return len(p.KeyPairs), p.Total, err
	})
	if err != nil {
		return nil, 0, err
	}
	total := len(hits)
	hits = hits[min(offset, total):]
	return hits[:min(limit, len(hits))], total, nil
}

// CreateKeyPair stores a PEM certificate chain and, optionally, its key.
// The console chooses the id.
func (a *keyChainAPI) CreateKeyPair(ctx context.Context, req *pb.CreateKeyPairRequest) (*pb.CreateKeyPairResponse, error) {
	var v errs.Validator
	if req.GetId() != "" {
		v.Add("id", errs.CodeInvalid, "the console chooses key pair ids: leave it unset")
	}
	if req.GetNamespaceId() == "" {
		v.Add("namespace_id", errs.CodeRequired, "name the namespace the key pair belongs to")
	} else if _, ok := access(ctx).Tree().Get(req.GetNamespaceId()); !ok {
		v.Add("namespace_id", errs.CodeNotFound, "namespace %s does not exist", req.GetNamespaceId())
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	k, err := a.d.KeyPairs.Create(ctx, access(ctx), keypairs.Input{
		NamespaceID: req.GetNamespaceId(), Name: req.GetName(), Certificate: string(req.GetCertificate()), Key: string(req.GetKey()),
	})
	if err != nil {
		return nil, withFieldPaths(err, keyPairFields)
	}
	rec, err := keyPairRecord(k)
	if err != nil {
		return nil, err
	}
	return &pb.CreateKeyPairResponse{KeyPair: rec}, nil
}

// UpdateKeyPair changes the fields that are set: a new name, a new
// certificate chain, a new key; a key set to empty bytes removes it.
func (a *keyChainAPI) UpdateKeyPair(ctx context.Context, req *pb.UpdateKeyPairRequest) (*pb.UpdateKeyPairResponse, error) {
	k, err := a.d.KeyPairs.Update(ctx, access(ctx), req.GetId(), keypairs.UpdateInput{
		Name: req.Name, Certificate: string(req.GetCertificate()), Key: string(req.GetKey()),
		ClearKey: req.Key != nil && len(req.Key) == 0,
	})
	if err != nil {
		return nil, withFieldPaths(err, keyPairFields)
	}
	rec, err := keyPairRecord(k)
	if err != nil {
		return nil, err
	}
	return &pb.UpdateKeyPairResponse{KeyPair: rec}, nil
}

func (a *keyChainAPI) DeleteKeyPair(ctx context.Context, req *pb.DeleteKeyPairRequest) (*pb.DeleteKeyPairResponse, error) {
	if err := a.d.KeyPairs.Delete(ctx, access(ctx), req.GetId()); err != nil {
		return nil, err
	}
	return &pb.DeleteKeyPairResponse{}, nil
}
