package jobs_test

import (
	"context"
	"io"
	"log/slog"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pomerium-console-oss/pomerium-console/jobs"
)

// syncer counts the sync passes the job runs.
type syncer struct{ runs atomic.Int32 }

func (s *syncer) Sync(context.Context) error {
	s.runs.Add(1)
	return nil
}

func TestServiceAccountSyncRunsOnItsSchedule(t *testing.T) {
	t.Parallel()
	s := jobs.New(slog.New(slog.NewTextHandler(io.Discard, nil)))
	sa := &syncer{}
	jobs.RegisterServiceAccountSync(s, sa)
	s.Start()
	defer s.Stop()
	interval, err := time.ParseDuration(jobs.ServiceAccountSyncInterval[len("@every "):])
	if err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(interval + 5*time.Second)
	for sa.runs.Load() == 0 {
		if time.Now().After(deadline) {
			t.Fatalf("no sync pass within %v", interval)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
