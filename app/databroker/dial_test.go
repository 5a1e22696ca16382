package databroker_test

import (
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/pomerium-console-oss/pomerium-console/app/databroker"
	"github.com/pomerium-console-oss/pomerium-console/app/databroker/databrokertest"
)

const secret = "c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3I=" // base64 of 32 bytes

func TestDialRefusesBadOptions(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		opts    databroker.Options
		wantErr string // "" means Dial succeeds
	}{
		{"h2c", databroker.Options{URL: "http://127.0.0.1:5443", SharedSecret: secret}, ""},
		{"TLS with default port", databroker.Options{URL: "https://databroker.example", SharedSecret: secret}, ""},
		{"trailing slash", databroker.Options{URL: "http://localhost:5443/", SharedSecret: secret}, ""},
		{"empty URL", databroker.Options{SharedSecret: secret}, "URL is empty"},
		{"grpc scheme", databroker.Options{URL: "grpc://localhost:5443", SharedSecret: secret}, "must start with http:// (h2c) or https:// (TLS)"},
		{"no scheme", databroker.Options{URL: "localhost:5443", SharedSecret: secret}, "must start with http://"},
		{"no host", databroker.Options{URL: "http://:5443", SharedSecret: secret}, "has no host"},
		{"path", databroker.Options{URL: "http://localhost:5443/databroker", SharedSecret: secret}, "only scheme, host and port"},
		{"user info", databroker.Options{URL: "http://me@localhost:5443", SharedSecret: secret}, "only scheme, host and port"},
		{"no secret", databroker.Options{URL: "http://localhost:5443"}, "shared secret is empty"},
		{"secret with a newline", databroker.Options{URL: "http://localhost:5443", SharedSecret: secret + "\n"}, "whitespace"},
		{"secret not base64", databroker.Options{URL: "http://localhost:5443", SharedSecret: "not base64!"}, "not valid base64"},
		{"CA without certificates", databroker.Options{URL: "https://localhost:5443", SharedSecret: secret, CAPEM: []byte("junk")}, "no PEM certificate"},
		{"CA ignored for h2c", databroker.Options{URL: "http://localhost:5443", SharedSecret: secret, CAPEM: []byte("junk")}, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, err := databroker.Dial(t.Context(), tc.opts)
			if tc.wantErr == "" {
				if err != nil {
					t.Fatalf("Dial: %v", err)
				}
				if c.URL() != tc.opts.URL {
					t.Errorf("URL() = %q", c.URL())
				}
				if err := c.Close(); err != nil {
					t.Fatal(err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) || !strings.HasPrefix(err.Error(), "databroker: ") {
				t.Fatalf("Dial error %v, want one containing %q", err, tc.wantErr)
			}
			if tc.opts.SharedSecret != "" && strings.Contains(err.Error(), strings.TrimSpace(tc.opts.SharedSecret)) {
				t.Fatal("the error repeats the secret")
			}
		})
	}
}

func TestDecodeSharedSecret(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in string
		want     []byte
	}{
		{"32 bytes", secret, []byte("secret-secret-secret-secret-secr")},
		{"short keys work as on Core", base64.StdEncoding.EncodeToString([]byte("short")), []byte("short")},
		{"leading space", " " + secret, nil},
		{"trailing tab", secret + "\t", nil},
		{"unpadded", strings.TrimRight(secret, "="), nil},
		{"URL alphabet", "c2VjcmV0_-", nil},
		{"empty", "", nil},
		{"padding only", "====", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := databroker.DecodeSharedSecret(tc.in)
			if (err == nil) != (tc.want != nil) || string(got) != string(tc.want) {
				t.Fatalf("DecodeSharedSecret = %q, %v; want %q", got, err, tc.want)
			}
		})
	}
}

func TestSignTokenIsExactlyWhatCoreSends(t *testing.T) {
	t.Parallel()
	key := []byte("secret-secret-secret-secret-secr")
	now := time.Unix(1_800_000_000, 999_000_000)
	tok := databroker.SignToken(key, now)
	parts := strings.Split(tok, ".")
	if len(parts) != 3 {
		t.Fatalf("token %q is not a compact JWS", tok)
	}
	for i, want := range []string{`{"alg":"HS256","typ":"JWT"}`, `{"exp":1800003600}`} {
		got, err := base64.RawURLEncoding.DecodeString(parts[i])
		if err != nil || string(got) != want {
			t.Errorf("part %d = %s (%v), want %s", i, got, err, want)
		}
		if !json.Valid(got) {
			t.Errorf("part %d is not JSON", i)
		}
	}
	if err := databrokertest.VerifyToken(key, tok, now); err != nil {
		t.Errorf("Core's check refuses the token: %v", err)
	}
	if err := databrokertest.VerifyToken(key, tok, now.Add(time.Hour+time.Second)); err == nil {
		t.Error("the token is still valid after its hour")
	}
	if tok == databroker.SignToken(key, now.Add(time.Second)) {
		t.Error("a later call got the same token")
	}
}
