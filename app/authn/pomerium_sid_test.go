package authn

import (
	"crypto/elliptic"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
)

// The sid claim names the caller's own Pomerium session, which
// impersonation patches; without it the principal has no session.
func TestPomeriumVerifierSessionID(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	key := newKey(t, elliptic.P256())
	v := NewPomeriumVerifier(&key.PublicKey, []string{"console.example.com"}, func() time.Time { return now })
	for _, tc := range []struct{ name, sid string }{{"with sid", "0b1c-session"}, {"without sid", ""}} {
		claims := map[string]any{"sub": "user-1", "aud": "console.example.com", "iat": now.Unix(), "exp": now.Add(time.Minute).Unix()}
		if tc.sid != "" {
			claims["sid"] = tc.sid
		}
		p, err := v.Verify(signJWT(t, jose.ES256, key, claims))
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if p.SessionID != tc.sid {
			t.Errorf("%s: SessionID %q, want %q", tc.name, p.SessionID, tc.sid)
		}
	}
}
