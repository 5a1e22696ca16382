package routes

import (
	"context"
	"fmt"

	"github.com/pomerium-console-oss/pomerium-console/app/nstree"
	"github.com/pomerium-console-oss/pomerium-console/db"
)

// maxNamed caps how many routes a refusal names; the rest are counted.
const maxNamed = 10

// PolicyUsers names the routes attaching policy id, so that the policy is
// not deleted from under them (a policies.Users hook).
func PolicyUsers(ctx context.Context, tx db.Store, policyID string) ([]string, error) {
	return usersOf(ctx, tx, db.RouteFilter{PolicyID: policyID})
}

// KeyPairUsers names the routes using key pair id in a TLS field (a
// keypairs.Users hook).
func KeyPairUsers(ctx context.Context, tx db.Store, keyPairID string) ([]string, error) {
	return usersOf(ctx, tx, db.RouteFilter{KeyPairID: keyPairID})
}

// Blocker names the routes of a namespace, which keep it from being
// deleted (a namespaces.Blocker).
func Blocker(ctx context.Context, tx db.Store, namespaceID string) ([]string, error) {
	return usersOf(ctx, tx, db.RouteFilter{NamespaceIDs: []string{namespaceID}})
}

// usersOf names the first routes matching f with their namespaces, and
// counts the rest.
func usersOf(ctx context.Context, tx db.Store, f db.RouteFilter) ([]string, error) {
	f.Limit = maxNamed
	list, total, err := tx.ListRoutes(ctx, f)
	if err != nil {
		return nil, fmt.Errorf("routes: find users: %w", err)
	}
	names := make([]string, 0, len(list)+1)
	nsNames := map[string]string{}
	for _, r := range list {
		if _, ok := nsNames[r.NamespaceID]; !ok {
			ns, err := tx.GetNamespace(ctx, r.NamespaceID)
			if err != nil {
				return nil, fmt.Errorf("routes: find users: %w", err)
			}
			nsNames[r.NamespaceID] = ns.Name
		}
		names = append(names, fmt.Sprintf("route %q (namespace %q)", r.Name, nsNames[r.NamespaceID]))
	}
	if total > len(list) {
		names = append(names, fmt.Sprintf("%d more routes", total-len(list)))
	}
	return names, nil
}

// MoveCheck names the routes of namespace nsID's subtree that use a policy
// or key pair which, once nsID moves under newParentID, would be neither in
// the subtree nor above it (a namespaces.MoveCheck).
func MoveCheck(ctx context.Context, tx db.Store, tree *nstree.Tree, nsID, newParentID string) ([]string, error) {
	visible := map[string]bool{}
	for _, id := range tree.SubtreeIDs(nsID) {
		visible[id] = true
	}
	for _, a := range tree.Ancestors(newParentID) {
		visible[a.ID] = true
	}
	refs := refOwners{tx: tx, policies: map[string]owner{}, keyPairs: map[string]owner{}}
	var problems []string
	for offset := 0; ; {
		page, total, err := tx.ListRoutes(ctx, db.RouteFilter{NamespaceIDs: tree.SubtreeIDs(nsID), Offset: offset, Limit: 500})
		if err != nil {
			return nil, fmt.Errorf("routes: check move: %w", err)
		}
		for _, r := range page {
			found, err := unreachableRefs(ctx, refs, tree, r, visible)
			if err != nil {
				return nil, err
			}
			problems = append(problems, found...)
			if len(problems) >= maxNamed {
				return problems[:maxNamed], nil
			}
		}
		offset += len(page)
		if len(page) == 0 || offset >= total {
			return problems, nil
		}
	}
}

// owner is the name and namespace of a policy or key pair.
type owner struct{ name, namespaceID string }

// refOwners loads the owners of the policies and key pairs routes use,
// each once: many routes of a subtree share them.
type refOwners struct {
	tx       db.Store
	policies map[string]owner
	keyPairs map[string]owner
}

func (o refOwners) policy(ctx context.Context, id string) (owner, error) {
	if w, ok := o.policies[id]; ok {
		return w, nil
	}
	p, err := o.tx.GetPolicy(ctx, id)
	if err != nil {
		return owner{}, err
	}
	o.policies[id] = owner{p.Name, p.NamespaceID}
	return o.policies[id], nil
}

func (o refOwners) keyPair(ctx context.Context, id string) (owner, error) {
	if w, ok := o.keyPairs[id]; ok {
		return w, nil
	}
	k, err := o.tx.GetKeyPair(ctx, id)
	if err != nil {
		return owner{}, err
	}
	o.keyPairs[id] = owner{k.Name, k.NamespaceID}
	return o.keyPairs[id], nil
}

// unreachableRefs names the policies and key pairs of r whose namespaces
// are not visible.
func unreachableRefs(ctx context.Context, refs refOwners, tree *nstree.Tree, r db.Route, visible map[string]bool) ([]string, error) {
	var out []string
	nsName := func(id string) string {
		ns, _ := tree.Get(id)
		return ns.Name
	}
	for _, id := range r.PolicyIDs {
		p, err := refs.policy(ctx, id)
		if err != nil {
			return nil, fmt.Errorf("routes: check move: %w", err)
		}
		if !visible[p.namespaceID] {
			out = append(out, fmt.Sprintf("route %q, which uses policy %q of namespace %q", r.Name, p.name, nsName(p.namespaceID)))
		}
	}
	for _, id := range []string{r.TLSCustomCAKeyPairID, r.TLSClientKeyPairID, r.TLSDownstreamClientCAKeyPairID} {
		if id == "" {
			continue
		}
		k, err := refs.keyPair(ctx, id)
		if err != nil {
			return nil, fmt.Errorf("routes: check move: %w", err)
		}
		if !visible[k.namespaceID] {
			out = append(out, fmt.Sprintf("route %q, which uses key pair %q of namespace %q", r.Name, k.name, nsName(k.namespaceID)))
		}
	}
	return out, nil
}
