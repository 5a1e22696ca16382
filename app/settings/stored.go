package settings

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"

	"github.com/pomerium-console-oss/pomerium-console/app/activity"
	"github.com/pomerium-console-oss/pomerium-console/app/rbac"
	"github.com/pomerium-console-oss/pomerium-console/db"
)

// stored is a settings row with its values decoded.
type stored struct {
	row    db.Settings
	values Values
	// replaced marks the secrets an update gives a new value while one was
	// stored, for the activity log.
	replaced map[Secret]bool
}

// load reads the settings of clusterID; never saved settings are empty.
func load(ctx context.Context, st db.SettingsStore, clusterID string) (stored, error) {
	row, err := st.GetSettings(ctx, clusterID)
	switch {
	case errors.Is(err, db.ErrNotFound):
		return stored{row: db.Settings{ClusterID: clusterID, Values: "{}", Secrets: map[string]string{}}}, nil
	case err != nil:
		return stored{}, fmt.Errorf("settings: read: %w", err)
	}
	var v Values
	if err := json.Unmarshal([]byte(row.Values), &v); err != nil {
		return stored{}, fmt.Errorf("settings: decode stored values: %w", err)
	}
	return stored{row: row, values: v}, nil
}

// set tells which secrets are set.
func (s stored) set() map[Secret]bool {
	out := map[Secret]bool{}
	for name := range s.row.Secrets {
		out[Secret(name)] = true
	}
	return out
}

func (s stored) view() View {
	return View{
		ClusterID: s.row.ClusterID, Values: s.values, SecretsSet: s.set(),
		CreatedAt: s.row.CreatedAt, ModifiedAt: s.row.ModifiedAt,
	}
}

// sameAs reports whether storing s would change nothing stored in cur.
func (s stored) sameAs(cur stored) bool {
	a, errA := marshalValues(s.values)
	b, errB := marshalValues(cur.values)
	return errA == nil && errB == nil && a == b && maps.Equal(s.row.Secrets, cur.row.Secrets)
}

// marshalValues is the stored form of v: a JSON object of the set keys.
func marshalValues(v Values) (string, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return "", fmt.Errorf("settings: encode values: %w", err)
	}
	return string(b), nil
}

// Document is the JSON object of v's set values, with each set secret as
// SecretIsSet: what Patch applies a patch to, and what an API may return.
func (v View) Document() ([]byte, error) {
	return document(v.Values, v.SecretsSet)
}

// Secret states in activity snapshots: the values are never logged.
const (
	secretSet      = "set"
	secretNotSet   = "not set"
	secretReplaced = "replaced"
)

// snapshot is the settings as the activity log shows them: the set values
// and, for every secret, only whether it is set.
func (s stored) snapshot() (map[string]any, error) {
	var out map[string]any
	if err := json.Unmarshal([]byte(s.row.Values), &out); err != nil {
		return nil, fmt.Errorf("settings: snapshot: %w", err)
	}
	if out == nil {
		out = map[string]any{}
	}
	for _, name := range Secrets {
		switch _, ok := s.row.Secrets[string(name)]; {
		case s.replaced[name]:
			out[string(name)] = secretReplaced
		case ok:
			out[string(name)] = secretSet
		default:
			out[string(name)] = secretNotSet
		}
	}
	return out, nil
}

// logChange writes the activity entry of a change from cur to next.
func (s *Service) logChange(ctx context.Context, tx db.Store, acc *rbac.Access, cur, next stored) error {
	before, err := cur.snapshot()
	if err != nil {
		return err
	}
	after, err := next.snapshot()
	if err != nil {
		return err
	}
	global, _ := acc.Tree().Get(db.GlobalNamespaceID)
	return activity.Record(ctx, tx, acc.Principal, s.now(), activity.Change{
		Type: db.ActivityUpdate, EntityType: activity.EntitySettings, EntityID: next.row.ClusterID,
		EntityName: entityName(next.row.ClusterID), NamespaceID: db.GlobalNamespaceID, NamespaceName: global.Name,
		Before: before, After: after,
	})
}

// entityName is how the log and the key pair users name a cluster's settings.
func entityName(clusterID string) string {
	if clusterID == DefaultClusterID {
		return "Global settings"
	}
	return fmt.Sprintf("Settings of cluster %q", clusterID)
}
