package serviceaccounts

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/pomerium-console-oss/pomerium-console/app/activity"
	"github.com/pomerium-console-oss/pomerium-console/app/databroker"
	"github.com/pomerium-console-oss/pomerium-console/app/errs"
	"github.com/pomerium-console-oss/pomerium-console/app/keylock"
	"github.com/pomerium-console-oss/pomerium-console/app/rbac"
	"github.com/pomerium-console-oss/pomerium-console/db"
)

// Secrets opens a cluster's shared secret (clusters.Service).
type Secrets interface {
	OpenSecret(c db.Cluster) (string, error)
}

// Databrokers hands out the client of a cluster's databroker
// (deploy.Service).
type Databrokers interface {
	Databroker(ctx context.Context, c db.Cluster) (*databroker.Client, error)
}

// Defaults of Options.
const (
	DefaultPushTimeout = 10 * time.Second
	// DefaultTouchInterval is how often a use of an account is written:
	// once a minute at most, so that verifying a token is a read.
	DefaultTouchInterval = time.Minute
	// DefaultReconcileInterval is how often Sync checks that the
	// databrokers still hold the records they were sent (Core's in-memory
	// databroker loses them when it restarts).
	DefaultReconcileInterval = 5 * time.Minute
)

// Options configure a Service; zero durations take the defaults.
type Options struct {
	Store       db.Store
	Secrets     Secrets
	Databrokers Databrokers
	Now         func() time.Time
	Logger      *slog.Logger
	// Backoff spaces out retries of a failed push.
	Backoff           databroker.Backoff
	PushTimeout       time.Duration
	TouchInterval     time.Duration
	ReconcileInterval time.Duration
}

// Service manages service accounts. Reading needs the viewer role on an
// account's namespace; creating, changing and revoking need the admin
// role, since an account can be granted roles of its own. It also
// verifies tokens (authn.ServiceAccountVerifier).
type Service struct {
	store       db.Store
	secrets     Secrets
	databrokers Databrokers
	now         func() time.Time
	logger      *slog.Logger
	backoff     databroker.Backoff
	pushTimeout time.Duration
	touchEvery  time.Duration
	reconcile   time.Duration
	keys        keyCache
	// locks serialises the pushes of one account.
	locks keylock.Locks

	mu             sync.Mutex
	lastReconciled time.Time
	ctx            context.Context
	cancel         context.CancelFunc
	pushes         sync.WaitGroup
}

// New returns a Service; Close it to stop background pushes.
func New(o Options) *Service {
	if o.PushTimeout <= 0 {
		o.PushTimeout = DefaultPushTimeout
	}
	if o.TouchInterval <= 0 {
		o.TouchInterval = DefaultTouchInterval
	}
	if o.ReconcileInterval <= 0 {
		o.ReconcileInterval = DefaultReconcileInterval
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	ctx, cancel := context.WithCancel(context.Background())
	return &Service{
		store: o.Store, secrets: o.Secrets, databrokers: o.Databrokers, now: o.Now, logger: o.Logger,
		backoff: o.Backoff, pushTimeout: o.PushTimeout, touchEvery: o.TouchInterval, reconcile: o.ReconcileInterval,
		keys: keyCache{keys: map[string][]byte{}}, ctx: ctx, cancel: cancel,
	}
}

// Wait blocks until the pushes started by committed changes are done.
func (s *Service) Wait() { s.pushes.Wait() }

// Close stops background pushes and waits for them; what they did not
// finish stays owed for the retry job.
func (s *Service) Close() {
	// Under mu, so that no push starts (pushes.Add) once Wait may run.
	s.mu.Lock()
	s.cancel()
	s.mu.Unlock()
	s.pushes.Wait()
}

// Get returns one account.
func (s *Service) Get(ctx context.Context, acc *rbac.Access, id string) (Account, error) {
	a, err := s.load(ctx, s.store, acc, id, rbac.RoleViewer)
	if err != nil {
		return Account{}, err
	}
	return toAccount(a, s.now()), nil
}

// List returns the accounts of namespace nsID, newest first; with
// descendants, also those of its children where the caller is a viewer.
func (s *Service) List(ctx context.Context, acc *rbac.Access, nsID string, descendants bool) ([]Account, error) {
	if err := acc.Require(nsID, rbac.RoleViewer); err != nil {
		return nil, err
	}
	ids := []string{nsID}
	if descendants {
		ids = acc.SubtreeWith(nsID, rbac.RoleViewer)
	}
	list, err := s.store.ListServiceAccounts(ctx, db.ServiceAccountFilter{NamespaceIDs: ids})
	if err != nil {
		return nil, fmt.Errorf("serviceaccounts: list: %w", err)
	}
	now := s.now()
	out := make([]Account, 0, len(list))
	for _, a := range list {
		out = append(out, toAccount(a, now))
	}
	return out, nil
}

// Create makes a service account and returns it with its token, which is
// shown once and never stored.
func (s *Service) Create(ctx context.Context, acc *rbac.Access, in Input) (Account, string, error) {
	in.UserID = normalizeUserID(in.UserID)
	if err := acc.Require(in.NamespaceID, RoleToCreate(in.UserID)); err != nil {
		return Account{}, "", err
	}
	now := s.now()
	if err := validateCreate(in, now); err != nil {
		return Account{}, "", err
	}
	// Read the key first: an account whose token cannot be made would be
	// of no use.
	key, err := s.signingKey(ctx, s.store, in.NamespaceID)
	if err != nil {
		return Account{}, "", err
	}
	id := uuid.NewString()
	a := db.ServiceAccount{
		ID: id, NamespaceID: in.NamespaceID, UserID: in.UserID, Description: in.Description,
		CreatedBy: acc.Principal.UserID, IssuedAt: now.UTC().Truncate(time.Second), Version: 1,
	}
	if a.UserID == "" {
		a.UserID = generatedUserID(id, in.NamespaceID)
	}
	if in.ExpiresAt != nil {
		a.ExpiresAt = in.ExpiresAt.UTC().Truncate(time.Second)
	}
	token, err := sign(key, a)
	if err != nil {
		return Account{}, "", err
	}
	err = s.store.InTx(ctx, func(tx db.Store) error {
		if err := tx.CreateServiceAccount(ctx, a); err != nil {
			return fmt.Errorf("serviceaccounts: create: %w", err)
		}
		s.pushAfter(tx, a.ID)
		return s.log(ctx, tx, acc, db.ActivityCreate, nil, &a)
	})
	if err != nil {
		return Account{}, "", err
	}
	return toAccount(a, now), token, nil
}

// Update changes the set fields of account id and returns it with its
// token as it now is. A revoked account cannot change.
func (s *Service) Update(ctx context.Context, acc *rbac.Access, id string, in UpdateInput) (Account, string, error) {
	var (
		next  db.ServiceAccount
		token string
	)
	now := s.now()
	if in.ExpiresAt != nil && !in.ExpiresAt.IsZero() {
		t := in.ExpiresAt.UTC().Truncate(time.Second)
		in.ExpiresAt = &t
	}
	err := s.store.InTx(ctx, func(tx db.Store) error {
		old, err := s.load(ctx, tx, acc, id, RoleForGenerated)
		if err != nil {
			return err
		}
		if err := acc.Require(old.NamespaceID, roleToChange(old)); err != nil {
			return err
		}
		if !old.RevokedAt.IsZero() {
			return errs.Conflict("service account %q is revoked: it cannot be changed", name(old))
		}
		if err := validateUpdate(in, now); err != nil {
			return err
		}
		key, err := s.signingKey(ctx, tx, old.NamespaceID)
		if err != nil {
			return err
		}
		next = in.Patch(old)
		if token, err = sign(key, next); err != nil {
			return err
		}
		if next.Description == old.Description && next.ExpiresAt.Equal(old.ExpiresAt) {
			return nil
		}
		if err := tx.UpdateServiceAccount(ctx, next); err != nil {
			return fmt.Errorf("serviceaccounts: update: %w", err)
		}
		next.Version++
		s.pushAfter(tx, id)
		return s.log(ctx, tx, acc, db.ActivityUpdate, &old, &next)
	})
	if err != nil {
		return Account{}, "", err
	}
	return toAccount(next, now), token, nil
}

// Revoke ends account id: its token stops working in the console at once
// and in Core once the record's tombstone reaches the databroker.
// Revoking twice is a conflict.
func (s *Service) Revoke(ctx context.Context, acc *rbac.Access, id string) (Account, error) {
	var next db.ServiceAccount
	now := s.now()
	err := s.store.InTx(ctx, func(tx db.Store) error {
		old, err := s.load(ctx, tx, acc, id, RoleForGenerated)
		if err != nil {
			return err
		}
		if !old.RevokedAt.IsZero() {
			return errs.Conflict("service account %q is already revoked", name(old))
		}
		next = old
		next.RevokedAt = now.UTC()
		if err := tx.UpdateServiceAccount(ctx, next); err != nil {
			return fmt.Errorf("serviceaccounts: revoke: %w", err)
		}
		next.Version++
		s.pushAfter(tx, id)
		return s.log(ctx, tx, acc, db.ActivityDelete, &old, nil)
	})
	if err != nil {
		return Account{}, err
	}
	return toAccount(next, now), nil
}

// load reads account id after checking the caller holds role on its
// namespace.
func (s *Service) load(ctx context.Context, st db.ServiceAccountStore, acc *rbac.Access, id string, role rbac.Role) (db.ServiceAccount, error) {
	a, err := st.GetServiceAccount(ctx, id)
	switch {
	case errors.Is(err, db.ErrNotFound):
		return db.ServiceAccount{}, errs.NotFound("service account %q does not exist", id)
	case err != nil:
		return db.ServiceAccount{}, fmt.Errorf("serviceaccounts: get: %w", err)
	}
	if err := acc.Require(a.NamespaceID, role); err != nil {
		return db.ServiceAccount{}, err
	}
	return a, nil
}

// log writes the activity entry of a change; before is nil for a create,
// after for a revocation. The token is never part of it.
func (s *Service) log(ctx context.Context, tx db.Store, acc *rbac.Access, typ string, before, after *db.ServiceAccount) error {
	c := activity.Change{Type: typ, EntityType: activity.EntityServiceAccount}
	subject := after
	if before != nil {
		c.Before, subject = snapshotOf(*before), before
	}
	if after != nil {
		c.After, subject = snapshotOf(*after), after
	}
	ns, _ := acc.Tree().Get(subject.NamespaceID)
	c.EntityID, c.EntityName, c.NamespaceID, c.NamespaceName = subject.ID, name(*subject), subject.NamespaceID, ns.Name
	return activity.Record(ctx, tx, acc.Principal, s.now(), c)
}

// name is how an account is named in messages and the log.
func name(a db.ServiceAccount) string {
	if a.Description != "" {
		return a.Description
	}
	return a.UserID
}

// Roles that service accounts need on their namespace. Managers handle
// accounts with a generated user id, which hold no grants until an admin
// gives them some; an account with a chosen user id (impersonating a
// directory user) carries that user's grants, so only admins make or
// extend those. Revoking only takes access away: managers may revoke any.
const (
	RoleForGenerated = rbac.RoleManager
	RoleForChosenID  = rbac.RoleAdmin
)

// RoleToCreate is the role a new account with user id userID ("" for a
// generated one) needs on its namespace.
func RoleToCreate(userID string) rbac.Role {
	if userID == "" {
		return RoleForGenerated
	}
	return RoleForChosenID
}

// roleToChange is the role needed to edit an existing account.
func roleToChange(a db.ServiceAccount) rbac.Role {
	if a.UserID == generatedUserID(a.ID, a.NamespaceID) {
		return RoleForGenerated
	}
	return RoleForChosenID
}

// generatedUserID is the user id of an account that impersonates no one:
// its id in Global, "<id>@<namespace id>.pomerium" below, the format of
// Pomerium Enterprise.
func generatedUserID(id, nsID string) string {
	if nsID == db.GlobalNamespaceID {
		return id
	}
	return id + "@" + nsID + ".pomerium"
}
