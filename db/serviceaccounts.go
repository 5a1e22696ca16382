package db

import (
	"context"
	"time"
)

// ServiceAccount is a machine identity of a namespace: its token (never
// stored) is valid there and in the namespace's children. The record Core
// reads is pushed to the databroker of the cluster serving the namespace;
// Version and Sync say whether that push is still owed.
type ServiceAccount struct {
	ID          string
	NamespaceID string
	// UserID is the identity the account acts as (a fresh id, or an
	// existing user it impersonates).
	UserID      string
	Description string
	// CreatedBy is the user id of whoever created the account.
	CreatedBy string
	IssuedAt  time.Time
	// ExpiresAt, AccessedAt and RevokedAt are zero when unset (never
	// expires, never used, active); the store keeps them as NULL.
	ExpiresAt  time.Time
	AccessedAt time.Time
	RevokedAt  time.Time
	// Version counts the changes of what the databroker record holds; the
	// store sets it to 1 on create and increments it on every update, so
	// callers never write it.
	Version int64
	Sync    ServiceAccountSync
}

// Dirty reports whether the databroker does not hold the account's latest
// version yet (or, once revoked, its tombstone).
func (a ServiceAccount) Dirty() bool { return a.Sync.SyncedVersion < a.Version }

// ServiceAccountSync is how pushing an account's record to the databroker
// went.
type ServiceAccountSync struct {
	// SyncedVersion is the Version the databroker holds; it never goes
	// down.
	SyncedVersion int64
	// ClusterID is the cluster whose databroker holds the record; empty
	// when none does.
	ClusterID string
	SyncedAt  time.Time
	// LastError is the reason of the last failed push, for admins; empty
	// after a success.
	LastError string
	// Failures counts failed pushes since the last success; the back-off
	// grows with it.
	Failures      int
	NextAttemptAt time.Time
}

// ServiceAccountFilter selects service accounts; zero fields do not filter.
type ServiceAccountFilter struct {
	// NamespaceIDs keeps accounts of any of these namespaces; nil keeps
	// all, an empty non-nil slice keeps none.
	NamespaceIDs []string
	// Active drops revoked accounts.
	Active bool
	// Dirty keeps accounts whose record is owed to the databroker.
	Dirty bool
}

// ServiceAccountStore persists service accounts.
type ServiceAccountStore interface {
	// CreateServiceAccount inserts a with Version 1 (a.Version and a.Sync
	// are ignored); ErrConflict when the id is taken, ErrNotFound when the
	// namespace does not exist.
	CreateServiceAccount(ctx context.Context, a ServiceAccount) error
	GetServiceAccount(ctx context.Context, id string) (ServiceAccount, error)
	// ListServiceAccounts returns the matching accounts, newest first (by
	// IssuedAt, then id).
	ListServiceAccounts(ctx context.Context, f ServiceAccountFilter) ([]ServiceAccount, error)
	// UpdateServiceAccount writes Description, ExpiresAt and RevokedAt and
	// increments Version; ErrNotFound when there is no such account.
	UpdateServiceAccount(ctx context.Context, a ServiceAccount) error
	// TouchServiceAccount sets AccessedAt to at unless it is already after
	// at minus every, in one conditional write so that concurrent callers
	// write once; it reports whether it wrote.
	TouchServiceAccount(ctx context.Context, id string, at time.Time, every time.Duration) (bool, error)
	// SetServiceAccountSync stores the outcome of a push. SyncedVersion
	// only grows: a smaller one (a push that raced a newer one) keeps the
	// stored value. ErrNotFound when there is no such account.
	SetServiceAccountSync(ctx context.Context, id string, s ServiceAccountSync) error
}
