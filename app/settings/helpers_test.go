package settings_test

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/pomerium-console-oss/pomerium-console/app/apptest"
	"github.com/pomerium-console-oss/pomerium-console/app/authn"
	"github.com/pomerium-console-oss/pomerium-console/app/errs"
	"github.com/pomerium-console-oss/pomerium-console/app/rbac"
	"github.com/pomerium-console-oss/pomerium-console/app/seal"
	"github.com/pomerium-console-oss/pomerium-console/app/settings"
	"github.com/pomerium-console-oss/pomerium-console/db"
	"github.com/pomerium-console-oss/pomerium-console/db/storetest"
)

// The shared fixture tree (apptest.SeedTree): Global ─┬─ Engineering ─ …
//
//	└─ Finance
const (
	global = apptest.Global
	eng    = apptest.Eng
	fin    = apptest.Fin
)

const cluster = settings.DefaultClusterID

// created is when the fixtures were made; now is the service's clock.
var (
	created = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	now     = time.Date(2026, 2, 3, 4, 5, 6, 7_000_000, time.UTC)
)

// root is the configured administrator (by e-mail) the fixtures act as.
var root = authn.Principal{Kind: authn.KindPomerium, UserID: "u-root", Email: "root@example.com", Name: "Root Admin"}

// Secret values of the fixtures.
const (
	cookieSecret  = "hNTBe3a1oPWFTtVVzb3kHTAaJeRS6gQpRoGpLNmwdAM="
	cookieSecret2 = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="
	clientSecret  = "idp-client-secret-value"
	databrokerDSN = "postgres://pomerium:s3cr3t-pass@db.internal:5432/pomerium"
)

// env is a seeded store, its callers and a Service over it.
type env struct {
	apptest.Callers
	svc    *settings.Service
	sealer *seal.Sealer
}

func newEnv(t *testing.T, s db.Store) *env {
	t.Helper()
	apptest.SeedTree(t, s, created)
	sealer, err := seal.New([]byte("0123456789abcdef0123456789abcdef"))
	if err != nil {
		t.Fatal(err)
	}
	return &env{
		Callers: apptest.Callers{Store: s, Admins: []string{"root@example.com"}, At: created},
		svc:     settings.NewService(s, sealer, func() time.Time { return now }),
		sealer:  sealer,
	}
}

// admin is the configured administrator's access.
func (e *env) admin(t *testing.T) *rbac.Access {
	t.Helper()
	return e.Resolve(t, root)
}

// update saves values and secrets as root, stopping t on error.
func (e *env) update(t *testing.T, v settings.Values, secrets map[settings.Secret]settings.SecretChange) settings.View {
	t.Helper()
	view, err := e.svc.Update(t.Context(), e.admin(t), cluster, settings.Update{Values: v, Secrets: secrets})
	if err != nil {
		t.Fatalf("update: %v", err)
	}
	return view
}

// keyPair stores a key pair fixture straight in the store.
func (e *env) keyPair(t *testing.T, id, ns, name string, isCA bool) {
	t.Helper()
	err := e.Store.CreateKeyPair(t.Context(), db.KeyPair{
		ID: id, NamespaceID: ns, Name: name, CertificatePEM: "-----BEGIN CERTIFICATE-----\n", IsCA: isCA,
		Subject: "CN=" + name, NotAfter: now.Add(365 * 24 * time.Hour), CreatedAt: created, ModifiedAt: created,
	})
	if err != nil {
		t.Fatalf("key pair %s: %v", id, err)
	}
}

// state is everything a settings mutation may change: what storetest
// captures (namespaces, grants, policies, activity), the settings rows and
// the configuration revision.
type state struct {
	storetest.Snapshot
	rows     []db.Settings
	revision int64
}

func capture(t *testing.T, s db.Store) state {
	t.Helper()
	rows, err := s.ListSettings(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	rev, _, err := s.ConfigRevision(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	return state{Snapshot: storetest.Capture(t, s), rows: rows, revision: rev}
}

// unchanged fails t when s no longer holds st.
func (st state) unchanged(t *testing.T, s db.Store) {
	t.Helper()
	if got := capture(t, s); !reflect.DeepEqual(got, st) {
		t.Fatalf("a refused or failed mutation changed the store:\nbefore %+v\nafter  %+v", st, got)
	}
}

// wantRefused runs call and stops t unless it fails with exactly the field
// errors want (codes and messages) and leaves s unchanged.
func wantRefused(t *testing.T, s db.Store, want map[string]errs.FieldError, call func() (settings.View, error)) {
	t.Helper()
	before := capture(t, s)
	view, err := call()
	apptest.WantFields(t, err, want)
	if !reflect.DeepEqual(view, settings.View{}) {
		t.Errorf("a refused call returned %+v", view)
	}
	before.unchanged(t, s)
}

// wantForbidden runs call and stops t unless it is refused as forbidden
// with msg, changing nothing.
func wantForbidden(t *testing.T, s db.Store, msg string, call func() (settings.View, error)) {
	t.Helper()
	before := capture(t, s)
	_, err := call()
	if !errors.Is(err, errs.ErrForbidden) || err.Error() != "forbidden: "+msg {
		t.Fatalf("err = %v, want forbidden: %s", err, msg)
	}
	before.unchanged(t, s)
}

// values reads the stored values of the default cluster as a JSON object.
func values(t *testing.T, s db.Store) map[string]any {
	t.Helper()
	row, err := s.GetSettings(t.Context(), cluster)
	if err != nil {
		t.Fatal(err)
	}
	var out map[string]any
	if err := json.Unmarshal([]byte(row.Values), &out); err != nil {
		t.Fatal(err)
	}
	return out
}

// decode reads one side of an activity entry.
func decode(t *testing.T, side string) map[string]any {
	t.Helper()
	var out map[string]any
	if err := json.Unmarshal([]byte(side), &out); err != nil {
		t.Fatalf("decode %q: %v", side, err)
	}
	return out
}

// noSecretIn fails t when any fixture secret appears in text.
func noSecretIn(t *testing.T, what, text string) {
	t.Helper()
	for _, s := range []string{cookieSecret, cookieSecret2, clientSecret, databrokerDSN, "s3cr3t-pass"} {
		if strings.Contains(text, s) {
			t.Errorf("%s contains a secret: %s", what, text)
		}
	}
}
