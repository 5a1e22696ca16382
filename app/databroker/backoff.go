package databroker

import (
	"math"
	"math/rand/v2"
	"time"
)

// Backoff spaces out retries: the delay grows exponentially from Initial by
// Multiplier per attempt, is spread by ±Jitter (a fraction) so that many
// clusters failing together do not retry in lockstep, and never exceeds Max.
// Zero fields take the defaults of DefaultBackoff.
type Backoff struct {
	// Initial is the delay before the first retry.
	Initial time.Duration
	// Max caps every delay, jitter included.
	Max time.Duration
	// Multiplier is the growth per attempt (> 1).
	Multiplier float64
	// Jitter is the relative spread, between 0 and 1.
	Jitter float64
}

// DefaultBackoff retries after about 1 s, 2 s, 4 s, ... up to 5 minutes.
var DefaultBackoff = Backoff{Initial: time.Second, Max: 5 * time.Minute, Multiplier: 2, Jitter: 0.2}

// Delay is how long to wait before retry number attempt (0 for the first).
func (b Backoff) Delay(attempt int) time.Duration {
	b = b.withDefaults()
	attempt = max(attempt, 0)
	// Computed in float64 so large attempt numbers saturate instead of overflowing.
	d := float64(b.Initial) * math.Pow(b.Multiplier, float64(attempt))
	d = math.Min(d, float64(b.Max))
	d *= 1 + b.Jitter*(2*rand.Float64()-1)
	return time.Duration(math.Min(d, float64(b.Max)))
}

// withDefaults fills zero or out-of-range fields from DefaultBackoff.
func (b Backoff) withDefaults() Backoff {
	if b.Initial <= 0 {
		b.Initial = DefaultBackoff.Initial
	}
	if b.Max <= 0 {
		b.Max = DefaultBackoff.Max
	}
	b.Max = max(b.Max, b.Initial)
	if b.Multiplier <= 1 {
		b.Multiplier = DefaultBackoff.Multiplier
	}
	if b.Jitter <= 0 || b.Jitter >= 1 {
		b.Jitter = DefaultBackoff.Jitter
	}
	return b
}
