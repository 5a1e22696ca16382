package activity

import (
	"context"
	"fmt"
	"time"

	"github.com/pomerium-console-oss/pomerium-console/app/rbac"
	"github.com/pomerium-console-oss/pomerium-console/db"
)

// Described is how a mutated entity appears in its log entry.
type Described struct {
	ID          string
	Name        string
	NamespaceID string
	// Snapshot is the entity as the log stores it, secrets left out.
	Snapshot any
}

// LogConfigChange writes the activity entry of a mutation of configuration
// the console pushes to Pomerium (routes, policies, key pairs) and marks
// that configuration as changed, both in tx. before is nil for a create,
// after for a delete.
func LogConfigChange[T any](ctx context.Context, tx db.Store, acc *rbac.Access, now time.Time, typ, entityType string,
	before, after *T, describe func(T) Described) error {
	if _, err := tx.MarkConfigChanged(ctx, now); err != nil {
		return fmt.Errorf("activity: %w", err)
	}
	c := Change{Type: typ, EntityType: entityType}
	var subject Described
	if before != nil {
		subject = describe(*before)
		c.Before = subject.Snapshot
	}
	if after != nil {
		subject = describe(*after)
		c.After = subject.Snapshot
	}
	ns, _ := acc.Tree().Get(subject.NamespaceID)
	c.EntityID, c.EntityName, c.NamespaceID, c.NamespaceName = subject.ID, subject.Name, subject.NamespaceID, ns.Name
	return Record(ctx, tx, acc.Principal, now, c)
}
