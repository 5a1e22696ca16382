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

// retrier counts the retry passes the job runs.
type retrier struct{ runs atomic.Int32 }

func (r *retrier) RunRetries(context.Context) error {
	r.runs.Add(1)
	return nil
}

func TestDeployRetriesRunOnTheirSchedule(t *testing.T) {
	t.Parallel()
	s := jobs.New(slog.New(slog.NewTextHandler(io.Discard, nil)))
	r := &retrier{}
	jobs.RegisterDeployRetries(s, r)
	s.Start()
	defer s.Stop()
	interval, err := time.ParseDuration(jobs.DeployRetryInterval[len("@every "):])
	if err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(interval + 5*time.Second)
	for r.runs.Load() == 0 {
		if time.Now().After(deadline) {
			t.Fatalf("no retry pass within %v", interval)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
