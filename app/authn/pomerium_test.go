package authn

import (
	"crypto/elliptic"
	"crypto/x509"
	"encoding/pem"
	"slices"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
)

func TestPomeriumVerifier(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	key := newKey(t, elliptic.P256())
	v := NewPomeriumVerifier(&key.PublicKey, []string{"https://Console.Example.com:443/", "console2.example.org"}, func() time.Time { return now })

	claims := func(mod func(m map[string]any)) map[string]any {
		m := map[string]any{
			"sub":    "user-1",
			"email":  "ada@example.com",
			"name":   "Ada",
			"groups": []string{"admins", "ops"},
			"aud":    "console.example.com",
			"iss":    "authenticate.example.com",
			"iat":    now.Unix(),
			"exp":    now.Add(5 * time.Minute).Unix(),
		}
		if mod != nil {
			mod(m)
		}
		return m
	}
	es256 := func(mod func(m map[string]any)) string { return signJWT(t, jose.ES256, key, claims(mod)) }
	pubPEM, err := x509.MarshalPKIXPublicKey(&key.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	hmacSecret := pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pubPEM})

	tests := []struct {
		name       string
		token      string
		wantReason string // empty: accepted
		wantGroups []string
	}{
		{name: "valid", token: es256(nil), wantGroups: []string{"admins", "ops"}},
		{name: "aud array", token: es256(func(m map[string]any) { m["aud"] = []string{"x.example.com", "console.example.com"} }), wantGroups: []string{"admins", "ops"}},
		{name: "aud other case", token: es256(func(m map[string]any) { m["aud"] = "CONSOLE.example.COM" }), wantGroups: []string{"admins", "ops"}},
		{name: "second audience", token: es256(func(m map[string]any) { m["aud"] = "console2.example.org" }), wantGroups: []string{"admins", "ops"}},
		{name: "groups absent", token: es256(func(m map[string]any) { delete(m, "groups") })},
		{name: "exp 60s ago within skew", token: es256(func(m map[string]any) { m["exp"] = now.Add(-60 * time.Second).Unix() }), wantGroups: []string{"admins", "ops"}},
		{name: "iat 60s ahead within skew", token: es256(func(m map[string]any) { m["iat"] = now.Add(60 * time.Second).Unix() }), wantGroups: []string{"admins", "ops"}},
		{name: "exp 61s ago", token: es256(func(m map[string]any) { m["exp"] = now.Add(-61 * time.Second).Unix() }), wantReason: "expired at 2026-03-01T11:58:59Z"},
		{name: "iat 61s ahead", token: es256(func(m map[string]any) { m["iat"] = now.Add(61 * time.Second).Unix() }), wantReason: "issued in the future"},
		{name: "nbf ahead", token: es256(func(m map[string]any) { m["nbf"] = now.Add(10 * time.Minute).Unix() }), wantReason: "not valid before"},
		{name: "no exp", token: es256(func(m map[string]any) { delete(m, "exp") }), wantReason: "has no expiry"},
		{name: "no sub", token: es256(func(m map[string]any) { delete(m, "sub") }), wantReason: "has no subject"},
		{name: "wrong aud", token: es256(func(m map[string]any) { m["aud"] = "app.example.com" }), wantReason: "not this console's audience"},
		{name: "aud suffix trick", token: es256(func(m map[string]any) { m["aud"] = "console.example.com.evil.io" }), wantReason: "not this console's audience"},
		{name: "no aud", token: es256(func(m map[string]any) { delete(m, "aud") }), wantReason: "not this console's audience"},
		{name: "groups not strings", token: es256(func(m map[string]any) { m["groups"] = []int{1} }), wantReason: "malformed claims"},
		{name: "alg none", token: unsignedJWT(t, claims(nil)), wantReason: "is not an ES256 JWT"},
		{name: "HS256 keyed with the public key", token: signJWT(t, jose.HS256, hmacSecret, claims(nil)), wantReason: "is not an ES256 JWT"},
		{name: "ES384", token: signJWT(t, jose.ES384, newKey(t, elliptic.P384()), claims(nil)), wantReason: "is not an ES256 JWT"},
		{name: "other ES256 key", token: signJWT(t, jose.ES256, newKey(t, elliptic.P256()), claims(nil)), wantReason: "signature is not valid"},
		{name: "altered payload", token: swapPayload(t, es256(nil), claims(func(m map[string]any) { m["sub"] = "admin" })), wantReason: "signature is not valid"},
		{name: "garbage", token: "not-a-jwt", wantReason: "is not an ES256 JWT"},
		{name: "empty", token: "", wantReason: "is missing"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			p, err := v.Verify(tc.token)
			if tc.wantReason != "" {
				wantRejected(t, err, tc.wantReason)
				return
			}
			if err != nil {
				t.Fatalf("Verify: %v", err)
			}
			if p.Kind != KindPomerium || p.UserID != "user-1" || p.Email != "ada@example.com" || p.Name != "Ada" || !slices.Equal(p.Groups, tc.wantGroups) {
				t.Fatalf("principal = %+v", p)
			}
			if want := time.Unix(claims(nil)["exp"].(int64), 0); tc.name == "valid" && !p.ExpiresAt.Equal(want) {
				t.Fatalf("ExpiresAt = %v, want %v", p.ExpiresAt, want)
			}
		})
	}
}

func TestPomeriumVerifierWithoutAudience(t *testing.T) {
	t.Parallel()
	key := newKey(t, elliptic.P256())
	now := time.Now()
	token := signJWT(t, jose.ES256, key, map[string]any{"sub": "u", "aud": "c.example.com", "exp": now.Add(time.Minute).Unix()})
	_, err := NewPomeriumVerifier(&key.PublicKey, []string{" "}, time.Now).Verify(token)
	wantRejected(t, err, "audience is not configured")
}

func TestAudienceHost(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{in: "console.example.com", want: "console.example.com"},
		{in: "Console.Example.com.", want: "console.example.com"},
		{in: "https://console.example.com:8443/path", want: "console.example.com"},
		{in: "console.example.com:443", want: "console.example.com"},
		{in: "console.example.com/x", want: "console.example.com"},
		{in: "[::1]:443", want: "::1"},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			t.Parallel()
			if got := audienceHost(tc.in); got != tc.want {
				t.Fatalf("audienceHost(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestDisplayName(t *testing.T) {
	t.Parallel()
	tests := []struct {
		p    Principal
		want string
	}{
		{p: Principal{UserID: "u", Email: "e@x", Name: "N"}, want: "N"},
		{p: Principal{UserID: "u", Email: "e@x"}, want: "e@x"},
		{p: Principal{UserID: "u"}, want: "u"},
	}
	for _, tc := range tests {
		t.Run(tc.want, func(t *testing.T) {
			t.Parallel()
			if got := tc.p.DisplayName(); got != tc.want {
				t.Fatalf("DisplayName = %q, want %q", got, tc.want)
			}
		})
	}
}
