package deploy

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/pomerium-console-oss/pomerium-console/app/clusters"
	"github.com/pomerium-console-oss/pomerium-console/app/settings"
	"github.com/pomerium-console-oss/pomerium-console/db"
)

// AutoMessage is the message of an automatic deployment.
const AutoMessage = "Applied automatically"

// Watch wraps store so that every committed configuration change (a
// MarkConfigChanged) wakes the auto-applier once its transaction commits.
// The services that change configuration get the wrapped store.
func (s *Service) Watch(store db.Store) db.Store {
	return watched{Store: store, changed: s.auto.kick}
}

// watched is a store whose configuration changes call changed after commit.
type watched struct {
	db.Store
	changed func()
}

// InTx keeps the transaction-bound store watched.
func (w watched) InTx(ctx context.Context, fn func(tx db.Store) error) error {
	return w.Store.InTx(ctx, func(tx db.Store) error { return fn(watched{Store: tx, changed: w.changed}) })
}

// MarkConfigChanged also registers the wake-up for after the commit.
func (w watched) MarkConfigChanged(ctx context.Context, at time.Time) (int64, error) {
	rev, err := w.Store.MarkConfigChanged(ctx, at)
	if err == nil {
		w.Store.OnCommit(w.changed)
	}
	return rev, err
}

// Wait blocks until no automatic apply or push runs, for a caller that
// needs their outcome (tests, an orderly shutdown).
func (s *Service) Wait() { s.auto.wait() }

// ClusterChanged is the clusters service's hook after a cluster's
// connection changed: it pushes the cluster's latest deployment there.
func (s *Service) ClusterChanged(clusterID string) { s.auto.sync(clusterID) }

// autoApplier runs automatic applies and pushes in one background
// goroutine at a time; wake-ups that arrive while it runs make it run
// once more, so a burst of changes becomes few deployments.
type autoApplier struct {
	s      *Service
	ctx    context.Context
	cancel context.CancelFunc

	mu      sync.Mutex
	running bool
	dirty   bool
	syncs   map[string]bool
	closed  bool
	wg      sync.WaitGroup
}

func newAutoApplier(s *Service) *autoApplier {
	ctx, cancel := context.WithCancel(context.Background())
	return &autoApplier{s: s, ctx: ctx, cancel: cancel, syncs: map[string]bool{}}
}

// kick asks for an auto-apply pass.
func (a *autoApplier) kick() { a.wake(func() { a.dirty = true }) }

// sync asks for a push of one cluster's latest deployment.
func (a *autoApplier) sync(clusterID string) { a.wake(func() { a.syncs[clusterID] = true }) }

// wake records a request and starts the goroutine unless it runs.
func (a *autoApplier) wake(record func()) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.closed {
		return
	}
	record()
	if a.running {
		return
	}
	a.running = true
	a.wg.Add(1)
	go a.loop()
}

// loop serves requests until none is left.
func (a *autoApplier) loop() {
	defer a.wg.Done()
	for {
		a.mu.Lock()
		dirty, syncs := a.dirty, a.syncs
		a.dirty, a.syncs = false, map[string]bool{}
		if (!dirty && len(syncs) == 0) || a.closed {
			a.running = false
			a.mu.Unlock()
			return
		}
		a.mu.Unlock()
		for id := range syncs {
			a.s.syncCluster(a.ctx, id)
		}
		if dirty {
			if err := a.s.autoApply(a.ctx); err != nil {
				a.s.logger.Error("auto-apply failed", "error", err)
			}
		}
	}
}

// wait blocks until no pass runs.
func (a *autoApplier) wait() {
	a.wg.Wait()
}

// close stops taking requests and waits for the running pass.
func (a *autoApplier) close() {
	a.mu.Lock()
	a.closed = true
	a.mu.Unlock()
	a.cancel()
	a.wg.Wait()
}

// syncCluster pushes one cluster's latest deployment, logging failures
// (they are in the push state too).
func (s *Service) syncCluster(ctx context.Context, id string) {
	c, err := s.store.GetCluster(ctx, id)
	if errors.Is(err, db.ErrNotFound) {
		return
	}
	if err == nil {
		err = s.pushIfDue(ctx, c, true)
	}
	if err != nil {
		s.logger.Error("push after cluster change failed", "cluster", id, "error", err)
	}
}

// autoApply applies the open changeset of every cluster whose settings
// have autoApplyChangesets on. The deployment is made in the name of the
// newest change's author.
func (s *Service) autoApply(ctx context.Context) error {
	list, err := s.store.ListClusters(ctx)
	if err != nil {
		return fmt.Errorf("deploy: auto-apply: %w", err)
	}
	var errs []error
	for _, c := range list {
		on, err := s.autoApplyOn(ctx, c.ID)
		if err != nil || !on {
			errs = append(errs, err)
			continue
		}
		errs = append(errs, s.autoApplyCluster(ctx, c))
	}
	return errors.Join(errs...)
}

// autoApplyCluster applies the open changeset of c, if it has one.
func (s *Service) autoApplyCluster(ctx context.Context, c db.Cluster) error {
	defer s.lock(c.ID)()
	p, m, err := s.pending(ctx, c)
	if err != nil || p.nothingToApply() {
		return err
	}
	by, err := s.lastAuthor(ctx, c, p)
	if err != nil {
		return err
	}
	_, err = s.deploy(ctx, c, by, p.draft(m, AutoMessage, nil))
	return err
}

// autoApplyOn reads autoApplyChangesets from the cluster's settings, or
// the default cluster's when it has none of its own; unset means off.
func (s *Service) autoApplyOn(ctx context.Context, clusterID string) (bool, error) {
	row, err := s.store.GetSettings(ctx, clusterID)
	if errors.Is(err, db.ErrNotFound) && clusterID != db.DefaultClusterID {
		row, err = s.store.GetSettings(ctx, db.DefaultClusterID)
	}
	switch {
	case errors.Is(err, db.ErrNotFound):
		return false, nil
	case err != nil:
		return false, fmt.Errorf("deploy: settings: %w", err)
	}
	var v settings.Values
	if err := json.Unmarshal([]byte(row.Values), &v); err != nil {
		return false, fmt.Errorf("deploy: settings: %w", err)
	}
	return v.AutoApplyChangesets != nil && *v.AutoApplyChangesets, nil
}

// lastAuthor is the author of the newest change in the open changeset p.
func (s *Service) lastAuthor(ctx context.Context, c db.Cluster, p Pending) (Author, error) {
	cov, err := clusters.Load(ctx, s.store)
	if err != nil {
		return Author{}, err
	}
	r := db.RevisionRange{}
	if p.HasBaseline {
		r.After = p.Baseline.ConfigRevision
	}
	list, _, err := s.store.ListActivity(ctx, db.ActivityFilter{Revisions: &r, NamespaceIDs: cov.Namespaces(c.ID), Limit: 1})
	if err != nil {
		return Author{}, fmt.Errorf("deploy: last author: %w", err)
	}
	if len(list) == 0 {
		return Author{Name: "Auto-apply"}, nil
	}
	return Author{UserID: list[0].UserID, Name: list[0].UserName, Email: list[0].UserEmail}, nil
}
