package serviceaccounts

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/pomerium-console-oss/pomerium-console/app/authn"
	"github.com/pomerium-console-oss/pomerium-console/app/errs"
	"github.com/pomerium-console-oss/pomerium-console/db"
)

var _ authn.ServiceAccountVerifier = (*Service)(nil)

// Verify checks a service account token as Core does, and more strictly:
// the signature with the shared secret of the cluster serving the
// account's namespace, then that the account exists, is not revoked and
// has not expired (the record's expiry decides, as in Core; the token's
// exp is not consulted, so an extended account keeps its token). It
// records the use at most once per touch interval.
func (s *Service) Verify(ctx context.Context, token string) (authn.Principal, error) {
	p, err := parse(token)
	if err != nil {
		return authn.Principal{}, errs.Unauthenticated("%v", err)
	}
	if p.claims.ID == "" {
		return authn.Principal{}, errs.Unauthenticated("the service account token has no jti (account id)")
	}
	a, err := s.store.GetServiceAccount(ctx, p.claims.ID)
	switch {
	case errors.Is(err, db.ErrNotFound):
		return authn.Principal{}, errs.Unauthenticated("the service account token names no known account")
	case err != nil:
		return authn.Principal{}, fmt.Errorf("serviceaccounts: verify: %w", err)
	}
	c, err := clusterOf(ctx, s.store, a.NamespaceID)
	if err != nil {
		return authn.Principal{}, fmt.Errorf("serviceaccounts: verify: %w", err)
	}
	key, err := s.clusterKey(c)
	if err != nil {
		return authn.Principal{}, errs.Unauthenticated("the service account token cannot be checked: %s", errs.Reason(err))
	}
	// NB: nothing about the account is told before the signature holds,
	// so a forged token learns nothing but "invalid".
	if err := p.verify(key); err != nil || p.claims.Subject != a.UserID {
		return authn.Principal{}, errs.Unauthenticated("the service account token's signature is not valid")
	}
	return s.use(ctx, a)
}

// FromAssertion maps a Pomerium assertion for a service account's request
// to that account: Pomerium sets sid to the session it loaded, which for a
// service-account token is the account id, and sub to its user id.
func (s *Service) FromAssertion(ctx context.Context, p authn.Principal) (authn.Principal, error) {
	if p.Kind != authn.KindPomerium || p.SessionID == "" {
		return p, nil
	}
	a, err := s.store.GetServiceAccount(ctx, p.SessionID)
	switch {
	case errors.Is(err, db.ErrNotFound):
		return p, nil
	case err != nil:
		return authn.Principal{}, fmt.Errorf("serviceaccounts: assertion: %w", err)
	}
	if a.UserID != p.UserID {
		// Not this account's request: a session id that merely equals an
		// account id (Core forbids the collision; keep the user as is).
		return p, nil
	}
	return s.use(ctx, a)
}

// use is the principal of account a, unless it was revoked or expired.
func (s *Service) use(ctx context.Context, a db.ServiceAccount) (authn.Principal, error) {
	now := s.now()
	switch statusAt(a, now) {
	case StatusRevoked:
		return authn.Principal{}, errs.Unauthenticated("service account %q was revoked at %s", name(a), a.RevokedAt.Format(time.RFC3339))
	case StatusExpired:
		return authn.Principal{}, errs.Unauthenticated("service account %q expired at %s", name(a), a.ExpiresAt.Format(time.RFC3339))
	}
	s.touch(ctx, a, now)
	pr := authn.Principal{
		Kind: authn.KindServiceAccount, UserID: a.UserID, Name: a.Description,
		ServiceAccountID: a.ID, ServiceAccountNamespaceID: a.NamespaceID, ExpiresAt: a.ExpiresAt,
	}
	if pr.Name == "" {
		pr.Name = "service account " + a.ID
	}
	return pr, nil
}

// touch records a use of a when the last recorded one is older than the
// touch interval; the stored time is checked first so that most calls
// write nothing. A failed write only loses a "last used" time.
func (s *Service) touch(ctx context.Context, a db.ServiceAccount, now time.Time) {
	if !a.AccessedAt.IsZero() && now.Sub(a.AccessedAt) < s.touchEvery {
		return
	}
	if _, err := s.store.TouchServiceAccount(ctx, a.ID, now, s.touchEvery); err != nil {
		s.logger.Warn("record service account use", "service_account", a.ID, "error", err)
	}
}
