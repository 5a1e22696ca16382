package routes

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/pomerium-console-oss/pomerium-console/app/errs"
	"github.com/pomerium-console-oss/pomerium-console/app/keypairs"
	"github.com/pomerium-console-oss/pomerium-console/app/nstree"
	"github.com/pomerium-console-oss/pomerium-console/app/rbac"
	"github.com/pomerium-console-oss/pomerium-console/db"
)

// checkStored checks r against what is stored: its name is free in its
// namespace, no other route answers the same requests, and the policies
// and key pairs it names exist and are within reach of its namespace.
func (s *Service) checkStored(ctx context.Context, tx db.Store, acc *rbac.Access, c *checker, r db.Route) error {
	tree := acc.Tree()
	if !c.Has("name") {
		other, found, err := firstRoute(ctx, tx, db.RouteFilter{NamespaceIDs: []string{r.NamespaceID}, Name: r.Name}, r.ID)
		if err != nil {
			return err
		}
		if found {
			c.Add("name", errs.CodeConflict, "this namespace already has a route named %q", other.Name)
		}
	}
	if r.MatchKey != "" && !c.Has("from") {
		other, found, err := firstRoute(ctx, tx, db.RouteFilter{MatchKey: r.MatchKey}, r.ID)
		if err != nil {
			return err
		}
		if found {
			ns, _ := tree.Get(other.NamespaceID)
			c.Add("from", errs.CodeConflict, "route %q in namespace %q already answers these requests (the same from URL and path matching)", other.Name, ns.Name)
		}
	}
	if err := s.checkPolicies(ctx, tx, tree, c, r); err != nil {
		return err
	}
	return checkKeyPairs(ctx, tx, tree, c, r)
}

// firstRoute returns the first route matching f other than except.
func firstRoute(ctx context.Context, tx db.Store, f db.RouteFilter, except string) (db.Route, bool, error) {
	f.Limit = 2
	list, _, err := tx.ListRoutes(ctx, f)
	if err != nil {
		return db.Route{}, false, fmt.Errorf("routes: check: %w", err)
	}
	for _, r := range list {
		if r.ID != except {
			return r, true, nil
		}
	}
	return db.Route{}, false, nil
}

// checkPolicies allows the optional policies of the route's namespace and
// its ancestors, each once. Enforced ones apply by themselves.
func (s *Service) checkPolicies(ctx context.Context, tx db.Store, tree *nstree.Tree, c *checker, r db.Route) error {
	var problems []string
	seen := map[string]bool{}
	for _, id := range r.PolicyIDs {
		p, err := tx.GetPolicy(ctx, id)
		switch {
		case errors.Is(err, db.ErrNotFound):
			problems = append(problems, fmt.Sprintf("policy %s does not exist", id))
			continue
		case err != nil:
			return fmt.Errorf("routes: check policy: %w", err)
		}
		ns, _ := tree.Get(p.NamespaceID)
		switch {
		case seen[id]:
			problems = append(problems, fmt.Sprintf("policy %q is attached twice", p.Name))
		case !tree.IsWithin(r.NamespaceID, p.NamespaceID):
			problems = append(problems, fmt.Sprintf("policy %q of namespace %q is out of reach: a route attaches the optional policies of its own namespace and its ancestors", p.Name, ns.Name))
		case p.Enforced:
			problems = append(problems, fmt.Sprintf("policy %q is enforced: it already applies to every route of namespace %q and below, so it is not attached", p.Name, ns.Name))
		}
		seen[id] = true
	}
	if len(problems) > 0 {
		c.fail("policyIds", "%s", strings.Join(problems, "; "))
	}
	return nil
}

// checkKeyPairs allows key pairs of the route's namespace and its
// ancestors; a client certificate needs its private key.
func checkKeyPairs(ctx context.Context, tx db.Store, tree *nstree.Tree, c *checker, r db.Route) error {
	for _, ref := range []struct {
		field, id string
		needsKey  bool
	}{
		{"tlsCustomCaKeyPairId", r.TLSCustomCAKeyPairID, false},
		{"tlsClientKeyPairId", r.TLSClientKeyPairID, true},
		{"tlsDownstreamClientCaKeyPairId", r.TLSDownstreamClientCAKeyPairID, false},
	} {
		if ref.id == "" || c.Has(ref.field) {
			continue
		}
		k, err := tx.GetKeyPair(ctx, ref.id)
		switch {
		case errors.Is(err, db.ErrNotFound):
			c.Add(ref.field, errs.CodeNotFound, "key pair %s does not exist", ref.id)
			continue
		case err != nil:
			return fmt.Errorf("routes: check key pair: %w", err)
		}
		ns, _ := tree.Get(k.NamespaceID)
		switch {
		case !keypairs.Reachable(tree, r.NamespaceID, k.NamespaceID):
			c.fail(ref.field, "key pair %q of namespace %q is out of reach: a route uses the key pairs of its own namespace and its ancestors", k.Name, ns.Name)
		case ref.needsKey && !keypairs.HasKey(k):
			c.fail(ref.field, "key pair %q has no private key: a client certificate needs one", k.Name)
		}
	}
	return nil
}
