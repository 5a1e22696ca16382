package keypairs_test

import (
	"testing"
	"time"

	"github.com/pomerium-console-oss/pomerium-console/app/activity"
	"github.com/pomerium-console-oss/pomerium-console/app/apptest"
	"github.com/pomerium-console-oss/pomerium-console/app/keypairs"
	"github.com/pomerium-console-oss/pomerium-console/app/rbac"
	"github.com/pomerium-console-oss/pomerium-console/app/seal"
	"github.com/pomerium-console-oss/pomerium-console/db"
)

// The shared fixture tree (apptest.SeedTree):
//
//	Global ─┬─ Engineering ─┬─ production
//	        │               └─ Dev
//	        └─ Finance
const (
	global = apptest.Global
	eng    = apptest.Eng
	prod   = apptest.Prod
	dev    = apptest.Dev
	fin    = apptest.Fin
)

// created is when the fixtures were made, now the service's clock and
// root the configured administrator the fixtures act as.
var created, now, root = apptest.Created, apptest.Now, apptest.Root

// env is a seeded store, its callers (root configured as administrator),
// the sealer and a Service over them.
type env struct {
	apptest.Callers
	sealer *seal.Sealer
	svc    *keypairs.Service
}

// newEnv seeds the fixture tree into s; the service asks users before
// deleting.
func newEnv(t *testing.T, s db.Store, users ...keypairs.Users) *env {
	t.Helper()
	sealer := apptest.NewSealer(t)
	return &env{Callers: apptest.Seeded(t, s), sealer: sealer, svc: keypairs.NewService(s, sealer, apptest.Clock, users...)}
}

// seed uploads in as root, stopping t on error.
func (e *env) seed(t *testing.T, in keypairs.Input) db.KeyPair {
	t.Helper()
	k, err := e.svc.Create(t.Context(), e.Resolve(t, root), in)
	if err != nil {
		t.Fatalf("seed %q: %v", in.Name, err)
	}
	return k
}

// snap is a key pair as the activity log shows it.
type snap struct {
	ID          string    `json:"id"`
	NamespaceID string    `json:"namespaceId"`
	Name        string    `json:"name"`
	Subject     string    `json:"subject"`
	Issuer      string    `json:"issuer"`
	DNSNames    []string  `json:"dnsNames"`
	IPAddresses []string  `json:"ipAddresses"`
	Emails      []string  `json:"emails"`
	URIs        []string  `json:"uris"`
	Serial      string    `json:"serial"`
	NotBefore   time.Time `json:"notBefore"`
	NotAfter    time.Time `json:"notAfter"`
	Fingerprint string    `json:"fingerprint"`
	IsCA        bool      `json:"isCa"`
	KeyType     string    `json:"keyType"`
	PrivateKey  string    `json:"privateKey"`
}

// wantEntry checks an activity entry's identity fields and returns its
// sides decoded.
func wantEntry(t *testing.T, e db.ActivityEntry, acc *rbac.Access, typ string, k db.KeyPair, nsName string) (before, after *snap) {
	t.Helper()
	want := apptest.Actor(acc.Principal, db.ActivityEntry{
		ActivityType: typ, EntityType: activity.EntityKeyPair, EntityID: k.ID, EntityName: k.Name,
		NamespaceID: k.NamespaceID, NamespaceName: nsName,
	})
	if !e.CreatedAt.Equal(now.Truncate(time.Millisecond)) {
		t.Errorf("CreatedAt = %v, want %v", e.CreatedAt, now)
	}
	b, a := e.Before, e.After
	e.ID, e.CreatedAt, e.Before, e.After = "", time.Time{}, "", ""
	if e != want {
		t.Errorf("entry =\n%+v, want\n%+v", e, want)
	}
	return apptest.DecodeSnapshot[snap](t, b), apptest.DecodeSnapshot[snap](t, a)
}

// stored reads key pair id back, stopping t when it is missing.
func stored(t *testing.T, s db.Store, id string) db.KeyPair {
	t.Helper()
	k, err := s.GetKeyPair(t.Context(), id)
	if err != nil {
		t.Fatalf("get key pair %s: %v", id, err)
	}
	return k
}

// opened is k's private key PEM as the sealer opens it.
func (e *env) opened(t *testing.T, k db.KeyPair) string {
	t.Helper()
	b, err := keypairs.OpenKey(e.sealer, k)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
