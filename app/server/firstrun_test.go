package server

import (
	"testing"

	"github.com/pomerium-console-oss/pomerium-console/app/config"
)

func TestSignInURL(t *testing.T) {
	t.Parallel()
	tests := []struct {
		bind string
		tls  bool
		want string
	}{
		{":8701", false, "http://localhost:8701/sign-in?token=T"},
		{"0.0.0.0:9000", false, "http://localhost:9000/sign-in?token=T"},
		{"[::]:8701", true, "https://localhost:8701/sign-in?token=T"},
		{"10.0.0.5:8701", false, "http://10.0.0.5:8701/sign-in?token=T"},
		{"console.internal:80", false, "http://console.internal:80/sign-in?token=T"},
	}
	for _, tc := range tests {
		cfg := &config.Config{BindAddr: tc.bind}
		if tc.tls {
			cfg.TLSCertFile, cfg.TLSKeyFile = "c", "k"
		}
		if got := signInURL(cfg, "T"); got != tc.want {
			t.Errorf("signInURL(%q, tls=%v) = %q, want %q", tc.bind, tc.tls, got, tc.want)
		}
	}
}
