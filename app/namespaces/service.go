package namespaces

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/pomerium-console-oss/pomerium-console/app/activity"
	"github.com/pomerium-console-oss/pomerium-console/app/errs"
	"github.com/pomerium-console-oss/pomerium-console/app/members"
	"github.com/pomerium-console-oss/pomerium-console/app/nstree"
	"github.com/pomerium-console-oss/pomerium-console/app/rbac"
	"github.com/pomerium-console-oss/pomerium-console/db"
)

// Blocker lists the resources in a namespace that stop it from being
// deleted (e.g. "route “app”"); resource packages register one each.
type Blocker func(ctx context.Context, tx db.Store, namespaceID string) ([]string, error)

// ErrGlobalFixed refuses renaming or moving Global, the root of the tree.
var ErrGlobalFixed = errs.Conflict("the Global namespace is the root of the tree: it cannot be renamed or moved")

// MoveCheck names what moving namespace nsID under newParentID would break,
// e.g. a route of its subtree using a policy that would no longer be above
// it; resource packages register one each.
type MoveCheck func(ctx context.Context, tx db.Store, tree *nstree.Tree, nsID, newParentID string) ([]string, error)

// Service changes the namespace tree.
type Service struct {
	store      db.Store
	now        func() time.Time
	blockers   []Blocker
	moveChecks []MoveCheck
}

// NewService returns a Service writing to store.
func NewService(store db.Store, now func() time.Time, blockers ...Blocker) *Service {
	return &Service{store: store, now: now, blockers: blockers}
}

// In returns the service writing through tx, so that a caller can create
// a namespace in the same transaction as other writes (e.g. a cluster
// bound to it).
func (s *Service) In(tx db.Store) *Service {
	c := *s
	c.store = tx
	return &c
}

// WithMoveChecks adds checks every move must pass.
func (s *Service) WithMoveChecks(checks ...MoveCheck) *Service {
	s.moveChecks = append(s.moveChecks, checks...)
	return s
}

// Create adds a namespace under in.ParentID; the caller must be an admin of the parent.
func (s *Service) Create(ctx context.Context, acc *rbac.Access, in CreateInput) (db.Namespace, error) {
	in.Name = strings.TrimSpace(in.Name)
	now := s.now()
	ns := db.Namespace{ID: uuid.NewString(), ParentID: in.ParentID, Name: in.Name, CreatedAt: now, ModifiedAt: now}
	err := s.store.InTx(ctx, func(tx db.Store) error {
		tree, err := loadTree(ctx, tx)
		if err != nil {
			return err
		}
		if err := requireAdminIfExists(acc, tree, ns.ParentID); err != nil {
			return err
		}
		var v errs.Validator
		v.Name("name", ns.Name, MaxNameLength)
		parent := validateParent(&v, tree, ns)
		if err := v.Err(); err != nil {
			return err
		}
		if err := tx.CreateNamespace(ctx, ns); err != nil {
			return nameConflict(err, ns.Name, parent.Name)
		}
		return activity.Record(ctx, tx, acc.Principal, now, activity.Change{
			Type: db.ActivityCreate, EntityType: activity.EntityNamespace, EntityID: ns.ID, EntityName: ns.Name,
			NamespaceID: parent.ID, NamespaceName: parent.Name,
			After: snapshotOf(ns, parent),
		})
	})
	if err != nil {
		return db.Namespace{}, err
	}
	return ns, nil
}

// Update renames and/or moves a namespace. Renaming needs the admin role on
// the namespace; moving needs it on both the old and the new parent.
func (s *Service) Update(ctx context.Context, acc *rbac.Access, id string, in UpdateInput) (db.Namespace, error) {
	if in.Name != nil {
		trimmed := strings.TrimSpace(*in.Name)
		in.Name = &trimmed
	}
	var updated db.Namespace
	err := s.store.InTx(ctx, func(tx db.Store) error {
		tree, err := loadTree(ctx, tx)
		if err != nil {
			return err
		}
		old, ok := tree.Get(id)
		if !ok {
			return errs.NotFound("namespace %s does not exist", id)
		}
		// Global first: it has no parent to authorize a move against.
		if id == db.GlobalNamespaceID {
			return ErrGlobalFixed
		}
		if err := authorizeUpdate(acc, tree, old, in); err != nil {
			return err
		}
		updated = in.Patch(old)
		updated.ModifiedAt = s.now()
		var v errs.Validator
		v.Name("name", updated.Name, MaxNameLength)
		parent := validateParent(&v, tree, updated)
		if updated.ParentID != old.ParentID && !v.Has("parentId") && tree.IsWithin(updated.ParentID, id) {
			v.Add("parentId", errs.CodeInvalid, "a namespace cannot be moved into itself or one of its descendants")
		}
		if err := v.Err(); err != nil {
			return err
		}
		if updated.Name == old.Name && updated.ParentID == old.ParentID {
			updated = old
			return nil
		}
		moved := updated.ParentID != old.ParentID
		if moved {
			if err := s.checkMove(ctx, tx, tree, id, updated.ParentID); err != nil {
				return err
			}
		}
		if err := tx.UpdateNamespace(ctx, updated); err != nil {
			return nameConflict(err, updated.Name, parent.Name)
		}
		// Enforced policies flow down the tree, so a move changes what the
		// routes below it enforce; route stat names carry namespace names,
		// so a rename changes the pushed routes too.
		if _, err := tx.MarkConfigChanged(ctx, updated.ModifiedAt); err != nil {
			return fmt.Errorf("namespaces: %w", err)
		}
		oldParent, _ := tree.Get(old.ParentID)
		return activity.Record(ctx, tx, acc.Principal, updated.ModifiedAt, activity.Change{
			Type: db.ActivityUpdate, EntityType: activity.EntityNamespace, EntityID: id, EntityName: updated.Name,
			NamespaceID: parent.ID, NamespaceName: parent.Name,
			Before: snapshotOf(old, oldParent), After: snapshotOf(updated, parent),
		})
	})
	if err != nil {
		return db.Namespace{}, err
	}
	return updated, nil
}

func authorizeUpdate(acc *rbac.Access, tree *nstree.Tree, old db.Namespace, in UpdateInput) error {
	if err := acc.Require(old.ID, rbac.RoleAdmin); err != nil {
		return err
	}
	if in.ParentID == nil || *in.ParentID == old.ParentID {
		return nil
	}
	if err := acc.Require(old.ParentID, rbac.RoleAdmin); err != nil {
		return err
	}
	return requireAdminIfExists(acc, tree, *in.ParentID)
}

// requireAdminIfExists demands the admin role on parentID when it exists in
// the transaction's tree; a missing parent is left to validateParent, which
// names it as a field error. NB: existence is checked on tree, not on
// acc.Tree(): a parent created after acc was resolved is unknown to acc, so
// Require refuses it rather than the check being skipped.
func requireAdminIfExists(acc *rbac.Access, tree *nstree.Tree, parentID string) error {
	if _, ok := tree.Get(parentID); !ok {
		return nil
	}
	return acc.Require(parentID, rbac.RoleAdmin)
}

// Delete removes an empty namespace; the caller must be an admin of its parent.
func (s *Service) Delete(ctx context.Context, acc *rbac.Access, id string) error {
	return s.store.InTx(ctx, func(tx db.Store) error {
		tree, err := loadTree(ctx, tx)
		if err != nil {
			return err
		}
		ns, ok := tree.Get(id)
		if !ok {
			return errs.NotFound("namespace %s does not exist", id)
		}
		if id == db.GlobalNamespaceID {
			return errs.Conflict("the Global namespace is the root of the tree and cannot be deleted")
		}
		if err := acc.Require(ns.ParentID, rbac.RoleAdmin); err != nil {
			return err
		}
		if err := s.checkEmpty(ctx, tx, tree, ns); err != nil {
			return err
		}
		grants, err := tx.ListPermissions(ctx, id)
		if err != nil {
			return fmt.Errorf("namespaces: list members: %w", err)
		}
		if err := tx.DeleteNamespace(ctx, id); err != nil {
			return fmt.Errorf("namespaces: delete: %w", err)
		}
		parent, _ := tree.Get(ns.ParentID)
		before := struct {
			snapshot
			Members []members.Snapshot `json:"members,omitempty"`
		}{snapshot: snapshotOf(ns, parent)}
		for _, m := range grants {
			before.Members = append(before.Members, members.SnapshotOf(m))
		}
		return activity.Record(ctx, tx, acc.Principal, s.now(), activity.Change{
			Type: db.ActivityDelete, EntityType: activity.EntityNamespace, EntityID: id, EntityName: ns.Name,
			NamespaceID: parent.ID, NamespaceName: parent.Name, Before: before,
		})
	})
}

// checkMove refuses a move that a registered check says would break something.
func (s *Service) checkMove(ctx context.Context, tx db.Store, tree *nstree.Tree, id, newParentID string) error {
	var problems []string
	for _, check := range s.moveChecks {
		found, err := check(ctx, tx, tree, id, newParentID)
		if err != nil {
			return fmt.Errorf("namespaces: check move: %w", err)
		}
		problems = append(problems, found...)
	}
	if len(problems) == 0 {
		return nil
	}
	return errs.Field("parentId", errs.CodeConflict, "moving here would break %s", strings.Join(problems, "; "))
}

func (s *Service) checkEmpty(ctx context.Context, tx db.Store, tree *nstree.Tree, ns db.Namespace) error {
	var blocking []string
	for _, c := range tree.Children(ns.ID) {
		blocking = append(blocking, fmt.Sprintf("namespace %q", c.Name))
	}
	for _, b := range s.blockers {
		names, err := b(ctx, tx, ns.ID)
		if err != nil {
			return fmt.Errorf("namespaces: check resources: %w", err)
		}
		blocking = append(blocking, names...)
	}
	if len(blocking) == 0 {
		return nil
	}
	return errs.Conflict("namespace %q is not empty: it still contains %s. Move or delete them first",
		ns.Name, strings.Join(blocking, ", "))
}

func loadTree(ctx context.Context, tx db.Store) (*nstree.Tree, error) {
	all, err := tx.ListNamespaces(ctx)
	if err != nil {
		return nil, fmt.Errorf("namespaces: list: %w", err)
	}
	return nstree.New(all), nil
}

// validateParent checks ns.ParentID exists and no sibling already has ns's
// name, and returns the parent.
func validateParent(v *errs.Validator, tree *nstree.Tree, ns db.Namespace) db.Namespace {
	parent, ok := tree.Get(ns.ParentID)
	if !ok {
		if ns.ParentID == "" {
			v.Add("parentId", errs.CodeRequired, "choose a parent namespace")
		} else {
			v.Add("parentId", errs.CodeNotFound, "parent namespace %s does not exist", ns.ParentID)
		}
		return parent
	}
	for _, sib := range tree.Children(parent.ID) {
		if sib.ID != ns.ID && strings.EqualFold(sib.Name, ns.Name) && !v.Has("name") {
			v.Add("name", errs.CodeConflict, "a namespace named %q already exists in %q", sib.Name, parent.Name)
		}
	}
	return parent
}

// nameConflict turns a store conflict (a concurrent sibling with the same
// name) into the same field error the pre-check gives.
func nameConflict(err error, name, parent string) error {
	if errors.Is(err, db.ErrConflict) {
		return errs.Field("name", errs.CodeConflict, "a namespace named %q already exists in %q", name, parent)
	}
	return fmt.Errorf("namespaces: write: %w", err)
}

func snapshotOf(ns, parent db.Namespace) snapshot {
	return snapshot{ID: ns.ID, Name: ns.Name, ParentID: ns.ParentID, ParentName: parent.Name}
}
