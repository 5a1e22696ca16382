package users

import (
	"context"
	"fmt"
	"time"

	"github.com/pomerium-console-oss/pomerium-console/app/authn"
	"github.com/pomerium-console-oss/pomerium-console/db"
)

// Service keeps the users table current.
type Service struct {
	store db.UserStore
	now   func() time.Time
}

// NewService returns a Service over store.
func NewService(store db.UserStore, now func() time.Time) *Service {
	return &Service{store: store, now: now}
}

// Seen creates the user of a Pomerium sign-in on first sight and refreshes
// its e-mail, name and groups afterwards. Other principals are not users.
func (s *Service) Seen(ctx context.Context, p authn.Principal) error {
	if p.Kind != authn.KindPomerium {
		return nil
	}
	now := s.now()
	err := s.store.UpsertUser(ctx, db.User{
		ID: p.UserID, Email: p.Email, Name: p.Name, Groups: p.Groups, CreatedAt: now, LastSeenAt: now,
	})
	if err != nil {
		return fmt.Errorf("users: record sign-in: %w", err)
	}
	return nil
}
