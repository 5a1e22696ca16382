package keypairs_test

import (
	"slices"
	"testing"
	"time"

	"github.com/pomerium-console-oss/pomerium-console/app/apptest"
	"github.com/pomerium-console-oss/pomerium-console/app/keypairs"
	kpt "github.com/pomerium-console-oss/pomerium-console/app/keypairs/keypairstest"
	"github.com/pomerium-console-oss/pomerium-console/app/nstree"
	"github.com/pomerium-console-oss/pomerium-console/app/rbac"
	"github.com/pomerium-console-oss/pomerium-console/db"
	"github.com/pomerium-console-oss/pomerium-console/db/storetest"
)

func TestStatusOf(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		notAfter time.Time
		want     keypairs.Status
	}{
		{"a year left", now.AddDate(1, 0, 0), keypairs.StatusOK},
		{"exactly 30 days left", now.Add(keypairs.ExpiringWithin), keypairs.StatusOK},
		{"a second under 30 days", now.Add(keypairs.ExpiringWithin - time.Second), keypairs.StatusExpiring},
		{"a second left", now.Add(time.Second), keypairs.StatusExpiring},
		{"ends now", now, keypairs.StatusExpired},
		{"ended a year ago", now.AddDate(-1, 0, 0), keypairs.StatusExpired},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := keypairs.StatusOf(db.KeyPair{NotAfter: tc.notAfter}, now); got != tc.want {
				t.Errorf("StatusOf = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestMatchesHost(t *testing.T) {
	t.Parallel()
	k := db.KeyPair{
		DNSNames:    []string{"app.example.com", "*.apps.example.com", "Mixed.Example.COM.", "*.example.org"},
		IPAddresses: []string{"10.0.0.1", "2001:db8::1"},
	}
	tests := []struct {
		host string
		want bool
	}{
		{"app.example.com", true},
		{"APP.example.com", true},
		{"app.example.com.", true},
		{"app.example.com:8443", true},
		{"mixed.example.com", true},
		{"a.apps.example.com", true},
		{"a.b.apps.example.com", false},
		{"apps.example.com", false},
		{".apps.example.com", false},
		{"www.example.org", true},
		{"example.org", false},
		{"other.example.com", false},
		{"app.example.com.evil.com", false},
		{"10.0.0.1", true},
		{"10.0.0.1:443", true},
		{"[2001:db8::1]:443", true},
		{"2001:db8:0::1", true},
		{"10.0.0.2", false},
		{"", false},
	}
	for _, tc := range tests {
		t.Run(tc.host, func(t *testing.T) {
			t.Parallel()
			if got := keypairs.MatchesHost(k, tc.host); got != tc.want {
				t.Errorf("MatchesHost(%q) = %v, want %v", tc.host, got, tc.want)
			}
		})
	}
	if keypairs.MatchesHost(db.KeyPair{Subject: "CN=app.example.com"}, "app.example.com") {
		t.Error("a certificate without SANs matched by its common name")
	}
}

// put stores a key pair straight in the store, with only the facts the
// queries look at.
func put(t *testing.T, s db.Store, id, ns, name string, notAfter time.Time, dns ...string) db.KeyPair {
	t.Helper()
	k := db.KeyPair{
		ID: id, NamespaceID: ns, Name: name, CertificatePEM: "pem", SealedKey: "sealed", Subject: "CN=" + name,
		DNSNames: dns, NotBefore: created, NotAfter: notAfter, CreatedAt: created, ModifiedAt: created,
	}
	if err := s.CreateKeyPair(t.Context(), k); err != nil {
		t.Fatal(err)
	}
	return k
}

func names(list []db.KeyPair) []string {
	out := []string{}
	for _, k := range list {
		out = append(out, k.Name)
	}
	return out
}

func TestRouteCertificates(t *testing.T) {
	t.Parallel()
	storetest.ForEach(t, func(t *testing.T, s db.Store) {
		e := newEnv(t, s)
		year := now.AddDate(1, 0, 0)
		put(t, s, "g", global, "global wildcard", year, "*.example.com")
		put(t, s, "e", eng, "eng exact", year, "app.example.com")
		put(t, s, "p", prod, "prod exact", year, "app.example.com")
		put(t, s, "f", fin, "finance exact", year, "app.example.com")
		put(t, s, "x", eng, "eng expired", now.Add(-time.Hour), "app.example.com")
		put(t, s, "o", eng, "eng other host", year, "other.example.com")
		noKey := put(t, s, "n", eng, "eng without key", year, "placeholder")
		noKey.SealedKey, noKey.DNSNames = "", []string{"app.example.com"}
		if err := s.UpdateKeyPair(t.Context(), noKey); err != nil {
			t.Fatal(err)
		}
		tree := e.Resolve(t, root).Tree()
		tests := []struct {
			ns, host string
			want     []string
		}{
			{eng, "app.example.com", []string{"eng exact", "eng expired", "global wildcard"}},
			{prod, "APP.example.com:443", []string{"prod exact", "eng exact", "eng expired", "global wildcard"}},
			{dev, "app.example.com", []string{"eng exact", "eng expired", "global wildcard"}},
			{fin, "app.example.com", []string{"finance exact", "global wildcard"}},
			{global, "x.example.com", []string{"global wildcard"}},
			{eng, "a.b.example.com", []string{}},
		}
		for _, tc := range tests {
			got, err := keypairs.RouteCertificates(t.Context(), s, tree, tc.ns, tc.host)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(names(got), tc.want) {
				t.Errorf("RouteCertificates(%s, %s) = %q, want %q", tc.ns, tc.host, names(got), tc.want)
			}
		}
		if _, err := e.svc.RouteCertificates(t.Context(), e.User(t, "u-fin", apptest.Roles{fin: rbac.RoleViewer}), eng, "app.example.com"); err == nil {
			t.Error("a viewer of Finance listed Engineering's certificates")
		}
		got, err := e.svc.RouteCertificates(t.Context(), e.User(t, "u-prod", apptest.Roles{prod: rbac.RoleViewer}), prod, "app.example.com")
		if err != nil || len(got) != 4 {
			t.Errorf("a viewer of production got %q, %v; want the four that reach it", names(got), err)
		}
	})
}

func TestReachable(t *testing.T) {
	t.Parallel()
	tree := nstree.New([]db.Namespace{
		{ID: global, Name: "Global"}, {ID: eng, ParentID: global, Name: "Engineering"},
		{ID: prod, ParentID: eng, Name: "production"}, {ID: fin, ParentID: global, Name: "Finance"},
	})
	tests := []struct {
		ns, pairNS string
		want       bool
	}{
		{prod, prod, true}, {prod, eng, true}, {prod, global, true}, {eng, prod, false}, {prod, fin, false},
	}
	for _, tc := range tests {
		if got := keypairs.Reachable(tree, tc.ns, tc.pairNS); got != tc.want {
			t.Errorf("Reachable(%s, %s) = %v, want %v", tc.ns, tc.pairNS, got, tc.want)
		}
	}
}

func TestList(t *testing.T) {
	t.Parallel()
	storetest.ForEach(t, func(t *testing.T, s db.Store) {
		e := newEnv(t, s)
		put(t, s, "1", eng, "fine", now.AddDate(1, 0, 0), "fine.example.com")
		put(t, s, "2", eng, "soon", now.Add(10*24*time.Hour), "soon.example.com")
		put(t, s, "3", eng, "gone", now, "gone.example.com")
		put(t, s, "4", prod, "prod soon", now.Add(time.Hour))
		put(t, s, "5", dev, "dev fine", now.AddDate(1, 0, 0))
		put(t, s, "6", fin, "finance", now.AddDate(1, 0, 0))
		tests := []struct {
			name   string
			grants apptest.Roles
			q      keypairs.Query
			want   []string
			total  int
		}{
			{"the namespace", nil, keypairs.Query{NamespaceID: eng}, []string{"fine", "gone", "soon"}, 3},
			{"with descendants", nil, keypairs.Query{NamespaceID: eng, IncludeDescendants: true}, []string{"dev fine", "fine", "gone", "prod soon", "soon"}, 5},
			{"a viewer inherits the descendants", apptest.Roles{eng: rbac.RoleViewer}, keypairs.Query{NamespaceID: eng, IncludeDescendants: true},
				[]string{"dev fine", "fine", "gone", "prod soon", "soon"}, 5},
			{"expiring, expired included", nil, keypairs.Query{NamespaceID: eng, IncludeDescendants: true, Expiry: keypairs.FilterExpiring}, []string{"gone", "prod soon", "soon"}, 3},
			{"expired", nil, keypairs.Query{NamespaceID: eng, IncludeDescendants: true, Expiry: keypairs.FilterExpired}, []string{"gone"}, 1},
			{"search", nil, keypairs.Query{NamespaceID: eng, Search: "SOON.example"}, []string{"soon"}, 1},
			{"offset", nil, keypairs.Query{NamespaceID: eng, Offset: 2}, []string{"soon"}, 3},
		}
		for _, tc := range tests {
			acc := e.Resolve(t, root)
			if tc.grants != nil {
				acc = e.User(t, "u-"+tc.name, tc.grants)
			}
			page, err := e.svc.List(t.Context(), acc, tc.q)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(names(page.KeyPairs), tc.want) || page.Total != tc.total {
				t.Errorf("%s: %q of %d, want %q of %d", tc.name, names(page.KeyPairs), page.Total, tc.want, tc.total)
			}
		}
		_, err := e.svc.List(t.Context(), e.User(t, "u-guest", apptest.Roles{eng: rbac.RoleGuest}), keypairs.Query{NamespaceID: eng})
		apptest.Forbidden(`this needs the viewer role on namespace "Engineering"; you are a guest there`).Check(t, err)
	})
}

func TestGetAndBlocker(t *testing.T) {
	t.Parallel()
	storetest.ForEach(t, func(t *testing.T, s db.Store) {
		e := newEnv(t, s)
		p := kpt.Issue(t, kpt.Options{CommonName: "web.example.com"})
		k := e.seed(t, keypairs.Input{NamespaceID: eng, Name: "web", Certificate: p.CertPEM()})
		if got, err := e.svc.Get(t.Context(), e.User(t, "u-v", apptest.Roles{prod: rbac.RoleViewer, eng: rbac.RoleViewer}), k.ID); err != nil || got.ID != k.ID {
			t.Fatalf("Get = %+v, %v", got, err)
		}
		_, err := e.svc.Get(t.Context(), e.User(t, "u-p", apptest.Roles{prod: rbac.RoleViewer}), k.ID)
		apptest.Forbidden(`you have no role on namespace "Engineering"; the viewer role is needed`).Check(t, err)
		blockers, err := keypairs.Blocker(t.Context(), s, eng)
		if err != nil || !slices.Equal(blockers, []string{`key pair "web"`}) {
			t.Errorf("Blocker = %q, %v", blockers, err)
		}
		chain, err := keypairs.Chain(k)
		if err != nil || len(chain) != 1 || chain[0].Fingerprint != k.Fingerprint || !chain[0].SelfSigned {
			t.Errorf("Chain = %+v, %v", chain, err)
		}
	})
}
