package routes

import (
	"context"
	"fmt"

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
