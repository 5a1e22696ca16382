package db

import (
	"context"
	"errors"
	"time"
)

// GlobalNamespaceID is the fixed id of the root namespace, shared with Pomerium Enterprise.
const GlobalNamespaceID = "9d8dbd2c-8cce-4e66-9c1f-c490b4a07243"

// ErrNotFound is returned when a record does not exist.
var ErrNotFound = errors.New("not found")

// ErrConflict is returned when a write would break a uniqueness rule (for
// example two sibling namespaces with the same name).
var ErrConflict = errors.New("conflict")

// ErrReferenced is returned when a delete would break a foreign key, i.e. the
// record is still used by another one.
var ErrReferenced = errors.New("still referenced")

// Store is everything the console persists. Adapters must pass db/storetest.
type Store interface {
	// InTx runs fn in one transaction with a Store bound to it. Nested calls
	// reuse the outer transaction. fn's error rolls everything back.
	InTx(ctx context.Context, fn func(tx Store) error) error
	// OnCommit registers fn to run after the surrounding transaction commits;
	// outside a transaction it runs at once.
	OnCommit(fn func())
	// Ping checks that the database answers.
	Ping(ctx context.Context) error
	// Kind names the engine: "sqlite" or "postgres".
	Kind() string
	// Close releases the connection pools.
	Close() error

	NamespaceStore
	UserStore
	PermissionStore
	ActivityStore
	KeyStore
	RecoveryTokenStore
	PolicyStore
	KeyPairStore
	ConfigStore
	RouteStore
	SettingsStore
	ClusterStore
	PushStateStore
	DeploymentStore
	ServiceAccountStore
	CountStore
}

// Namespace is one node of the namespace tree. ParentID is empty only for Global.
type Namespace struct {
	ID         string
	ParentID   string
	Name       string
	CreatedAt  time.Time
	ModifiedAt time.Time
}

// NamespaceStore persists the namespace tree.
type NamespaceStore interface {
	// ListNamespaces returns every namespace ordered by name.
	ListNamespaces(ctx context.Context) ([]Namespace, error)
	GetNamespace(ctx context.Context, id string) (Namespace, error)
	// CreateNamespace fails with ErrConflict when a sibling has the same name
	// (case-insensitively) or the id exists.
	CreateNamespace(ctx context.Context, ns Namespace) error
	// UpdateNamespace writes Name, ParentID and ModifiedAt; ErrConflict as above.
	UpdateNamespace(ctx context.Context, ns Namespace) error
	// DeleteNamespace removes the namespace and its permissions; ErrReferenced
	// while it still has children.
	DeleteNamespace(ctx context.Context, id string) error
}

// User is a person (or machine) the console has seen, keyed by the IdP subject.
type User struct {
	ID         string
	Email      string
	Name       string
	Groups     []string
	CreatedAt  time.Time
	LastSeenAt time.Time
}

// UserStore persists users seen through sign-in.
type UserStore interface {
	// UpsertUser inserts the user or refreshes Email, Name, Groups and
	// LastSeenAt of an existing one (CreatedAt is kept).
	UpsertUser(ctx context.Context, u User) error
	GetUser(ctx context.Context, id string) (User, error)
	// SearchUsers matches query against id, email and name (case-insensitive
	// substring), ordered by email, at most limit rows.
	SearchUsers(ctx context.Context, query string, limit int) ([]User, error)
}

// Subject types a permission can be granted to.
const (
	SubjectUser  = "user"
	SubjectGroup = "group"
)

// Permission grants Role on NamespaceID (and its descendants) to a user or group.
// For users SubjectID is the user id or the e-mail address.
type Permission struct {
	ID          string
	NamespaceID string
	SubjectType string
	SubjectID   string
	Role        string
	CreatedAt   time.Time
	ModifiedAt  time.Time
}

// PermissionStore persists role grants.
type PermissionStore interface {
	// ListPermissions returns the grants on one namespace, or on all
	// namespaces when namespaceID is empty, ordered by subject type and id.
	ListPermissions(ctx context.Context, namespaceID string) ([]Permission, error)
	// ListPermissionsForSubjects returns the grants, on any namespace, to any
	// of the given user subject ids or group ids.
	ListPermissionsForSubjects(ctx context.Context, userSubjects, groups []string) ([]Permission, error)
	GetPermission(ctx context.Context, id string) (Permission, error)
	// PutPermission inserts the grant, or when one exists for the same
	// namespace and subject, changes its Role and ModifiedAt. It returns the
	// stored row (with the existing ID when it replaced one).
	PutPermission(ctx context.Context, p Permission) (Permission, error)
	DeletePermission(ctx context.Context, id string) error
}

// Activity types.
const (
	ActivityCreate = "create"
	ActivityUpdate = "update"
	ActivityDelete = "delete"
)

// ActivityEntry records one mutation: who, what, when, and the entity before
// and after (JSON, secrets already redacted; empty for create/delete sides).
type ActivityEntry struct {
	ID            string
	CreatedAt     time.Time
	ActivityType  string
	NamespaceID   string
	NamespaceName string
	UserID        string
	UserName      string
	UserEmail     string
	AuthMethod    string
	// ServiceAccountID is the service account whose token made the change;
	// empty for people.
	ServiceAccountID string
	EntityType       string
	EntityID         string
	EntityName       string
	Before           string
	After            string
	// ConfigRevision is the configuration revision the entry's
	// transaction marked (0 for entries that changed no configuration):
	// it places the entry in a cluster's changeset. InsertActivity fills
	// it in from MarkConfigChanged of the same transaction when it is 0.
	ConfigRevision int64
}

// ActivityFilter selects activity entries; zero fields do not filter.
type ActivityFilter struct {
	ActivityType string
	EntityType   string
	EntityID     string
	UserID       string
	// NamespaceIDs keeps entries of any of these namespaces; nil keeps all,
	// an empty non-nil slice keeps none.
	NamespaceIDs []string
	// Revisions keeps configuration changes in a range of revisions (one
	// changeset); nil keeps all entries.
	Revisions *RevisionRange
	Offset    int
	Limit     int
}

// RevisionRange is the configuration revisions after After, up to and
// including UpTo (no upper bound when UpTo is 0).
type RevisionRange struct {
	After int64
	UpTo  int64
}

// ActivityStore persists the activity log. Entries are never changed.
type ActivityStore interface {
	InsertActivity(ctx context.Context, e ActivityEntry) error
	GetActivity(ctx context.Context, id string) (ActivityEntry, error)
	// ListActivity returns the page newest first and the total matching count.
	ListActivity(ctx context.Context, f ActivityFilter) ([]ActivityEntry, int, error)
	// ListActivityUsers returns the distinct (UserID, UserName, UserEmail) of
	// the entries of namespaceIDs (nil: all entries; empty: none), for the
	// filter menu.
	ListActivityUsers(ctx context.Context, namespaceIDs []string) ([]ActivityEntry, error)
}

// SealedKey is key material kept in the database, sealed with database_encryption_key.
type SealedKey struct {
	Purpose   string
	Sealed    string
	CreatedAt time.Time
}

// KeyStore persists the console's own keys (e.g. the recovery-token signing key).
type KeyStore interface {
	GetKey(ctx context.Context, purpose string) (SealedKey, error)
	// InsertKeyIfAbsent stores k unless a key for k.Purpose exists, and
	// returns the key that is stored afterwards, so concurrent first runs
	// agree on one key.
	InsertKeyIfAbsent(ctx context.Context, k SealedKey) (SealedKey, error)
}

// RecoveryToken is an issued recovery sign-in token (the JWT itself is not stored).
type RecoveryToken struct {
	ID          string
	NamespaceID string
	CreatedAt   time.Time
	ExpiresAt   time.Time
	// SingleUse tokens (the first-run sign-in link) work once.
	SingleUse bool
	UsedAt    time.Time
}

// RecoveryTokenStore persists issued recovery tokens.
type RecoveryTokenStore interface {
	InsertRecoveryToken(ctx context.Context, t RecoveryToken) error
	GetRecoveryToken(ctx context.Context, id string) (RecoveryToken, error)
	// MarkRecoveryTokenUsed sets UsedAt once; it returns ErrConflict when the
	// token was already used.
	MarkRecoveryTokenUsed(ctx context.Context, id string, at time.Time) error
	// DeleteExpiredRecoveryTokens removes tokens that expired before t.
	DeleteExpiredRecoveryTokens(ctx context.Context, before time.Time) (int, error)
}

// Policy is a PPL policy of a namespace. Enforced policies apply to every
// route of the namespace and its descendants; optional ones are attached by
// routes. Rego is the module compiled from PPL when it was saved.
type Policy struct {
	ID          string
	NamespaceID string
	Name        string
	Description string
	Explanation string
	Remediation string
	Enforced    bool
	PPL         string
	Rego        string
	CreatedAt   time.Time
	ModifiedAt  time.Time
}

// PolicyFilter selects policies; zero fields do not filter.
type PolicyFilter struct {
	// NamespaceIDs keeps policies of any of these namespaces; nil keeps
	// all, an empty non-nil slice keeps none.
	NamespaceIDs []string
	// Query matches name and description, case-insensitively.
	Query    string
	Enforced *bool
	Offset   int
	Limit    int
}

// PolicyStore persists policies.
type PolicyStore interface {
	// ListPolicies returns a page ordered by name (case-insensitively), then
	// id, and the total matching count.
	ListPolicies(ctx context.Context, f PolicyFilter) ([]Policy, int, error)
	GetPolicy(ctx context.Context, id string) (Policy, error)
	// PolicyNames returns the id → name of every policy of a namespace, for
	// name checks without loading whole policies.
	PolicyNames(ctx context.Context, namespaceID string) (map[string]string, error)
	// CreatePolicy fails with ErrConflict when the namespace already has a
	// policy of that name (case-insensitively), ErrNotFound when the
	// namespace does not exist.
	CreatePolicy(ctx context.Context, p Policy) error
	// UpdatePolicy writes every field but ID, NamespaceID and CreatedAt;
	// ErrConflict and ErrNotFound as above.
	UpdatePolicy(ctx context.Context, p Policy) error
	DeletePolicy(ctx context.Context, id string) error
}

// ConfigStore counts changes to the configuration the console pushes to
// Pomerium Core (routes, policies, key pairs, settings), so a later
// deployment knows there is something to apply.
type ConfigStore interface {
	// MarkConfigChanged increments the configuration revision and returns
	// the new one; call it in the mutation's transaction.
	MarkConfigChanged(ctx context.Context, at time.Time) (int64, error)
	// ConfigRevision returns the current revision and when it last changed.
	ConfigRevision(ctx context.Context) (int64, time.Time, error)
}
