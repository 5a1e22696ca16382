package databroker_test

import (
	"testing"
	"time"

	"github.com/pomerium-console-oss/pomerium-console/app/databroker"
)

func TestBackoffBounds(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		b        databroker.Backoff
		attempt  int
		min, max time.Duration
	}{
		{"first retry", databroker.Backoff{Initial: time.Second, Max: time.Minute, Multiplier: 2, Jitter: 0.2}, 0, 800 * time.Millisecond, 1200 * time.Millisecond},
		{"grows exponentially", databroker.Backoff{Initial: time.Second, Max: time.Minute, Multiplier: 2, Jitter: 0.2}, 3, 6400 * time.Millisecond, 9600 * time.Millisecond},
		{"capped, jitter included", databroker.Backoff{Initial: time.Second, Max: time.Minute, Multiplier: 2, Jitter: 0.2}, 10, 48 * time.Second, time.Minute},
		{"huge attempt does not overflow", databroker.Backoff{Initial: time.Second, Max: time.Minute, Multiplier: 2, Jitter: 0.2}, 1 << 30, 48 * time.Second, time.Minute},
		{"negative attempt is the first", databroker.Backoff{Initial: time.Second, Max: time.Minute, Multiplier: 2, Jitter: 0.2}, -5, 800 * time.Millisecond, 1200 * time.Millisecond},
		{"zero value takes the defaults", databroker.Backoff{}, 2, 3200 * time.Millisecond, 4800 * time.Millisecond},
		{"default caps at five minutes", databroker.DefaultBackoff, 100, 4 * time.Minute, 5 * time.Minute},
		{"max below initial is raised to it", databroker.Backoff{Initial: time.Second, Max: time.Millisecond, Multiplier: 2, Jitter: 0.5}, 4, 500 * time.Millisecond, time.Second},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			seen := map[time.Duration]bool{}
			for range 500 {
				d := tc.b.Delay(tc.attempt)
				if d < tc.min || d > tc.max {
					t.Fatalf("Delay(%d) = %v, want within [%v, %v]", tc.attempt, d, tc.min, tc.max)
				}
				seen[d] = true
			}
			if len(seen) < 10 {
				t.Fatalf("Delay(%d) took only %d values in 500 draws: no jitter", tc.attempt, len(seen))
			}
		})
	}
}
