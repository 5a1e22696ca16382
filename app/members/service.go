package members

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/pomerium-console-oss/pomerium-console/app/activity"
	"github.com/pomerium-console-oss/pomerium-console/app/errs"
	"github.com/pomerium-console-oss/pomerium-console/app/rbac"
	"github.com/pomerium-console-oss/pomerium-console/db"
)

// MaxSubjectLength caps user and group ids.
const MaxSubjectLength = 256

// GrantInput gives Role on a namespace to a user (id or e-mail) or a group.
type GrantInput struct {
	SubjectType string
	SubjectID   string
	Role        string
}

// Member is one grant as the members page shows it.
type Member struct {
	db.Permission
	NamespaceName string
	// Inherited grants are made on an ancestor namespace.
	Inherited bool
	// UserName, UserEmail and UserGroups are known once the user has
	// signed in (the groups as the IdP last reported them).
	UserName   string
	UserEmail  string
	UserGroups []string
}

// Service manages grants.
type Service struct {
	store db.Store
	now   func() time.Time
}

// NewService returns a Service writing to store.
func NewService(store db.Store, now func() time.Time) *Service {
	return &Service{store: store, now: now}
}

// List returns the grants that apply on nsID: its own first, then those
// inherited from ancestors (nearest first). Viewers may list.
func (s *Service) List(ctx context.Context, acc *rbac.Access, nsID string) ([]Member, error) {
	if err := acc.Require(nsID, rbac.RoleViewer); err != nil {
		return nil, err
	}
	path := acc.Tree().Ancestors(nsID)
	var out []Member
	for i := len(path) - 1; i >= 0; i-- {
		perms, err := s.store.ListPermissions(ctx, path[i].ID)
		if err != nil {
			return nil, fmt.Errorf("members: list: %w", err)
		}
		for _, p := range perms {
			m := Member{Permission: p, NamespaceName: path[i].Name, Inherited: path[i].ID != nsID}
			if p.SubjectType == db.SubjectUser {
				u, err := s.knownUser(ctx, p.SubjectID)
				switch {
				case err == nil:
					m.UserName, m.UserEmail, m.UserGroups = u.Name, u.Email, u.Groups
				case !errors.Is(err, db.ErrNotFound):
					return nil, fmt.Errorf("members: user %s: %w", p.SubjectID, err)
				}
			}
			out = append(out, m)
		}
	}
	return out, nil
}

// Grant gives (or changes) a role on nsID. Admins only.
func (s *Service) Grant(ctx context.Context, acc *rbac.Access, nsID string, in GrantInput) (db.Permission, error) {
	if err := acc.Require(nsID, rbac.RoleAdmin); err != nil {
		return db.Permission{}, err
	}
	in = normalize(in)
	if err := validate(in); err != nil {
		return db.Permission{}, err
	}
	ns, _ := acc.Tree().Get(nsID)
	now := s.now()
	var stored db.Permission
	err := s.store.InTx(ctx, func(tx db.Store) error {
		before, err := findGrant(ctx, tx, nsID, in)
		if err != nil {
			return err
		}
		if before != nil && before.Role == in.Role {
			stored = *before // nothing changes, so nothing is written or logged
			return nil
		}
		stored, err = tx.PutPermission(ctx, db.Permission{
			ID: uuid.NewString(), NamespaceID: nsID, SubjectType: in.SubjectType, SubjectID: in.SubjectID,
			Role: in.Role, CreatedAt: now, ModifiedAt: now,
		})
		if err != nil {
			return fmt.Errorf("members: grant: %w", err)
		}
		change := activity.Change{
			Type: db.ActivityCreate, EntityType: activity.EntityNamespacePermission, EntityID: stored.ID,
			EntityName: in.SubjectType + " " + in.SubjectID, NamespaceID: nsID, NamespaceName: ns.Name,
			After: SnapshotOf(stored),
		}
		if before != nil {
			change.Type, change.Before = db.ActivityUpdate, SnapshotOf(*before)
		}
		return activity.Record(ctx, tx, acc.Principal, now, change)
	})
	if err != nil {
		// stored may hold a row the rollback undid.
		return db.Permission{}, err
	}
	return stored, nil
}

// Revoke removes the grant permID, which must be made on nsID. Admins only.
func (s *Service) Revoke(ctx context.Context, acc *rbac.Access, nsID, permID string) error {
	if err := acc.Require(nsID, rbac.RoleAdmin); err != nil {
		return err
	}
	ns, _ := acc.Tree().Get(nsID)
	return s.store.InTx(ctx, func(tx db.Store) error {
		p, err := tx.GetPermission(ctx, permID)
		if err != nil && !errors.Is(err, db.ErrNotFound) {
			return fmt.Errorf("members: get grant: %w", err)
		}
		if err != nil || p.NamespaceID != nsID {
			return errs.NotFound("no such member grant on namespace %q", ns.Name)
		}
		if err := tx.DeletePermission(ctx, permID); err != nil {
			return fmt.Errorf("members: revoke: %w", err)
		}
		return activity.Record(ctx, tx, acc.Principal, s.now(), activity.Change{
			Type: db.ActivityDelete, EntityType: activity.EntityNamespacePermission, EntityID: p.ID,
			EntityName: p.SubjectType + " " + p.SubjectID, NamespaceID: nsID, NamespaceName: ns.Name,
			Before: SnapshotOf(p),
		})
	})
}

// emailLookupLimit bounds the search for the user of an e-mail grant; the
// search matches substrings, so a few other users may come back too.
const emailLookupLimit = 20

// knownUser finds the user a user grant names: by id, or for a grant made to
// an e-mail address (stored lower-cased), by that address once the user has
// signed in. db.ErrNotFound when nobody matches.
func (s *Service) knownUser(ctx context.Context, subjectID string) (db.User, error) {
	u, err := s.store.GetUser(ctx, subjectID)
	if err == nil || !errors.Is(err, db.ErrNotFound) || !strings.Contains(subjectID, "@") {
		return u, err
	}
	candidates, err := s.store.SearchUsers(ctx, subjectID, emailLookupLimit)
	if err != nil {
		return db.User{}, err
	}
	for _, c := range candidates {
		if strings.EqualFold(c.Email, subjectID) {
			return c, nil
		}
	}
	return db.User{}, db.ErrNotFound
}

func findGrant(ctx context.Context, tx db.Store, nsID string, in GrantInput) (*db.Permission, error) {
	perms, err := tx.ListPermissions(ctx, nsID)
	if err != nil {
		return nil, fmt.Errorf("members: list: %w", err)
	}
	for _, p := range perms {
		if p.SubjectType == in.SubjectType && p.SubjectID == in.SubjectID {
			return &p, nil
		}
	}
	return nil, nil
}

// normalize trims input and lower-cases e-mail addresses, which the RBAC
// lookup compares lower-cased.
func normalize(in GrantInput) GrantInput {
	in.SubjectType = strings.TrimSpace(in.SubjectType)
	in.SubjectID = strings.TrimSpace(in.SubjectID)
	in.Role = strings.TrimSpace(in.Role)
	if in.SubjectType == db.SubjectUser && strings.Contains(in.SubjectID, "@") {
		in.SubjectID = strings.ToLower(in.SubjectID)
	}
	return in
}

func validate(in GrantInput) error {
	var v errs.Validator
	if in.SubjectType != db.SubjectUser && in.SubjectType != db.SubjectGroup {
		v.Add("subjectType", errs.CodeInvalid, "choose user or group")
	}
	switch {
	case in.SubjectID == "":
		v.Add("subjectId", errs.CodeRequired, "enter a user id, an e-mail address or a group id")
	case utf8.RuneCountInString(in.SubjectID) > MaxSubjectLength:
		v.Add("subjectId", errs.CodeTooLong, "must be at most %d characters", MaxSubjectLength)
	}
	if _, err := rbac.ParseRole(in.Role); err != nil {
		v.Add("role", errs.CodeInvalid, "%s", err.Error())
	}
	return v.Err()
}

// Snapshot is a grant as the activity log stores it.
type Snapshot struct {
	ID          string `json:"id"`
	NamespaceID string `json:"namespaceId"`
	SubjectType string `json:"subjectType"`
	SubjectID   string `json:"subjectId"`
	Role        string `json:"role"`
}

// SnapshotOf returns the activity-log shape of p.
func SnapshotOf(p db.Permission) Snapshot {
	return Snapshot{ID: p.ID, NamespaceID: p.NamespaceID, SubjectType: p.SubjectType, SubjectID: p.SubjectID, Role: p.Role}
}
