package jobs

import (
	"context"
	"time"

	"github.com/pomerium-console-oss/pomerium-console/db"
)

// RegisterPruneRecoveryTokens deletes expired recovery tokens every hour;
// they can no longer sign anyone in, so keeping them only grows the table.
func RegisterPruneRecoveryTokens(s *Scheduler, store db.RecoveryTokenStore, now func() time.Time) {
	s.Register("prune-recovery-tokens", "@every 1h", PruneRecoveryTokens(store, now))
}

// PruneRecoveryTokens is the job body, runnable on its own.
func PruneRecoveryTokens(store db.RecoveryTokenStore, now func() time.Time) func(ctx context.Context) error {
	return func(ctx context.Context) error {
		_, err := store.DeleteExpiredRecoveryTokens(ctx, now())
		return err
	}
}
