// Package keypairstest makes real certificates and keys for tests: CAs,
// leaves, chains, each private key encoding an admin may paste, and
// legacy password-encrypted keys. Only tests import it.
package keypairstest

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"net/url"
	"sync"
	"testing"
	"time"
)

// Key kinds.
const (
	EC256   = "ec256"
	EC384   = "ec384"
	RSA     = "rsa"
	Ed25519 = "ed25519"
)

// rsaKeys caches RSA keys: generating one takes a noticeable while, and
// tests need only a few distinct ones.
var (
	rsaMu   sync.Mutex
	rsaKeys []*rsa.PrivateKey
	rsaNext int
)

// Key returns a fresh private key of kind (RSA keys, 2048 bits, come from
// a small cache and may repeat after eight).
func Key(t testing.TB, kind string) crypto.Signer {
	t.Helper()
	var (
		k   crypto.Signer
		err error
	)
	switch kind {
	case EC256:
		k, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	case EC384:
		k, err = ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	case Ed25519:
		_, k, err = ed25519.GenerateKey(rand.Reader)
	case RSA:
		return rsaKey(t)
	default:
		t.Fatalf("unknown key kind %q", kind)
	}
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func rsaKey(t testing.TB) *rsa.PrivateKey {
	t.Helper()
	rsaMu.Lock()
	defer rsaMu.Unlock()
	if len(rsaKeys) < 8 {
		k, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			t.Fatal(err)
		}
		rsaKeys = append(rsaKeys, k)
		return k
	}
	rsaNext++
	return rsaKeys[rsaNext%len(rsaKeys)]
}

// Options describe a certificate. Zero times mean an hour ago and a year
// ahead; a nil Key gets a fresh P-256 key; a nil Parent self-signs.
type Options struct {
	CommonName string
	DNSNames   []string
	IPs        []string
	Emails     []string
	URIs       []string
	NotBefore  time.Time
	NotAfter   time.Time
	CA         bool
	Key        crypto.Signer
	Parent     *Pair
	Serial     int64
}

// Pair is a certificate and its private key.
type Pair struct {
	Cert *x509.Certificate
	Key  crypto.Signer
}

// Issue makes the certificate o describes.
func Issue(t testing.TB, o Options) Pair {
	t.Helper()
	if o.Key == nil {
		o.Key = Key(t, EC256)
	}
	if o.NotBefore.IsZero() {
		o.NotBefore = time.Now().Add(-time.Hour)
	}
	if o.NotAfter.IsZero() {
		o.NotAfter = time.Now().AddDate(1, 0, 0)
	}
	if o.Serial == 0 {
		o.Serial = time.Now().UnixNano()
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(o.Serial), Subject: pkix.Name{CommonName: o.CommonName},
		NotBefore: o.NotBefore, NotAfter: o.NotAfter, DNSNames: o.DNSNames, EmailAddresses: o.Emails,
		BasicConstraintsValid: true, IsCA: o.CA,
	}
	if o.CA {
		tmpl.KeyUsage = x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature
	}
	for _, ip := range o.IPs {
		tmpl.IPAddresses = append(tmpl.IPAddresses, net.ParseIP(ip))
	}
	for _, u := range o.URIs {
		parsed, err := url.Parse(u)
		if err != nil {
			t.Fatal(err)
		}
		tmpl.URIs = append(tmpl.URIs, parsed)
	}
	parent, signer := tmpl, o.Key
	if o.Parent != nil {
		parent, signer = o.Parent.Cert, o.Parent.Key
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, o.Key.Public(), signer)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return Pair{Cert: cert, Key: o.Key}
}

// CertPEM is the certificate as PEM.
func (p Pair) CertPEM() string { return Chain(p) }

// Chain writes the certificates of pairs as one PEM, in order.
func Chain(pairs ...Pair) string {
	var out []byte
	for _, p := range pairs {
		out = append(out, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: p.Cert.Raw})...)
	}
	return string(out)
}

// PKCS8 is the key as a PKCS #8 "PRIVATE KEY" PEM, what the console stores.
func (p Pair) PKCS8(t testing.TB) string {
	t.Helper()
	der, err := x509.MarshalPKCS8PrivateKey(p.Key)
	if err != nil {
		t.Fatal(err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}))
}

// PKCS1 is an RSA key as an "RSA PRIVATE KEY" PEM.
func (p Pair) PKCS1(t testing.TB) string {
	t.Helper()
	k, ok := p.Key.(*rsa.PrivateKey)
	if !ok {
		t.Fatalf("PKCS #1 needs an RSA key, not %T", p.Key)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(k)}))
}

// SEC1 is an ECDSA key as an "EC PRIVATE KEY" PEM.
func (p Pair) SEC1(t testing.TB) string {
	t.Helper()
	k, ok := p.Key.(*ecdsa.PrivateKey)
	if !ok {
		t.Fatalf("SEC 1 needs an ECDSA key, not %T", p.Key)
	}
	der, err := x509.MarshalECPrivateKey(k)
	if err != nil {
		t.Fatal(err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: der}))
}

// Encrypted is an RSA or ECDSA key in the legacy PEM encryption that
// `openssl rsa -aes256` writes ("Proc-Type: 4,ENCRYPTED").
func (p Pair) Encrypted(t testing.TB, password string) string {
	t.Helper()
	var (
		typ string
		der []byte
		err error
	)
	switch k := p.Key.(type) {
	case *rsa.PrivateKey:
		typ, der = "RSA PRIVATE KEY", x509.MarshalPKCS1PrivateKey(k)
	case *ecdsa.PrivateKey:
		typ = "EC PRIVATE KEY"
		if der, err = x509.MarshalECPrivateKey(k); err != nil {
			t.Fatal(err)
		}
	default:
		t.Fatalf("legacy encryption needs an RSA or ECDSA key, not %T", p.Key)
	}
	block, err := x509.EncryptPEMBlock(rand.Reader, typ, der, []byte(password), x509.PEMCipherAES256)
	if err != nil {
		t.Fatal(err)
	}
	return string(pem.EncodeToMemory(block))
}

// EncryptedPKCS8 is what `openssl pkcs8 -topk8` writes with a password;
// only its block type matters to the console, which cannot decrypt it.
const EncryptedPKCS8 = "-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIBvTBXBgkqhkiG9w0BBQ0wSjApBgkqhkiG9w0BBQwwHAQI\n-----END ENCRYPTED PRIVATE KEY-----\n"
