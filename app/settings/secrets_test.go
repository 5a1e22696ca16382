package settings_test

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/pomerium-console-oss/pomerium-console/app/seal"
	"github.com/pomerium-console-oss/pomerium-console/app/settings"
	"github.com/pomerium-console-oss/pomerium-console/db"
	"github.com/pomerium-console-oss/pomerium-console/db/storetest"
)

// TestSecretsAreSealedAndWriteOnly: secrets are stored sealed for their
// cluster and key, open for the push, and appear nowhere else.
func TestSecretsAreSealedAndWriteOnly(t *testing.T) {
	t.Parallel()
	storetest.ForEach(t, func(t *testing.T, s db.Store) {
		e := newEnv(t, s)
		view := e.update(t, settings.Values{IdentityProvider: new("github"), IdentityProviderClientID: new("abc")},
			map[settings.Secret]settings.SecretChange{
				settings.SecretCookie: {Value: cookieSecret}, settings.SecretIdentityProviderClient: {Value: " " + clientSecret + " "},
				settings.SecretDatabrokerStorage: {Value: databrokerDSN},
			})
		wantSet := map[settings.Secret]bool{settings.SecretCookie: true, settings.SecretIdentityProviderClient: true, settings.SecretDatabrokerStorage: true}
		if !reflect.DeepEqual(view.SecretsSet, wantSet) {
			t.Errorf("SecretsSet = %v, want %v", view.SecretsSet, wantSet)
		}
		if got := view.SetSecrets(); !reflect.DeepEqual(got, []settings.Secret{settings.SecretCookie, settings.SecretIdentityProviderClient, settings.SecretDatabrokerStorage}) {
			t.Errorf("SetSecrets = %v", got)
		}
		row, err := s.GetSettings(t.Context(), cluster)
		if err != nil {
			t.Fatal(err)
		}
		noSecretIn(t, "the stored row", row.Values+strings.Join(mapValues(row.Secrets), " "))
		for name, sealed := range row.Secrets {
			if !strings.HasPrefix(sealed, "v1."+e.sealer.KeyID()+".") {
				t.Errorf("%s is not a sealed value: %q", name, sealed)
			}
		}
		// A sealed value copied to another key or cluster does not open.
		if _, err := e.sealer.Open(row.Secrets["cookieSecret"], "settings/default/identityProviderClientSecret"); !errors.Is(err, seal.ErrMalformed) {
			t.Errorf("cookie secret opened in another context: %v", err)
		}
		opened, err := e.svc.OpenSecrets(t.Context(), cluster)
		if err != nil {
			t.Fatal(err)
		}
		wantOpened := map[settings.Secret]string{settings.SecretCookie: cookieSecret, settings.SecretIdentityProviderClient: clientSecret, settings.SecretDatabrokerStorage: databrokerDSN}
		if !reflect.DeepEqual(opened, wantOpened) {
			t.Errorf("OpenSecrets = %v, want %v", opened, wantOpened)
		}
		got, err := e.svc.Get(t.Context(), e.admin(t), cluster)
		if err != nil {
			t.Fatal(err)
		}
		doc, err := got.Document()
		if err != nil {
			t.Fatal(err)
		}
		noSecretIn(t, "the document", string(doc))
		if !strings.Contains(string(doc), `"cookieSecret":"set"`) {
			t.Errorf("document %s does not say the cookie secret is set", doc)
		}
		for _, entry := range storetest.Capture(t, s).Activity {
			noSecretIn(t, "an activity entry", entry.Before+entry.After)
		}
	})
}

// TestSecretChanges: an absent secret is kept, Clear removes it, a new
// value replaces it; the log says which, never what.
func TestSecretChanges(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		change     map[settings.Secret]settings.SecretChange
		wantCookie string // the opened cookie secret; "" when cleared
		wantLog    string // the cookie secret in the entry's After; "" when no entry
	}{
		{"absent keeps it", nil, cookieSecret, ""},
		{"empty value keeps it", secret(settings.SecretCookie, "  "), cookieSecret, ""},
		{"clear removes it", map[settings.Secret]settings.SecretChange{settings.SecretCookie: {Clear: true}}, "", "not set"},
		{"a new value replaces it", secret(settings.SecretCookie, cookieSecret2), cookieSecret2, "replaced"},
		{"the same value changes nothing", secret(settings.SecretCookie, cookieSecret), cookieSecret, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			storetest.ForEach(t, func(t *testing.T, s db.Store) {
				e := newEnv(t, s)
				e.update(t, settings.Values{LogLevel: new("info")}, secret(settings.SecretCookie, cookieSecret))
				before := storetest.Capture(t, s)
				e.update(t, settings.Values{LogLevel: new("info")}, tc.change)
				opened, err := e.svc.OpenSecrets(t.Context(), cluster)
				if err != nil {
					t.Fatal(err)
				}
				if opened[settings.SecretCookie] != tc.wantCookie {
					t.Errorf("cookie secret %q, want %q", opened[settings.SecretCookie], tc.wantCookie)
				}
				entries := before.NewActivity(t, s)
				switch {
				case tc.wantLog == "" && len(entries) != 0:
					t.Errorf("%d entries for no change", len(entries))
				case tc.wantLog != "" && len(entries) != 1:
					t.Fatalf("%d entries, want 1", len(entries))
				case tc.wantLog != "":
					if b, a := decode(t, entries[0].Before)["cookieSecret"], decode(t, entries[0].After)["cookieSecret"]; b != "set" || a != tc.wantLog {
						t.Errorf("entry says %v → %v, want set → %s", b, a, tc.wantLog)
					}
					noSecretIn(t, "the entry", entries[0].Before+entries[0].After)
				}
			})
		})
	}
}

// TestSecretOfAnotherDatabaseKeyFailsToOpen: OpenSecrets reports, rather
// than hides, a secret sealed with a key the console no longer has.
func TestSecretOfAnotherDatabaseKeyFailsToOpen(t *testing.T) {
	t.Parallel()
	storetest.ForEach(t, func(t *testing.T, s db.Store) {
		e := newEnv(t, s)
		e.update(t, settings.Values{}, secret(settings.SecretCookie, cookieSecret))
		other, err := seal.New([]byte("fedcba9876543210fedcba9876543210"))
		if err != nil {
			t.Fatal(err)
		}
		_, err = settings.NewService(s, other, nil).OpenSecrets(t.Context(), cluster)
		if !errors.Is(err, seal.ErrUnknownKey) {
			t.Fatalf("err = %v, want ErrUnknownKey", err)
		}
	})
}

func mapValues(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for _, v := range m {
		out = append(out, v)
	}
	return out
}
