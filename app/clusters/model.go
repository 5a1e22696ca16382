package clusters

import (
	"github.com/pomerium-console-oss/pomerium-console/db"
)

// Limits of the cluster fields.
const (
	MaxNameLength = 100
	MaxCALength   = 64 << 10
)

// Input is a cluster as a form or an API sends it. SharedSecret is the
// base64 text Pomerium's shared_secret holds; empty keeps the stored one
// (ClearSecret removes it), because the secret is never sent back.
type Input struct {
	Name               string
	NamespaceID        string
	DatabrokerURL      string
	SharedSecret       string
	ClearSecret        bool
	CAPEM              string
	OverrideName       string
	InsecureSkipVerify bool
}

// Defaults are the default cluster's connection as the config file sets
// it: databroker_service_url, shared_secret and tls_ca_file's PEM.
type Defaults struct {
	DatabrokerURL string
	SharedSecret  string
	CAPEM         string
}

// HasSecret reports whether c has a shared secret stored.
func HasSecret(c db.Cluster) bool { return c.SealedSharedSecret != "" }

// CanPush reports whether c is set up to receive pushes: a databroker URL
// and a shared secret.
func CanPush(c db.Cluster) bool { return c.DatabrokerURL != "" && HasSecret(c) }

// SameConnection reports whether a and b dial their databroker alike: a
// change of any of these fields needs a new connection and a push.
func SameConnection(a, b db.Cluster) bool {
	return a.DatabrokerURL == b.DatabrokerURL && a.SealedSharedSecret == b.SealedSharedSecret && a.CAPEM == b.CAPEM &&
		a.OverrideName == b.OverrideName && a.InsecureSkipVerify == b.InsecureSkipVerify
}

// IsDefault reports whether c is the cluster the config file describes.
func IsDefault(c db.Cluster) bool { return c.ID == db.DefaultClusterID }

// snapshot is a cluster as the activity log stores it: whether the secret
// is set, never its value.
type snapshot struct {
	Name               string `json:"name"`
	NamespaceID        string `json:"namespaceId"`
	DatabrokerURL      string `json:"databrokerServiceUrl,omitempty"`
	SharedSecret       string `json:"sharedSecret"`
	CertificateAuth    string `json:"certificateAuthority,omitempty"`
	OverrideName       string `json:"overrideCertificateName,omitempty"`
	InsecureSkipVerify bool   `json:"insecureSkipVerify,omitempty"`
}

func snapshotOf(c db.Cluster) snapshot {
	s := snapshot{
		Name: c.Name, NamespaceID: c.NamespaceID, DatabrokerURL: c.DatabrokerURL, SharedSecret: "not set",
		OverrideName: c.OverrideName, InsecureSkipVerify: c.InsecureSkipVerify,
	}
	if HasSecret(c) {
		s.SharedSecret = "set"
	}
	if c.CAPEM != "" {
		s.CertificateAuth = "set"
	}
	return s
}
