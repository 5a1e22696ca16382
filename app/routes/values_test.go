package routes_test

import (
	"testing"

	"github.com/pomerium-console-oss/pomerium-console/app/routes"
)

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
