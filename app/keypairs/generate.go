package keypairs

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"fmt"
	"math/big"
	"net"
	"net/mail"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/pomerium-console-oss/pomerium-console/app/errs"
)

// Field names of the generate form beyond FieldName.
const (
	FieldCommonName = "commonName"
	FieldSANs       = "sans"
	FieldValidDays  = "validDays"
	FieldKeyType    = "keyType"
)

// Limits of a generated certificate. The common name's is X.509's
// (ub-common-name).
const (
	MaxCommonNameLength = 64
	MaxValidDays        = 3650
	MaxSANs             = 100
)

// KeyTypeOption is a key the console can generate.
type KeyTypeOption struct {
	Value string
	Label string
}

// KeyTypes lists the keys Generate makes, the default first.
var KeyTypes = []KeyTypeOption{
	{"ecdsa-p256", "ECDSA P-256 (recommended)"},
	{"ecdsa-p384", "ECDSA P-384"},
	{"ed25519", "Ed25519 (not every client accepts it)"},
	{"rsa-2048", "RSA 2048"},
	{"rsa-3072", "RSA 3072"},
	{"rsa-4096", "RSA 4096 (slow to generate)"},
}

// GenerateInput describes a certificate to make: self-signed, for a server
// or client, or a certificate authority (CA) to sign others with.
type GenerateInput struct {
	NamespaceID string
	Name        string
	CommonName  string
	// SANs are DNS names (wildcards allowed), IP addresses, e-mail
	// addresses and URIs, told apart by their form.
	SANs      []string
	ValidDays int
	KeyType   string
	CA        bool
}

// sans are the subject alternative names of a certificate by kind.
type sans struct {
	dns, emails []string
	ips         []net.IP
	uris        []*url.URL
}

// checkGenerate validates in, reporting every failing field to v.
func checkGenerate(v *errs.Validator, in GenerateInput) sans {
	switch n := utf8.RuneCountInString(in.CommonName); {
	case n == 0:
		v.Add(FieldCommonName, errs.CodeRequired, "enter a common name, e.g. the host name or the CA's name")
	case n > MaxCommonNameLength:
		v.Add(FieldCommonName, errs.CodeTooLong, "must be at most %d characters (got %d)", MaxCommonNameLength, n)
	}
	if in.ValidDays < 1 || in.ValidDays > MaxValidDays {
		v.Add(FieldValidDays, errs.CodeInvalid, "must be between 1 and %d days", MaxValidDays)
	}
	if keyTypeLabel(in.KeyType) == "" {
		v.Add(FieldKeyType, errs.CodeInvalid, "choose one of the offered key types")
	}
	if len(in.SANs) > MaxSANs {
		v.Add(FieldSANs, errs.CodeTooLong, "at most %d names (got %d)", MaxSANs, len(in.SANs))
		return sans{}
	}
	var out sans
	for _, s := range in.SANs {
		if err := out.add(s); err != nil {
			v.Add(FieldSANs, errs.CodeInvalid, "%v", err)
			break
		}
	}
	return out
}

func keyTypeLabel(value string) string {
	for _, k := range KeyTypes {
		if k.Value == value {
			return k.Label
		}
	}
	return ""
}

// add classifies one name by its form: an IP address, a URI (it has a
// scheme), an e-mail address (it has an @), else a DNS name.
func (s *sans) add(name string) error {
	switch {
	case net.ParseIP(name) != nil:
		s.ips = append(s.ips, net.ParseIP(name))
	case strings.Contains(name, "://"):
		u, err := url.Parse(name)
		if err != nil || u.Scheme == "" || (u.Host == "" && u.Opaque == "" && u.Path == "") {
			return fmt.Errorf("%q is not a valid URI", name)
		}
		s.uris = append(s.uris, u)
	case strings.Contains(name, "@"):
		a, err := mail.ParseAddress(name)
		if err != nil || a.Address != name || a.Name != "" {
			return fmt.Errorf("%q is not a valid e-mail address", name)
		}
		s.emails = append(s.emails, name)
	default:
		if !validDNSName(name) {
			return fmt.Errorf("%q is not a DNS name, IP address, e-mail address or URI", name)
		}
		s.dns = append(s.dns, strings.ToLower(name))
	}
	return nil
}

// validDNSName accepts a host name of letters, digits and hyphens, with an
// optional leading "*." wildcard label.
func validDNSName(name string) bool {
	name = strings.TrimPrefix(name, "*.")
	if name == "" || len(name) > 253 {
		return false
	}
	for _, label := range strings.Split(name, ".") {
		if label == "" || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
			return false
		}
		for _, r := range label {
			if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-') {
				return false
			}
		}
	}
	return true
}

// newKey makes a private key of one of the KeyTypes.
func newKey(keyType string) (crypto.Signer, error) {
	switch keyType {
	case "ecdsa-p256":
		return ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	case "ecdsa-p384":
		return ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	case "ed25519":
		_, k, err := ed25519.GenerateKey(rand.Reader)
		return k, err
	case "rsa-2048", "rsa-3072", "rsa-4096":
		var bits int
		_, _ = fmt.Sscanf(keyType, "rsa-%d", &bits)
		return rsa.GenerateKey(rand.Reader, bits)
	}
	return nil, fmt.Errorf("keypairs: unknown key type %q", keyType)
}

// selfSign makes the certificate in describes, valid from now, and its key.
func selfSign(in GenerateInput, names sans, now time.Time) (*x509.Certificate, crypto.Signer, error) {
	key, err := newKey(in.KeyType)
	if err != nil {
		return nil, nil, fmt.Errorf("keypairs: generate key: %w", err)
	}
	// 127 random bits: positive, and unique without a registry.
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 127))
	if err != nil {
		return nil, nil, fmt.Errorf("keypairs: serial: %w", err)
	}
	start := now.UTC().Truncate(time.Second)
	tmpl := &x509.Certificate{
		SerialNumber:          serial,
		Subject:               pkix.Name{CommonName: in.CommonName},
		NotBefore:             start,
		NotAfter:              start.AddDate(0, 0, in.ValidDays),
		DNSNames:              names.dns,
		IPAddresses:           names.ips,
		EmailAddresses:        names.emails,
		URIs:                  names.uris,
		BasicConstraintsValid: true,
		IsCA:                  in.CA,
	}
	if in.CA {
		tmpl.KeyUsage = x509.KeyUsageCertSign | x509.KeyUsageCRLSign | x509.KeyUsageDigitalSignature
	} else {
		tmpl.KeyUsage = x509.KeyUsageDigitalSignature
		if _, isRSA := key.(*rsa.PrivateKey); isRSA {
			tmpl.KeyUsage |= x509.KeyUsageKeyEncipherment
		}
		tmpl.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth, x509.ExtKeyUsageClientAuth}
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
	if err != nil {
		return nil, nil, fmt.Errorf("keypairs: create certificate: %w", err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, nil, fmt.Errorf("keypairs: parse generated certificate: %w", err)
	}
	return cert, key, nil
}
