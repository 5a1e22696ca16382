package serviceaccounts

import (
	"context"
	"strings"
	"sync"

	"github.com/pomerium-console-oss/pomerium-console/app/clusters"
	"github.com/pomerium-console-oss/pomerium-console/app/databroker"
	"github.com/pomerium-console-oss/pomerium-console/app/errs"
	"github.com/pomerium-console-oss/pomerium-console/db"
)

// treeStore is what finding the cluster of a namespace reads.
type treeStore interface {
	db.ClusterStore
	db.NamespaceStore
}

// clusterOf returns the cluster serving namespace nsID.
func clusterOf(ctx context.Context, st treeStore, nsID string) (db.Cluster, error) {
	cov, err := clusters.Load(ctx, st)
	if err != nil {
		return db.Cluster{}, err
	}
	c, ok := cov.ClusterOf(nsID)
	if !ok {
		return db.Cluster{}, errs.NotFound("no cluster serves namespace %s", nsID)
	}
	return c, nil
}

// signingKey is the HMAC key tokens of namespace nsID are signed with:
// the base64-decoded shared secret of the cluster serving it, which Core
// verifies them with too.
func (s *Service) signingKey(ctx context.Context, st treeStore, nsID string) ([]byte, error) {
	c, err := clusterOf(ctx, st, nsID)
	if err != nil {
		return nil, err
	}
	return s.clusterKey(c)
}

// clusterKey opens and decodes the shared secret of c, once per sealed
// value: verifying a token must not unseal it on every call.
func (s *Service) clusterKey(c db.Cluster) ([]byte, error) {
	if !clusters.HasSecret(c) {
		return nil, errs.Unavailable("cluster %q has no shared secret, which service account tokens are signed with: "+
			"set shared_secret (or the cluster's shared secret) first", c.Name)
	}
	if key, ok := s.keys.get(c.SealedSharedSecret); ok {
		return key, nil
	}
	secret, err := s.secrets.OpenSecret(c)
	if err != nil {
		return nil, err
	}
	key, err := databroker.DecodeSharedSecret(secret)
	if err != nil {
		return nil, errs.Unavailable("the shared secret of cluster %q cannot sign service account tokens: %s", c.Name,
			strings.TrimPrefix(err.Error(), "databroker: "))
	}
	if len(key) < minKeySize {
		return nil, errs.Unavailable("the shared secret of cluster %q %s", c.Name, errKeyTooShort)
	}
	s.keys.put(c.SealedSharedSecret, key)
	return key, nil
}

// keyCacheSize bounds the cache: a few clusters, each with a secret or two
// over its life.
const keyCacheSize = 64

// keyCache maps sealed shared secrets to their decoded keys. A sealed
// value names one plaintext, so entries never go stale; a rotated secret
// is simply a new entry.
type keyCache struct {
	mu   sync.Mutex
	keys map[string][]byte
}

func (k *keyCache) get(sealed string) ([]byte, bool) {
	k.mu.Lock()
	defer k.mu.Unlock()
	key, ok := k.keys[sealed]
	return key, ok
}

func (k *keyCache) put(sealed string, key []byte) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if len(k.keys) >= keyCacheSize {
		clear(k.keys)
	}
	k.keys[sealed] = key
}
