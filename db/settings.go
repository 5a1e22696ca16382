package db

import (
	"context"
	"time"
)

// Settings are the global settings of one cluster, as the settings service
// stores them: Values is a JSON object holding only the keys an admin set
// (an unset key stays absent, so Pomerium Core's default applies), and
// Secrets maps the name of each set secret to its value sealed with
// database_encryption_key.
type Settings struct {
	ClusterID  string
	Values     string
	Secrets    map[string]string
	CreatedAt  time.Time
	ModifiedAt time.Time
}

// SettingsStore persists one settings row per cluster.
type SettingsStore interface {
	// GetSettings returns the settings of clusterID, or ErrNotFound when
	// they were never saved.
	GetSettings(ctx context.Context, clusterID string) (Settings, error)
	// ListSettings returns the settings of every cluster, ordered by cluster id.
	ListSettings(ctx context.Context) ([]Settings, error)
	// PutSettings inserts the row of s.ClusterID, or replaces its Values,
	// Secrets and ModifiedAt (CreatedAt of an existing row is kept).
	PutSettings(ctx context.Context, s Settings) error
}
