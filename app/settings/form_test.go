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

// form is a submitted settings form: missing inputs read as "".
func form(values map[string]string) func(string) string {
	return func(name string) string { return values[name] }
}

// TestParseForm reads each kind of input; FormText writes it back.
func TestParseForm(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		form     map[string]string
		values   settings.Values
		secrets  map[settings.Secret]settings.SecretChange
		formText map[string]string // what FormText shows for values, when not form itself
	}{
		{"empty inputs stay unset", map[string]string{"logLevel": "", "cookieSecure": "", "tracingSampleRate": " "},
			settings.Values{}, map[settings.Secret]settings.SecretChange{}, map[string]string{}},
		{"text, tri-states and a number", map[string]string{"logLevel": " debug ", "cookieSecure": "false", "passIdentityHeaders": "true", "tracingSampleRate": "0.5"},
			settings.Values{LogLevel: new("debug"), CookieSecure: new(false), PassIdentityHeaders: new(true), TracingSampleRate: new(0.5)},
			map[settings.Secret]settings.SecretChange{}, map[string]string{"logLevel": "debug", "cookieSecure": "false", "passIdentityHeaders": "true", "tracingSampleRate": "0.5"}},
		{"a percent sign is allowed", map[string]string{"tracingSampleRate": "2%"}, settings.Values{TracingSampleRate: new(2.0)},
			map[settings.Secret]settings.SecretChange{}, map[string]string{"tracingSampleRate": "2"}},
		{"lists by line or comma", map[string]string{"accessLogFields": "path\nmethod, size\n", "identityProviderScopes": "openid"},
			settings.Values{AccessLogFields: []string{"path", "method", " size"}, IdentityProviderScopes: []string{"openid"}},
			map[settings.Secret]settings.SecretChange{}, map[string]string{"accessLogFields": "path\nmethod\n size", "identityProviderScopes": "openid"}},
		{"maps by line; a bare claim gets Core's header", map[string]string{
			"jwtClaimsHeaders":   "email\n X-Groups : groups \ngiven_name",
			"setResponseHeaders": "Strict-Transport-Security: max-age=31536000; includeSubDomains\nX-Frame-Options: DENY",
		}, settings.Values{
			JWTClaimsHeaders:   map[string]string{"X-Pomerium-Claim-Email": "email", "X-Groups": "groups", "X-Pomerium-Claim-Given-Name": "given_name"},
			SetResponseHeaders: map[string]string{"Strict-Transport-Security": "max-age=31536000; includeSubDomains", "X-Frame-Options": "DENY"},
		}, map[settings.Secret]settings.SecretChange{}, map[string]string{
			"jwtClaimsHeaders":   "X-Groups: groups\nX-Pomerium-Claim-Email: email\nX-Pomerium-Claim-Given-Name: given_name",
			"setResponseHeaders": "Strict-Transport-Security: max-age=31536000; includeSubDomains\nX-Frame-Options: DENY",
		}},
		{"secrets: typed value replaces, Clear clears, empty keeps", map[string]string{
			"cookieSecret": " " + cookieSecret + " ", "identityProviderClientSecret.clear": "true", "databrokerStorageConnection": "",
		}, settings.Values{}, map[settings.Secret]settings.SecretChange{
			settings.SecretCookie: {Value: cookieSecret}, settings.SecretIdentityProviderClient: {Clear: true},
		}, map[string]string{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			u := settings.ParseForm(form(tc.form))
			if !reflect.DeepEqual(u.Values, tc.values) || !reflect.DeepEqual(u.Secrets, tc.secrets) {
				t.Fatalf("ParseForm =\n%+v %+v, want\n%+v %+v", u.Values, u.Secrets, tc.values, tc.secrets)
			}
			text := settings.FormText(tc.values)
			for name, want := range tc.formText {
				if text[name] != want {
					t.Errorf("FormText[%s] = %q, want %q", name, text[name], want)
				}
			}
			if back := settings.ParseForm(form(text)); !reflect.DeepEqual(back.Values, tc.values) {
				t.Errorf("FormText does not read back:\n%+v\n%+v", back.Values, tc.values)
			}
		})
	}
}

// TestParseFormProblems: lines the form cannot read are reported with the
// validation, and nothing changes.
func TestParseFormProblems(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		form map[string]string
		want map[string]errs.FieldError
	}{
		{"response header without colon", map[string]string{"setResponseHeaders": "X-Frame-Options: DENY\nX-Nope"},
			invalid("setResponseHeaders", "line 2: write each entry as Name: value")},
		{"request parameter set twice", map[string]string{"identityProvider": "github", "identityProviderClientId": "abc",
			"identityProviderClientSecret": clientSecret, "identityProviderRequestParams": "prompt: login\nprompt: consent"},
			invalid("identityProviderRequestParams", `line 2: "prompt" is already set on an earlier line`)},
		{"tri-state out of its choices", map[string]string{"skipXffAppend": "yes"}, invalid("skipXffAppend", "choose on, off or the default")},
		{"sample rate in words", map[string]string{"tracingSampleRate": "one percent"}, invalid("tracingSampleRate", "must be a number, such as 0.01")},
		{"secret typed and cleared", map[string]string{"cookieSecret": cookieSecret2, "cookieSecret.clear": "true"},
			invalid("cookieSecret", "type a new value or tick Clear, not both")},
		{"parse and validation problems together", map[string]string{"logLevel": "loud", "setResponseHeaders": "nope"}, map[string]errs.FieldError{
			"logLevel":           {Code: errs.CodeInvalid, Message: "must be one of trace, debug, info, warn, error, critical, fatal, panic, disabled"},
			"setResponseHeaders": {Code: errs.CodeInvalid, Message: "line 1: write each entry as Name: value"},
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			storetest.ForEach(t, func(t *testing.T, s db.Store) {
				e := newEnv(t, s)
				e.update(t, settings.Values{}, secret(settings.SecretCookie, cookieSecret))
				apptest.WantRefused(t, s, apptest.Refusal{Fields: tc.want}, func() (settings.View, error) {
					return e.svc.Update(t.Context(), e.admin(t), cluster, settings.ParseForm(form(tc.form)))
				})
			})
		})
	}
}

// TestFieldNamesCoverEverySetting: the names are the REST reference's
// Settings keys (those it has) plus the console's own.
func TestFieldNamesCoverEverySetting(t *testing.T) {
	t.Parallel()
	rest := []string{
		"logLevel", "proxyLogLevel", "address", "dnsLookupFamily", "httpRedirectAddr", "timeoutRead", "timeoutWrite",
		"timeoutIdle", "cookieName", "cookieSecret", "cookieDomain", "cookieHttpOnly", "cookieExpire", "cookieSameSite",
		"certificateAuthorityKeyPairId", "setResponseHeaders", "jwtClaimsHeaders", "defaultUpstreamTimeout", "metricsAddress",
		"tracingProvider", "tracingSampleRate", "tracingDatadogAddress", "tracingJaegerCollectorEndpoint",
		"tracingJaegerAgentEndpoint", "tracingZipkinEndpoint", "downstreamMtlsCaKeyPairId",
		"googleCloudServerlessAuthenticationServiceAccount", "skipXffAppend", "databrokerStorageConnection",
		"accessLogFields", "authorizeLogFields", "passIdentityHeaders", "autoApplyChangesets", "authenticateServiceUrl",
		"identityProvider", "identityProviderClientId", "identityProviderClientSecret", "identityProviderRequestParams",
		"identityProviderScopes", "identityProviderUrl",
	}
	console := []string{"cookieSecure", "grpcServerMaxConnectionAge", "grpcServerMaxConnectionAgeGrace"}
	have := map[string]bool{}
	for _, name := range settings.FieldNames() {
		have[name] = true
	}
	for _, s := range settings.Secrets {
		have[string(s)] = true
	}
	for _, name := range append(rest, console...) {
		if !have[name] {
			t.Errorf("setting %s is missing", name)
		}
		if _, ok := settings.CoreDefaults[name]; !ok {
			t.Errorf("setting %s has no default to show", name)
		}
		delete(have, name)
	}
	if len(have) > 0 {
		t.Errorf("settings beyond the reference: %v", have)
	}
}
