package storetest

import (
	"fmt"
	"testing"
	"time"

	"github.com/pomerium-console-oss/pomerium-console/db"
)

// keyPair returns a key pair fixture named name in namespace ns.
func keyPair(id, ns, name string, notAfter time.Time) db.KeyPair {
	return db.KeyPair{
		ID: id, NamespaceID: ns, Name: name, CertificatePEM: "-----BEGIN CERTIFICATE-----\n" + name + "\n",
		SealedKey: "v1.sealed." + name, Subject: "CN=" + name + ".example.com", Issuer: "CN=Test CA",
		DNSNames: []string{name + ".example.com", "*." + name + ".example.com"}, IPAddresses: []string{"10.0.0.1"},
		Emails: []string{}, URIs: []string{"spiffe://example.com/" + name}, Serial: "01", NotBefore: at(-time.Hour),
		NotAfter: notAfter, Fingerprint: "ab" + name, IsCA: false, KeyType: "ECDSA P-256",
		CreatedAt: at(0), ModifiedAt: at(time.Minute),
	}
}

func storedKeyPair(k db.KeyPair) db.KeyPair {
	k.NotBefore, k.NotAfter = stored(k.NotBefore), stored(k.NotAfter)
	k.CreatedAt, k.ModifiedAt = stored(k.CreatedAt), stored(k.ModifiedAt)
	for _, l := range []*[]string{&k.DNSNames, &k.IPAddresses, &k.Emails, &k.URIs} {
		if *l == nil {
			*l = []string{}
		}
	}
	return k
}

func keyPairNames(list []db.KeyPair) []string {
	out := []string{}
	for _, k := range list {
		out = append(out, k.Name)
	}
	return out
}

func testKeyPairs(t *testing.T, newStore NewStore) {
	subtests(t, newStore, map[string]func(t *testing.T, s db.Store){
		"create, get, update, delete round-trip": func(t *testing.T, s db.Store) {
			k := keyPair("k1", db.GlobalNamespaceID, "web", at(30*24*time.Hour))
			k.Emails = nil // stored as an empty list
			must(t, s.CreateKeyPair(t.Context(), k))
			got, err := s.GetKeyPair(t.Context(), "k1")
			must(t, err)
			wantEqual(t, "created", got, storedKeyPair(k))

			k.Name, k.CertificatePEM, k.SealedKey, k.IsCA, k.DNSNames = "web 2", "pem 2", "", true, []string{"ü.example.com"}
			k.CreatedAt, k.ModifiedAt = at(time.Hour), at(2*time.Hour) // CreatedAt must not change
			must(t, s.UpdateKeyPair(t.Context(), k))
			got, err = s.GetKeyPair(t.Context(), "k1")
			must(t, err)
			want := storedKeyPair(k)
			want.CreatedAt = stored(at(0))
			wantEqual(t, "updated", got, want)

			wantDeleted(t, "k1", k, s.GetKeyPair, s.DeleteKeyPair, s.UpdateKeyPair)
		},
		"names are unique per namespace, case-insensitively": func(t *testing.T, s db.Store) {
			seedNamespaces(t, s)
			must(t, s.CreateKeyPair(t.Context(), keyPair("k1", "team", "Web", at(time.Hour))))
			wantErr(t, s.CreateKeyPair(t.Context(), keyPair("k2", "team", "WEB", at(time.Hour))), db.ErrConflict)
			wantErr(t, s.CreateKeyPair(t.Context(), keyPair("k1", "other", "x", at(time.Hour))), db.ErrConflict)
			must(t, s.CreateKeyPair(t.Context(), keyPair("k3", "other", "web", at(time.Hour))))
		},
		"a key pair needs its namespace, which it keeps from being deleted": func(t *testing.T, s db.Store) {
			wantErr(t, s.CreateKeyPair(t.Context(), keyPair("k1", "missing", "x", at(time.Hour))), db.ErrNotFound)
			seedNamespaces(t, s)
			must(t, s.CreateKeyPair(t.Context(), keyPair("k1", "team", "x", at(time.Hour))))
			wantErr(t, s.DeleteNamespace(t.Context(), "team"), db.ErrReferenced)
		},
		"list filters, orders and pages": func(t *testing.T, s db.Store) {
			seedNamespaces(t, s)
			for i, f := range []struct {
				ns, name string
				in       time.Duration
			}{
				{"team", "beta", 10 * 24 * time.Hour}, {"team", "Alpha", 400 * 24 * time.Hour},
				{"other", "gamma_1", -time.Hour}, {db.GlobalNamespaceID, "delta", 90 * 24 * time.Hour},
			} {
				must(t, s.CreateKeyPair(t.Context(), keyPair(fmt.Sprint("k", i), f.ns, f.name, at(f.in))))
			}
			tests := []struct {
				name  string
				f     db.KeyPairFilter
				want  []string
				total int
			}{
				{"all by name", db.KeyPairFilter{}, []string{"Alpha", "beta", "delta", "gamma_1"}, 4},
				{"namespaces", db.KeyPairFilter{NamespaceIDs: []string{"team"}}, []string{"Alpha", "beta"}, 2},
				{"no namespaces", db.KeyPairFilter{NamespaceIDs: []string{}}, []string{}, 0},
				{"query on DNS name", db.KeyPairFilter{Query: "DELTA.EXAMPLE"}, []string{"delta"}, 1},
				{"underscore matches literally", db.KeyPairFilter{Query: "a_1"}, []string{"gamma_1"}, 1},
				{"expiring within 30 days, expired included", db.KeyPairFilter{ExpiresBefore: at(30 * 24 * time.Hour)}, []string{"beta", "gamma_1"}, 2},
				{"page", db.KeyPairFilter{Offset: 1, Limit: 2}, []string{"beta", "delta"}, 4},
			}
			for _, tc := range tests {
				list, total, err := s.ListKeyPairs(t.Context(), tc.f)
				must(t, err)
				wantEqual(t, tc.name, keyPairNames(list), tc.want)
				wantEqual(t, tc.name+" total", total, tc.total)
			}
		},
	})
}
