package authn

import (
	"crypto/ecdsa"
	"net"
	"net/url"
	"strings"
	"time"

	"github.com/go-jose/go-jose/v4/jwt"

	"github.com/pomerium-console-oss/pomerium-console/app/errs"
)

// AssertionHeader is the request header Pomerium Core puts its signed JWT in.
const AssertionHeader = "X-Pomerium-Jwt-Assertion"

// PomeriumVerifier checks the JWT assertion Pomerium Core signs with its signing_key.
type PomeriumVerifier struct {
	pub       *ecdsa.PublicKey
	audiences map[string]bool
	now       func() time.Time
}

// NewPomeriumVerifier accepts assertions signed by pub whose aud is one of
// audiences. An audience may be written as a host ("console.example.com")
// or a URL; only the host is compared, case-insensitively.
func NewPomeriumVerifier(pub *ecdsa.PublicKey, audiences []string, now func() time.Time) *PomeriumVerifier {
	v := &PomeriumVerifier{pub: pub, audiences: map[string]bool{}, now: now}
	for _, a := range audiences {
		if h := audienceHost(a); h != "" {
			v.audiences[h] = true
		}
	}
	return v
}

// audienceHost reduces an audience to the lower-case host Pomerium puts in
// aud, dropping any scheme, path and port the admin may have written.
func audienceHost(a string) string {
	a = strings.TrimSpace(a)
	if strings.Contains(a, "://") {
		if u, err := url.Parse(a); err == nil {
			a = u.Host
		}
	}
	a, _, _ = strings.Cut(a, "/")
	if h, _, err := net.SplitHostPort(a); err == nil {
		a = h
	}
	return strings.TrimSuffix(strings.ToLower(a), ".")
}

type pomeriumClaims struct {
	jwt.Claims
	Email  string   `json:"email"`
	Name   string   `json:"name"`
	Groups []string `json:"groups"`
	// SessionID is Core's session id; it stays the caller's own session
	// while they impersonate someone.
	SessionID string `json:"sid"`
}

// Verify checks token (the assertion header's value) and returns the user it asserts.
func (v *PomeriumVerifier) Verify(token string) (Principal, error) {
	if len(v.audiences) == 0 {
		return Principal{}, errs.Unauthenticated("pomerium assertion cannot be checked: audience is not configured")
	}
	var c pomeriumClaims
	if err := verifyES256(token, v.pub, &c); err != nil {
		return Principal{}, errs.Unauthenticated("pomerium assertion %v", err)
	}
	if err := checkTimes(v.now(), c.Claims, ClockSkew); err != nil {
		return Principal{}, errs.Unauthenticated("pomerium assertion %v", err)
	}
	if !v.audienceOK(c.Audience) {
		return Principal{}, errs.Unauthenticated("pomerium assertion is for %q, not this console's audience", strings.Join(c.Audience, ","))
	}
	if c.Subject == "" {
		return Principal{}, errs.Unauthenticated("pomerium assertion has no subject (sub)")
	}
	return Principal{
		Kind:      KindPomerium,
		UserID:    c.Subject,
		Email:     c.Email,
		Name:      c.Name,
		Groups:    c.Groups,
		SessionID: c.SessionID,
		ExpiresAt: c.Expiry.Time(),
	}, nil
}

func (v *PomeriumVerifier) audienceOK(aud jwt.Audience) bool {
	for _, a := range aud {
		if v.audiences[audienceHost(a)] {
			return true
		}
	}
	return false
}
