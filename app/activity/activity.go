package activity

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/pomerium-console-oss/pomerium-console/app/authn"
	"github.com/pomerium-console-oss/pomerium-console/db"
)

// Entity types, named as the REST reference's EntityType enum where it has one.
const (
	EntityNamespace           = "namespace"
	EntityNamespacePermission = "namespace_permission"
	EntityPolicy              = "policy"
	EntityRoute               = "route"
	EntityKeyPair             = "key_pair"
	EntitySettings            = "settings"
	EntityCluster             = "cluster"
	EntityChangeset           = "changeset"
	EntityServiceAccount      = "service_account"
	// Runtime state in Pomerium Core's databroker, changed from the
	// Sessions and Devices pages.
	EntitySession    = "session"
	EntityDevice     = "device"
	EntityDeviceType = "device_type"
)

// EntityTypes lists every entity type the console writes, for filter menus.
var EntityTypes = []string{EntityNamespace, EntityNamespacePermission, EntityPolicy, EntityRoute, EntityKeyPair, EntitySettings,
	EntityCluster, EntityChangeset, EntityServiceAccount, EntitySession, EntityDevice, EntityDeviceType}

// Change describes one mutation. Before is nil for a create, After nil for a
// delete; both are marshalled to JSON as they are, so callers pass values with
// secrets already removed.
type Change struct {
	Type          string
	EntityType    string
	EntityID      string
	EntityName    string
	NamespaceID   string
	NamespaceName string
	Before        any
	After         any
	// ConfigRevision places the entry in a changeset when its transaction
	// marked no configuration change itself (0: the store decides).
	ConfigRevision int64
}

// Record writes one entry for change made by p. Call it with the
// transaction-bound store of the mutation so both commit or neither does.
func Record(ctx context.Context, tx db.ActivityStore, p authn.Principal, now time.Time, c Change) error {
	before, err := marshal(c.Before)
	if err != nil {
		return fmt.Errorf("activity: before: %w", err)
	}
	after, err := marshal(c.After)
	if err != nil {
		return fmt.Errorf("activity: after: %w", err)
	}
	// Version 7 ids grow with time (monotonically within a millisecond), so
	// the log's id tie-break keeps entries of one millisecond in order.
	id, err := uuid.NewV7()
	if err != nil {
		return fmt.Errorf("activity: id: %w", err)
	}
	e := db.ActivityEntry{
		ID:            id.String(),
		CreatedAt:     now,
		ActivityType:  c.Type,
		NamespaceID:   c.NamespaceID,
		NamespaceName: c.NamespaceName,
		UserID:        p.UserID,
		UserName:      p.DisplayName(),
		UserEmail:     p.Email,
		AuthMethod:    p.Kind,
		// An account's user id may impersonate a person, so the entry
		// names the account too.
		ServiceAccountID: p.ServiceAccountID,
		EntityType:       c.EntityType,
		EntityID:         c.EntityID,
		EntityName:       c.EntityName,
		Before:           before,
		After:            after,
		ConfigRevision:   c.ConfigRevision,
	}
	if err := tx.InsertActivity(ctx, e); err != nil {
		return fmt.Errorf("activity: %w", err)
	}
	return nil
}

func marshal(v any) (string, error) {
	if v == nil {
		return "", nil
	}
	b, err := json.MarshalIndent(v, "", "  ")
	return string(b), err
}
