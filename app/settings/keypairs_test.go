package settings_test

import (
	"reflect"
	"testing"

	"github.com/pomerium-console-oss/pomerium-console/app/apptest"
	"github.com/pomerium-console-oss/pomerium-console/app/errs"
	"github.com/pomerium-console-oss/pomerium-console/app/keypairs"
	"github.com/pomerium-console-oss/pomerium-console/app/rbac"
	"github.com/pomerium-console-oss/pomerium-console/app/settings"
	"github.com/pomerium-console-oss/pomerium-console/db"
	"github.com/pomerium-console-oss/pomerium-console/db/storetest"
)

// The hook has the shape the key pairs service asks for.
var _ keypairs.Users = settings.KeyPairUsers

func TestKeyPairUsers(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		values settings.Values
		pair   string
		want   []string
	}{
		{"nothing saved", settings.Values{}, "kp-ca", nil},
		{"certificate authority", settings.Values{CertificateAuthorityKeyPairID: new("kp-ca")}, "kp-ca", []string{"settings (certificate authority)"}},
		{"both roles", settings.Values{CertificateAuthorityKeyPairID: new("kp-ca"), DownstreamMTLSCAKeyPairID: new("kp-ca")}, "kp-ca",
			[]string{"settings (certificate authority)", "settings (downstream mTLS client CA)"}},
		{"another pair", settings.Values{DownstreamMTLSCAKeyPairID: new("kp-client-ca")}, "kp-ca", nil},
		{"downstream client CA", settings.Values{DownstreamMTLSCAKeyPairID: new("kp-client-ca")}, "kp-client-ca", []string{"settings (downstream mTLS client CA)"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			storetest.ForEach(t, func(t *testing.T, s db.Store) {
				e := newEnv(t, s)
				e.keyPair(t, "kp-ca", global, "root-ca", true)
				e.keyPair(t, "kp-client-ca", global, "client-ca", true)
				if !reflect.DeepEqual(tc.values, settings.Values{}) {
					e.update(t, tc.values, nil)
				}
				got, err := settings.KeyPairUsers(t.Context(), s, tc.pair)
				if err != nil {
					t.Fatal(err)
				}
				if !reflect.DeepEqual(got, tc.want) {
					t.Errorf("KeyPairUsers = %q, want %q", got, tc.want)
				}
			})
		})
	}
}

// TestKeyPairChoices lists the key pairs of Global only, for viewers.
func TestKeyPairChoices(t *testing.T) {
	t.Parallel()
	storetest.ForEach(t, func(t *testing.T, s db.Store) {
		e := newEnv(t, s)
		e.keyPair(t, "kp-ca", global, "root-ca", true)
		e.keyPair(t, "kp-web", global, "web", false)
		e.keyPair(t, "kp-eng", eng, "eng-ca", true)
		list, err := e.svc.KeyPairChoices(t.Context(), e.Group(t, global, rbac.RoleViewer))
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, kp := range list {
			ids = append(ids, kp.ID)
		}
		if !reflect.DeepEqual(ids, []string{"kp-ca", "kp-web"}) {
			t.Errorf("choices %v, want the pairs of Global", ids)
		}
		if _, err := e.svc.KeyPairChoices(t.Context(), e.User(t, "u-eng", apptest.Roles{eng: rbac.RoleAdmin})); err == nil {
			t.Error("a stranger to Global got the choices")
		}
	})
}

// TestKeyPairInUseIsNotDeleted wires the hook into the key pairs service:
// a CA the settings use cannot be deleted, and the refusal names them.
func TestKeyPairInUseIsNotDeleted(t *testing.T) {
	t.Parallel()
	storetest.ForEach(t, func(t *testing.T, s db.Store) {
		e := newEnv(t, s)
		e.keyPair(t, "kp-ca", global, "root-ca", true)
		e.update(t, settings.Values{CertificateAuthorityKeyPairID: new("kp-ca")}, nil)
		pairs := keypairs.NewService(s, e.sealer, apptest.Clock, settings.KeyPairUsers)
		before := storetest.Capture(t, s)
		err := pairs.Delete(t.Context(), e.admin(t), "kp-ca")
		apptest.WantErr(t, err, errs.ErrConflict, `conflict: key pair "root-ca" is still used by settings (certificate authority): stop using it there first`)
		before.Unchanged(t, s)
		if _, err := s.GetKeyPair(t.Context(), "kp-ca"); err != nil {
			t.Errorf("the key pair is gone: %v", err)
		}
	})
}
