package deploy

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/pomerium-console-oss/pomerium-console/app/activity"
	"github.com/pomerium-console-oss/pomerium-console/app/clusters"
	"github.com/pomerium-console-oss/pomerium-console/app/databroker"
	"github.com/pomerium-console-oss/pomerium-console/app/errs"
	configpb "github.com/pomerium-console-oss/pomerium-console/app/pb/config"
	"github.com/pomerium-console-oss/pomerium-console/app/rbac"
	"github.com/pomerium-console-oss/pomerium-console/app/render"
	"github.com/pomerium-console-oss/pomerium-console/db"
)

// MaxMessageLength bounds the note an admin leaves on a deployment.
const MaxMessageLength = 500

// ErrNothingToApply refuses an apply when the cluster's model equals its
// latest deployment.
var ErrNothingToApply = errs.Conflict("there are no pending changes to apply")

// Author is who a deployment is made by.
type Author struct {
	UserID string
	Name   string
	Email  string
}

// authorOf is the author of a deployment made by the caller.
func authorOf(acc *rbac.Access) Author {
	p := acc.Principal
	return Author{UserID: p.UserID, Name: p.DisplayName(), Email: p.Email}
}

// Summary is what a deployment's list row says about it.
type Summary struct {
	Counts
	Routes       int `json:"routes"`
	Policies     int `json:"policies"`
	Certificates int `json:"certificates"`
}

// summaryJSON is the stored summary of a deployment of m with changes.
func summaryJSON(changes []Change, m render.Model) (string, error) {
	b, err := json.Marshal(Summary{
		Counts: CountOf(changes), Routes: len(m.Routes), Policies: len(m.Policies), Certificates: len(m.CertificateIDs),
	})
	if err != nil {
		return "", fmt.Errorf("deploy: summary: %w", err)
	}
	return string(b), nil
}

// SummaryOf decodes a deployment's summary; a malformed one reads as empty.
func SummaryOf(d db.Deployment) Summary {
	var s Summary
	_ = json.Unmarshal([]byte(d.Summary), &s)
	return s
}

// Apply closes the open changeset of a cluster: it renders the current
// model, stores it as the next deployment and pushes it. Only admins of
// the namespace the cluster is bound to apply. A failed push is not an
// error here: the deployment comes back failed, with the reason, and the
// retry job takes over.
func (s *Service) Apply(ctx context.Context, acc *rbac.Access, clusterID, message string) (db.Deployment, error) {
	c, err := s.cluster(ctx, acc, clusterID, rbac.RoleAdmin)
	if err != nil {
		return db.Deployment{}, err
	}
	if err := checkMessage(message); err != nil {
		return db.Deployment{}, err
	}
	defer s.lock(c.ID)()
	p, m, err := s.pending(ctx, c)
	if err != nil {
		return db.Deployment{}, err
	}
	if p.nothingToApply() {
		return db.Deployment{}, ErrNothingToApply
	}
	return s.deploy(ctx, c, authorOf(acc), p.draft(m, strings.TrimSpace(message), acc))
}

// Redeploy makes a new deployment from the snapshot of an older one of
// the same cluster; history is never rewritten. The console's entities
// stay as they are, so afterwards the open changeset lists what differs
// from the re-deployed snapshot.
func (s *Service) Redeploy(ctx context.Context, acc *rbac.Access, id, message string) (db.Deployment, error) {
	src, c, err := s.deployment(ctx, acc, id, rbac.RoleAdmin)
	if err != nil {
		return db.Deployment{}, err
	}
	if err := checkMessage(message); err != nil {
		return db.Deployment{}, err
	}
	defer s.lock(c.ID)()
	base, hasBase, err := s.latest(ctx, c.ID)
	if err != nil {
		return db.Deployment{}, err
	}
	if hasBase && base.ID == src.ID {
		return db.Deployment{}, errs.Conflict("deployment #%d is the latest deployment already; nothing to re-deploy", src.Number)
	}
	m, err := s.baseline(ctx, src)
	if err != nil {
		return db.Deployment{}, err
	}
	rev, _, err := s.store.ConfigRevision(ctx)
	if err != nil {
		return db.Deployment{}, fmt.Errorf("deploy: revision: %w", err)
	}
	var from render.Model
	if hasBase {
		if from, err = s.baseline(ctx, base); err != nil {
			return db.Deployment{}, err
		}
	}
	message = strings.TrimSpace(message)
	if message == "" {
		message = fmt.Sprintf("Re-deploy of #%d", src.Number)
	}
	return s.deploy(ctx, c, authorOf(acc), draft{model: m, revision: rev, changes: Diff(from, m), message: message, sourceID: src.ID, acc: acc})
}

// draft is a deployment about to be made.
type draft struct {
	model    render.Model
	revision int64
	changes  []Change
	message  string
	sourceID string
	// acc is who asked; nil for an automatic apply, which writes no
	// activity entry (the deployment names the author of the changes).
	acc *rbac.Access
}

// deploy renders d, stores it and pushes it; the cluster's lock is held.
// A cluster without a databroker gets the deployment as current at once.
func (s *Service) deploy(ctx context.Context, c db.Cluster, by Author, d draft) (db.Deployment, error) {
	cfg, err := render.Render(d.model, s.sealer)
	if err != nil {
		return db.Deployment{}, errs.Conflict("the configuration cannot be rendered, so nothing was applied: %v", err)
	}
	wire, hash, err := marshalConfig(cfg)
	if err != nil {
		return db.Deployment{}, err
	}
	id := uuid.NewString()
	model, err := encodeModel(d.model)
	if err != nil {
		return db.Deployment{}, err
	}
	sealed, err := sealConfig(s.sealer, id, wire)
	if err != nil {
		return db.Deployment{}, err
	}
	summary, err := summaryJSON(d.changes, d.model)
	if err != nil {
		return db.Deployment{}, err
	}
	now := s.now()
	row := db.Deployment{
		ID: id, ClusterID: c.ID, Status: db.StatusApplying, Message: d.message, ConfigRevision: d.revision,
		SourceID: d.sourceID, UserID: by.UserID, UserName: by.Name, UserEmail: by.Email, Summary: summary,
		Model: model, Config: sealed, ConfigHash: hash, CreatedAt: now, ModifiedAt: now,
	}
	push := clusters.CanPush(c)
	if !push {
		row.Status = db.StatusCurrent
	}
	err = s.store.InTx(ctx, func(tx db.Store) error {
		if row, err = tx.CreateDeployment(ctx, row); err != nil {
			return fmt.Errorf("deploy: create deployment: %w", err)
		}
		if d.acc != nil {
			counts := CountOf(d.changes)
			err := logChangeset(ctx, tx, d.acc, c, row, db.ActivityCreate, map[string]any{
				"number": row.Number, "message": row.Message, "added": counts.Added, "changed": counts.Changed,
				"removed": counts.Removed, "redeployOf": row.SourceID, "configHash": row.ConfigHash,
			})
			if err != nil {
				return err
			}
		}
		if !push {
			return demoteCurrent(ctx, tx, c.ID, row.ID, now)
		}
		return nil
	})
	if err != nil {
		return db.Deployment{}, err
	}
	s.cache.putSnapshot(row.ID, d.model)
	if push {
		res, perr := s.pusher.push(ctx, c, cfg)
		if row, err = s.finish(ctx, c, row, res, perr); err != nil {
			return db.Deployment{}, err
		}
	}
	// Diffs read the config.yaml stored here; it is written after the push
	// so that exporting thousands of routes does not delay it.
	s.storeYAML(ctx, row, cfg)
	row.Model, row.Config, row.YAML = "", "", ""
	return row, nil
}

// storeYAML stores the redacted config.yaml of deployment d. A failure is
// only logged: a diff then renders the configuration again.
func (s *Service) storeYAML(ctx context.Context, d db.Deployment, cfg *configpb.Config) {
	yaml, err := s.redactedYAML(cfg)
	if err == nil {
		err = s.store.SetDeploymentYAML(ctx, d.ID, yaml)
	}
	if err != nil {
		s.logger.Warn("store the config.yaml of a deployment", "deployment", d.Number, "cluster", d.ClusterID, "error", err)
	}
}

// finish records how the push of deployment d went: current (the previous
// current one becomes applied) or failed with the reason; and the
// cluster's push state, with the next retry after a failure.
func (s *Service) finish(ctx context.Context, c db.Cluster, d db.Deployment, res pushResult, pushErr error) (db.Deployment, error) {
	now := s.now()
	st, err := s.pushState(ctx, c.ID)
	if err != nil {
		return d, err
	}
	st.LastAttemptAt = now
	if pushErr != nil {
		st.Connected, st.LastError, st.Failures = false, databroker.Explain(pushErr), st.Failures+1
		st.NextRetryAt = now.Add(s.backoff.Delay(st.Failures - 1))
		s.logger.Warn("push to databroker failed", "cluster", c.ID, "deployment", d.Number, "error", st.LastError,
			"retry_at", st.NextRetryAt)
	} else {
		st.Connected, st.LastError, st.Failures, st.NextRetryAt = true, "", 0, now
		st.LastSuccessAt, st.LastPushedDeploymentID, st.RecordVersion = now, d.ID, res.RecordVersion
		if res.ServerVersion != "" {
			st.ServerVersion = res.ServerVersion
		}
	}
	err = s.store.InTx(ctx, func(tx db.Store) error {
		switch {
		case pushErr != nil && d.Status != db.StatusCurrent:
			d.Status, d.FailureMessage = db.StatusFailed, st.LastError
		case pushErr == nil && d.Status != db.StatusCurrent:
			d.Status, d.FailureMessage = db.StatusCurrent, ""
			if err := demoteCurrent(ctx, tx, c.ID, d.ID, now); err != nil {
				return err
			}
		}
		d.ModifiedAt = now
		if err := tx.SetDeploymentStatus(ctx, d.ID, d.Status, d.FailureMessage, now); err != nil {
			return fmt.Errorf("deploy: set status: %w", err)
		}
		if err := tx.PutPushState(ctx, st); err != nil {
			return fmt.Errorf("deploy: push state: %w", err)
		}
		return nil
	})
	return d, err
}

// pushState returns the stored push state of a cluster, or a fresh one.
func (s *Service) pushState(ctx context.Context, clusterID string) (db.PushState, error) {
	st, err := s.store.GetPushState(ctx, clusterID)
	switch {
	case errors.Is(err, db.ErrNotFound):
		return db.PushState{ClusterID: clusterID}, nil
	case err != nil:
		return db.PushState{}, fmt.Errorf("deploy: push state: %w", err)
	}
	return st, nil
}

// demoteCurrent marks the cluster's current deployments other than keep
// as applied: they ran, and no longer do.
func demoteCurrent(ctx context.Context, tx db.Store, clusterID, keep string, at time.Time) error {
	list, _, err := tx.ListDeployments(ctx, db.DeploymentFilter{ClusterID: clusterID, Statuses: []string{db.StatusCurrent}, Limit: 10})
	if err != nil {
		return fmt.Errorf("deploy: current deployments: %w", err)
	}
	for _, d := range list {
		if d.ID == keep {
			continue
		}
		if err := tx.SetDeploymentStatus(ctx, d.ID, db.StatusApplied, "", at); err != nil {
			return fmt.Errorf("deploy: demote #%d: %w", d.Number, err)
		}
	}
	return nil
}

// checkMessage bounds the deployment note.
func checkMessage(message string) error {
	var v errs.Validator
	if n := len([]rune(strings.TrimSpace(message))); n > MaxMessageLength {
		v.Add("message", errs.CodeTooLong, "must be at most %d characters (got %d)", MaxMessageLength, n)
	}
	return v.Err()
}

// logChangeset writes the activity entry of an action on a changeset
// (applying, re-deploying or discarding it), in tx; the entry carries the
// changeset's revision, so that it is listed with the changes it closed.
func logChangeset(ctx context.Context, tx db.Store, acc *rbac.Access, c db.Cluster, d db.Deployment, typ string, after any) error {
	ns, _ := acc.Tree().Get(c.NamespaceID)
	return activity.Record(ctx, tx, acc.Principal, d.ModifiedAt, activity.Change{
		Type: typ, EntityType: activity.EntityChangeset, EntityID: d.ID,
		EntityName: fmt.Sprintf("%s #%d", c.Name, d.Number), NamespaceID: c.NamespaceID, NamespaceName: ns.Name,
		After: after, ConfigRevision: d.ConfigRevision,
	})
}
