package deploy

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"time"

	"github.com/pomerium-console-oss/pomerium-console/app/render"
	"github.com/pomerium-console-oss/pomerium-console/app/routes"
	"github.com/pomerium-console-oss/pomerium-console/db"
)

// Secret states in the discard's activity entries; values are never logged.
const (
	secretSet    = "set"
	secretNotSet = "not set"
)

func secretState(sealed string) string {
	if sealed != "" {
		return secretSet
	}
	return secretNotSet
}

// keyPairWriter deletes stored (next zero), creates next (missing) or
// replaces stored with next.
func keyPairWriter(tx db.Store, missing bool, stored, next db.KeyPair) writer {
	switch {
	case next.ID == "":
		return writer{typ: db.ActivityDelete, before: keyPairSnapshot(stored),
			write: func(ctx context.Context) error { return tx.DeleteKeyPair(ctx, stored.ID) }}
	case missing:
		return writer{typ: db.ActivityCreate, after: keyPairSnapshot(next),
			write: func(ctx context.Context) error { return tx.CreateKeyPair(ctx, next) }}
	}
	return writer{before: keyPairSnapshot(stored), after: keyPairSnapshot(next),
		write: func(ctx context.Context) error { return tx.UpdateKeyPair(ctx, next) }}
}

// policyWriter is keyPairWriter for policies.
func policyWriter(tx db.Store, missing bool, stored, next db.Policy) writer {
	switch {
	case next.ID == "":
		return writer{typ: db.ActivityDelete, before: policySnapshot(stored),
			write: func(ctx context.Context) error { return tx.DeletePolicy(ctx, stored.ID) }}
	case missing:
		return writer{typ: db.ActivityCreate, after: policySnapshot(next),
			write: func(ctx context.Context) error { return tx.CreatePolicy(ctx, next) }}
	}
	return writer{before: policySnapshot(stored), after: policySnapshot(next),
		write: func(ctx context.Context) error { return tx.UpdatePolicy(ctx, next) }}
}

// routeWriter is keyPairWriter for routes (next nil deletes).
func routeWriter(tx db.Store, missing bool, stored, next *db.Route) writer {
	switch {
	case next == nil:
		return writer{typ: db.ActivityDelete, before: routeSnapshot(*stored),
			write: func(ctx context.Context) error { return tx.DeleteRoute(ctx, stored.ID) }}
	case missing:
		return writer{typ: db.ActivityCreate, after: routeSnapshot(*next),
			write: func(ctx context.Context) error { return tx.CreateRoute(ctx, *next) }}
	}
	return writer{before: routeSnapshot(*stored), after: routeSnapshot(*next),
		write: func(ctx context.Context) error { return tx.UpdateRoute(ctx, *next) }}
}

// routeOf is the stored route for snapshot route r over stored (zero when
// it is created again). Its secrets stay sealed as the snapshot holds
// them: they were sealed for the same route id.
func routeOf(r render.Route, stored db.Route, now time.Time) db.Route {
	created := stored.CreatedAt
	if created.IsZero() {
		created = now
	}
	return db.Route{
		ID: r.ID, NamespaceID: r.NamespaceID, Name: r.Name, From: r.From, To: r.To, Prefix: r.Prefix, Path: r.Path,
		Regex: r.Regex, MatchKey: routes.MatchKey(r.From, r.Prefix, r.Path, r.Regex), TLSCustomCAKeyPairID: r.TLSCustomCAKeyPairID,
		TLSClientKeyPairID: r.TLSClientKeyPairID, TLSDownstreamClientCAKeyPairID: r.TLSDownstreamClientCAKeyPairID,
		PolicyIDs: r.PolicyIDs, Spec: r.Spec, CreatedAt: created, ModifiedAt: now,
	}
}

// settingsOf is the stored settings row for snapshot s.
func settingsOf(s render.Settings, clusterID string, stored db.Settings, now time.Time) (db.Settings, error) {
	values, err := json.Marshal(s.Values)
	if err != nil {
		return db.Settings{}, fmt.Errorf("encode settings: %w", err)
	}
	created := stored.CreatedAt
	if created.IsZero() {
		created = now
	}
	secrets := maps.Clone(s.Secrets)
	if secrets == nil {
		secrets = map[string]string{}
	}
	return db.Settings{ClusterID: clusterID, Values: string(values), Secrets: secrets, CreatedAt: created, ModifiedAt: now}, nil
}

// routeSnapshot is a route as the discard's log entries show it: secrets
// only as set or not set.
func routeSnapshot(r db.Route) map[string]any {
	spec := r.Spec
	idp, token := secretState(spec.SealedIdentityProviderClientSecret), secretState(spec.SealedKubernetesServiceAccountToken)
	spec.SealedIdentityProviderClientSecret, spec.SealedKubernetesServiceAccountToken = "", ""
	return map[string]any{
		"id": r.ID, "namespaceId": r.NamespaceID, "name": r.Name, "from": r.From, "to": r.To, "prefix": r.Prefix,
		"path": r.Path, "regex": r.Regex, "tlsCustomCaKeyPairId": r.TLSCustomCAKeyPairID,
		"tlsClientKeyPairId": r.TLSClientKeyPairID, "tlsDownstreamClientCaKeyPairId": r.TLSDownstreamClientCAKeyPairID,
		"policyIds": r.PolicyIDs, "spec": spec, "identityProviderClientSecret": idp, "kubernetesServiceAccountToken": token,
	}
}

// policySnapshot is a policy as the discard's log entries show it.
func policySnapshot(p db.Policy) map[string]any {
	return map[string]any{
		"id": p.ID, "namespaceId": p.NamespaceID, "name": p.Name, "description": p.Description,
		"explanation": p.Explanation, "remediation": p.Remediation, "enforced": p.Enforced, "ppl": p.PPL,
	}
}

// keyPairSnapshot is a key pair as the discard's log entries show it: the
// private key only as set or not set.
func keyPairSnapshot(k db.KeyPair) map[string]any {
	return map[string]any{
		"id": k.ID, "namespaceId": k.NamespaceID, "name": k.Name, "subject": k.Subject, "dnsNames": k.DNSNames,
		"notAfter": k.NotAfter, "fingerprint": k.Fingerprint, "privateKey": secretState(k.SealedKey),
	}
}

// settingsSnapshot is a settings row as the discard's log entries show it.
func settingsSnapshot(s db.Settings) map[string]any {
	out := map[string]any{}
	_ = json.Unmarshal([]byte(s.Values), &out)
	for name, sealed := range s.Secrets {
		out[name] = secretState(sealed)
	}
	return out
}
