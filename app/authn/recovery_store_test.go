package authn_test

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/pomerium-console-oss/pomerium-console/app/authn"
	"github.com/pomerium-console-oss/pomerium-console/app/errs"
	"github.com/pomerium-console-oss/pomerium-console/app/seal"
	"github.com/pomerium-console-oss/pomerium-console/db"
	"github.com/pomerium-console-oss/pomerium-console/db/storetest"
)

// TestRecoveryOnRealStores runs the CLI-issues, server-verifies flow on the
// real adapters (Postgres only when POSTGRES_TEST_URL is set).
func TestRecoveryOnRealStores(t *testing.T) {
	t.Parallel()
	storetest.ForEach(t, func(t *testing.T, store db.Store) {
		ctx := context.Background()
		sealer := func(b byte) *seal.Sealer {
			s, err := seal.New(bytes.Repeat([]byte{b}, seal.KeySize))
			if err != nil {
				t.Fatal(err)
			}
			return s
		}
		cli := authn.NewRecovery(store, sealer(1), time.Now)
		server := authn.NewRecovery(store, sealer(1), time.Now)

		token, rec, err := cli.Issue(ctx, db.GlobalNamespaceID, 5*time.Minute, true)
		if err != nil {
			t.Fatalf("Issue: %v", err)
		}
		stored, err := store.GetKey(ctx, authn.RecoveryKeyPurpose)
		if err != nil || !strings.HasPrefix(stored.Sealed, "v1.") {
			t.Fatalf("stored key = %+v, %v", stored, err)
		}
		p, err := server.Verify(ctx, token)
		if err != nil || p.UserID != "recovery:"+rec.ID || p.RecoveryNamespaceID != db.GlobalNamespaceID {
			t.Fatalf("Verify = %+v, %v", p, err)
		}
		if _, err := server.Verify(ctx, token); !errors.Is(err, errs.ErrUnauthenticated) || !strings.Contains(err.Error(), "already used") {
			t.Fatalf("second use: %v", err)
		}
		if _, _, err := cli.Issue(ctx, "no-such-namespace", time.Minute, false); !errors.Is(err, errs.ErrNotFound) {
			t.Fatalf("Issue for a missing namespace: %v", err)
		}
		again, err := store.GetKey(ctx, authn.RecoveryKeyPurpose)
		if err != nil || again.Sealed != stored.Sealed {
			t.Fatal("the recovery key changed after first use")
		}
		_, err = authn.NewRecovery(store, sealer(2), time.Now).Verify(ctx, token)
		if !errors.Is(err, seal.ErrUnknownKey) || !strings.Contains(err.Error(), "another database_encryption_key") {
			t.Fatalf("Verify with another database_encryption_key: %v", err)
		}
	})
}
