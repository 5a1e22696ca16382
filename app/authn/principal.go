package authn

import (
	"context"
	"time"

	"github.com/pomerium-console-oss/pomerium-console/app/errs"
)

// Principal kinds.
const (
	KindPomerium       = "pomerium"
	KindRecovery       = "recovery"
	KindServiceAccount = "service_account"
)

// ClockSkew is how far apart the console's clock and a token issuer's clock
// may be before iat (and for Pomerium assertions, exp) checks fail.
const ClockSkew = time.Minute

// Principal is an authenticated caller.
type Principal struct {
	// Kind is KindPomerium, KindRecovery or KindServiceAccount.
	Kind   string
	UserID string
	Email  string
	Name   string
	Groups []string
	// RecoveryNamespaceID is the namespace a recovery principal administers.
	RecoveryNamespaceID string
	// ServiceAccountID and ServiceAccountNamespaceID name the account of a
	// service-account principal and the namespace it was created in: its
	// roles apply only there and in that namespace's children.
	ServiceAccountID          string
	ServiceAccountNamespaceID string
	// SessionID is the caller's Pomerium session (the assertion's sid):
	// the session.Session record impersonation patches. Empty for other kinds.
	SessionID string
	// ExpiresAt is when the credential stops being valid; a session built on
	// it must not outlive it.
	ExpiresAt time.Time
}

// DisplayName returns the most human name known: name, else e-mail, else id.
func (p Principal) DisplayName() string {
	switch {
	case p.Name != "":
		return p.Name
	case p.Email != "":
		return p.Email
	}
	return p.UserID
}

// ServiceAccountVerifier checks a service-account bearer token.
type ServiceAccountVerifier interface {
	Verify(ctx context.Context, token string) (Principal, error)
	// FromAssertion turns a Pomerium assertion made for a service
	// account's request (its sid is the account id) back into that
	// account, so its roles stay capped to its namespace behind Pomerium
	// too; any other principal comes back unchanged.
	FromAssertion(ctx context.Context, p Principal) (Principal, error)
}

// NoServiceAccounts is the ServiceAccountVerifier of a console without
// service accounts (tests of other parts).
type NoServiceAccounts struct{}

// Verify refuses every token.
func (NoServiceAccounts) Verify(context.Context, string) (Principal, error) {
	return Principal{}, errs.Unauthenticated("service account tokens are not accepted yet")
}

// FromAssertion returns p.
func (NoServiceAccounts) FromAssertion(_ context.Context, p Principal) (Principal, error) {
	return p, nil
}
