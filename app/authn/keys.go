package authn

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"

	"github.com/pomerium-console-oss/pomerium-console/app/seal"
)

const signingKeyWant = "must be a P-256 EC private key, as PEM or base64 of PEM"

// ParseSigningKey reads a P-256 private key given as PEM or base64 of PEM
// (Pomerium's signing_key format), SEC1 ("EC PRIVATE KEY") or PKCS#8. Its
// error reads after the setting's name and never contains key material.
func ParseSigningKey(s string) (*ecdsa.PrivateKey, error) {
	s = strings.TrimSpace(s)
	data := []byte(s)
	if !strings.HasPrefix(s, "-----BEGIN") {
		var err error
		if data, err = seal.DecodeBase64(s); err != nil {
			return nil, fmt.Errorf("%s (neither PEM nor base64)", signingKeyWant)
		}
	}
	for {
		var block *pem.Block
		block, data = pem.Decode(data)
		if block == nil {
			return nil, fmt.Errorf("%s (no PEM private key block found)", signingKeyWant)
		}
		switch block.Type {
		case "EC PARAMETERS":
			// openssl ecparam -genkey writes the curve parameters first.
			continue
		case "EC PRIVATE KEY":
			k, err := x509.ParseECPrivateKey(block.Bytes)
			if err != nil {
				return nil, fmt.Errorf("%s (%v)", signingKeyWant, err)
			}
			return checkP256(k)
		case "PRIVATE KEY":
			k, err := x509.ParsePKCS8PrivateKey(block.Bytes)
			if err != nil {
				return nil, fmt.Errorf("%s (%v)", signingKeyWant, err)
			}
			ec, ok := k.(*ecdsa.PrivateKey)
			if !ok {
				return nil, fmt.Errorf("%s (got a %T)", signingKeyWant, k)
			}
			return checkP256(ec)
		default:
			return nil, fmt.Errorf("%s (got a %q PEM block)", signingKeyWant, block.Type)
		}
	}
}

func checkP256(k *ecdsa.PrivateKey) (*ecdsa.PrivateKey, error) {
	if k.Curve != elliptic.P256() {
		return nil, fmt.Errorf("%s (got curve %s)", signingKeyWant, k.Curve.Params().Name)
	}
	return k, nil
}

// MarshalSigningKeyPEM encodes k as an "EC PRIVATE KEY" PEM block.
func MarshalSigningKeyPEM(k *ecdsa.PrivateKey) ([]byte, error) {
	der, err := x509.MarshalECPrivateKey(k)
	if err != nil {
		return nil, fmt.Errorf("authn: marshal signing key: %w", err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: der}), nil
}

// EncodeSigningKey encodes k as base64 of PEM, the form Pomerium Core's
// signing_key takes.
func EncodeSigningKey(k *ecdsa.PrivateKey) (string, error) {
	p, err := MarshalSigningKeyPEM(k)
	if err != nil {
		return "", err
	}
	return base64.StdEncoding.EncodeToString(p), nil
}

// keyID is the RFC 7638 thumbprint of pub, used as a JWT "kid".
func keyID(pub *ecdsa.PublicKey) (string, error) {
	tp, err := (&jose.JSONWebKey{Key: pub}).Thumbprint(crypto.SHA256)
	if err != nil {
		return "", fmt.Errorf("authn: key thumbprint: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(tp), nil
}

// errSignature is the reason every bad signature gets, whatever the cause,
// so a forger learns nothing from the message.
var errSignature = errors.New("signature is not valid")

// verifyES256 checks an ES256 compact JWT against pub and decodes its claims
// into dst. Its errors read after the token's name ("… signature is not valid").
func verifyES256(token string, pub *ecdsa.PublicKey, dst any) error {
	if token == "" {
		return errors.New("is missing")
	}
	jws, err := jose.ParseSignedCompact(token, []jose.SignatureAlgorithm{jose.ES256})
	if err != nil {
		return fmt.Errorf("is not an ES256 JWT (%v)", err)
	}
	payload, err := jws.Verify(pub)
	if err != nil {
		return errSignature
	}
	if err := json.Unmarshal(payload, dst); err != nil {
		return fmt.Errorf("has malformed claims (%v)", err)
	}
	return nil
}

// checkTimes enforces exp (required; valid up to expLeeway past it), and
// iat and nbf when present (at most ClockSkew in the future).
func checkTimes(now time.Time, c jwt.Claims, expLeeway time.Duration) error {
	if c.Expiry == nil {
		return errors.New("has no expiry (exp)")
	}
	if exp := c.Expiry.Time(); now.After(exp.Add(expLeeway)) {
		return fmt.Errorf("expired at %s", exp.UTC().Format(time.RFC3339))
	}
	if c.IssuedAt != nil && c.IssuedAt.Time().After(now.Add(ClockSkew)) {
		return fmt.Errorf("is issued in the future (iat %s)", c.IssuedAt.Time().UTC().Format(time.RFC3339))
	}
	if c.NotBefore != nil && c.NotBefore.Time().After(now.Add(ClockSkew)) {
		return fmt.Errorf("is not valid before %s", c.NotBefore.Time().UTC().Format(time.RFC3339))
	}
	return nil
}
