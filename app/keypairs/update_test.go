package keypairs_test

import (
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

// updateFixture is a pair "web" in eng made from leaf, and certificates to
// replace it with.
type updateFixture struct {
	leaf, renewed, other kpt.Pair
}

func newUpdateFixture(t *testing.T) updateFixture {
	key := kpt.Key(t, kpt.EC256)
	return updateFixture{
		leaf:    kpt.Issue(t, kpt.Options{CommonName: "web.example.com", DNSNames: []string{"web.example.com"}, Key: key}),
		renewed: kpt.Issue(t, kpt.Options{CommonName: "web.example.com", DNSNames: []string{"web.example.com", "www.example.com"}, Key: key, NotAfter: time.Now().AddDate(2, 0, 0)}),
		other:   kpt.Issue(t, kpt.Options{CommonName: "other.example.com", DNSNames: []string{"other.example.com"}}),
	}
}

func ptr[T any](v T) *T { return &v }

func TestUpdate(t *testing.T) {
	t.Parallel()
	f := newUpdateFixture(t)
	tests := []struct {
		name     string
		noKey    bool // the stored pair has no key
		in       keypairs.UpdateInput
		wantName string
		wantCert kpt.Pair
		wantKey  *kpt.Pair // nil: no key afterwards
		keepSeal bool      // the sealed value must stay as it was
	}{
		{name: "rename", in: keypairs.UpdateInput{Name: ptr(" web 2 ")}, wantName: "web 2", wantCert: f.leaf, wantKey: &f.leaf, keepSeal: true},
		{name: "renewed certificate, same key", in: keypairs.UpdateInput{Certificate: f.renewed.CertPEM()}, wantName: "web", wantCert: f.renewed, wantKey: &f.leaf, keepSeal: true},
		{name: "new certificate and key", in: keypairs.UpdateInput{Certificate: f.other.CertPEM(), Key: f.other.PKCS8(t)}, wantName: "web", wantCert: f.other, wantKey: &f.other},
		{name: "a key for a certificate that had none", noKey: true, in: keypairs.UpdateInput{Key: f.leaf.SEC1(t)}, wantName: "web", wantCert: f.leaf, wantKey: &f.leaf},
		{name: "clear the key", in: keypairs.UpdateInput{ClearKey: true}, wantName: "web", wantCert: f.leaf},
		{name: "clear the key and replace the certificate", in: keypairs.UpdateInput{ClearKey: true, Certificate: f.other.CertPEM()}, wantName: "web", wantCert: f.other},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			storetest.ForEach(t, func(t *testing.T, s db.Store) {
				e := newEnv(t, s)
				in := keypairs.Input{NamespaceID: eng, Name: "web", Certificate: f.leaf.CertPEM(), Key: f.leaf.PKCS8(t)}
				if tc.noKey {
					in.Key = ""
				}
				old := e.seed(t, in)
				acc := e.Caller(t, apptest.Roles{eng: rbac.RoleManager})
				before := storetest.Capture(t, s)
				k, err := e.svc.Update(t.Context(), acc, old.ID, tc.in)
				if err != nil {
					t.Fatal(err)
				}
				got := stored(t, s, old.ID)
				if got.Name != tc.wantName || got.Fingerprint != fingerprint(tc.wantCert) || got.CertificatePEM != tc.wantCert.CertPEM() {
					t.Errorf("stored %q with certificate %s, want %q with %s", got.Name, got.Fingerprint, tc.wantName, fingerprint(tc.wantCert))
				}
				if k.SealedKey != got.SealedKey || k.Fingerprint != got.Fingerprint || !k.ModifiedAt.Equal(now) || !got.CreatedAt.Equal(old.CreatedAt.Truncate(time.Millisecond)) {
					t.Errorf("Update returned %+v, stored %+v", k, got)
				}
				switch {
				case tc.wantKey == nil && keypairs.HasKey(got):
					t.Error("the key was not cleared")
				case tc.wantKey != nil && e.opened(t, got) != tc.wantKey.PKCS8(t):
					t.Error("the stored key is not the expected one")
				case tc.keepSeal && got.SealedKey != old.SealedKey:
					t.Error("a kept key was sealed again")
				}
				b, a := wantEntry(t, before.Changed(t, s), acc, db.ActivityUpdate, got, "Engineering")
				wantKeyState := map[bool]string{true: "set", false: "not set"}
				if b == nil || a == nil || b.Fingerprint != old.Fingerprint || a.Fingerprint != got.Fingerprint ||
					b.PrivateKey != wantKeyState[!tc.noKey] || a.PrivateKey != wantKeyState[tc.wantKey != nil] || a.Name != tc.wantName {
					t.Errorf("before %+v\nafter %+v", b, a)
				}
			})
		})
	}
}

func TestUpdateWithoutChangeWritesNothing(t *testing.T) {
	t.Parallel()
	f := newUpdateFixture(t)
	tests := []struct {
		name string
		in   keypairs.UpdateInput
	}{
		{"nothing given", keypairs.UpdateInput{}},
		{"the same name", keypairs.UpdateInput{Name: ptr("web ")}},
		{"the same certificate and the same key in another encoding", keypairs.UpdateInput{Certificate: f.leaf.CertPEM(), Key: f.leaf.SEC1(t)}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			storetest.ForEach(t, func(t *testing.T, s db.Store) {
				e := newEnv(t, s)
				old := e.seed(t, keypairs.Input{NamespaceID: eng, Name: "web", Certificate: f.leaf.CertPEM(), Key: f.leaf.PKCS8(t)})
				before := storetest.Capture(t, s)
				k, err := e.svc.Update(t.Context(), e.Resolve(t, root), old.ID, tc.in)
				if err != nil {
					t.Fatal(err)
				}
				if k.ID != old.ID || k.SealedKey != old.SealedKey {
					t.Errorf("Update = %+v, want the stored pair", k)
				}
				before.Unchanged(t, s)
			})
		})
	}
}

func TestUpdateRefuses(t *testing.T) {
	t.Parallel()
	f := newUpdateFixture(t)
	tests := []struct {
		name   string
		grants apptest.Roles
		id     string // "": the pair "web"
		in     keypairs.UpdateInput
		want   apptest.Refusal
	}{
		{"a certificate the stored key does not match", nil, "", keypairs.UpdateInput{Certificate: f.other.CertPEM()},
			field("certificate", errs.CodeInvalid, "does not match the stored private key: upload its key too, or clear the key")},
		{"a key the stored certificate does not match", nil, "", keypairs.UpdateInput{Key: f.other.PKCS8(t)},
			field("key", errs.CodeInvalid, "does not belong to this certificate: their public keys differ")},
		{"a new certificate and a key of another", nil, "", keypairs.UpdateInput{Certificate: f.other.CertPEM(), Key: f.leaf.PKCS8(t)},
			field("key", errs.CodeInvalid, "does not belong to this certificate: their public keys differ")},
		{"replace and clear the key", nil, "", keypairs.UpdateInput{Key: f.leaf.PKCS8(t), ClearKey: true},
			field("key", errs.CodeInvalid, "either replace the private key or clear it, not both")},
		{"garbage certificate", nil, "", keypairs.UpdateInput{Certificate: "garbage"},
			field("certificate", errs.CodeInvalid, "is not PEM: expected a block starting with -----BEGIN CERTIFICATE-----")},
		{"empty name", nil, "", keypairs.UpdateInput{Name: ptr(" ")}, field("name", errs.CodeRequired, "enter a name")},
		{"a name taken in the namespace", nil, "", keypairs.UpdateInput{Name: ptr("other")},
			field("name", errs.CodeConflict, `this namespace already has a key pair named "Other"`)},
		{"missing key pair", nil, "nope", keypairs.UpdateInput{Name: ptr("x")},
			apptest.Refusal{Target: errs.ErrNotFound, Msg: "not found: key pair nope does not exist"}},
		{"viewer of the namespace", apptest.Roles{eng: rbac.RoleViewer}, "", keypairs.UpdateInput{Name: ptr("x")},
			apptest.Forbidden(`this needs the manager role on namespace "Engineering"; you are a viewer there`)},
		{"manager of a sibling", apptest.Roles{fin: rbac.RoleManager}, "", keypairs.UpdateInput{Name: ptr("x")},
			apptest.Forbidden(`you have no role on namespace "Engineering"; the manager role is needed`)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			storetest.ForEach(t, func(t *testing.T, s db.Store) {
				e := newEnv(t, s)
				web := e.seed(t, keypairs.Input{NamespaceID: eng, Name: "web", Certificate: f.leaf.CertPEM(), Key: f.leaf.PKCS8(t)})
				e.seed(t, keypairs.Input{NamespaceID: eng, Name: "Other", Certificate: f.other.CertPEM()})
				id := tc.id
				if id == "" {
					id = web.ID
				}
				acc := e.Caller(t, tc.grants)
				apptest.WantRefused(t, s, tc.want, func() (db.KeyPair, error) { return e.svc.Update(t.Context(), acc, id, tc.in) })
			})
		})
	}
}
