package routes

import (
	"context"
	"fmt"
	"slices"

	"github.com/pomerium-console-oss/pomerium-console/app/errs"
	"github.com/pomerium-console-oss/pomerium-console/app/rbac"
	"github.com/pomerium-console-oss/pomerium-console/db"
)

// Bound returns the service with every read and write going through tx, so
// that several changes (a batch of the API, a policy detached and then
// deleted) are kept or dropped together.
func (s *Service) Bound(tx db.Store) *Service {
	bound := *s
	bound.store = tx
	return &bound
}

// Replace is Update where in.NamespaceID may name another namespace (empty
// keeps the route's): the route then moves there, checked as if saved
// there (its name free, its policies and key pairs within reach), and the
// caller must manage both namespaces.
func (s *Service) Replace(ctx context.Context, acc *rbac.Access, id string, in Input) (db.Route, error) {
	var r db.Route
	err := s.store.InTx(ctx, func(tx db.Store) error {
		old, err := s.getManaged(ctx, tx, acc, id)
		if err != nil {
			return err
		}
		if in.NamespaceID == "" || in.NamespaceID == old.NamespaceID {
			r, err = s.Bound(tx).Update(ctx, acc, id, in)
			return err
		}
		if err := acc.Require(in.NamespaceID, rbac.RoleManager); err != nil {
			return err
		}
		if r, err = s.prepare(ctx, tx, acc, id, &old, in); err != nil {
			return err
		}
		r.CreatedAt, r.ModifiedAt = old.CreatedAt, s.now()
		if err := tx.MoveRoute(ctx, r); err != nil {
			return writeFailed(err)
		}
		return s.logChange(ctx, tx, acc, db.ActivityUpdate, &old, &r)
	})
	if err != nil {
		return db.Route{}, err
	}
	return r, nil
}

// Move puts route id in namespace nsID, unchanged otherwise (see Replace).
func (s *Service) Move(ctx context.Context, acc *rbac.Access, id, nsID string) error {
	return s.store.InTx(ctx, func(tx db.Store) error {
		old, err := s.getManaged(ctx, tx, acc, id)
		if err != nil {
			return err
		}
		in := InputOf(old)
		in.NamespaceID = nsID
		_, err = s.Bound(tx).Replace(ctx, acc, id, in)
		return err
	})
}

// DetachPolicy removes policy id from every route attaching it, each an
// update the caller must be allowed to make, so that the policy can be
// deleted.
func (s *Service) DetachPolicy(ctx context.Context, acc *rbac.Access, policyID string) error {
	return s.store.InTx(ctx, func(tx db.Store) error {
		done := map[string]bool{}
		for {
			// Detached routes drop out of the filter, so the first page is
			// always the next one.
			list, _, err := tx.ListRoutes(ctx, db.RouteFilter{PolicyID: policyID, Limit: 100})
			if err != nil {
				return fmt.Errorf("routes: detach policy: %w", err)
			}
			if len(list) == 0 {
				return nil
			}
			for _, r := range list {
				if done[r.ID] {
					return fmt.Errorf("routes: detach policy: route %s still attaches %s", r.ID, policyID)
				}
				done[r.ID] = true
				in := InputOf(r)
				in.PolicyIDs = slices.DeleteFunc(slices.Clone(r.PolicyIDs), func(id string) bool { return id == policyID })
				if _, err := s.Bound(tx).Update(ctx, acc, r.ID, in); err != nil {
					if ve, ok := errs.AsValidation(err); ok {
						// The problem is with the route, not with what the
						// caller sent: say which route cannot be saved.
						return errs.Conflict("route %q cannot be saved without the policy: %s", r.Name, ve.Error())
					}
					return err
				}
			}
		}
	})
}
