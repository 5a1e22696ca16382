package routes

import (
	"github.com/pomerium-console-oss/pomerium-console/db"
)

// Limits on what a route may hold. The name's is the REST reference's;
// the body's is Envoy's default cap on direct response bodies.
const (
	MaxNameLength     = 128
	MaxURLLength      = 2048
	MaxListLength     = 100
	MaxHealthChecks   = 10
	MaxPatternLength  = 1024
	MaxTextLength     = 4096
	MaxSecretLength   = 8192
	MaxDirectBodySize = 4096
)

// Secret actions: a secret is write-only, so an edit either keeps what is
// stored, replaces it or clears it.
const (
	SecretKeep  = ""
	SecretSet   = "set"
	SecretClear = "clear"
)

// Secret is a change to a write-only value.
type Secret struct {
	Action string
	Value  string
}

// Input is a new route, or every field of an existing one (the REST
// updateRoute replaces the whole route, and so does the form). Spec's
// sealed fields are ignored: secrets change through the two Secret fields.
type Input struct {
	NamespaceID                    string
	Name                           string
	From                           string
	To                             []string
	Prefix                         string
	Path                           string
	Regex                          string
	TLSCustomCAKeyPairID           string
	TLSClientKeyPairID             string
	TLSDownstreamClientCAKeyPairID string
	PolicyIDs                      []string
	Spec                           db.RouteSpec
	IdentityProviderClientSecret   Secret
	KubernetesServiceAccountToken  Secret
}

// InputOf is the input that would store r again, its secrets kept.
func InputOf(r db.Route) Input {
	return Input{
		NamespaceID: r.NamespaceID, Name: r.Name, From: r.From, To: r.To,
		Prefix: r.Prefix, Path: r.Path, Regex: r.Regex,
		TLSCustomCAKeyPairID: r.TLSCustomCAKeyPairID, TLSClientKeyPairID: r.TLSClientKeyPairID,
		TLSDownstreamClientCAKeyPairID: r.TLSDownstreamClientCAKeyPairID,
		PolicyIDs:                      r.PolicyIDs, Spec: r.Spec,
	}
}

// Enumerations of the REST Route.
var (
	JWTIssuerFormats      = []string{"hostOnly", "uri"}
	LoadBalancingPolicies = []string{"round_robin", "least_request", "ring_hash", "random", "maglev"}
	CodecClientTypes      = []string{"http1", "http2", "http3"}
	RedirectCodes         = []int32{301, 302, 303, 307, 308}
)

// Health check kinds, as the form names them.
const (
	HealthHTTP = "http"
	HealthTCP  = "tcp"
	HealthGRPC = "grpc"
)

// HealthKind names which check h is, "" when none or several are set.
func HealthKind(h db.RouteHealthCheck) string {
	kinds := []string{}
	if h.HTTP != nil {
		kinds = append(kinds, HealthHTTP)
	}
	if h.TCP != nil {
		kinds = append(kinds, HealthTCP)
	}
	if h.GRPC != nil {
		kinds = append(kinds, HealthGRPC)
	}
	if len(kinds) != 1 {
		return ""
	}
	return kinds[0]
}

// HasSecret reports whether r stores an IdP client secret and a
// Kubernetes token.
func HasSecret(r db.Route) (idpClientSecret, kubernetesToken bool) {
	return r.Spec.SealedIdentityProviderClientSecret != "", r.Spec.SealedKubernetesServiceAccountToken != ""
}
