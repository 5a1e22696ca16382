package render

import (
	"github.com/pomerium-console-oss/pomerium-console/app/settings"
	"github.com/pomerium-console-oss/pomerium-console/db"
)

// Opener opens a value sealed for context; *seal.Sealer is one.
type Opener interface {
	Open(sealed, context string) ([]byte, error)
}

// Model is everything one cluster's Config is rendered from, as plain data:
// it marshals to JSON and back without loss, and holds secrets only sealed.
// Lists are in a stable order (routes and policies by id, key pairs by id),
// so two models of the same configuration compare equal.
type Model struct {
	ClusterID string `json:"clusterId"`
	// RootNamespaceID is the namespace whose subtree the cluster serves.
	RootNamespaceID string    `json:"rootNamespaceId"`
	Settings        Settings  `json:"settings"`
	Routes          []Route   `json:"routes"`
	Policies        []Policy  `json:"policies"`
	KeyPairs        []KeyPair `json:"keyPairs"`
	// CertificateIDs are the key pairs served as settings.certificates.
	CertificateIDs []string `json:"certificateIds,omitempty"`
}

// Settings are the cluster's global settings: the values an admin set, and
// each set secret sealed (by its settings.Secret name) for the context
// "settings/<cluster id>/<name>".
type Settings struct {
	Values  settings.Values   `json:"values"`
	Secrets map[string]string `json:"secrets,omitempty"`
}

// Route is a stored route with what rendering needs besides it.
type Route struct {
	ID          string `json:"id"`
	NamespaceID string `json:"namespaceId"`
	// NamespacePath names the namespaces from the root of the tree down to
	// the route's own, for its stat name.
	NamespacePath                  []string `json:"namespacePath"`
	Name                           string   `json:"name"`
	From                           string   `json:"from"`
	To                             []string `json:"to,omitempty"`
	Prefix                         string   `json:"prefix,omitempty"`
	Path                           string   `json:"path,omitempty"`
	Regex                          string   `json:"regex,omitempty"`
	TLSCustomCAKeyPairID           string   `json:"tlsCustomCaKeyPairId,omitempty"`
	TLSClientKeyPairID             string   `json:"tlsClientKeyPairId,omitempty"`
	TLSDownstreamClientCAKeyPairID string   `json:"tlsDownstreamClientCaKeyPairId,omitempty"`
	// EnforcedPolicyIDs are the enforced policies of the route's namespace
	// and its ancestors, nearest namespace first; PolicyIDs the optional
	// ones it attaches, in its order (an attached policy that has since
	// become enforced is left out: it applies once, as enforced).
	EnforcedPolicyIDs []string `json:"enforcedPolicyIds,omitempty"`
	PolicyIDs         []string `json:"policyIds,omitempty"`
	// Spec holds the rest of the route, its two secrets sealed.
	Spec db.RouteSpec `json:"spec"`
}

// Policy is a policy some route of the model uses.
type Policy struct {
	ID          string `json:"id"`
	NamespaceID string `json:"namespaceId"`
	Name        string `json:"name"`
	Enforced    bool   `json:"enforced,omitempty"`
	Explanation string `json:"explanation,omitempty"`
	Remediation string `json:"remediation,omitempty"`
	PPL         string `json:"ppl"`
	// Rego is the module compiled from PPL when the policy was saved; it
	// is what Core enforces.
	Rego string `json:"rego"`
}

// KeyPair is a key pair the model uses. SealedKey (sealed for
// "key_pairs/<id>") is kept only where the private key is pushed: for a
// route's client certificate and for settings.certificates.
type KeyPair struct {
	ID             string `json:"id"`
	NamespaceID    string `json:"namespaceId"`
	Name           string `json:"name"`
	CertificatePEM string `json:"certificatePem"`
	SealedKey      string `json:"sealedKey,omitempty"`
}

// routeOf is the model route of r; Load fills in the namespace path and
// the policies. Empty lists become nil, as they come back from JSON.
func routeOf(r db.Route) Route {
	if len(r.To) == 0 {
		r.To = nil
	}
	return Route{
		ID: r.ID, NamespaceID: r.NamespaceID, Name: r.Name, From: r.From, To: r.To,
		Prefix: r.Prefix, Path: r.Path, Regex: r.Regex,
		TLSCustomCAKeyPairID: r.TLSCustomCAKeyPairID, TLSClientKeyPairID: r.TLSClientKeyPairID,
		TLSDownstreamClientCAKeyPairID: r.TLSDownstreamClientCAKeyPairID, Spec: r.Spec,
	}
}

// policyOf is the model policy of p.
func policyOf(p db.Policy) Policy {
	return Policy{
		ID: p.ID, NamespaceID: p.NamespaceID, Name: p.Name, Enforced: p.Enforced,
		Explanation: p.Explanation, Remediation: p.Remediation, PPL: p.PPL, Rego: p.Rego,
	}
}
