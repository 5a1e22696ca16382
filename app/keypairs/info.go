package keypairs

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"github.com/pomerium-console-oss/pomerium-console/db"
)

// CertInfo is what the console shows of one certificate of a chain.
type CertInfo struct {
	Subject     string
	Issuer      string
	DNSNames    []string
	IPAddresses []string
	Emails      []string
	URIs        []string
	Serial      string
	NotBefore   time.Time
	NotAfter    time.Time
	// Fingerprint is the lower-case hex SHA-256 of the DER.
	Fingerprint string
	IsCA        bool
	// SelfSigned is true when the certificate names itself as its issuer.
	SelfSigned bool
	KeyType    string
}

// infoOf describes c.
func infoOf(c *x509.Certificate) CertInfo {
	sum := sha256.Sum256(c.Raw)
	info := CertInfo{
		Subject: c.Subject.String(), Issuer: c.Issuer.String(),
		DNSNames: nonNil(c.DNSNames), Emails: nonNil(c.EmailAddresses), IPAddresses: []string{}, URIs: []string{},
		Serial: serialOf(c), NotBefore: c.NotBefore, NotAfter: c.NotAfter, Fingerprint: hex.EncodeToString(sum[:]),
		IsCA: c.BasicConstraintsValid && c.IsCA, SelfSigned: string(c.RawIssuer) == string(c.RawSubject),
		KeyType: keyTypeOf(c.PublicKey),
	}
	for _, ip := range c.IPAddresses {
		info.IPAddresses = append(info.IPAddresses, ip.String())
	}
	for _, u := range c.URIs {
		info.URIs = append(info.URIs, u.String())
	}
	return info
}

// Chain describes every certificate of k's PEM, leaf first.
func Chain(k db.KeyPair) ([]CertInfo, error) {
	chain, err := parseStoredChain(k.CertificatePEM)
	if err != nil {
		return nil, err
	}
	out := make([]CertInfo, 0, len(chain))
	for _, c := range chain {
		out = append(out, infoOf(c))
	}
	return out, nil
}

// withFacts returns k with the leaf's facts and the chain's PEM filled in.
func withFacts(k db.KeyPair, chain []*x509.Certificate) db.KeyPair {
	i := infoOf(chain[0])
	k.CertificatePEM = encodeChain(chain)
	k.Subject, k.Issuer, k.Serial, k.Fingerprint, k.IsCA, k.KeyType = i.Subject, i.Issuer, i.Serial, i.Fingerprint, i.IsCA, i.KeyType
	k.DNSNames, k.IPAddresses, k.Emails, k.URIs = i.DNSNames, i.IPAddresses, i.Emails, i.URIs
	k.NotBefore, k.NotAfter = i.NotBefore, i.NotAfter
	return k
}

// serialOf prints a serial as openssl does: upper-case hex, even length.
func serialOf(c *x509.Certificate) string {
	s := fmt.Sprintf("%X", c.SerialNumber)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	if len(s)%2 == 1 {
		s = "0" + s
	}
	if neg {
		s = "-" + s
	}
	return s
}

// keyTypeOf names a public key the way the list shows it: "RSA 2048",
// "ECDSA P-256", "Ed25519".
func keyTypeOf(pub any) string {
	switch k := pub.(type) {
	case *rsa.PublicKey:
		return fmt.Sprintf("RSA %d", k.N.BitLen())
	case *ecdsa.PublicKey:
		return "ECDSA " + k.Curve.Params().Name
	case ed25519.PublicKey:
		return "Ed25519"
	default:
		return fmt.Sprintf("%T", pub)
	}
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return append([]string(nil), s...)
}
