package databrokertest

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"

	"github.com/pomerium-console-oss/pomerium-console/app/databroker"
)

// authorize answers like Core's server_secured.go: Unavailable without a
// shared key, Unauthenticated "unauthenticated" without a token and
// "invalid JWT" for any token Core's validateJWT refuses.
func authorize(ctx context.Context, key []byte, now time.Time) error {
	if len(key) == 0 {
		return status.Error(codes.Unavailable, "no shared key defined")
	}
	md, _ := metadata.FromIncomingContext(ctx)
	tokens := md.Get(databroker.JWTMetadataKey)
	if len(tokens) == 0 {
		return status.Error(codes.Unauthenticated, "unauthenticated")
	}
	if err := VerifyToken(key, tokens[0], now); err != nil {
		return status.Error(codes.Unauthenticated, "invalid JWT")
	}
	return nil
}

// VerifyToken applies Core's token rules: a compact JWS signed HS256 with
// key, whose claims are exactly one NumericDate, exp, still in the future
// (no leeway). The error says which rule failed.
func VerifyToken(key []byte, token string, now time.Time) error {
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return errors.New("not a compact JWS")
	}
	var header struct {
		Alg string `json:"alg"`
	}
	if err := decodeSegment(parts[0], &header); err != nil {
		return errors.New("bad header")
	}
	if header.Alg != "HS256" {
		return errors.New("algorithm is not HS256")
	}
	sig, err := base64.RawURLEncoding.DecodeString(parts[2])
	if err != nil {
		return errors.New("bad signature encoding")
	}
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(parts[0] + "." + parts[1]))
	if !hmac.Equal(sig, mac.Sum(nil)) {
		return errors.New("signature does not verify")
	}
	// Core decodes the claims as a map of NumericDate: any other claim, or a
	// non-numeric one, is refused.
	var claims map[string]float64
	if err := decodeSegment(parts[1], &claims); err != nil {
		return errors.New("claims are not all numeric dates")
	}
	exp, ok := claims["exp"]
	if len(claims) != 1 || !ok {
		return errors.New("expected exactly one claim (exp)")
	}
	if time.Unix(int64(exp), 0).Before(now) {
		return errors.New("token expired")
	}
	return nil
}

// decodeSegment decodes one base64url JSON segment of a JWS into v.
func decodeSegment(seg string, v any) error {
	raw, err := base64.RawURLEncoding.DecodeString(seg)
	if err != nil {
		return err
	}
	return json.Unmarshal(raw, v)
}
