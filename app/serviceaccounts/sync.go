package serviceaccounts

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/pomerium-console-oss/pomerium-console/app/clusters"
	"github.com/pomerium-console-oss/pomerium-console/app/databroker"
	"github.com/pomerium-console-oss/pomerium-console/app/errs"
	userpb "github.com/pomerium-console-oss/pomerium-console/app/pb/user"
	"github.com/pomerium-console-oss/pomerium-console/db"
)

// RecordType is the databroker record type Core looks service accounts up
// in: "type.googleapis.com/user.ServiceAccount".
var RecordType = databroker.TypeURL(&userpb.ServiceAccount{})

// pushAfter pushes account id once tx commits, in the background: the
// caller already has its answer, and a databroker that is down must not
// hold it up. What fails stays owed for Sync.
func (s *Service) pushAfter(tx db.Store, id string) {
	tx.OnCommit(func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		if s.ctx.Err() != nil {
			return
		}
		s.pushes.Add(1)
		go func() {
			defer s.pushes.Done()
			if err := s.Push(s.ctx, id); err != nil {
				s.logger.Error("push service account", "service_account", id, "error", err)
			}
		}()
	})
}

// Sync pushes every account whose record is owed and due (its back-off
// has passed), and every so often checks that the databrokers still hold
// what they were sent. A push that fails is no error of Sync: it is
// recorded on the account and retried later.
func (s *Service) Sync(ctx context.Context) error {
	list, err := s.store.ListServiceAccounts(ctx, db.ServiceAccountFilter{Dirty: true})
	if err != nil {
		return fmt.Errorf("serviceaccounts: sync: %w", err)
	}
	now := s.now()
	var failed []error
	for _, a := range list {
		if now.Before(a.Sync.NextAttemptAt) {
			continue
		}
		failed = append(failed, s.Push(ctx, a.ID))
	}
	if s.reconcileDue(now) {
		failed = append(failed, s.Reconcile(ctx))
	}
	return errors.Join(failed...)
}

// reconcileDue reports whether a reconcile pass is due, and if so counts
// it as started.
func (s *Service) reconcileDue(now time.Time) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.lastReconciled.IsZero() && now.Sub(s.lastReconciled) < s.reconcile {
		return false
	}
	s.lastReconciled = now
	return true
}

// Push writes the record of account id to the databroker now, whatever
// its back-off says, when it is owed: a Put for an account, a tombstone
// for a revoked one, and a tombstone in the databroker that held it when
// its namespace is now served by another cluster. The outcome is stored
// on the account; only store failures are returned.
func (s *Service) Push(ctx context.Context, id string) error {
	defer s.locks.Lock(id)()
	a, err := s.store.GetServiceAccount(ctx, id)
	switch {
	case errors.Is(err, db.ErrNotFound):
		return nil // its namespace was deleted meanwhile
	case err != nil:
		return fmt.Errorf("serviceaccounts: push: %w", err)
	}
	if !a.Dirty() {
		return nil
	}
	return s.pushLocked(ctx, a)
}

// pushLocked pushes a (whose lock the caller holds) and stores the outcome.
func (s *Service) pushLocked(ctx context.Context, a db.ServiceAccount) error {
	cov, err := clusters.Load(ctx, s.store)
	if err != nil {
		return err
	}
	holder, perr := s.write(ctx, cov, a)
	now := s.now()
	st := a.Sync
	if perr == nil {
		st = db.ServiceAccountSync{SyncedVersion: a.Version, ClusterID: holder, SyncedAt: now}
	} else {
		st.Failures++
		st.LastError = explain(perr)
		st.NextAttemptAt = now.Add(s.backoff.Delay(st.Failures - 1))
		level := slog.LevelWarn
		if errors.Is(perr, errs.ErrUnavailable) {
			level = slog.LevelDebug // a cluster without a databroker: nothing is broken
		}
		s.logger.Log(ctx, level, "service account record not pushed; will retry", "service_account", a.ID,
			"error", st.LastError, "retry_at", st.NextAttemptAt)
	}
	if err := s.store.SetServiceAccountSync(ctx, a.ID, st); err != nil && !errors.Is(err, db.ErrNotFound) {
		return fmt.Errorf("serviceaccounts: store push state: %w", err)
	}
	return nil
}

// write brings the databrokers in line with a and returns the cluster
// that holds its record afterwards ("" once revoked).
func (s *Service) write(ctx context.Context, cov clusters.Coverage, a db.ServiceAccount) (string, error) {
	target, ok := cov.ClusterOf(a.NamespaceID)
	if !ok {
		return "", errs.NotFound("no cluster serves namespace %s", a.NamespaceID)
	}
	// The cluster that held the record, when it is another one still
	// configured, loses it first: a token must not outlive a move.
	if old, ok := cov.Cluster(a.Sync.ClusterID); ok && old.ID != target.ID {
		if err := s.withClient(ctx, old, func(ctx context.Context, c *databroker.Client) error {
			return c.DeleteMessage(ctx, RecordType, a.ID)
		}); err != nil {
			return a.Sync.ClusterID, err
		}
	}
	if !a.RevokedAt.IsZero() {
		return "", s.withClient(ctx, target, func(ctx context.Context, c *databroker.Client) error {
			return c.DeleteMessage(ctx, RecordType, a.ID)
		})
	}
	return target.ID, s.withClient(ctx, target, func(ctx context.Context, c *databroker.Client) error {
		return putRecord(ctx, c, a)
	})
}

// putRecord writes the record of a, keeping the accessed_at Core's
// authorize wrote (a full Put would otherwise reset it).
func putRecord(ctx context.Context, c *databroker.Client, a db.ServiceAccount) error {
	rec := record(a)
	held, err := c.Get(ctx, RecordType, a.ID)
	switch {
	case errors.Is(err, databroker.ErrNotFound):
	case err != nil:
		return err
	default:
		old := &userpb.ServiceAccount{}
		if held.GetData().UnmarshalTo(old) == nil && old.GetAccessedAt() != nil {
			rec.AccessedAt = old.GetAccessedAt()
		}
	}
	_, err = c.PutMessage(ctx, a.ID, rec)
	return err
}

// record is the user.ServiceAccount Core reads for a.
func record(a db.ServiceAccount) *userpb.ServiceAccount {
	r := &userpb.ServiceAccount{
		Id: a.ID, NamespaceId: &a.NamespaceID, UserId: a.UserID, IssuedAt: timestamppb.New(a.IssuedAt),
	}
	if a.Description != "" {
		r.Description = &a.Description
	}
	if !a.ExpiresAt.IsZero() {
		r.ExpiresAt = timestamppb.New(a.ExpiresAt)
	}
	if !a.AccessedAt.IsZero() {
		r.AccessedAt = timestamppb.New(a.AccessedAt)
	}
	return r
}

// withClient runs fn against the databroker of c within the push timeout.
func (s *Service) withClient(ctx context.Context, c db.Cluster, fn func(context.Context, *databroker.Client) error) error {
	client, err := s.databrokers.Databroker(ctx, c)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, s.pushTimeout)
	defer cancel()
	return fn(ctx, client)
}

// explain is the sentence an admin reads for a failed push.
func explain(err error) string {
	if r := errs.Reason(err); r != "" {
		return r
	}
	return databroker.Explain(err)
}
