package keypairs

import (
	"context"
	"fmt"
	"net"
	"strings"
	"time"

	"github.com/pomerium-console-oss/pomerium-console/app/nstree"
	"github.com/pomerium-console-oss/pomerium-console/db"
)

// ExpiringWithin is how close to its end a certificate is flagged as expiring.
const ExpiringWithin = 30 * 24 * time.Hour

// Status is how a key pair's certificate stands against the clock.
type Status string

// Statuses, from good to bad.
const (
	StatusOK       Status = "ok"
	StatusExpiring Status = "expiring"
	StatusExpired  Status = "expired"
)

// StatusOf tells whether k's certificate has expired at now, or expires
// within ExpiringWithin.
func StatusOf(k db.KeyPair, now time.Time) Status {
	switch {
	case !now.Before(k.NotAfter):
		return StatusExpired
	case k.NotAfter.Sub(now) < ExpiringWithin:
		return StatusExpiring
	default:
		return StatusOK
	}
}

// Reachable reports whether something of namespace nsID (a route, a
// setting's namespace) may use a key pair of namespace pairNS: one of its
// own namespace or of an ancestor, as for policies.
func Reachable(tree *nstree.Tree, nsID, pairNS string) bool {
	return tree.IsWithin(nsID, pairNS)
}

// MatchesHost reports whether k's certificate names host among its
// subject alternative names: a DNS name equal to it (case and a trailing
// dot aside), a wildcard "*.example.com" for exactly one more label, or
// an IP address equal to it. The common name is ignored, as TLS clients
// ignore it. A port on host is ignored.
func MatchesHost(k db.KeyPair, host string) bool {
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	host = strings.TrimSuffix(strings.ToLower(strings.Trim(host, "[]")), ".")
	if host == "" {
		return false
	}
	if ip := net.ParseIP(host); ip != nil {
		for _, s := range k.IPAddresses {
			if other := net.ParseIP(s); other != nil && other.Equal(ip) {
				return true
			}
		}
		return false
	}
	for _, name := range k.DNSNames {
		if matchDNS(strings.TrimSuffix(strings.ToLower(name), "."), host) {
			return true
		}
	}
	return false
}

// matchDNS matches one (lower-cased) SAN pattern against a host: a
// wildcard stands for exactly one whole, non-empty left-most label.
func matchDNS(pattern, host string) bool {
	suffix, ok := strings.CutPrefix(pattern, "*.")
	if !ok {
		return pattern == host
	}
	label, rest, found := strings.Cut(host, ".")
	return found && label != "" && rest == suffix
}

// RouteCertificates is getRouteCertificates: the key pairs reachable from
// namespace nsID (its own and its ancestors') that hold a private key and
// whose certificate names host, nearest namespace first, then by name.
// Expired ones are included; StatusOf flags them.
func RouteCertificates(ctx context.Context, store db.KeyPairStore, tree *nstree.Tree, nsID, host string) ([]db.KeyPair, error) {
	list, err := ReachableFrom(ctx, store, tree, nsID)
	if err != nil {
		return nil, fmt.Errorf("keypairs: route certificates: %w", err)
	}
	var out []db.KeyPair
	for _, k := range list {
		if HasKey(k) && MatchesHost(k, host) {
			out = append(out, k)
		}
	}
	return out, nil
}

// ReachableFrom returns the key pairs a route of namespace nsID may use:
// those of nsID and of its ancestors, nearest namespace first, each
// namespace's by name.
func ReachableFrom(ctx context.Context, store db.KeyPairStore, tree *nstree.Tree, nsID string) ([]db.KeyPair, error) {
	path := tree.Ancestors(nsID)
	var out []db.KeyPair
	for i := len(path) - 1; i >= 0; i-- {
		list, err := InNamespace(ctx, store, path[i].ID)
		if err != nil {
			return nil, err
		}
		out = append(out, list...)
	}
	return out, nil
}

// InNamespace returns every key pair of namespace nsID, by name.
func InNamespace(ctx context.Context, store db.KeyPairStore, nsID string) ([]db.KeyPair, error) {
	return db.ReadAll(func(offset int) ([]db.KeyPair, int, error) {
		return store.ListKeyPairs(ctx, db.KeyPairFilter{NamespaceIDs: []string{nsID}, Offset: offset, Limit: 500})
	})
}
