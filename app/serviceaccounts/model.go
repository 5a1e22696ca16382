package serviceaccounts

import (
	"time"

	"github.com/pomerium-console-oss/pomerium-console/db"
)

// Limits of the input fields.
const (
	MaxUserIDLength      = 255
	MaxDescriptionLength = 500
)

// Field names of validation errors, as the enterprise API names them.
const (
	FieldNamespaceID = "namespace_id"
	FieldUserID      = "user_id"
	FieldDescription = "description"
	FieldExpiresAt   = "expires_at"
)

// Status is whether an account's token is accepted.
type Status string

// Statuses of an account.
const (
	StatusActive  Status = "active"
	StatusExpired Status = "expired"
	StatusRevoked Status = "revoked"
)

// SyncState is whether the account's record has reached the databroker.
type SyncState string

// Sync states of an account.
const (
	// SyncDone: the databroker holds the latest record (or, once revoked,
	// its tombstone).
	SyncDone SyncState = "synced"
	// SyncPending: a push is owed and has not failed yet.
	SyncPending SyncState = "pending"
	// SyncFailed: the last push failed; it is retried with back-off.
	SyncFailed SyncState = "failed"
)

// Account is a service account as the fronts show it.
type Account struct {
	ID          string
	NamespaceID string
	UserID      string
	Description string
	CreatedBy   string
	IssuedAt    time.Time
	// ExpiresAt, AccessedAt and RevokedAt are zero when unset.
	ExpiresAt  time.Time
	AccessedAt time.Time
	RevokedAt  time.Time
	Status     Status
	Sync       Sync
}

// Sync is how pushing the account's record went.
type Sync struct {
	State SyncState
	// ClusterID is the cluster whose databroker holds the record.
	ClusterID     string
	SyncedAt      time.Time
	LastError     string
	NextAttemptAt time.Time
}

// Name is how the account is named to people: its description, else its
// user id.
func (a Account) Name() string {
	if a.Description != "" {
		return a.Description
	}
	return a.UserID
}

// Input is a new service account. An empty UserID makes a unique one;
// a given one (an existing user to impersonate, or a chosen id) is kept.
// A nil ExpiresAt never expires.
type Input struct {
	NamespaceID string
	UserID      string
	Description string
	ExpiresAt   *time.Time
}

// UpdateInput changes the set fields of an account: a nil field keeps its
// value; ExpiresAt pointing at the zero time removes the expiry.
type UpdateInput struct {
	Description *string
	ExpiresAt   *time.Time
}

// Patch applies the set fields of u to a.
func (u UpdateInput) Patch(a db.ServiceAccount) db.ServiceAccount {
	if u.Description != nil {
		a.Description = *u.Description
	}
	if u.ExpiresAt != nil {
		a.ExpiresAt = u.ExpiresAt.UTC()
		if u.ExpiresAt.IsZero() {
			a.ExpiresAt = time.Time{}
		}
	}
	return a
}

// statusAt is the status of a at now.
func statusAt(a db.ServiceAccount, now time.Time) Status {
	switch {
	case !a.RevokedAt.IsZero():
		return StatusRevoked
	case !a.ExpiresAt.IsZero() && !now.Before(a.ExpiresAt):
		return StatusExpired
	}
	return StatusActive
}

// toAccount is a as the fronts show it at now.
func toAccount(a db.ServiceAccount, now time.Time) Account {
	out := Account{
		ID: a.ID, NamespaceID: a.NamespaceID, UserID: a.UserID, Description: a.Description, CreatedBy: a.CreatedBy,
		IssuedAt: a.IssuedAt, ExpiresAt: a.ExpiresAt, AccessedAt: a.AccessedAt, RevokedAt: a.RevokedAt,
		Status: statusAt(a, now),
		Sync: Sync{
			State: SyncDone, ClusterID: a.Sync.ClusterID, SyncedAt: a.Sync.SyncedAt, LastError: a.Sync.LastError,
			NextAttemptAt: a.Sync.NextAttemptAt,
		},
	}
	switch {
	case !a.Dirty():
	case a.Sync.Failures > 0:
		out.Sync.State = SyncFailed
	default:
		out.Sync.State = SyncPending
	}
	return out
}

// snapshot is an account as the activity log stores it.
type snapshot struct {
	UserID      string     `json:"userId"`
	NamespaceID string     `json:"namespaceId"`
	Description string     `json:"description,omitempty"`
	IssuedAt    time.Time  `json:"issuedAt"`
	ExpiresAt   *time.Time `json:"expiresAt,omitempty"`
	RevokedAt   *time.Time `json:"revokedAt,omitempty"`
}

func snapshotOf(a db.ServiceAccount) snapshot {
	s := snapshot{UserID: a.UserID, NamespaceID: a.NamespaceID, Description: a.Description, IssuedAt: a.IssuedAt}
	if !a.ExpiresAt.IsZero() {
		s.ExpiresAt = &a.ExpiresAt
	}
	if !a.RevokedAt.IsZero() {
		s.RevokedAt = &a.RevokedAt
	}
	return s
}
