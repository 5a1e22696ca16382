package deploy

import (
	"context"
	"errors"
	"fmt"

	"github.com/pomerium-console-oss/pomerium-console/app/clusters"
	"github.com/pomerium-console-oss/pomerium-console/app/databroker"
	"github.com/pomerium-console-oss/pomerium-console/app/rbac"
	"github.com/pomerium-console-oss/pomerium-console/db"
)

// RunRetries is the body of the retry job: for every cluster with a
// databroker it pushes the latest deployment when that is due (see
// pushIfDue). A push that fails is no error of the job: it is recorded in
// the deployment and the cluster's push state, and retried later.
func (s *Service) RunRetries(ctx context.Context) error {
	list, err := s.store.ListClusters(ctx)
	if err != nil {
		return fmt.Errorf("deploy: retries: %w", err)
	}
	var errs []error
	for _, c := range list {
		if clusters.CanPush(c) {
			errs = append(errs, s.pushIfDue(ctx, c, false))
		}
	}
	return errors.Join(errs...)
}

// PushNow pushes the latest deployment of a cluster at once, whatever the
// back-off says; the result is in the deployment and the push state.
// Admins of the cluster's namespace may ask for it.
func (s *Service) PushNow(ctx context.Context, acc *rbac.Access, clusterID string) error {
	c, err := s.cluster(ctx, acc, clusterID, rbac.RoleAdmin)
	if err != nil {
		return err
	}
	return s.pushIfDue(ctx, c, true)
}

// pushIfDue pushes the latest deployment of c when force is set or when it
// is due: a failed (or interrupted) push whose retry time has come, a
// connection changed since the last attempt, a deployment not pushed yet,
// or a check of a pushed one every SyncInterval (a databroker that lost
// its records gets them back; an equal record is not written again).
func (s *Service) pushIfDue(ctx context.Context, c db.Cluster, force bool) error {
	if !clusters.CanPush(c) {
		return nil
	}
	defer s.lock(c.ID)()
	d, ok, err := s.latest(ctx, c.ID)
	if err != nil || !ok {
		return err
	}
	st, err := s.pushState(ctx, c.ID)
	if err != nil {
		return err
	}
	now := s.now()
	due := !now.Before(st.NextRetryAt)
	switch {
	case force:
	case d.Status == db.StatusFailed || d.Status == db.StatusApplying:
		if !due {
			return nil
		}
	case c.ModifiedAt.After(st.LastAttemptAt):
	case due && (st.LastPushedDeploymentID != d.ID || now.Sub(st.LastAttemptAt) >= s.syncEvery):
	default:
		return nil
	}
	full, err := s.store.GetDeployment(ctx, d.ID)
	if err != nil {
		return fmt.Errorf("deploy: deployment #%d: %w", d.Number, err)
	}
	cfg, err := openConfig(s.sealer, full.ID, full.Config)
	if err != nil {
		return err
	}
	res, perr := s.pusher.push(ctx, c, cfg)
	_, err = s.finish(ctx, c, d, res, perr)
	return err
}

// Withdraw removes the console's record from the databroker of c, for a
// cluster being deleted (clusters.Withdraw).
func (s *Service) Withdraw(ctx context.Context, c db.Cluster) error {
	defer s.lock(c.ID)()
	if err := s.pusher.withdraw(ctx, c); err != nil {
		return errors.New(databroker.Explain(err))
	}
	return nil
}
