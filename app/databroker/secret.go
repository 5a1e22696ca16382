package databroker

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"time"
)

// JWTMetadataKey is the gRPC metadata key Core reads the call's token from.
const JWTMetadataKey = "jwt"

// tokenLifetime is how far ahead Core's own clients set exp; Core has no
// maximum, but a short lifetime limits what a leaked token is worth.
const tokenLifetime = time.Hour

// jwtHeader is the protected header Core's clients send, byte for byte.
var jwtHeader = base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"HS256","typ":"JWT"}`))

// DecodeSharedSecret turns the shared_secret setting (base64 text) into the
// HMAC key, refusing what Core refuses: leading or trailing whitespace, text
// that is not standard padded base64, and an empty value. The error never
// repeats the secret.
func DecodeSharedSecret(secret string) ([]byte, error) {
	if secret == "" {
		return nil, errors.New("databroker: the shared secret is empty")
	}
	if strings.TrimSpace(secret) != secret {
		return nil, errors.New("databroker: the shared secret has leading or trailing whitespace, which Pomerium refuses")
	}
	key, err := base64.StdEncoding.DecodeString(secret)
	if err != nil {
		return nil, errors.New("databroker: the shared secret is not valid base64 (Pomerium expects the base64 of 32 random bytes)")
	}
	if len(key) == 0 {
		return nil, errors.New("databroker: the shared secret is empty")
	}
	return key, nil
}

// SignToken returns the compact HS256 token Core expects for a call made at
// now: header {"alg":"HS256","typ":"JWT"} and exactly one claim, exp, an
// hour later. It is built by hand rather than with go-jose v4, which refuses
// keys shorter than 32 bytes that Core (on go-jose v3) accepts.
func SignToken(key []byte, now time.Time) string {
	claims := fmt.Sprintf(`{"exp":%d}`, now.Add(tokenLifetime).Unix())
	signingInput := jwtHeader + "." + base64.RawURLEncoding.EncodeToString([]byte(claims))
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(signingInput))
	return signingInput + "." + base64.RawURLEncoding.EncodeToString(mac.Sum(nil))
}

// jwtCredentials attaches a freshly signed token to every call, like Core's
// WithUnarySignedJWT/WithStreamSignedJWT interceptors.
type jwtCredentials struct {
	key []byte
}

// GetRequestMetadata implements credentials.PerRPCCredentials.
func (c jwtCredentials) GetRequestMetadata(context.Context, ...string) (map[string]string, error) {
	return map[string]string{JWTMetadataKey: SignToken(c.key, time.Now())}, nil
}

// RequireTransportSecurity implements credentials.PerRPCCredentials: Core's
// default listener is plaintext h2c, so the token must travel without TLS.
func (jwtCredentials) RequireTransportSecurity() bool { return false }
