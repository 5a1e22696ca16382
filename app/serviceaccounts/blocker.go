package serviceaccounts

import (
	"context"
	"fmt"

	"github.com/pomerium-console-oss/pomerium-console/db"
)

// Blocker names the service accounts that keep a namespace from being
// deleted (a namespaces.Blocker): the active ones, whose tokens would lose
// their namespace, and revoked ones whose tombstone has not reached the
// databroker yet, whose tokens Core would keep accepting. The other
// revoked accounts are deleted with the namespace.
func Blocker(ctx context.Context, tx db.Store, namespaceID string) ([]string, error) {
	list, err := tx.ListServiceAccounts(ctx, db.ServiceAccountFilter{NamespaceIDs: []string{namespaceID}})
	if err != nil {
		return nil, fmt.Errorf("serviceaccounts: list the namespace's accounts: %w", err)
	}
	var names []string
	for _, a := range list {
		switch {
		case a.RevokedAt.IsZero():
			names = append(names, fmt.Sprintf("service account %q", name(a)))
		case a.Dirty():
			names = append(names, fmt.Sprintf("revoked service account %q (its revocation has not reached the databroker yet)", name(a)))
		}
	}
	return names, nil
}
