package keypairs_test

import (
	"crypto/ecdh"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"encoding/pem"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/pomerium-console-oss/pomerium-console/app/apptest"
	"github.com/pomerium-console-oss/pomerium-console/app/errs"
	"github.com/pomerium-console-oss/pomerium-console/app/keypairs"
	kpt "github.com/pomerium-console-oss/pomerium-console/app/keypairs/keypairstest"
	"github.com/pomerium-console-oss/pomerium-console/app/rbac"
	"github.com/pomerium-console-oss/pomerium-console/db"
	"github.com/pomerium-console-oss/pomerium-console/db/storetest"
)

// ecParameters is the block `openssl ecparam -genkey` writes before a key.
const ecParameters = "-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n"

func fingerprint(p kpt.Pair) string {
	sum := sha256.Sum256(p.Cert.Raw)
	return hex.EncodeToString(sum[:])
}

func TestCreate(t *testing.T) {
	t.Parallel()
	ca := kpt.Issue(t, kpt.Options{CommonName: "Test CA", CA: true})
	leafOf := func(kind string) kpt.Pair {
		return kpt.Issue(t, kpt.Options{
			CommonName: "app.example.com", DNSNames: []string{"app.example.com", "*.apps.example.com"},
			IPs: []string{"10.0.0.1"}, Emails: []string{"ops@example.com"}, URIs: []string{"spiffe://example.com/app"},
			Key: kpt.Key(t, kind), Parent: &ca, Serial: 0x0abc,
		})
	}
	ec, ec384, rsaLeaf, ed := leafOf(kpt.EC256), leafOf(kpt.EC384), leafOf(kpt.RSA), leafOf(kpt.Ed25519)
	expired := kpt.Issue(t, kpt.Options{CommonName: "old.example.com", DNSNames: []string{"old.example.com"},
		NotBefore: now.AddDate(-1, 0, 0), NotAfter: now.AddDate(0, 0, -1)})
	tests := []struct {
		name     string
		leaf     kpt.Pair
		cert     string
		key      string
		password string
		chain    string // the stored PEM
		keyType  string
		noKey    bool
	}{
		{name: "ECDSA P-256, PKCS #8, leaf then CA", leaf: ec, cert: kpt.Chain(ec, ca), key: ec.PKCS8(t), keyType: "ECDSA P-256"},
		{name: "ECDSA P-384, SEC 1", leaf: ec384, cert: ec384.CertPEM(), key: ec384.SEC1(t), keyType: "ECDSA P-384"},
		{name: "EC PARAMETERS before a SEC 1 key", leaf: ec, cert: ec.CertPEM(), key: ecParameters + ec.SEC1(t), keyType: "ECDSA P-256"},
		{name: "RSA, PKCS #1", leaf: rsaLeaf, cert: rsaLeaf.CertPEM(), key: rsaLeaf.PKCS1(t), keyType: "RSA 2048"},
		{name: "Ed25519, PKCS #8", leaf: ed, cert: ed.CertPEM(), key: ed.PKCS8(t), keyType: "Ed25519"},
		{name: "legacy encrypted RSA key with its password", leaf: rsaLeaf, cert: rsaLeaf.CertPEM(), key: rsaLeaf.Encrypted(t, "s3cret"), password: "s3cret", keyType: "RSA 2048"},
		{name: "legacy encrypted EC key with its password", leaf: ec, cert: ec.CertPEM(), key: ec.Encrypted(t, "pw"), password: "pw", keyType: "ECDSA P-256"},
		{name: "a password for a clear key is ignored", leaf: ec, cert: ec.CertPEM(), key: ec.PKCS8(t), password: "unused", keyType: "ECDSA P-256"},
		{name: "openssl text around the blocks is dropped", leaf: ec, cert: "subject=CN = app.example.com\nissuer=CN = Test CA\n" + ec.CertPEM() + "\nBag Attributes\n" + ca.CertPEM(),
			chain: kpt.Chain(ec, ca), key: "Private-Key: (256 bit)\n" + ec.PKCS8(t), keyType: "ECDSA P-256"},
		{name: "a certificate alone (a CA)", leaf: ca, cert: ca.CertPEM(), keyType: "ECDSA P-256", noKey: true},
		{name: "an expired certificate is accepted", leaf: expired, cert: expired.CertPEM(), key: expired.PKCS8(t), keyType: "ECDSA P-256"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			storetest.ForEach(t, func(t *testing.T, s db.Store) {
				e := newEnv(t, s)
				acc := e.Caller(t, apptest.Roles{eng: rbac.RoleManager})
				before := storetest.Capture(t, s)
				k, err := e.svc.Create(t.Context(), acc, keypairs.Input{
					NamespaceID: eng, Name: "  Web cert ", Certificate: tc.cert, Key: tc.key, Password: tc.password,
				})
				if err != nil {
					t.Fatal(err)
				}
				chain := tc.chain
				if chain == "" {
					chain = tc.cert
				}
				c := tc.leaf.Cert
				ips := []string{}
				for _, ip := range c.IPAddresses {
					ips = append(ips, ip.String())
				}
				uris := []string{}
				for _, u := range c.URIs {
					uris = append(uris, u.String())
				}
				want := db.KeyPair{
					ID: k.ID, NamespaceID: eng, Name: "Web cert", CertificatePEM: chain, SealedKey: k.SealedKey,
					Subject: c.Subject.String(), Issuer: c.Issuer.String(), DNSNames: orEmpty(c.DNSNames), IPAddresses: ips,
					Emails: orEmpty(c.EmailAddresses), URIs: uris, Serial: fmt.Sprintf("%X", c.SerialNumber),
					NotBefore: c.NotBefore, NotAfter: c.NotAfter, Fingerprint: fingerprint(tc.leaf), IsCA: c.IsCA,
					KeyType: tc.keyType, CreatedAt: now, ModifiedAt: now,
				}
				if len(want.Serial)%2 == 1 {
					want.Serial = "0" + want.Serial
				}
				if !reflect.DeepEqual(k, want) {
					t.Fatalf("Create =\n%+v, want\n%+v", k, want)
				}
				got := stored(t, s, k.ID)
				want.CreatedAt, want.ModifiedAt = now.Truncate(time.Millisecond), now.Truncate(time.Millisecond)
				if !reflect.DeepEqual(got, want) {
					t.Fatalf("stored\n%+v, want\n%+v", got, want)
				}
				switch {
				case tc.noKey && got.SealedKey != "":
					t.Errorf("a certificate alone stored a key %q", got.SealedKey)
				case !tc.noKey:
					if strings.Contains(got.SealedKey, "PRIVATE KEY") || !strings.HasPrefix(got.SealedKey, "v1.") {
						t.Errorf("stored key %q is not sealed", got.SealedKey)
					}
					if pemKey := e.opened(t, got); pemKey != tc.leaf.PKCS8(t) {
						t.Errorf("the sealed key opens to\n%s, want the PKCS #8 form of the uploaded key", pemKey)
					}
				}
				_, after := wantEntry(t, before.Changed(t, s), acc, db.ActivityCreate, want, "Engineering")
				keyState := "set"
				if tc.noKey {
					keyState = "not set"
				}
				if after == nil || after.PrivateKey != keyState || after.Fingerprint != want.Fingerprint || after.Name != "Web cert" {
					t.Errorf("after = %+v, want the pair with privateKey %q", after, keyState)
				}
			})
		})
	}
}

func orEmpty(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func TestSealedKeyIsBoundToItsRow(t *testing.T) {
	t.Parallel()
	storetest.ForEach(t, func(t *testing.T, s db.Store) {
		e := newEnv(t, s)
		p := kpt.Issue(t, kpt.Options{CommonName: "a.example.com"})
		k := e.seed(t, keypairs.Input{NamespaceID: eng, Name: "a", Certificate: p.CertPEM(), Key: p.PKCS8(t)})
		if _, err := e.sealer.Open(k.SealedKey, keypairs.SealContext("another-id")); err == nil {
			t.Fatal("the sealed key opened for another row")
		}
		other, err := keypairs.OpenKey(e.sealer, db.KeyPair{ID: "another-id", SealedKey: k.SealedKey})
		if err == nil || other != nil {
			t.Fatalf("OpenKey of a moved key = %q, %v; want an error", other, err)
		}
	})
}

// x25519PEM is a PKCS #8 X25519 key: valid, but of no use to TLS.
func x25519PEM(t *testing.T) string {
	k, err := ecdh.X25519().GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	der, err := x509.MarshalPKCS8PrivateKey(k)
	if err != nil {
		t.Fatal(err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}))
}

// field is a validation refusal of the one field.
func field(name, code, msg string) apptest.Refusal { return apptest.Field(name, code, msg) }

func TestCreateRefuses(t *testing.T) {
	t.Parallel()
	ca := kpt.Issue(t, kpt.Options{CommonName: "Test CA", CA: true})
	leaf := kpt.Issue(t, kpt.Options{CommonName: "app.example.com", DNSNames: []string{"app.example.com"}, Parent: &ca})
	other := kpt.Issue(t, kpt.Options{CommonName: "other.example.com"})
	rsaLeaf := kpt.Issue(t, kpt.Options{CommonName: "rsa.example.com", Key: kpt.Key(t, kpt.RSA)})
	badDER := "-----BEGIN CERTIFICATE-----\nanVuaw==\n-----END CERTIFICATE-----\n"
	const (
		notPEMCert = "is not PEM: expected a block starting with -----BEGIN CERTIFICATE-----"
		notPEMKey  = "is not PEM: expected a block starting with -----BEGIN PRIVATE KEY-----"
		pkcs8Hint  = "is an encrypted PKCS #8 key, which the console cannot decrypt: run `openssl pkcs8 -in key.pem -out key-plain.pem` (it asks for the password) and paste key-plain.pem instead"
	)
	in := func(mod func(*keypairs.Input)) keypairs.Input {
		i := keypairs.Input{NamespaceID: eng, Name: "web", Certificate: leaf.CertPEM(), Key: leaf.PKCS8(t)}
		mod(&i)
		return i
	}
	tests := []struct {
		name   string
		grants apptest.Roles
		in     keypairs.Input
		want   apptest.Refusal
	}{
		{"nothing", nil, keypairs.Input{NamespaceID: eng}, apptest.Refusal{Fields: map[string]errs.FieldError{
			"name":        {Code: errs.CodeRequired, Message: "enter a name"},
			"certificate": {Code: errs.CodeRequired, Message: "paste the certificate in PEM form (-----BEGIN CERTIFICATE-----)"},
		}}},
		{"name too long", nil, in(func(i *keypairs.Input) { i.Name = strings.Repeat("n", 129) }),
			field("name", errs.CodeTooLong, "must be at most 128 characters (got 129)")},
		{"name taken, other case", nil, in(func(i *keypairs.Input) { i.Name = "TAKEN" }),
			field("name", errs.CodeConflict, `this namespace already has a key pair named "Taken"`)},
		{"garbage instead of PEM", nil, in(func(i *keypairs.Input) { i.Certificate = "hello, world" }),
			field("certificate", errs.CodeInvalid, notPEMCert)},
		{"a key where the certificate goes", nil, in(func(i *keypairs.Input) { i.Certificate = leaf.PKCS8(t) }),
			field("certificate", errs.CodeInvalid, "holds a private key (PRIVATE KEY block): paste it under Private key, and only certificates here")},
		{"certificate and key pasted together", nil, in(func(i *keypairs.Input) { i.Certificate = leaf.CertPEM() + leaf.SEC1(t) }),
			field("certificate", errs.CodeInvalid, "holds a private key (EC PRIVATE KEY block): paste it under Private key, and only certificates here")},
		{"another block type", nil, in(func(i *keypairs.Input) {
			i.Certificate = "-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----\n"
		}),
			field("certificate", errs.CodeInvalid, "holds a CERTIFICATE REQUEST block: only CERTIFICATE blocks belong here")},
		{"a certificate that does not parse", nil, in(func(i *keypairs.Input) { i.Certificate = leaf.CertPEM() + badDER }),
			field("certificate", errs.CodeInvalid, "certificate 2 does not parse: x509: malformed certificate")},
		{"chain out of order", nil, in(func(i *keypairs.Input) { i.Certificate = kpt.Chain(ca, leaf) }),
			field("certificate", errs.CodeInvalid, "certificate 1 (CN=Test CA) was not issued by certificate 2 (CN=app.example.com): put the leaf first, then each issuer in turn")},
		{"certificate too long", nil, in(func(i *keypairs.Input) { i.Certificate = strings.Repeat("x", keypairs.MaxCertificateLength+1) }),
			field("certificate", errs.CodeTooLong, "must be at most 256 KiB (got 262145 bytes)")},
		{"a certificate where the key goes", nil, in(func(i *keypairs.Input) { i.Key = leaf.CertPEM() }),
			field("key", errs.CodeInvalid, "is a certificate, not a private key: paste the key (a PRIVATE KEY block) here")},
		{"garbage instead of a key", nil, in(func(i *keypairs.Input) { i.Key = "my key" }), field("key", errs.CodeInvalid, notPEMKey)},
		{"a key block that does not parse", nil, in(func(i *keypairs.Input) { i.Key = "-----BEGIN PRIVATE KEY-----\nanVuaw==\n-----END PRIVATE KEY-----\n" }),
			field("key", errs.CodeInvalid, "does not parse as a PKCS #1, PKCS #8 or SEC 1 private key (RSA, ECDSA or Ed25519)")},
		{"an X25519 key", nil, in(func(i *keypairs.Input) { i.Key = x25519PEM(t) }),
			field("key", errs.CodeInvalid, "is a *ecdh.PrivateKey key: only RSA, ECDSA and Ed25519 keys can serve TLS")},
		{"two keys", nil, in(func(i *keypairs.Input) { i.Key = leaf.PKCS8(t) + other.PKCS8(t) }),
			field("key", errs.CodeInvalid, "holds 2 private keys: paste only the one of this certificate")},
		{"key too long", nil, in(func(i *keypairs.Input) { i.Key = strings.Repeat("k", keypairs.MaxKeyLength+1) }),
			field("key", errs.CodeTooLong, "must be at most 64 KiB (got 65537 bytes)")},
		{"mismatched key and certificate", nil, in(func(i *keypairs.Input) { i.Key = other.PKCS8(t) }),
			field("key", errs.CodeInvalid, "does not belong to this certificate: their public keys differ")},
		{"the CA's key for the leaf", nil, in(func(i *keypairs.Input) { i.Key = ca.PKCS8(t) }),
			field("key", errs.CodeInvalid, "does not belong to this certificate: their public keys differ")},
		{"encrypted PKCS #8", nil, in(func(i *keypairs.Input) { i.Key, i.Password = kpt.EncryptedPKCS8, "pw" }),
			field("key", errs.CodeInvalid, pkcs8Hint)},
		{"encrypted key without a password", nil, in(func(i *keypairs.Input) {
			i.Certificate, i.Key = rsaLeaf.CertPEM(), rsaLeaf.Encrypted(t, "right")
		}), field("password", errs.CodeRequired, "the private key is encrypted: enter its password")},
		{"encrypted key with a wrong password", nil, in(func(i *keypairs.Input) {
			i.Certificate, i.Key, i.Password = rsaLeaf.CertPEM(), rsaLeaf.Encrypted(t, "right"), "wrong"
		}), field("password", errs.CodeInvalid, "does not decrypt the private key")},
		{"every problem at once", nil, keypairs.Input{NamespaceID: eng, Name: "a\tb", Certificate: "junk", Key: leaf.CertPEM()},
			apptest.Refusal{Fields: map[string]errs.FieldError{
				"name":        {Code: errs.CodeInvalid, Message: "must not contain control characters such as line breaks"},
				"certificate": {Code: errs.CodeInvalid, Message: notPEMCert},
				"key":         {Code: errs.CodeInvalid, Message: "is a certificate, not a private key: paste the key (a PRIVATE KEY block) here"},
			}}},
		{"viewer of the namespace", apptest.Roles{eng: rbac.RoleViewer}, in(func(*keypairs.Input) {}),
			apptest.Forbidden(`this needs the manager role on namespace "Engineering"; you are a viewer there`)},
		{"manager of a child namespace", apptest.Roles{prod: rbac.RoleManager}, in(func(*keypairs.Input) {}),
			apptest.Forbidden(`you have no role on namespace "Engineering"; the manager role is needed`)},
		{"manager of another namespace", apptest.Roles{fin: rbac.RoleManager}, in(func(*keypairs.Input) {}),
			apptest.Forbidden(`you have no role on namespace "Engineering"; the manager role is needed`)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			storetest.ForEach(t, func(t *testing.T, s db.Store) {
				e := newEnv(t, s)
				taken := kpt.Issue(t, kpt.Options{CommonName: "taken"})
				e.seed(t, keypairs.Input{NamespaceID: eng, Name: "Taken", Certificate: taken.CertPEM()})
				acc := e.Caller(t, tc.grants)
				apptest.WantRefused(t, s, tc.want, func() (db.KeyPair, error) { return e.svc.Create(t.Context(), acc, tc.in) })
			})
		})
	}
}
