package deploy_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"google.golang.org/grpc/codes"

	"github.com/pomerium-console-oss/pomerium-console/db"
	"github.com/pomerium-console-oss/pomerium-console/db/storetest"
)

// retryUntil runs the retry job, moving the clock past any back-off each
// time, until deployment id is current; gRPC reconnects to a restarted
// databroker on its own schedule, so the first retries may still fail.
func (e *env) retryUntil(id string) db.Deployment {
	e.t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		e.clock.skip(2 * time.Hour)
		if err := e.dep.RunRetries(context.Background()); err != nil {
			e.t.Fatal(err)
		}
		d := e.deployment(id)
		if d.Status == db.StatusCurrent {
			return d
		}
		if time.Now().After(deadline) {
			e.t.Fatalf("deployment #%d still %s: %s", d.Number, d.Status, d.FailureMessage)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func TestFailedPushesAreRetriedUntilTheyWork(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		opts []option
		// breakIt makes the databroker fail, fixIt makes it work again.
		breakIt, fixIt func(e *env)
		reason         string
	}{
		{
			name:    "down",
			breakIt: func(e *env) { e.broker.Stop() },
			fixIt: func(e *env) {
				if err := e.broker.Restart(); err != nil {
					e.t.Fatal(err)
				}
			},
			reason: "cannot reach the databroker at " + "http://",
		},
		{
			name:    "slow",
			opts:    []option{withPushTimeout(300 * time.Millisecond)},
			breakIt: func(e *env) { e.broker.SetDelay(3 * time.Second) },
			fixIt:   func(e *env) { e.broker.SetDelay(0) },
			reason:  "did not answer in time",
		},
		{
			name:    "rejects the secret",
			breakIt: func(e *env) { e.pointDefaultAt(e.broker.URL(), "d3Jvbmcgc2VjcmV0IHdyb25nIHNlY3JldCB3cm9uZyE=") },
			fixIt:   func(e *env) { e.pointDefaultAt(e.broker.URL(), e.broker.SharedSecret()) },
			reason:  "the databroker refused the shared secret (Unauthenticated)",
		},
		{
			name:    "answers with an error",
			breakIt: func(e *env) { e.broker.SetFailure(codes.Internal, "disk full") },
			fixIt:   func(e *env) { e.broker.SetFailure(codes.OK, "") },
			reason:  "disk full",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			storetest.ForEach(t, func(t *testing.T, s db.Store) {
				e := newEnv(t, s, tc.opts...)
				e.route(eng, "a", "https://a.example.com")
				first := e.apply("a")

				tc.breakIt(e)
				e.route(fin, "b", "https://b.example.com")
				failed := e.apply("b while broken")
				if failed.Status != db.StatusFailed || !strings.Contains(failed.FailureMessage, tc.reason) {
					t.Fatalf("apply while broken: %s %q, want failed with %q", failed.Status, failed.FailureMessage, tc.reason)
				}
				e.wantStatus(first.ID, db.StatusCurrent)
				st := e.pushState()
				if st.Connected || !strings.Contains(st.LastError, tc.reason) || st.Failures < 1 || !st.NextRetryAt.After(st.LastAttemptAt) {
					t.Fatalf("push state %+v", st)
				}

				// The console keeps working: reads and writes go on, and a
				// retry before the back-off has passed does nothing.
				e.route(fin, "c", "https://c.example.com")
				if n := len(e.pending().Changes); n != 1 {
					t.Errorf("%d pending changes, want 1 (route c)", n)
				}
				if err := e.dep.RunRetries(context.Background()); err != nil {
					t.Fatal(err)
				}
				if e.pushState().Failures != st.Failures {
					t.Error("a retry ran before its back-off had passed")
				}

				tc.fixIt(e)
				e.retryUntil(failed.ID)
				e.wantStatus(first.ID, db.StatusApplied)
				cfg, _ := e.pushed()
				if got := routeFroms(cfg); !slices.Equal(got, []string{"https://a.example.com", "https://b.example.com"}) {
					t.Errorf("after the retry the databroker holds %v", got)
				}
				if st := e.pushState(); !st.Connected || st.LastError != "" || st.Failures != 0 || st.LastPushedDeploymentID != failed.ID {
					t.Errorf("push state after the retry %+v", st)
				}
			})
		})
	}
}

func TestWithoutADatabrokerDeploymentsAreOnlyRendered(t *testing.T) {
	t.Parallel()
	storetest.ForEach(t, func(t *testing.T, s db.Store) {
		e := newEnv(t, s)
		e.pointDefaultAt("", "")
		e.route(eng, "a", "https://a.example.com")
		first := e.apply("a")
		if first.Status != db.StatusCurrent {
			t.Fatalf("deployment is %s (%s), want current", first.Status, first.FailureMessage)
		}
		if cfg, _ := e.pushed(); cfg != nil {
			t.Fatal("a cluster without a databroker was pushed to")
		}
		e.route(eng, "b", "https://b.example.com")
		second := e.apply("b")
		e.wantStatus(first.ID, db.StatusApplied)
		e.wantStatus(second.ID, db.StatusCurrent)
		if err := e.dep.RunRetries(context.Background()); err != nil {
			t.Fatal(err)
		}
		if _, err := e.store.GetPushState(context.Background(), db.DefaultClusterID); err == nil {
			t.Error("the retry job pushed to a cluster without a databroker")
		}
	})
}
