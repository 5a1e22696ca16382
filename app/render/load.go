package render

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"

	"github.com/pomerium-console-oss/pomerium-console/app/keypairs"
	"github.com/pomerium-console-oss/pomerium-console/app/nstree"
	"github.com/pomerium-console-oss/pomerium-console/app/routes"
	"github.com/pomerium-console-oss/pomerium-console/db"
)

// Store is what Load reads; db.Store is one. Pass a transaction-bound store
// to read one consistent snapshot.
type Store interface {
	ListRoutes(ctx context.Context, f db.RouteFilter) ([]db.Route, int, error)
	ListPolicies(ctx context.Context, f db.PolicyFilter) ([]db.Policy, int, error)
	GetPolicy(ctx context.Context, id string) (db.Policy, error)
	ListKeyPairs(ctx context.Context, f db.KeyPairFilter) ([]db.KeyPair, int, error)
	GetSettings(ctx context.Context, clusterID string) (db.Settings, error)
}

// pageSize is how many rows Load reads per query.
const pageSize = 500

// Load reads the model of cluster clusterID, which serves the subtree of
// namespace rootNamespaceID: the routes of the subtree; the enforced
// policies of each route's namespace and its ancestors and the optional
// policies it attaches; the key pairs its routes and settings use; as
// certificates, every key pair with a private key within a route's reach
// (its namespace and their ancestors) whose names serve the route's host;
// and the cluster's settings.
func Load(ctx context.Context, store Store, tree *nstree.Tree, clusterID, rootNamespaceID string) (Model, error) {
	if _, ok := tree.Get(rootNamespaceID); !ok {
		return Model{}, fmt.Errorf("render: namespace %s does not exist", rootNamespaceID)
	}
	subtree := tree.SubtreeIDs(rootNamespaceID)
	reach := slices.Clone(subtree)
	for _, a := range tree.Ancestors(rootNamespaceID) {
		if a.ID != rootNamespaceID {
			reach = append(reach, a.ID)
		}
	}
	m := Model{ClusterID: clusterID, RootNamespaceID: rootNamespaceID}
	var err error
	if m.Settings, err = loadSettings(ctx, store, clusterID); err != nil {
		return Model{}, err
	}
	l := loader{tree: tree, policies: map[string]Policy{}, keyNeeded: map[string]bool{}}
	if err := l.loadRoutes(ctx, store, subtree, reach); err != nil {
		return Model{}, err
	}
	if err := l.loadKeyPairs(ctx, store, reach, m.Settings); err != nil {
		return Model{}, err
	}
	m.Routes = l.routes
	m.Policies = slices.SortedFunc(maps.Values(l.policies), func(a, b Policy) int { return cmp.Compare(a.ID, b.ID) })
	m.KeyPairs, m.CertificateIDs = l.keyPairs, l.certificates
	return m, nil
}

// loader accumulates a model while Load reads it.
type loader struct {
	tree         *nstree.Tree
	routes       []Route
	policies     map[string]Policy
	keyNeeded    map[string]bool // key pair id → whether its private key is pushed
	keyPairs     []KeyPair
	certificates []string
}

// loadSettings reads the cluster's settings; never saved settings are empty.
func loadSettings(ctx context.Context, store Store, clusterID string) (Settings, error) {
	row, err := store.GetSettings(ctx, clusterID)
	switch {
	case errors.Is(err, db.ErrNotFound):
		return Settings{}, nil
	case err != nil:
		return Settings{}, fmt.Errorf("render: settings: %w", err)
	}
	var s Settings
	if err := json.Unmarshal([]byte(row.Values), &s.Values); err != nil {
		return Settings{}, fmt.Errorf("render: decode settings: %w", err)
	}
	if len(row.Secrets) > 0 {
		s.Secrets = maps.Clone(row.Secrets)
	}
	return s, nil
}

// loadRoutes reads the routes of subtree with their policies.
func (l *loader) loadRoutes(ctx context.Context, store Store, subtree, reach []string) error {
	rows, err := db.ReadAll(func(offset int) ([]db.Route, int, error) {
		return store.ListRoutes(ctx, db.RouteFilter{NamespaceIDs: subtree, Offset: offset, Limit: pageSize})
	})
	if err != nil {
		return fmt.Errorf("render: routes: %w", err)
	}
	yes := true
	enforced, err := db.ReadAll(func(offset int) ([]db.Policy, int, error) {
		return store.ListPolicies(ctx, db.PolicyFilter{NamespaceIDs: reach, Enforced: &yes, Offset: offset, Limit: pageSize})
	})
	if err != nil {
		return fmt.Errorf("render: enforced policies: %w", err)
	}
	enforcedIn := map[string][]string{}
	for _, p := range enforced {
		enforcedIn[p.NamespaceID] = append(enforcedIn[p.NamespaceID], p.ID)
		l.policies[p.ID] = policyOf(p)
	}
	attached := map[string]db.Policy{}
	perNamespace := map[string]struct {
		path     []string
		enforced []string
	}{}
	for _, row := range rows {
		r := routeOf(row)
		ns, ok := perNamespace[r.NamespaceID]
		if !ok {
			path := l.tree.Ancestors(r.NamespaceID)
			for i := len(path) - 1; i >= 0; i-- {
				ns.enforced = append(ns.enforced, enforcedIn[path[i].ID]...)
			}
			for _, a := range path {
				ns.path = append(ns.path, a.Name)
			}
			perNamespace[r.NamespaceID] = ns
		}
		r.NamespacePath, r.EnforcedPolicyIDs = ns.path, ns.enforced
		for _, id := range row.PolicyIDs {
			p, ok := attached[id]
			if !ok {
				if p, err = store.GetPolicy(ctx, id); err != nil {
					return fmt.Errorf("render: route %q: policy %s: %w", row.Name, id, err)
				}
				attached[id] = p
			}
			if !p.Enforced {
				r.PolicyIDs = append(r.PolicyIDs, id)
				l.policies[id] = policyOf(p)
			}
		}
		l.routes = append(l.routes, r)
	}
	slices.SortFunc(l.routes, func(a, b Route) int { return cmp.Compare(a.ID, b.ID) })
	return nil
}

// loadKeyPairs picks the key pairs the routes and settings name, and the
// certificates that serve the routes' hosts, from the pairs within reach.
func (l *loader) loadKeyPairs(ctx context.Context, store Store, reach []string, s Settings) error {
	pairs, err := db.ReadAll(func(offset int) ([]db.KeyPair, int, error) {
		return store.ListKeyPairs(ctx, db.KeyPairFilter{NamespaceIDs: reach, Offset: offset, Limit: pageSize})
	})
	if err != nil {
		return fmt.Errorf("render: key pairs: %w", err)
	}
	byID := map[string]db.KeyPair{}
	withKey := map[string][]db.KeyPair{} // namespace id → its pairs holding a private key
	for _, k := range pairs {
		byID[k.ID] = k
		if keypairs.HasKey(k) {
			withKey[k.NamespaceID] = append(withKey[k.NamespaceID], k)
		}
	}
	use := func(what, id string, key bool) error {
		if id == "" {
			return nil
		}
		if _, ok := byID[id]; !ok {
			return fmt.Errorf("render: %s uses key pair %s, which does not exist or is out of reach", what, id)
		}
		l.keyNeeded[id] = l.keyNeeded[id] || key
		return nil
	}
	for _, ref := range []struct {
		what string
		id   *string
	}{{"the certificate authority setting", s.Values.CertificateAuthorityKeyPairID}, {"the downstream mTLS setting", s.Values.DownstreamMTLSCAKeyPairID}} {
		if ref.id != nil {
			if err := use(ref.what, *ref.id, false); err != nil {
				return err
			}
		}
	}
	served := map[string]bool{}
	for _, r := range l.routes {
		what := fmt.Sprintf("route %q", r.Name)
		for _, err := range []error{
			use(what, r.TLSCustomCAKeyPairID, false), use(what, r.TLSClientKeyPairID, true),
			use(what, r.TLSDownstreamClientCAKeyPairID, false),
		} {
			if err != nil {
				return err
			}
		}
		host := routes.Host(r.From)
		for _, a := range l.tree.Ancestors(r.NamespaceID) {
			for _, k := range withKey[a.ID] {
				if !served[k.ID] && keypairs.MatchesHost(k, host) {
					served[k.ID] = true
				}
			}
		}
	}
	for id := range served {
		l.keyNeeded[id] = true
	}
	l.certificates = slices.Sorted(maps.Keys(served))
	for _, id := range slices.Sorted(maps.Keys(l.keyNeeded)) {
		k := byID[id]
		kp := KeyPair{ID: k.ID, NamespaceID: k.NamespaceID, Name: k.Name, CertificatePEM: k.CertificatePEM}
		if l.keyNeeded[id] {
			kp.SealedKey = k.SealedKey
		}
		l.keyPairs = append(l.keyPairs, kp)
	}
	return nil
}
