package routes

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"time"

	"github.com/google/uuid"

	"github.com/pomerium-console-oss/pomerium-console/app/activity"
	"github.com/pomerium-console-oss/pomerium-console/app/errs"
	"github.com/pomerium-console-oss/pomerium-console/app/rbac"
	"github.com/pomerium-console-oss/pomerium-console/db"
)

// Sealer seals secrets at rest; *seal.Sealer is one.
type Sealer interface {
	Seal(plaintext []byte, context string) (string, error)
}

// Inheritor lists the policies of a namespace and its ancestors, enforced
// and optional, nearest first; *policies.Service is one.
type Inheritor interface {
	Inherited(ctx context.Context, acc *rbac.Access, nsID string) (enforced, optional []db.Policy, err error)
}

// Service changes routes. Every mutation needs the manager role on the
// route's namespace, is validated as a whole, and writes its activity entry
// and marks the configuration changed in the same transaction.
type Service struct {
	store    db.Store
	sealer   Sealer
	now      func() time.Time
	policies Inheritor
}

// NewService returns a Service over store.
func NewService(store db.Store, sealer Sealer, now func() time.Time, policies Inheritor) *Service {
	return &Service{store: store, sealer: sealer, now: now, policies: policies}
}

// Create validates and stores a new route.
func (s *Service) Create(ctx context.Context, acc *rbac.Access, in Input) (db.Route, error) {
	if err := acc.Require(in.NamespaceID, rbac.RoleManager); err != nil {
		return db.Route{}, err
	}
	var r db.Route
	err := s.store.InTx(ctx, func(tx db.Store) error {
		var err error
		if r, err = s.prepare(ctx, tx, acc, uuid.NewString(), nil, in); err != nil {
			return err
		}
		r.CreatedAt, r.ModifiedAt = s.now(), s.now()
		if err := tx.CreateRoute(ctx, r); err != nil {
			return writeFailed(err)
		}
		return s.logChange(ctx, tx, acc, db.ActivityCreate, nil, &r)
	})
	if err != nil {
		return db.Route{}, err
	}
	return r, nil
}

// Update replaces every field of route id with in; its namespace stays.
func (s *Service) Update(ctx context.Context, acc *rbac.Access, id string, in Input) (db.Route, error) {
	var r db.Route
	err := s.store.InTx(ctx, func(tx db.Store) error {
		old, err := s.getManaged(ctx, tx, acc, id)
		if err != nil {
			return err
		}
		in.NamespaceID = old.NamespaceID
		if r, err = s.prepare(ctx, tx, acc, id, &old, in); err != nil {
			return err
		}
		r.CreatedAt, r.ModifiedAt = old.CreatedAt, old.ModifiedAt
		if reflect.DeepEqual(r, old) {
			return nil
		}
		r.ModifiedAt = s.now()
		if err := tx.UpdateRoute(ctx, r); err != nil {
			return writeFailed(err)
		}
		return s.logChange(ctx, tx, acc, db.ActivityUpdate, &old, &r)
	})
	if err != nil {
		return db.Route{}, err
	}
	return r, nil
}

// Validate runs every check of Create (id "") or Update without storing
// anything, for the form's inline validation.
func (s *Service) Validate(ctx context.Context, acc *rbac.Access, id string, in Input) error {
	var old *db.Route
	if id != "" {
		r, err := s.getManaged(ctx, s.store, acc, id)
		if err != nil {
			return err
		}
		old, in.NamespaceID = &r, r.NamespaceID
	} else {
		id = uuid.NewString()
		if err := acc.Require(in.NamespaceID, rbac.RoleManager); err != nil {
			return err
		}
	}
	_, err := s.prepare(ctx, s.store, acc, id, old, in)
	return err
}

// Delete removes route id.
func (s *Service) Delete(ctx context.Context, acc *rbac.Access, id string) error {
	return s.store.InTx(ctx, func(tx db.Store) error {
		r, err := s.getManaged(ctx, tx, acc, id)
		if err != nil {
			return err
		}
		if err := tx.DeleteRoute(ctx, id); err != nil {
			return fmt.Errorf("routes: delete: %w", err)
		}
		return s.logChange(ctx, tx, acc, db.ActivityDelete, &r, nil)
	})
}

// prepare validates in as route id (old is the stored route of an update),
// reporting every failing field at once, and returns the route to store
// with its secrets sealed.
func (s *Service) prepare(ctx context.Context, tx db.Store, acc *rbac.Access, id string, old *db.Route, in Input) (db.Route, error) {
	var c checker
	r := shape(&c, in)
	r.ID = id
	if err := s.checkStored(ctx, tx, acc, &c, r); err != nil {
		return db.Route{}, err
	}
	if err := s.applySecrets(&c, &r, old, in); err != nil {
		return db.Route{}, err
	}
	if err := c.Err(); err != nil {
		return db.Route{}, err
	}
	return r, nil
}

// getManaged loads route id for a caller who must manage its namespace.
func (s *Service) getManaged(ctx context.Context, tx db.Store, acc *rbac.Access, id string) (db.Route, error) {
	return s.getVisible(ctx, tx, acc, id, rbac.RoleManager)
}

// getVisible loads route id for a caller holding at least min on its namespace.
func (s *Service) getVisible(ctx context.Context, tx db.Store, acc *rbac.Access, id string, min rbac.Role) (db.Route, error) {
	r, err := tx.GetRoute(ctx, id)
	if errors.Is(err, db.ErrNotFound) {
		return db.Route{}, errs.NotFound("route %s does not exist", id)
	}
	if err != nil {
		return db.Route{}, fmt.Errorf("routes: get: %w", err)
	}
	if err := acc.Require(r.NamespaceID, min); err != nil {
		return db.Route{}, err
	}
	return r, nil
}

// writeFailed explains a write the checks let through but the store
// refused: another change got in between.
func writeFailed(err error) error {
	switch {
	case errors.Is(err, db.ErrConflict):
		return &errs.ValidationError{Form: "another route with this name or the same matching was saved at the same moment: check the routes and try again"}
	case errors.Is(err, db.ErrNotFound):
		return &errs.ValidationError{Form: "a policy or key pair this route uses was deleted at the same moment: check the choices and try again"}
	}
	return fmt.Errorf("routes: write: %w", err)
}

// logChange writes the activity entry of a mutation and marks the
// configuration pushed to Pomerium as changed.
func (s *Service) logChange(ctx context.Context, tx db.Store, acc *rbac.Access, typ string, before, after *db.Route) error {
	return activity.LogConfigChange(ctx, tx, acc, s.now(), typ, activity.EntityRoute, before, after, describe)
}

func describe(r db.Route) activity.Described {
	return activity.Described{ID: r.ID, Name: r.Name, NamespaceID: r.NamespaceID, Snapshot: snapshotOf(r)}
}
