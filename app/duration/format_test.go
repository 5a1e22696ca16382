package duration_test

import (
	"errors"
	"testing"
	"time"

	"github.com/pomerium-console-oss/pomerium-console/app/duration"
)

func TestFormatRoundTrips(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in      time.Duration
		want    string
		wantErr error
	}{
		{0, "0s", nil},
		{30 * time.Second, "30s", nil},
		{90 * time.Minute, "1h30m", nil},
		{1500 * time.Millisecond, "1s500ms", nil},
		{49*time.Hour + time.Millisecond, "49h1ms", nil},
		{time.Microsecond, "", duration.ErrPrecision},
		{-time.Second, "", duration.ErrPrecision},
	}
	for _, tc := range tests {
		got, err := duration.Format(tc.in)
		if got != tc.want || !errors.Is(err, tc.wantErr) {
			t.Errorf("Format(%v) = %q, %v; want %q, %v", tc.in, got, err, tc.want, tc.wantErr)
			continue
		}
		if err != nil {
			continue
		}
		if back, err := duration.Parse(got); err != nil || back != tc.in {
			t.Errorf("Parse(%q) = %v, %v; want %v", got, back, err, tc.in)
		}
	}
}
