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

// counter counts the passes a job runs.
type counter struct{ runs atomic.Int32 }

func (c *counter) run(context.Context) error {
	c.runs.Add(1)
	return nil
}

func (c *counter) RunRetries(ctx context.Context) error { return c.run(ctx) }
func (c *counter) Sync(ctx context.Context) error       { return c.run(ctx) }

// wantScheduled registers a job with register on a running scheduler and
// waits for its first pass, which must come within its "@every" interval.
func wantScheduled(t *testing.T, spec string, register func(*jobs.Scheduler, *counter)) {
	t.Helper()
	s := jobs.New(slog.New(slog.NewTextHandler(io.Discard, nil)))
	c := &counter{}
	register(s, c)
	s.Start()
	defer s.Stop()
	interval, err := time.ParseDuration(spec[len("@every "):])
	if err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(interval + 5*time.Second)
	for c.runs.Load() == 0 {
		if time.Now().After(deadline) {
			t.Fatalf("no pass within %v", interval)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func TestDeployRetriesRunOnTheirSchedule(t *testing.T) {
	t.Parallel()
	wantScheduled(t, jobs.DeployRetryInterval, func(s *jobs.Scheduler, c *counter) { jobs.RegisterDeployRetries(s, c) })
}

func TestServiceAccountSyncRunsOnItsSchedule(t *testing.T) {
	t.Parallel()
	wantScheduled(t, jobs.ServiceAccountSyncInterval, func(s *jobs.Scheduler, c *counter) { jobs.RegisterServiceAccountSync(s, c) })
}
