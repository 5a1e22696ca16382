package deploy

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
	"google.golang.org/protobuf/proto"

	"github.com/pomerium-console-oss/pomerium-console/app/clusters"
	"github.com/pomerium-console-oss/pomerium-console/app/errs"
	"github.com/pomerium-console-oss/pomerium-console/app/rbac"
	"github.com/pomerium-console-oss/pomerium-console/app/render"
	"github.com/pomerium-console-oss/pomerium-console/db"
)

// ErrNothingToDiscard refuses a discard when the model equals the latest
// deployment, or there is no deployment to go back to.
var ErrNothingToDiscard = errs.Conflict("there are no pending changes to discard")

// Discard throws the open changeset of a cluster away: in one
// transaction, the entities of the namespaces it serves go back to its
// latest deployment's snapshot, each restore logged (and marking the
// configuration changed) like any change:
//   - settings get the snapshot's values and sealed secrets;
//   - policies get the snapshot's name, PPL and Rego, enforcement,
//     explanation and remediation (the description, which is not pushed,
//     stays); one deleted since is created again with its id; one
//     enforced since is made optional again, or deleted when it was
//     created after the deployment;
//   - key pairs get the snapshot's certificate, and private key where the
//     snapshot holds one; one deleted since is created again; one created
//     after the deployment is deleted;
//   - routes get the snapshot's fields and sealed secrets; one deleted
//     since is created again with its id; one created since is deleted.
//
// Restores go through the store, not the services, because the snapshot
// holds entities as they were rendered (secrets sealed, Rego compiled) and
// they must come back byte for byte. A change that came from outside the
// cluster's namespaces (an enforced policy of an ancestor, a namespace
// moved in or out) is refused, naming it: it is not this changeset's to
// undo. The result must render exactly as the snapshot does, or nothing
// is changed and the error names what differs. The discarded changeset is
// kept as a rejected deployment holding the discarded model, so it can
// still be compared.
func (s *Service) Discard(ctx context.Context, acc *rbac.Access, clusterID string) (db.Deployment, error) {
	c, err := s.cluster(ctx, acc, clusterID, rbac.RoleAdmin)
	if err != nil {
		return db.Deployment{}, err
	}
	defer s.lock(c.ID)()
	base, ok, err := s.latest(ctx, c.ID)
	if err != nil {
		return db.Deployment{}, err
	}
	if !ok {
		return db.Deployment{}, ErrNothingToDiscard
	}
	snap, err := s.baseline(ctx, base)
	if err != nil {
		return db.Deployment{}, err
	}
	var rejected db.Deployment
	err = s.store.InTx(ctx, func(tx db.Store) error {
		d := &discard{s: s, tx: tx, acc: acc, c: c, base: base, snap: snap, now: s.now()}
		var err error
		rejected, err = d.run(ctx)
		return err
	})
	return rejected, err
}

// discard is one discard in progress.
type discard struct {
	s    *Service
	tx   db.Store
	acc  *rbac.Access
	c    db.Cluster
	base db.Deployment
	snap render.Model
	cov  clusters.Coverage
	now  time.Time
}

// run restores every change and records the rejected changeset.
func (d *discard) run(ctx context.Context) (db.Deployment, error) {
	var err error
	if d.cov, err = clusters.Load(ctx, d.tx); err != nil {
		return db.Deployment{}, err
	}
	cur, err := render.Load(ctx, d.tx, d.cov.Tree(d.c.ID), d.c.ID, d.c.NamespaceID)
	if err != nil {
		return db.Deployment{}, fmt.Errorf("deploy: discard: %w", err)
	}
	changes := Diff(d.snap, cur)
	if len(changes) == 0 {
		return db.Deployment{}, ErrNothingToDiscard
	}
	if err := d.checkScope(changes); err != nil {
		return db.Deployment{}, err
	}
	steps := []func(context.Context, []Change) error{d.keyPairs, d.policies, d.routes, d.cleanUp, d.settings}
	for _, step := range steps {
		if err := step(ctx, changes); err != nil {
			return db.Deployment{}, err
		}
	}
	if err := d.verify(ctx); err != nil {
		return db.Deployment{}, err
	}
	return d.record(ctx, cur, changes)
}

// checkScope refuses changes of entities outside the cluster's
// namespaces, and of entities whose namespace no longer exists.
func (d *discard) checkScope(changes []Change) error {
	inside := map[string]bool{}
	for _, id := range d.cov.Namespaces(d.c.ID) {
		inside[id] = true
	}
	var outside, gone []string
	for _, ch := range changes {
		switch _, known := d.cov.ClusterOf(ch.NamespaceID); {
		case ch.Type == typeSettings || inside[ch.NamespaceID]:
		case !known:
			gone = append(gone, describeChange(ch))
		default:
			outside = append(outside, describeChange(ch))
		}
	}
	switch {
	case len(gone) > 0:
		return errs.Conflict("the namespace of these entities no longer exists, so they cannot be restored: %s", strings.Join(gone, "; "))
	case len(outside) > 0:
		return errs.Conflict("these changes come from outside the namespaces cluster “%s” serves and cannot be discarded here: %s",
			d.c.Name, strings.Join(outside, "; "))
	}
	return nil
}

// verify checks that the restored model renders as the snapshot does.
func (d *discard) verify(ctx context.Context) error {
	now, err := render.Load(ctx, d.tx, d.cov.Tree(d.c.ID), d.c.ID, d.c.NamespaceID)
	if err != nil {
		return fmt.Errorf("deploy: discard: %w", err)
	}
	a, errA := render.Render(d.snap, d.s.sealer)
	b, errB := render.Render(now, d.s.sealer)
	if errA == nil && errB == nil && proto.Equal(a, b) {
		return nil
	}
	var left []string
	for _, ch := range Diff(d.snap, now) {
		left = append(left, describeChange(ch))
	}
	if err := errors.Join(errA, errB); err != nil {
		left = append(left, err.Error())
	}
	return errs.Conflict("the changes could not all be discarded, so none were: %s", strings.Join(left, "; "))
}

// record stores the discarded changeset as rejected, with the model that
// was discarded, and logs it.
func (d *discard) record(ctx context.Context, discarded render.Model, changes []Change) (db.Deployment, error) {
	rev, _, err := d.tx.ConfigRevision(ctx)
	if err != nil {
		return db.Deployment{}, fmt.Errorf("deploy: discard: %w", err)
	}
	model, err := encodeModel(discarded)
	if err != nil {
		return db.Deployment{}, err
	}
	summary, err := summaryJSON(changes, discarded)
	if err != nil {
		return db.Deployment{}, err
	}
	now, by := d.s.now(), authorOf(d.acc)
	row, err := d.tx.CreateDeployment(ctx, db.Deployment{
		ID: uuid.NewString(), ClusterID: d.c.ID, Status: db.StatusRejected, Message: "Discarded",
		ConfigRevision: rev, UserID: by.UserID, UserName: by.Name, UserEmail: by.Email, Summary: summary,
		Model: model, CreatedAt: now, ModifiedAt: now,
	})
	if err != nil {
		return db.Deployment{}, fmt.Errorf("deploy: discard: %w", err)
	}
	names := make([]string, 0, len(changes))
	for _, ch := range changes {
		names = append(names, describeChange(ch))
	}
	err = logChangeset(ctx, d.tx, d.acc, d.c, row, db.ActivityUpdate, map[string]any{
		"number": row.Number, "status": db.StatusRejected, "discarded": names,
	})
	row.Model = ""
	return row, err
}

// describeChange names a change for messages: "route “app” (changed)".
func describeChange(ch Change) string {
	return fmt.Sprintf("%s “%s” (%s)", strings.ReplaceAll(ch.Type, "_", " "), ch.Name, ch.Kind)
}
