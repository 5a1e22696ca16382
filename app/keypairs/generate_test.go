package keypairs_test

import (
	"crypto"
	"crypto/x509"
	"encoding/pem"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/pomerium-console-oss/pomerium-console/app/apptest"
	"github.com/pomerium-console-oss/pomerium-console/app/errs"
	"github.com/pomerium-console-oss/pomerium-console/app/keypairs"
	"github.com/pomerium-console-oss/pomerium-console/app/rbac"
	"github.com/pomerium-console-oss/pomerium-console/db"
	"github.com/pomerium-console-oss/pomerium-console/db/storetest"
)

func TestGenerate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		in      keypairs.GenerateInput
		keyType string
		dns     []string
		ips     []string
		emails  []string
		uris    []string
	}{
		{"server certificate with every kind of name", keypairs.GenerateInput{
			Name: "web", CommonName: "app.example.com", ValidDays: 365, KeyType: "ecdsa-p256",
			SANs: []string{"App.Example.com", "*.apps.example.com", "10.0.0.1", "::1", "ops@example.com", "spiffe://example.com/app"},
		}, "ECDSA P-256", []string{"app.example.com", "*.apps.example.com"}, []string{"10.0.0.1", "::1"}, []string{"ops@example.com"}, []string{"spiffe://example.com/app"}},
		{"CA with a P-384 key", keypairs.GenerateInput{Name: "root", CommonName: "Example Root CA", ValidDays: 3650, KeyType: "ecdsa-p384", CA: true},
			"ECDSA P-384", []string{}, []string{}, []string{}, []string{}},
		{"Ed25519 client certificate", keypairs.GenerateInput{Name: "client", CommonName: "robot", ValidDays: 1, KeyType: "ed25519", SANs: []string{"robot@example.com"}},
			"Ed25519", []string{}, []string{}, []string{"robot@example.com"}, []string{}},
		{"RSA 2048", keypairs.GenerateInput{Name: "rsa", CommonName: "rsa.example.com", ValidDays: 30, KeyType: "rsa-2048", SANs: []string{"rsa.example.com"}},
			"RSA 2048", []string{"rsa.example.com"}, []string{}, []string{}, []string{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			storetest.ForEach(t, func(t *testing.T, s db.Store) {
				e := newEnv(t, s)
				acc := e.Caller(t, apptest.Roles{eng: rbac.RoleManager})
				before := storetest.Capture(t, s)
				in := tc.in
				in.NamespaceID = eng
				k, err := e.svc.Generate(t.Context(), acc, in)
				if err != nil {
					t.Fatal(err)
				}
				block, _ := pem.Decode([]byte(k.CertificatePEM))
				cert, err := x509.ParseCertificate(block.Bytes)
				if err != nil {
					t.Fatal(err)
				}
				start := now.Truncate(time.Second)
				if !cert.NotBefore.Equal(start) || !cert.NotAfter.Equal(start.AddDate(0, 0, in.ValidDays)) {
					t.Errorf("valid %v – %v, want %v for %d days", cert.NotBefore, cert.NotAfter, start, in.ValidDays)
				}
				if err := cert.CheckSignature(cert.SignatureAlgorithm, cert.RawTBSCertificate, cert.Signature); err != nil {
					t.Errorf("not self-signed: %v", err)
				}
				if cert.IsCA != in.CA || (in.CA && cert.KeyUsage&x509.KeyUsageCertSign == 0) {
					t.Errorf("IsCA %v with key usage %b, want CA %v able to sign", cert.IsCA, cert.KeyUsage, in.CA)
				}
				want := db.KeyPair{Subject: "CN=" + in.CommonName, Issuer: "CN=" + in.CommonName, KeyType: tc.keyType, IsCA: in.CA,
					DNSNames: tc.dns, IPAddresses: tc.ips, Emails: tc.emails, URIs: tc.uris}
				got := stored(t, s, k.ID)
				if g := (db.KeyPair{Subject: got.Subject, Issuer: got.Issuer, KeyType: got.KeyType, IsCA: got.IsCA,
					DNSNames: got.DNSNames, IPAddresses: got.IPAddresses, Emails: got.Emails, URIs: got.URIs}); !reflect.DeepEqual(g, want) {
					t.Errorf("stored facts\n%+v, want\n%+v", g, want)
				}
				if got.Name != in.Name || got.NotAfter != cert.NotAfter.UTC() || got.CertificatePEM != k.CertificatePEM {
					t.Errorf("stored %q valid until %v, want %q until %v", got.Name, got.NotAfter, in.Name, cert.NotAfter)
				}
				block, _ = pem.Decode([]byte(e.opened(t, got)))
				key, err := x509.ParsePKCS8PrivateKey(block.Bytes)
				if err != nil {
					t.Fatal(err)
				}
				if !key.(crypto.Signer).Public().(interface{ Equal(crypto.PublicKey) bool }).Equal(cert.PublicKey) {
					t.Error("the sealed key is not the certificate's")
				}
				wantEntry(t, before.Changed(t, s), acc, db.ActivityCreate, got, "Engineering")
			})
		})
	}
}

func TestGenerateRefuses(t *testing.T) {
	t.Parallel()
	valid := keypairs.GenerateInput{NamespaceID: eng, Name: "gen", CommonName: "gen.example.com", ValidDays: 90, KeyType: "ecdsa-p256"}
	with := func(mod func(*keypairs.GenerateInput)) keypairs.GenerateInput {
		in := valid
		mod(&in)
		return in
	}
	tests := []struct {
		name   string
		grants apptest.Roles
		in     keypairs.GenerateInput
		want   apptest.Refusal
	}{
		{"nothing", nil, keypairs.GenerateInput{NamespaceID: eng}, apptest.Refusal{Fields: map[string]errs.FieldError{
			"name":       {Code: errs.CodeRequired, Message: "enter a name"},
			"commonName": {Code: errs.CodeRequired, Message: "enter a common name, e.g. the host name or the CA's name"},
			"validDays":  {Code: errs.CodeInvalid, Message: "must be between 1 and 3650 days"},
			"keyType":    {Code: errs.CodeInvalid, Message: "choose one of the offered key types"},
		}}},
		{"name taken", nil, with(func(in *keypairs.GenerateInput) { in.Name = "Taken" }),
			field("name", errs.CodeConflict, `this namespace already has a key pair named "Taken"`)},
		{"common name too long", nil, with(func(in *keypairs.GenerateInput) { in.CommonName = strings.Repeat("c", 65) }),
			field("commonName", errs.CodeTooLong, "must be at most 64 characters (got 65)")},
		{"too long a validity", nil, with(func(in *keypairs.GenerateInput) { in.ValidDays = 3651 }),
			field("validDays", errs.CodeInvalid, "must be between 1 and 3650 days")},
		{"unknown key type", nil, with(func(in *keypairs.GenerateInput) { in.KeyType = "dsa-1024" }),
			field("keyType", errs.CodeInvalid, "choose one of the offered key types")},
		{"a DNS name with a space", nil, with(func(in *keypairs.GenerateInput) { in.SANs = []string{"ok.example.com", "bad name.example.com"} }),
			field("sans", errs.CodeInvalid, `"bad name.example.com" is not a DNS name, IP address, e-mail address or URI`)},
		{"a wildcard in the middle", nil, with(func(in *keypairs.GenerateInput) { in.SANs = []string{"a.*.example.com"} }),
			field("sans", errs.CodeInvalid, `"a.*.example.com" is not a DNS name, IP address, e-mail address or URI`)},
		{"a label starting with a hyphen", nil, with(func(in *keypairs.GenerateInput) { in.SANs = []string{"-a.example.com"} }),
			field("sans", errs.CodeInvalid, `"-a.example.com" is not a DNS name, IP address, e-mail address or URI`)},
		{"a bad e-mail address", nil, with(func(in *keypairs.GenerateInput) { in.SANs = []string{"Ops <ops@example.com>"} }),
			field("sans", errs.CodeInvalid, `"Ops <ops@example.com>" is not a valid e-mail address`)},
		{"a bad URI", nil, with(func(in *keypairs.GenerateInput) { in.SANs = []string{"://nothing"} }),
			field("sans", errs.CodeInvalid, `"://nothing" is not a valid URI`)},
		{"too many names", nil, with(func(in *keypairs.GenerateInput) { in.SANs = make([]string, 101) }),
			field("sans", errs.CodeTooLong, "at most 100 names (got 101)")},
		{"viewer", apptest.Roles{eng: rbac.RoleViewer}, valid,
			apptest.Forbidden(`this needs the manager role on namespace "Engineering"; you are a viewer there`)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			storetest.ForEach(t, func(t *testing.T, s db.Store) {
				e := newEnv(t, s)
				_, err := e.svc.Generate(t.Context(), e.Resolve(t, root), keypairs.GenerateInput{
					NamespaceID: eng, Name: "Taken", CommonName: "taken", ValidDays: 1, KeyType: "ecdsa-p256",
				})
				if err != nil {
					t.Fatal(err)
				}
				acc := e.Caller(t, tc.grants)
				apptest.WantRefused(t, s, tc.want, func() (db.KeyPair, error) { return e.svc.Generate(t.Context(), acc, tc.in) })
			})
		})
	}
}
