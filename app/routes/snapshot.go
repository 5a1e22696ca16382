package routes

import "github.com/pomerium-console-oss/pomerium-console/db"

// Redacted values of a secret in the activity log.
const (
	SecretIsSet    = "set"
	SecretIsNotSet = "not set"
)

// snapshot is a route as the activity log stores it: the REST shape, with
// the secrets replaced by whether they are set.
type snapshot struct {
	ID                             string   `json:"id"`
	NamespaceID                    string   `json:"namespaceId"`
	Name                           string   `json:"name"`
	From                           string   `json:"from"`
	To                             []string `json:"to,omitempty"`
	Prefix                         string   `json:"prefix,omitempty"`
	Path                           string   `json:"path,omitempty"`
	Regex                          string   `json:"regex,omitempty"`
	TLSCustomCAKeyPairID           string   `json:"tlsCustomCaKeyPairId,omitempty"`
	TLSClientKeyPairID             string   `json:"tlsClientKeyPairId,omitempty"`
	TLSDownstreamClientCAKeyPairID string   `json:"tlsDownstreamClientCaKeyPairId,omitempty"`
	PolicyIDs                      []string `json:"policyIds"`
	db.RouteSpec
	IdentityProviderClientSecret  string `json:"identityProviderClientSecret"`
	KubernetesServiceAccountToken string `json:"kubernetesServiceAccountToken"`
}

func snapshotOf(r db.Route) snapshot {
	secret, token := HasSecret(r)
	spec := r.Spec
	spec.SealedIdentityProviderClientSecret, spec.SealedKubernetesServiceAccountToken = "", ""
	policies := r.PolicyIDs
	if policies == nil {
		policies = []string{}
	}
	return snapshot{
		ID: r.ID, NamespaceID: r.NamespaceID, Name: r.Name, From: r.From, To: r.To,
		Prefix: r.Prefix, Path: r.Path, Regex: r.Regex, TLSCustomCAKeyPairID: r.TLSCustomCAKeyPairID,
		TLSClientKeyPairID: r.TLSClientKeyPairID, TLSDownstreamClientCAKeyPairID: r.TLSDownstreamClientCAKeyPairID,
		PolicyIDs: policies, RouteSpec: spec,
		IdentityProviderClientSecret: redacted(secret), KubernetesServiceAccountToken: redacted(token),
	}
}

func redacted(set bool) string {
	if set {
		return SecretIsSet
	}
	return SecretIsNotSet
}
