package settings_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/pomerium-console-oss/pomerium-console/app/apptest"
	"github.com/pomerium-console-oss/pomerium-console/app/rbac"
	"github.com/pomerium-console-oss/pomerium-console/app/seal"
	"github.com/pomerium-console-oss/pomerium-console/app/settings"
	"github.com/pomerium-console-oss/pomerium-console/db"
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

// created is when the fixtures were made, now the service's clock and
// root the configured administrator the fixtures act as.
var created, now, root = apptest.Created, apptest.Now, apptest.Root

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

// newEnv seeds the fixture tree into s.
func newEnv(t *testing.T, s db.Store) *env {
	t.Helper()
	sealer := apptest.NewSealer(t)
	return &env{Callers: apptest.Seeded(t, s), svc: settings.NewService(s, sealer, apptest.Clock), sealer: sealer}
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
