package jobs_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/pomerium-console-oss/pomerium-console/db"
	"github.com/pomerium-console-oss/pomerium-console/db/storetest"
	"github.com/pomerium-console-oss/pomerium-console/jobs"
)

func TestPruneRecoveryTokensKeepsLiveOnes(t *testing.T) {
	t.Parallel()
	store := storetest.OpenSQLite(t)
	ctx := context.Background()
	now := time.Now()
	for id, exp := range map[string]time.Time{"old": now.Add(-time.Minute), "live": now.Add(time.Hour)} {
		err := store.InsertRecoveryToken(ctx, db.RecoveryToken{ID: id, NamespaceID: db.GlobalNamespaceID, CreatedAt: now.Add(-2 * time.Hour), ExpiresAt: exp})
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := jobs.PruneRecoveryTokens(store, func() time.Time { return now })(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := store.GetRecoveryToken(ctx, "old"); !errors.Is(err, db.ErrNotFound) {
		t.Fatalf("expired token still there: %v", err)
	}
	if _, err := store.GetRecoveryToken(ctx, "live"); err != nil {
		t.Fatalf("live token pruned: %v", err)
	}
}

func TestRegisterRejectsBadSpec(t *testing.T) {
	t.Parallel()
	s := jobs.New(slog.New(slog.NewTextHandler(io.Discard, nil)))
	defer func() {
		if recover() == nil {
			t.Fatal("a bad cron spec must panic at registration")
		}
	}()
	s.Register("bad", "every now and then", func(context.Context) error { return nil })
}

func TestStopWaitsForRunningJob(t *testing.T) {
	t.Parallel()
	s := jobs.New(slog.New(slog.NewTextHandler(io.Discard, nil)))
	started, finished := make(chan struct{}), make(chan struct{})
	s.Register("slow", "@every 1s", func(ctx context.Context) error {
		close(started)
		<-ctx.Done() // Stop cancels the job's context
		close(finished)
		return ctx.Err()
	})
	s.Start()
	select {
	case <-started:
	case <-time.After(3 * time.Second):
		t.Fatal("job did not run")
	}
	s.Stop()
	select {
	case <-finished:
	default:
		t.Fatal("Stop returned before the running job finished")
	}
}
