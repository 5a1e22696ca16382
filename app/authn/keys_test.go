package authn

import (
	"context"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"strings"
	"testing"
)

func TestParseSigningKey(t *testing.T) {
	t.Parallel()
	key := newKey(t, elliptic.P256())
	sec1, err := MarshalSigningKeyPEM(key)
	if err != nil {
		t.Fatal(err)
	}
	pkcs8 := pemOf(t, "PRIVATE KEY", mustDER(x509.MarshalPKCS8PrivateKey(key)))
	p384 := pemOf(t, "EC PRIVATE KEY", mustDER(x509.MarshalECPrivateKey(newKey(t, elliptic.P384()))))
	rsaKey, err := rsa.GenerateKey(rand.Reader, 1024)
	if err != nil {
		t.Fatal(err)
	}
	rsaPKCS8 := pemOf(t, "PRIVATE KEY", mustDER(x509.MarshalPKCS8PrivateKey(rsaKey)))
	public := pemOf(t, "PUBLIC KEY", mustDER(x509.MarshalPKIXPublicKey(&key.PublicKey)))
	// What `openssl ecparam -name prime256v1 -genkey` prints: parameters first.
	withParams := append(pemOf(t, "EC PARAMETERS", []byte{0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07}), sec1...)
	b64 := base64.StdEncoding.EncodeToString

	tests := []struct {
		name    string
		in      string
		wantErr string
	}{
		{name: "base64 SEC1", in: b64(sec1)},
		{name: "raw SEC1 PEM", in: string(sec1)},
		{name: "base64 PKCS8", in: b64(pkcs8)},
		{name: "raw PKCS8 with spaces", in: "\n" + string(pkcs8) + "\n"},
		{name: "EC PARAMETERS first", in: b64(withParams)},
		{name: "P-384", in: b64(p384), wantErr: "got curve P-384"},
		{name: "RSA", in: b64(rsaPKCS8), wantErr: "got a *rsa.PrivateKey"},
		{name: "public key", in: string(public), wantErr: `got a "PUBLIC KEY" PEM block`},
		{name: "not base64", in: "%%%", wantErr: "neither PEM nor base64"},
		{name: "base64 of non-PEM", in: b64([]byte("hello")), wantErr: "no PEM private key block"},
		{name: "empty", in: "", wantErr: "no PEM private key block"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := ParseSigningKey(tc.in)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) || !strings.HasPrefix(err.Error(), "must be a P-256 EC private key") {
					t.Fatalf("err = %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil || !got.Equal(key) {
				t.Fatalf("ParseSigningKey = %v, %v", got, err)
			}
		})
	}
}

func TestEncodeSigningKeyRoundTrip(t *testing.T) {
	t.Parallel()
	key := newKey(t, elliptic.P256())
	s, err := EncodeSigningKey(key)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := base64.StdEncoding.DecodeString(s)
	if err != nil || !strings.HasPrefix(string(raw), "-----BEGIN EC PRIVATE KEY-----") {
		t.Fatalf("EncodeSigningKey is not base64 of an EC PRIVATE KEY PEM: %q", raw)
	}
	got, err := ParseSigningKey(s)
	if err != nil || !got.Equal(key) {
		t.Fatalf("round trip = %v, %v", got, err)
	}
}

func TestNoServiceAccounts(t *testing.T) {
	t.Parallel()
	_, err := NoServiceAccounts{}.Verify(context.Background(), "anything")
	wantRejected(t, err, "not accepted yet")
}

func pemOf(t *testing.T, typ string, der []byte) []byte {
	t.Helper()
	return pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der})
}

func mustDER(der []byte, err error) []byte {
	if err != nil {
		panic(err)
	}
	return der
}
