package keypairs_test

import (
	"reflect"
	"testing"
	"time"

	"github.com/pomerium-console-oss/pomerium-console/app/activity"
	"github.com/pomerium-console-oss/pomerium-console/app/apptest"
	"github.com/pomerium-console-oss/pomerium-console/app/authn"
	"github.com/pomerium-console-oss/pomerium-console/app/keypairs"
	"github.com/pomerium-console-oss/pomerium-console/app/rbac"
	"github.com/pomerium-console-oss/pomerium-console/app/seal"
	"github.com/pomerium-console-oss/pomerium-console/db"
	"github.com/pomerium-console-oss/pomerium-console/db/storetest"
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

// created is when the fixtures were made; now is the service's clock.
var (
	created = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	now     = time.Date(2026, 2, 3, 4, 5, 6, 7_000_000, time.UTC)
)

// root is the configured administrator (by e-mail) the fixtures act as.
var root = authn.Principal{Kind: authn.KindPomerium, UserID: "u-root", Email: "Root@Example.com", Name: "Root Admin"}

// sealKey is the database_encryption_key of the tests.
var sealKey = []byte("0123456789abcdef0123456789abcdef")

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
	apptest.SeedTree(t, s, created)
	sealer, err := seal.New(sealKey)
	if err != nil {
		t.Fatal(err)
	}
	return &env{
		Callers: apptest.Callers{Store: s, Admins: []string{"root@example.com"}, At: created},
		sealer:  sealer,
		svc:     keypairs.NewService(s, sealer, func() time.Time { return now }, users...),
	}
}

// caller resolves root when grants is nil, otherwise the user "u-caller"
// holding exactly grants.
func (e *env) caller(t *testing.T, grants apptest.Roles) *rbac.Access {
	t.Helper()
	if grants == nil {
		return e.Resolve(t, root)
	}
	return e.User(t, "u-caller", grants)
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

// state is everything a key pair mutation may change: the generic
// snapshot, every key pair and the configuration revision.
type state struct {
	base     storetest.Snapshot
	pairs    []db.KeyPair
	revision int64
}

func capture(t *testing.T, s db.Store) state {
	t.Helper()
	pairs, _, err := s.ListKeyPairs(t.Context(), db.KeyPairFilter{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	rev, _, err := s.ConfigRevision(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	return state{base: storetest.Capture(t, s), pairs: pairs, revision: rev}
}

// unchanged fails t unless s holds exactly st.
func (st state) unchanged(t *testing.T, s db.Store) {
	t.Helper()
	st.base.Unchanged(t, s)
	if got := capture(t, s); !reflect.DeepEqual(got.pairs, st.pairs) || got.revision != st.revision {
		t.Fatalf("a refused call changed the key pairs or the revision:\nbefore %d %+v\nafter  %d %+v", st.revision, st.pairs, got.revision, got.pairs)
	}
}

// changed checks one mutation happened since st: exactly one new activity
// entry, which it returns, and the revision bumped once.
func (st state) changed(t *testing.T, s db.Store) db.ActivityEntry {
	t.Helper()
	e := st.base.OnlyNewActivity(t, s)
	if rev := capture(t, s).revision; rev != st.revision+1 {
		t.Errorf("config revision %d, want %d", rev, st.revision+1)
	}
	return e
}

// wantRefused runs call and stops t unless it is refused as want says,
// returns no key pair and leaves s as it was.
func wantRefused(t *testing.T, s db.Store, want apptest.Refusal, call func() (db.KeyPair, error)) {
	t.Helper()
	before := capture(t, s)
	got, err := call()
	want.Check(t, err)
	if got.ID != "" {
		t.Errorf("a refused call returned %+v with its error", got)
	}
	before.unchanged(t, s)
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
