package web_test

import (
	"context"
	"net/url"
	"testing"

	"github.com/pomerium-console-oss/pomerium-console/app/seal"
	"github.com/pomerium-console-oss/pomerium-console/app/settings"
	"github.com/pomerium-console-oss/pomerium-console/app/testutil"
	"github.com/pomerium-console-oss/pomerium-console/db"
)

// validCookieSecret is base64 of 32 bytes, as Core wants its cookie secret.
const validCookieSecret = "hNTBe3a1oPWFTtVVzb3kHTAaJeRS6gQpRoGpLNmwdAM="

// sealerOf is the sealer of app's database_encryption_key.
func sealerOf(t testing.TB, app *testutil.App) *seal.Sealer {
	t.Helper()
	s, err := seal.New(app.Config.EncryptionKey())
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// storedSettings is the settings row of the default cluster; ok is false
// while none was saved.
func storedSettings(t testing.TB, app *testutil.App) (db.Settings, bool) {
	t.Helper()
	row, err := app.Store.GetSettings(context.Background(), settings.DefaultClusterID)
	if err != nil {
		return db.Settings{}, false
	}
	return row, true
}

// revision is the configuration revision of app.
func revision(t testing.TB, app *testutil.App) int64 {
	t.Helper()
	rev, _, err := app.Store.ConfigRevision(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return rev
}

// settingsForm is a settings form as a browser submits it: every input,
// mostly empty, with the given values.
func settingsForm(values map[string]string) url.Values {
	form := url.Values{}
	for _, name := range settings.FieldNames() {
		form.Set(name, "")
	}
	for _, s := range settings.Secrets {
		form.Set(string(s), "")
	}
	for k, v := range values {
		form.Set(k, v)
	}
	return form
}
