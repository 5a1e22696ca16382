package settings_test

import (
	"reflect"
	"testing"

	"github.com/pomerium-console-oss/pomerium-console/app/apptest"
	"github.com/pomerium-console-oss/pomerium-console/app/errs"
	"github.com/pomerium-console-oss/pomerium-console/app/settings"
	"github.com/pomerium-console-oss/pomerium-console/db"
	"github.com/pomerium-console-oss/pomerium-console/db/storetest"
)

// TestDecodeUpdate reads full updates as the REST API would receive them.
func TestDecodeUpdate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		body    string
		values  settings.Values
		secrets map[settings.Secret]settings.SecretChange
	}{
		{"every kind of value", `{"logLevel":"debug","cookieHttpOnly":false,"tracingSampleRate":1.5,"accessLogFields":["path"],"setResponseHeaders":{"X-A":"b"}}`,
			settings.Values{LogLevel: new("debug"), CookieHTTPOnly: new(false), TracingSampleRate: new(1.5), AccessLogFields: []string{"path"}, SetResponseHeaders: map[string]string{"X-A": "b"}},
			map[settings.Secret]settings.SecretChange{}},
		{"a GET response sent back: read-only keys ignored", `{"id":"x","createdAt":"2019-08-24T14:15:22Z","updatedAt":"2019-08-24T14:15:22Z","cookieName":"_sso"}`,
			settings.Values{CookieName: new("_sso")}, map[settings.Secret]settings.SecretChange{}},
		{"null unsets", `{"logLevel":null}`, settings.Values{}, map[settings.Secret]settings.SecretChange{}},
		{"secrets: a value sets, empty or null clears", `{"cookieSecret":"abc","identityProviderClientSecret":"","databrokerStorageConnection":null}`,
			settings.Values{}, map[settings.Secret]settings.SecretChange{
				settings.SecretCookie: {Value: "abc"}, settings.SecretIdentityProviderClient: {Clear: true}, settings.SecretDatabrokerStorage: {Clear: true},
			}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			u := settings.DecodeUpdate([]byte(tc.body))
			if !reflect.DeepEqual(u.Values, tc.values) || !reflect.DeepEqual(u.Secrets, tc.secrets) {
				t.Errorf("DecodeUpdate = %+v %+v, want %+v %+v", u.Values, u.Secrets, tc.values, tc.secrets)
			}
		})
	}
}

// TestDecodeUpdateProblems: what cannot be read is reported with the
// validation, every key at once, and nothing changes.
func TestDecodeUpdateProblems(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		body string
		want map[string]errs.FieldError
	}{
		{"not an object", `["logLevel"]`, invalid("body", "must be one JSON object of settings")},
		{"two objects", `{} {}`, invalid("body", "must be one JSON object of settings")},
		{"wrong types and unknown keys", `{"cookieSecure":"yes","metricsAddress":9090,"identityProviderRequestParams":{"a":1},"pomeriumDebug":true,"cookieSecret":7,"logLevel":"loud"}`,
			map[string]errs.FieldError{
				"cookieSecure":                  {Code: errs.CodeInvalid, Message: "must be true or false (or null to unset it)"},
				"metricsAddress":                {Code: errs.CodeInvalid, Message: "must be a string (or null to unset it)"},
				"identityProviderRequestParams": {Code: errs.CodeInvalid, Message: "must be an object whose values are strings"},
				"pomeriumDebug":                 {Code: errs.CodeInvalid, Message: "is not a setting the console knows"},
				"cookieSecret":                  {Code: errs.CodeInvalid, Message: "must be a string (or null to clear it)"},
				"logLevel":                      {Code: errs.CodeInvalid, Message: "must be one of trace, debug, info, warn, error, critical, fatal, panic, disabled"},
			}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			storetest.ForEach(t, func(t *testing.T, s db.Store) {
				e := newEnv(t, s)
				apptest.WantRefused(t, s, apptest.Refusal{Fields: tc.want}, func() (settings.View, error) {
					return e.svc.Update(t.Context(), e.admin(t), cluster, settings.DecodeUpdate([]byte(tc.body)))
				})
			})
		})
	}
}

// TestDocumentRoundTrip: a document sent back as a full update changes
// nothing, secrets included.
func TestDocumentRoundTrip(t *testing.T) {
	t.Parallel()
	storetest.ForEach(t, func(t *testing.T, s db.Store) {
		e := newEnv(t, s)
		view := e.update(t, settings.Values{LogLevel: new("debug"), SetResponseHeaders: map[string]string{"X-Frame-Options": "DENY"}},
			secret(settings.SecretCookie, cookieSecret))
		doc, err := view.Document()
		if err != nil {
			t.Fatal(err)
		}
		before := storetest.Capture(t, s)
		// "cookieSecret":"set" in the document keeps the secret.
		if _, err := e.svc.Update(t.Context(), e.admin(t), cluster, settings.DecodeUpdate(doc)); err != nil {
			t.Fatal(err)
		}
		before.Unchanged(t, s)
	})
}

func TestCoreSampleRate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		v      settings.Values
		want   float64
		wantOK bool
	}{
		{"unset", settings.Values{}, 0, false},
		{"1 percent", settings.Values{TracingSampleRate: new(1.0)}, 0.01, true},
		{"the documented default", settings.Values{TracingSampleRate: new(0.01)}, 0.0001, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, ok := tc.v.CoreSampleRate()
			if got != tc.want || ok != tc.wantOK {
				t.Errorf("CoreSampleRate = %v, %v; want %v, %v", got, ok, tc.want, tc.wantOK)
			}
		})
	}
}
