package clusters

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/pomerium-console-oss/pomerium-console/app/activity"
	"github.com/pomerium-console-oss/pomerium-console/app/errs"
	"github.com/pomerium-console-oss/pomerium-console/app/nstree"
	"github.com/pomerium-console-oss/pomerium-console/app/rbac"
	"github.com/pomerium-console-oss/pomerium-console/app/seal"
	"github.com/pomerium-console-oss/pomerium-console/db"
)

// Withdraw removes the console's configuration from a cluster's
// databroker; the deploy service provides it.
type Withdraw func(ctx context.Context, c db.Cluster) error

// Service manages clusters. Viewers of Global may read them; only admins
// of Global change them.
type Service struct {
	store    db.Store
	sealer   *seal.Sealer
	now      func() time.Time
	withdraw Withdraw
	changed  func(clusterID string)
}

// NewService returns a Service over store that seals shared secrets with sealer.
func NewService(store db.Store, sealer *seal.Sealer, now func() time.Time) *Service {
	return &Service{store: store, sealer: sealer, now: now}
}

// WithHooks sets what deleting a cluster withdraws through, and what runs
// after a committed change of a cluster's connection (to push to it).
func (s *Service) WithHooks(withdraw Withdraw, changed func(clusterID string)) *Service {
	s.withdraw, s.changed = withdraw, changed
	return s
}

// In returns the service writing through tx, so that a caller can create a
// cluster in the same transaction as other writes (e.g. its namespace).
func (s *Service) In(tx db.Store) *Service {
	c := *s
	c.store = tx
	return &c
}

// List returns every cluster, ordered by name.
func (s *Service) List(ctx context.Context, acc *rbac.Access) ([]db.Cluster, error) {
	if err := acc.Require(db.GlobalNamespaceID, rbac.RoleViewer); err != nil {
		return nil, err
	}
	list, err := s.store.ListClusters(ctx)
	if err != nil {
		return nil, fmt.Errorf("clusters: list: %w", err)
	}
	return list, nil
}

// Get returns one cluster.
func (s *Service) Get(ctx context.Context, acc *rbac.Access, id string) (db.Cluster, error) {
	if err := acc.Require(db.GlobalNamespaceID, rbac.RoleViewer); err != nil {
		return db.Cluster{}, err
	}
	return get(ctx, s.store, id)
}

func get(ctx context.Context, st db.ClusterStore, id string) (db.Cluster, error) {
	c, err := st.GetCluster(ctx, id)
	switch {
	case errors.Is(err, db.ErrNotFound):
		return db.Cluster{}, errs.NotFound("cluster %q does not exist", id)
	case err != nil:
		return db.Cluster{}, fmt.Errorf("clusters: get: %w", err)
	}
	return c, nil
}

// Create adds a cluster bound to in.NamespaceID.
func (s *Service) Create(ctx context.Context, acc *rbac.Access, in Input) (db.Cluster, error) {
	now := s.now()
	c := db.Cluster{ID: uuid.NewString(), CreatedAt: now}
	return s.write(ctx, acc, db.ActivityCreate, nil, &c, in)
}

// Update changes a cluster. The default cluster's connection comes from
// the config file, so only its name can change here.
func (s *Service) Update(ctx context.Context, acc *rbac.Access, id string, in Input) (db.Cluster, error) {
	if err := acc.Require(db.GlobalNamespaceID, rbac.RoleAdmin); err != nil {
		return db.Cluster{}, err
	}
	old, err := get(ctx, s.store, id)
	if err != nil {
		return db.Cluster{}, err
	}
	next := old
	return s.write(ctx, acc, db.ActivityUpdate, &old, &next, in)
}

// write validates in and stores it as next (old is nil for a create),
// with its activity entry, in one transaction. Moving which namespaces a
// cluster serves marks the configuration changed; a new connection is
// pushed to once committed.
func (s *Service) write(ctx context.Context, acc *rbac.Access, typ string, old, next *db.Cluster, in Input) (db.Cluster, error) {
	if err := acc.Require(db.GlobalNamespaceID, rbac.RoleAdmin); err != nil {
		return db.Cluster{}, err
	}
	normalize(&in)
	var v errs.Validator
	if old != nil && IsDefault(*old) {
		checkDefaultFixed(&v, *old, in)
	}
	err := s.store.InTx(ctx, func(tx db.Store) error {
		// The tree is read in the transaction, not taken from acc: a
		// caller may have created the namespace in this transaction.
		nss, err := tx.ListNamespaces(ctx)
		if err != nil {
			return fmt.Errorf("clusters: namespaces: %w", err)
		}
		validate(&v, nstree.New(nss), in, in.SharedSecret != "" || (old != nil && HasSecret(*old) && !in.ClearSecret))
		all, err := tx.ListClusters(ctx)
		if err != nil {
			return fmt.Errorf("clusters: list: %w", err)
		}
		if msg, bad := bindingProblem(all, next.ID, in.NamespaceID); bad && !v.Has("namespaceId") {
			v.Add("namespaceId", errs.CodeConflict, "%s", msg)
		}
		if err := v.Err(); err != nil {
			return err
		}
		next.Name, next.NamespaceID, next.DatabrokerURL = in.Name, in.NamespaceID, in.DatabrokerURL
		next.CAPEM, next.OverrideName, next.InsecureSkipVerify = in.CAPEM, in.OverrideName, in.InsecureSkipVerify
		if err := s.setSecret(next, in); err != nil {
			return err
		}
		if old != nil && *old == *next {
			return nil
		}
		next.ModifiedAt = s.now()
		if old == nil {
			err = tx.CreateCluster(ctx, *next)
		} else {
			err = tx.UpdateCluster(ctx, *next)
		}
		if errors.Is(err, db.ErrConflict) {
			return errs.Field("name", errs.CodeConflict, "another cluster is named %q", next.Name)
		}
		if err != nil {
			return fmt.Errorf("clusters: write: %w", err)
		}
		if err := s.log(ctx, tx, acc, typ, old, next); err != nil {
			return err
		}
		if old == nil || !SameConnection(*old, *next) {
			s.notify(tx, next.ID)
		}
		return nil
	})
	if err != nil {
		return db.Cluster{}, err
	}
	return *next, nil
}

// checkDefaultFixed refuses changes to what the config file decides for
// the default cluster.
func checkDefaultFixed(v *errs.Validator, old db.Cluster, in Input) {
	if in.NamespaceID != old.NamespaceID {
		v.Add("namespaceId", errs.CodeInvalid, "the default cluster always serves Global")
	}
	if in.DatabrokerURL != old.DatabrokerURL {
		v.Add("databrokerServiceUrl", errs.CodeInvalid, "comes from databroker_service_url in the config file; change it there")
	}
	if in.SharedSecret != "" || in.ClearSecret {
		v.Add("sharedSecret", errs.CodeInvalid, "comes from shared_secret in the config file; change it there")
	}
	if in.CAPEM != old.CAPEM {
		v.Add("certificateAuthority", errs.CodeInvalid, "comes from tls_ca_file in the config file; change it there")
	}
}

// setSecret seals a new shared secret into c, keeping the sealed value when
// the same secret is sent again, or clears it.
func (s *Service) setSecret(c *db.Cluster, in Input) error {
	switch {
	case in.ClearSecret && in.SharedSecret == "":
		c.SealedSharedSecret = ""
	case in.SharedSecret != "":
		if c.SealedSharedSecret != "" {
			if plain, err := s.sealer.Open(c.SealedSharedSecret, sealContext(c.ID)); err == nil && string(plain) == in.SharedSecret {
				return nil
			}
		}
		sealed, err := s.sealer.Seal([]byte(in.SharedSecret), sealContext(c.ID))
		if err != nil {
			return fmt.Errorf("clusters: seal shared secret: %w", err)
		}
		c.SealedSharedSecret = sealed
	}
	return nil
}

// Delete removes a cluster with its deployments; its namespaces go back to
// the cluster above. The console's configuration is withdrawn from its
// databroker first; when that fails the delete is refused unless force is
// set, and then Pomerium keeps running the last configuration pushed.
func (s *Service) Delete(ctx context.Context, acc *rbac.Access, id string, force bool) error {
	if err := acc.Require(db.GlobalNamespaceID, rbac.RoleAdmin); err != nil {
		return err
	}
	c, err := get(ctx, s.store, id)
	if err != nil {
		return err
	}
	if IsDefault(c) {
		return errs.Conflict("the default cluster comes from the config file and serves Global: it cannot be deleted")
	}
	if CanPush(c) && s.withdraw != nil {
		if err := s.withdraw(ctx, c); err != nil && !force {
			return errs.Conflict("the console's configuration could not be removed from the databroker of “%s”: %s. "+
				"Delete anyway to leave that Pomerium running its last configuration", c.Name, errs.Reason(err))
		}
	}
	return s.store.InTx(ctx, func(tx db.Store) error {
		if err := tx.DeleteCluster(ctx, id); err != nil {
			return fmt.Errorf("clusters: delete: %w", err)
		}
		return s.log(ctx, tx, acc, db.ActivityDelete, &c, nil)
	})
}

// log writes the activity entry of a change and marks the configuration
// changed when it moves which namespaces a cluster serves, since that
// changes what the clusters around it render.
func (s *Service) log(ctx context.Context, tx db.Store, acc *rbac.Access, typ string, before, after *db.Cluster) error {
	if before == nil || after == nil || before.NamespaceID != after.NamespaceID {
		if _, err := tx.MarkConfigChanged(ctx, s.now()); err != nil {
			return fmt.Errorf("clusters: %w", err)
		}
	}
	c := activity.Change{Type: typ, EntityType: activity.EntityCluster}
	subject := after
	if before != nil {
		c.Before = snapshotOf(*before)
		subject = before
	}
	if after != nil {
		c.After = snapshotOf(*after)
		subject = after
	}
	global, _ := acc.Tree().Get(db.GlobalNamespaceID)
	c.EntityID, c.EntityName, c.NamespaceID, c.NamespaceName = subject.ID, subject.Name, global.ID, global.Name
	return activity.Record(ctx, tx, acc.Principal, s.now(), c)
}

// notify runs the change hook once tx commits.
func (s *Service) notify(tx db.Store, id string) {
	if s.changed != nil {
		tx.OnCommit(func() { s.changed(id) })
	}
}

// EnsureDefault sets the default cluster's connection from the config
// file, at start-up. It reports whether anything changed; the secret is
// sealed, never logged.
func (s *Service) EnsureDefault(ctx context.Context, d Defaults) (bool, error) {
	changed := false
	err := s.store.InTx(ctx, func(tx db.Store) error {
		c, err := tx.GetCluster(ctx, db.DefaultClusterID)
		if err != nil {
			return fmt.Errorf("clusters: default cluster: %w", err)
		}
		next := c
		next.DatabrokerURL, next.CAPEM = strings.TrimSpace(d.DatabrokerURL), strings.TrimSpace(d.CAPEM)
		if err := s.setSecret(&next, Input{SharedSecret: d.SharedSecret, ClearSecret: true}); err != nil {
			return err
		}
		if next == c {
			return nil
		}
		next.ModifiedAt, changed = s.now(), true
		if next.CreatedAt.IsZero() {
			next.CreatedAt = next.ModifiedAt
		}
		if err := tx.UpdateCluster(ctx, next); err != nil {
			return fmt.Errorf("clusters: default cluster: %w", err)
		}
		s.notify(tx, next.ID)
		return nil
	})
	return changed, err
}

// OpenSecret returns the plaintext shared secret of c, for dialling its
// databroker. Never show or log it.
func (s *Service) OpenSecret(c db.Cluster) (string, error) {
	if !HasSecret(c) {
		return "", nil
	}
	plain, err := s.sealer.Open(c.SealedSharedSecret, sealContext(c.ID))
	if err != nil {
		return "", fmt.Errorf("clusters: open shared secret of %s: %w", c.ID, err)
	}
	return string(plain), nil
}

// Load reads the clusters and the namespace tree and tells which cluster
// serves each namespace.
func Load(ctx context.Context, st interface {
	db.ClusterStore
	db.NamespaceStore
}) (Coverage, error) {
	list, err := st.ListClusters(ctx)
	if err != nil {
		return Coverage{}, fmt.Errorf("clusters: list: %w", err)
	}
	nss, err := st.ListNamespaces(ctx)
	if err != nil {
		return Coverage{}, fmt.Errorf("clusters: namespaces: %w", err)
	}
	return NewCoverage(nstree.New(nss), list), nil
}

// Blocker names the cluster bound to a namespace, which keeps it from
// being deleted (a namespaces.Blocker).
func Blocker(ctx context.Context, tx db.Store, namespaceID string) ([]string, error) {
	list, err := tx.ListClusters(ctx)
	if err != nil {
		return nil, fmt.Errorf("clusters: find users: %w", err)
	}
	for _, c := range list {
		if c.NamespaceID == namespaceID {
			return []string{"cluster “" + c.Name + "”"}, nil
		}
	}
	return nil, nil
}

// sealContext binds a sealed shared secret to its cluster.
func sealContext(id string) string { return "clusters/" + id + "/shared_secret" }
