package serviceaccounts

import (
	"context"
	"errors"
	"fmt"

	"github.com/pomerium-console-oss/pomerium-console/app/clusters"
	"github.com/pomerium-console-oss/pomerium-console/app/databroker"
	pb "github.com/pomerium-console-oss/pomerium-console/app/pb/databroker"
	userpb "github.com/pomerium-console-oss/pomerium-console/app/pb/user"
	"github.com/pomerium-console-oss/pomerium-console/db"
)

// Reconcile checks the accounts whose record was pushed against what the
// databrokers hold now, and pushes again what differs: a record a
// restarted in-memory databroker lost, a revoked account's record that
// came back, an account whose namespace is now served by another cluster.
// It also copies the accessed_at Core's authorize writes into the
// accounts' "last used". Databrokers that cannot be read are skipped:
// their failures show on the accounts' next push.
func (s *Service) Reconcile(ctx context.Context) error {
	list, err := s.store.ListServiceAccounts(ctx, db.ServiceAccountFilter{})
	if err != nil {
		return fmt.Errorf("serviceaccounts: reconcile: %w", err)
	}
	cov, err := clusters.Load(ctx, s.store)
	if err != nil {
		return err
	}
	held := map[string]map[string]*userpb.ServiceAccount{} // cluster id → record id →
	var failed []error
	for _, a := range list {
		target, ok := cov.ClusterOf(a.NamespaceID)
		if a.Dirty() || !ok {
			continue // owed anyway: Sync pushes it when due
		}
		records, ok := held[target.ID]
		if !ok {
			records = s.records(ctx, target)
			held[target.ID] = records
		}
		if records == nil {
			continue
		}
		rec, present := records[a.ID]
		revoked := !a.RevokedAt.IsZero()
		if !revoked && present {
			s.copyAccess(ctx, a, rec)
		}
		if revoked == present || (!revoked && a.Sync.ClusterID != target.ID) {
			failed = append(failed, s.repush(ctx, a.ID))
		}
	}
	return errors.Join(failed...)
}

// records reads every service account record of c's databroker; nil when
// it cannot be read.
func (s *Service) records(ctx context.Context, c db.Cluster) map[string]*userpb.ServiceAccount {
	if !clusters.CanPush(c) {
		return nil
	}
	out := map[string]*userpb.ServiceAccount{}
	err := s.withClient(ctx, c, func(ctx context.Context, client *databroker.Client) error {
		records, err := client.QueryAll(ctx, &pb.QueryRequest{Type: RecordType})
		for _, r := range records {
			rec := &userpb.ServiceAccount{}
			if r.GetDeletedAt() == nil && r.GetData().UnmarshalTo(rec) == nil {
				out[r.GetId()] = rec
			}
		}
		return err
	})
	if err != nil {
		s.logger.Debug("service accounts: databroker not read", "cluster", c.ID, "error", databroker.Explain(err))
		return nil
	}
	return out
}

// copyAccess records the use Core's authorize wrote into rec, when it is
// later than the one the account has.
func (s *Service) copyAccess(ctx context.Context, a db.ServiceAccount, rec *userpb.ServiceAccount) {
	if rec.GetAccessedAt() == nil {
		return
	}
	at := rec.GetAccessedAt().AsTime()
	if !at.After(a.AccessedAt) {
		return
	}
	if _, err := s.store.TouchServiceAccount(ctx, a.ID, at, 0); err != nil {
		s.logger.Warn("record service account use", "service_account", a.ID, "error", err)
	}
}

// repush pushes account id again although it is not owed.
func (s *Service) repush(ctx context.Context, id string) error {
	defer s.locks.Lock(id)()
	a, err := s.store.GetServiceAccount(ctx, id)
	switch {
	case errors.Is(err, db.ErrNotFound):
		return nil
	case err != nil:
		return fmt.Errorf("serviceaccounts: reconcile: %w", err)
	}
	return s.pushLocked(ctx, a)
}
