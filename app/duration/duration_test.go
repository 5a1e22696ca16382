package duration_test

import (
	"testing"
	"time"

	"github.com/pomerium-console-oss/pomerium-console/app/duration"
)

func TestParse(t *testing.T) {
	t.Parallel()
	day := 24 * time.Hour
	tests := []struct {
		in      string
		want    time.Duration
		wantErr string
	}{
		{"30s", 30 * time.Second, ""},
		{"0s", 0, ""},
		{"1h30m", 90 * time.Minute, ""},
		{"1ms", time.Millisecond, ""},
		{"1m1ms", time.Minute + time.Millisecond, ""},
		{"2w1d", 15 * day, ""},
		{"1y", 365 * day, ""},
		{"292y", 292 * 365 * day, ""},
		{"293y", 0, "is too long: at most 292y"},
		{"99999999999999999999s", 0, "is too long: at most 292y"},
		{"", 0, `must be a number and a unit, repeated: y, w, d, h, m, s or ms (e.g. "30s", "1h30m")`},
		{"5", 0, `must be a number and a unit, repeated: y, w, d, h, m, s or ms (e.g. "30s", "1h30m")`},
		{"1.5h", 0, `must be a number and a unit, repeated: y, w, d, h, m, s or ms (e.g. "30s", "1h30m")`},
		{"1us", 0, `must be a number and a unit, repeated: y, w, d, h, m, s or ms (e.g. "30s", "1h30m")`},
		{"1H", 0, `must be a number and a unit, repeated: y, w, d, h, m, s or ms (e.g. "30s", "1h30m")`},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			t.Parallel()
			got, err := duration.Parse(tc.in)
			switch {
			case tc.wantErr == "" && (err != nil || got != tc.want):
				t.Errorf("ParseDuration(%q) = %v, %v; want %v", tc.in, got, err, tc.want)
			case tc.wantErr != "" && (err == nil || err.Error() != tc.wantErr):
				t.Errorf("ParseDuration(%q) error %v, want %q", tc.in, err, tc.wantErr)
			}
		})
	}
}
