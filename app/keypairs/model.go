package keypairs

import (
	"time"

	"github.com/pomerium-console-oss/pomerium-console/db"
)

// Limits on what an upload may hold; the name cap is the REST reference's.
const (
	MaxNameLength        = 128
	MaxCertificateLength = 256 << 10
	MaxKeyLength         = 64 << 10
	MaxPasswordLength    = 1024
)

// Input is an uploaded key pair: a PEM chain (leaf first) and, optionally,
// its private key with the password of a legacy encrypted PEM key.
type Input struct {
	NamespaceID string
	Name        string
	Certificate string
	Key         string
	Password    string
}

// UpdateInput changes a key pair. A nil Name and an empty Certificate or
// Key keep what is stored, as the REST updateKeyPair does; ClearKey drops
// the private key.
type UpdateInput struct {
	Name        *string
	Certificate string
	Key         string
	Password    string
	ClearKey    bool
}

// HasKey reports whether k holds a private key (and so can serve TLS).
func HasKey(k db.KeyPair) bool { return k.SealedKey != "" }

// snapshot is a key pair as the activity log stores it: the certificate's
// facts (its fingerprint names it), and whether a private key is set,
// never the key.
type snapshot struct {
	ID          string    `json:"id"`
	NamespaceID string    `json:"namespaceId"`
	Name        string    `json:"name"`
	Subject     string    `json:"subject"`
	Issuer      string    `json:"issuer"`
	DNSNames    []string  `json:"dnsNames,omitempty"`
	IPAddresses []string  `json:"ipAddresses,omitempty"`
	Emails      []string  `json:"emails,omitempty"`
	URIs        []string  `json:"uris,omitempty"`
	Serial      string    `json:"serial"`
	NotBefore   time.Time `json:"notBefore"`
	NotAfter    time.Time `json:"notAfter"`
	Fingerprint string    `json:"fingerprint"`
	IsCA        bool      `json:"isCa"`
	KeyType     string    `json:"keyType"`
	PrivateKey  string    `json:"privateKey"`
}

func snapshotOf(k db.KeyPair) snapshot {
	key := "not set"
	if HasKey(k) {
		key = "set"
	}
	return snapshot{
		ID: k.ID, NamespaceID: k.NamespaceID, Name: k.Name, Subject: k.Subject, Issuer: k.Issuer,
		DNSNames: k.DNSNames, IPAddresses: k.IPAddresses, Emails: k.Emails, URIs: k.URIs, Serial: k.Serial,
		NotBefore: k.NotBefore.UTC(), NotAfter: k.NotAfter.UTC(), Fingerprint: k.Fingerprint, IsCA: k.IsCA,
		KeyType: k.KeyType, PrivateKey: key,
	}
}
