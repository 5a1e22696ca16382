package settings

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/pomerium-console-oss/pomerium-console/db"
)

// keyPairRoles names, for each key pair setting, what the pair is used as.
var keyPairRoles = []struct {
	role string
	id   func(*Values) *string
}{
	{"certificate authority", func(v *Values) *string { return v.CertificateAuthorityKeyPairID }},
	{"downstream mTLS client CA", func(v *Values) *string { return v.DownstreamMTLSCAKeyPairID }},
}

// KeyPairUsers names the settings that use key pair keyPairID, e.g.
// "settings (certificate authority)", so that the pair is not deleted from
// under them. It has the shape of keypairs.Users.
func KeyPairUsers(ctx context.Context, tx db.Store, keyPairID string) ([]string, error) {
	rows, err := tx.ListSettings(ctx)
	if err != nil {
		return nil, fmt.Errorf("settings: key pair users: %w", err)
	}
	var names []string
	for _, row := range rows {
		var v Values
		if err := json.Unmarshal([]byte(row.Values), &v); err != nil {
			return nil, fmt.Errorf("settings: key pair users: %w", err)
		}
		what := "settings"
		if row.ClusterID != DefaultClusterID {
			what = fmt.Sprintf("settings of cluster %q", row.ClusterID)
		}
		for _, r := range keyPairRoles {
			if id := r.id(&v); id != nil && *id == keyPairID {
				names = append(names, what+" ("+r.role+")")
			}
		}
	}
	return names, nil
}
