package serviceaccounts

import (
	"errors"
	"fmt"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"

	"github.com/pomerium-console-oss/pomerium-console/db"
)

// minKeySize is the shortest HMAC key go-jose v4 signs HS256 with (RFC
// 7518 §3.2). Core accepts shorter shared secrets, but the ones Pomerium's
// docs generate (head -c32 /dev/urandom | base64) are 32 bytes.
const minKeySize = 32

// errKeyTooShort is why a cluster's shared secret cannot sign tokens.
var errKeyTooShort = fmt.Errorf("is shorter than %d bytes, too short to sign service account tokens "+
	"(generate one with: head -c32 /dev/urandom | base64)", minKeySize)

// sign mints the token of a as Core's SignServiceAccount does: HS256 over
// the cluster's shared key; jti = account id, sub = user id, iat = nbf =
// issued_at, exp only when the account expires; no iss, aud or idp_id
// (an idp_id would make Core refuse the token on other routes' IdPs).
func sign(key []byte, a db.ServiceAccount) (string, error) {
	if len(key) < minKeySize {
		return "", errKeyTooShort
	}
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.HS256, Key: key}, (&jose.SignerOptions{}).WithType("JWT"))
	if err != nil {
		return "", fmt.Errorf("serviceaccounts: signer: %w", err)
	}
	issued := jwt.NewNumericDate(a.IssuedAt)
	claims := jwt.Claims{ID: a.ID, Subject: a.UserID, IssuedAt: issued, NotBefore: issued}
	if !a.ExpiresAt.IsZero() {
		claims.Expiry = jwt.NewNumericDate(a.ExpiresAt)
	}
	token, err := jwt.Signed(signer).Claims(claims).Serialize()
	if err != nil {
		return "", fmt.Errorf("serviceaccounts: sign: %w", err)
	}
	return token, nil
}

// parsed is a token whose claims were read but whose signature is not
// checked yet.
type parsed struct {
	tok    *jwt.JSONWebToken
	claims jwt.Claims
}

// errMalformed is the one reason given for anything that is not a
// well-formed HS256 JWT, so that probing learns nothing more.
var errMalformed = errors.New("the service account token is not a well-formed HS256 JWT")

// parse reads token's claims without trusting them: only the jti is used,
// to find the account whose cluster key then verifies the signature.
func parse(token string) (parsed, error) {
	tok, err := jwt.ParseSigned(token, []jose.SignatureAlgorithm{jose.HS256})
	if err != nil {
		return parsed{}, errMalformed
	}
	var c jwt.Claims
	if err := tok.UnsafeClaimsWithoutVerification(&c); err != nil {
		return parsed{}, errMalformed
	}
	return parsed{tok: tok, claims: c}, nil
}

// verify checks the signature of p with key.
func (p parsed) verify(key []byte) error {
	var c jwt.Claims
	return p.tok.Claims(key, &c)
}
