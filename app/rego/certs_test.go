package rego_test

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/hex"
	"encoding/pem"
	"math/big"
	"net/url"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/ssh"
)

// certOptions are the SANs of a generated client certificate.
type certOptions struct {
	emails, dns []string
	uris        []string
}

// testCert is a self-signed client certificate and the values a policy
// names it by.
type testCert struct {
	pem         string
	fingerprint string // lower-case hex SHA-256 of the DER
	colonHex    string // the same, upper-case pairs joined by ':'
	spki        string // base64 SHA-256 of the SubjectPublicKeyInfo
}

func newCert(t testing.TB, o certOptions) testCert {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:   big.NewInt(time.Now().UnixNano()),
		Subject:        pkix.Name{CommonName: "client"},
		NotBefore:      testNow.Add(-time.Hour),
		NotAfter:       testNow.Add(time.Hour),
		KeyUsage:       x509.KeyUsageDigitalSignature,
		ExtKeyUsage:    []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth},
		EmailAddresses: o.emails,
		DNSNames:       o.dns,
	}
	for _, s := range o.uris {
		u, err := url.Parse(s)
		if err != nil {
			t.Fatal(err)
		}
		tmpl.URIs = append(tmpl.URIs, u)
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(der)
	spki := sha256.Sum256(cert.RawSubjectPublicKeyInfo)
	var pairs []string
	for _, b := range sum {
		pairs = append(pairs, strings.ToUpper(hex.EncodeToString([]byte{b})))
	}
	return testCert{
		pem:         string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})),
		fingerprint: hex.EncodeToString(sum[:]),
		colonHex:    strings.Join(pairs, ":"),
		spki:        base64.StdEncoding.EncodeToString(spki[:]),
	}
}

// sshKey is a generated SSH key pair.
type sshKey struct {
	signer ssh.Signer
	// authorized is the authorized_keys line a policy names it by.
	authorized string
}

func newSSHKey(t testing.TB) sshKey {
	t.Helper()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	signer, err := ssh.NewSignerFromKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	return sshKey{signer: signer, authorized: strings.TrimSpace(string(ssh.MarshalAuthorizedKey(signer.PublicKey())))}
}

// wire is the key in SSH wire format, what input.ssh.publickey carries.
func (k sshKey) wire() []byte { return k.signer.PublicKey().Marshal() }

// userCert signs a user certificate for k with ca, valid around testNow.
func (k sshKey) userCert(t testing.TB, ca sshKey, certType uint32, validFrom, validTo time.Time, principals ...string) []byte {
	t.Helper()
	cert := &ssh.Certificate{
		Key:             k.signer.PublicKey(),
		CertType:        certType,
		KeyId:           "test",
		ValidPrincipals: principals,
		ValidAfter:      uint64(validFrom.Unix()),
		ValidBefore:     uint64(validTo.Unix()),
	}
	if err := cert.SignCert(rand.Reader, ca.signer); err != nil {
		t.Fatal(err)
	}
	return cert.Marshal()
}
