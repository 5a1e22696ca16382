package db

import (
	"context"
	"time"
)

// KeyPair is a PEM certificate (chain) with, optionally, its private key,
// sealed at rest. The parsed fields describe the leaf certificate and are
// kept so lists can be searched and sorted without parsing PEM.
type KeyPair struct {
	ID          string
	NamespaceID string
	Name        string
	// CertificatePEM is the leaf first, then any intermediates.
	CertificatePEM string
	// SealedKey is the private key PEM sealed with database_encryption_key
	// (context "key_pairs/<id>"); empty when the pair has no key (a CA).
	SealedKey   string
	Subject     string
	Issuer      string
	DNSNames    []string
	IPAddresses []string
	Emails      []string
	URIs        []string
	Serial      string
	NotBefore   time.Time
	NotAfter    time.Time
	// Fingerprint is the lower-case hex SHA-256 of the leaf's DER.
	Fingerprint string
	IsCA        bool
	// KeyType is e.g. "ECDSA P-256" or "RSA 2048".
	KeyType    string
	CreatedAt  time.Time
	ModifiedAt time.Time
}

// KeyPairFilter selects key pairs; zero fields do not filter.
type KeyPairFilter struct {
	// NamespaceIDs keeps pairs of any of these namespaces; nil keeps all,
	// an empty non-nil slice keeps none.
	NamespaceIDs []string
	// Query matches name, subject and DNS names case-insensitively.
	Query string
	// ExpiresBefore keeps pairs whose NotAfter is before it (zero: no filter).
	ExpiresBefore time.Time
	Offset        int
	Limit         int
}

// KeyPairStore persists key pairs.
type KeyPairStore interface {
	// ListKeyPairs returns a page ordered by name (case-insensitively), then
	// id, and the total matching count.
	ListKeyPairs(ctx context.Context, f KeyPairFilter) ([]KeyPair, int, error)
	GetKeyPair(ctx context.Context, id string) (KeyPair, error)
	// CreateKeyPair fails with ErrConflict when the namespace already has a
	// pair of that name (case-insensitively), ErrNotFound when the namespace
	// does not exist.
	CreateKeyPair(ctx context.Context, k KeyPair) error
	// UpdateKeyPair writes every field but ID, NamespaceID and CreatedAt.
	UpdateKeyPair(ctx context.Context, k KeyPair) error
	DeleteKeyPair(ctx context.Context, id string) error
}
