package routes_test

import (
	"testing"
	"time"

	"github.com/pomerium-console-oss/pomerium-console/app/routes"
)

func TestParseDuration(t *testing.T) {
	t.Parallel()
	day := 24 * time.Hour
	tests := []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"30s", 30 * time.Second, true},
		{"500ms", 500 * time.Millisecond, true},
		{"1ms", time.Millisecond, true},
		{"1m", time.Minute, true},
		{"1h30m", 90 * time.Minute, true},
		{"1y2w3d", 365*day + 14*day + 3*day, true},
		{"0s", 0, true},
		{"10s10s", 20 * time.Second, true},
		{"292y", 292 * 365 * day, true},
		{"293y", 0, false},
		{"99999999999999999999s", 0, false},
		{"", 0, false},
		{"30", 0, false},
		{"s", 0, false},
		{"1.5s", 0, false},
		{"-1s", 0, false},
		{"1 s", 0, false},
		{"1us", 0, false},
		{"1S", 0, false},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			t.Parallel()
			got, err := routes.ParseDuration(tc.in)
			if (err == nil) != tc.ok || got != tc.want {
				t.Fatalf("ParseDuration(%q) = %v, %v; want %v (ok %v)", tc.in, got, err, tc.want, tc.ok)
			}
		})
	}
}

func TestHost(t *testing.T) {
	t.Parallel()
	for from, want := range map[string]string{
		"https://app.example.com":            "app.example.com",
		"tcp+https://redis.example.com:6379": "redis.example.com:6379",
		"not a url":                          "",
	} {
		if got := routes.Host(from); got != want {
			t.Errorf("Host(%q) = %q, want %q", from, got, want)
		}
	}
}
