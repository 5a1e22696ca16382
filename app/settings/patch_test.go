package settings_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/pomerium-console-oss/pomerium-console/app/apptest"
	"github.com/pomerium-console-oss/pomerium-console/app/errs"
	"github.com/pomerium-console-oss/pomerium-console/app/settings"
	"github.com/pomerium-console-oss/pomerium-console/db"
	"github.com/pomerium-console-oss/pomerium-console/db/storetest"
)

// patchFixture is what every patch test starts from.
func patchFixture(t *testing.T, e *env) {
	t.Helper()
	e.update(t, settings.Values{
		LogLevel: new("info"), CookieName: new("_sso"), AccessLogFields: []string{"path", "method"},
		JWTClaimsHeaders: map[string]string{"X-Email": "email"},
	}, secret(settings.SecretCookie, cookieSecret))
}

// TestPatch applies each RFC 6902 operation, and the secret conventions.
func TestPatch(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		patch      string
		want       map[string]any // the stored values
		wantCookie string         // the opened cookie secret afterwards
	}{
		{"add a value", `[{"op":"add","path":"/address","value":":8443"}]`,
			map[string]any{"logLevel": "info", "cookieName": "_sso", "accessLogFields": []any{"path", "method"}, "jwtClaimsHeaders": map[string]any{"X-Email": "email"}, "address": ":8443"}, cookieSecret},
		{"add to a map", `[{"op":"add","path":"/jwtClaimsHeaders/X-Groups","value":"groups"}]`,
			map[string]any{"logLevel": "info", "cookieName": "_sso", "accessLogFields": []any{"path", "method"}, "jwtClaimsHeaders": map[string]any{"X-Email": "email", "X-Groups": "groups"}}, cookieSecret},
		{"append to a list", `[{"op":"add","path":"/accessLogFields/-","value":"size"}]`,
			map[string]any{"logLevel": "info", "cookieName": "_sso", "accessLogFields": []any{"path", "method", "size"}, "jwtClaimsHeaders": map[string]any{"X-Email": "email"}}, cookieSecret},
		{"remove unsets", `[{"op":"remove","path":"/logLevel"}]`,
			map[string]any{"cookieName": "_sso", "accessLogFields": []any{"path", "method"}, "jwtClaimsHeaders": map[string]any{"X-Email": "email"}}, cookieSecret},
		{"replace", `[{"op":"replace","path":"/logLevel","value":"error"}]`,
			map[string]any{"logLevel": "error", "cookieName": "_sso", "accessLogFields": []any{"path", "method"}, "jwtClaimsHeaders": map[string]any{"X-Email": "email"}}, cookieSecret},
		{"move", `[{"op":"move","from":"/jwtClaimsHeaders/X-Email","path":"/jwtClaimsHeaders/X-Mail"}]`,
			map[string]any{"logLevel": "info", "cookieName": "_sso", "accessLogFields": []any{"path", "method"}, "jwtClaimsHeaders": map[string]any{"X-Mail": "email"}}, cookieSecret},
		{"copy", `[{"op":"copy","from":"/logLevel","path":"/proxyLogLevel"}]`,
			map[string]any{"logLevel": "info", "proxyLogLevel": "info", "cookieName": "_sso", "accessLogFields": []any{"path", "method"}, "jwtClaimsHeaders": map[string]any{"X-Email": "email"}}, cookieSecret},
		{"test that passes, then replace", `[{"op":"test","path":"/cookieName","value":"_sso"},{"op":"replace","path":"/cookieName","value":"_new"}]`,
			map[string]any{"logLevel": "info", "cookieName": "_new", "accessLogFields": []any{"path", "method"}, "jwtClaimsHeaders": map[string]any{"X-Email": "email"}}, cookieSecret},
		{"null unsets", `[{"op":"replace","path":"/cookieName","value":null}]`,
			map[string]any{"logLevel": "info", "accessLogFields": []any{"path", "method"}, "jwtClaimsHeaders": map[string]any{"X-Email": "email"}}, cookieSecret},
		{"test that a secret is set", `[{"op":"test","path":"/cookieSecret","value":"set"},{"op":"replace","path":"/logLevel","value":"warn"}]`,
			map[string]any{"logLevel": "warn", "cookieName": "_sso", "accessLogFields": []any{"path", "method"}, "jwtClaimsHeaders": map[string]any{"X-Email": "email"}}, cookieSecret},
		{"replace a secret", `[{"op":"replace","path":"/cookieSecret","value":"` + cookieSecret2 + `"}]`,
			map[string]any{"logLevel": "info", "cookieName": "_sso", "accessLogFields": []any{"path", "method"}, "jwtClaimsHeaders": map[string]any{"X-Email": "email"}}, cookieSecret2},
		{"remove a secret", `[{"op":"remove","path":"/cookieSecret"}]`,
			map[string]any{"logLevel": "info", "cookieName": "_sso", "accessLogFields": []any{"path", "method"}, "jwtClaimsHeaders": map[string]any{"X-Email": "email"}}, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			storetest.ForEach(t, func(t *testing.T, s db.Store) {
				e := newEnv(t, s)
				patchFixture(t, e)
				before := storetest.Capture(t, s)
				if _, err := e.svc.Patch(t.Context(), e.admin(t), cluster, []byte(tc.patch)); err != nil {
					t.Fatal(err)
				}
				if got := values(t, s); !reflect.DeepEqual(got, tc.want) {
					t.Errorf("stored\n%v, want\n%v", got, tc.want)
				}
				opened, err := e.svc.OpenSecrets(t.Context(), cluster)
				if err != nil {
					t.Fatal(err)
				}
				if opened[settings.SecretCookie] != tc.wantCookie {
					t.Errorf("cookie secret %q, want %q", opened[settings.SecretCookie], tc.wantCookie)
				}
				before.Changed(t, s)
			})
		})
	}
}

// TestPatchRefuses: a patch that is malformed, does not apply, or whose
// result is invalid changes nothing, and never quotes a value.
func TestPatchRefuses(t *testing.T) {
	t.Parallel()
	inv := func(field, msg string) map[string]errs.FieldError { return invalid(field, msg) }
	tests := []struct {
		name  string
		patch string
		want  map[string]errs.FieldError
	}{
		{"not JSON", `[{"op":`, inv("patch", `must be a JSON array of operations such as {"op": "replace", "path": "/logLevel", "value": "debug"}`)},
		{"an object, not an array", `{"op":"remove","path":"/logLevel"}`, inv("patch", `must be a JSON array of operations such as {"op": "replace", "path": "/logLevel", "value": "debug"}`)},
		{"unknown op and missing members, all reported", `[{"op":"delete","path":"/logLevel"},{"op":"add","value":1},{"op":"copy","path":"/a"},{"op":"replace","path":"/logLevel"}]`,
			map[string]errs.FieldError{
				"patch/0": {Code: errs.CodeInvalid, Message: "op must be one of add, remove, replace, move, copy, test"},
				"patch/1": {Code: errs.CodeInvalid, Message: "add needs a path"},
				"patch/2": {Code: errs.CodeInvalid, Message: "copy needs a from"},
				"patch/3": {Code: errs.CodeInvalid, Message: "replace needs a value"},
			}},
		{"path that is not a pointer", `[{"op":"remove","path":"logLevel"}]`, inv("patch/0", `path "logLevel" must be a JSON pointer such as /logLevel`)},
		{"remove what is not there", `[{"op":"remove","path":"/address"}]`, inv("patch/0", "remove failed: /address does not exist, or its parent does not")},
		{"replace what is not there", `[{"op":"replace","path":"/address","value":":443"}]`, inv("patch/0", "replace failed: /address does not exist, or its parent does not")},
		{"add below a missing map", `[{"op":"add","path":"/setResponseHeaders/X-A","value":"b"}]`, inv("patch/0", "add failed: /setResponseHeaders/X-A does not exist, or its parent does not")},
		{"move from nowhere", `[{"op":"move","from":"/nope","path":"/logLevel"}]`, inv("patch/0", "move failed: /nope or /logLevel does not exist, or its parent does not")},
		{"list index out of range", `[{"op":"add","path":"/accessLogFields/7","value":"size"}]`, inv("patch/0", "add failed: a list index in /accessLogFields/7 is out of range")},
		{"failed test stops the patch", `[{"op":"replace","path":"/logLevel","value":"warn"},{"op":"test","path":"/cookieName","value":"_other"}]`,
			inv("patch/1", "test failed: the value at /cookieName is not the one given")},
		{"invalid result", `[{"op":"replace","path":"/logLevel","value":"loud"}]`, inv("logLevel", "must be one of "+strings.Join(settings.LogLevels, ", "))},
		{"unknown key", `[{"op":"add","path":"/pomeriumDebug","value":true}]`, inv("pomeriumDebug", "is not a setting the console knows")},
		{"read-only key", `[{"op":"add","path":"/id","value":"x"}]`, inv("id", "is not a setting the console knows")},
		{"wrong type", `[{"op":"replace","path":"/accessLogFields","value":"path"}]`, inv("accessLogFields", "must be a list of strings")},
		{"number as text", `[{"op":"add","path":"/tracingSampleRate","value":"1%"}]`, inv("tracingSampleRate", "must be a number (or null to unset it)")},
		{"bad new secret, value not quoted", `[{"op":"replace","path":"/cookieSecret","value":"` + clientSecret + `"}]`, inv("cookieSecret", msgCookieB64)},
		{"secret copied to another secret", `[{"op":"copy","from":"/cookieSecret","path":"/identityProviderClientSecret"}]`,
			inv("identityProviderClientSecret", `"set" only stands for a stored secret, and none is stored: send the value itself`)},
		{"secret of the wrong type", `[{"op":"replace","path":"/cookieSecret","value":42}]`, inv("cookieSecret", "must be a string (or null to clear it)")},
		{"replacing the whole document with junk", `[{"op":"replace","path":"","value":[1]}]`, inv("body", "must be one JSON object of settings")},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			storetest.ForEach(t, func(t *testing.T, s db.Store) {
				e := newEnv(t, s)
				patchFixture(t, e)
				apptest.WantRefused(t, s, apptest.Refusal{Fields: tc.want}, func() (settings.View, error) {
					view, err := e.svc.Patch(t.Context(), e.admin(t), cluster, []byte(tc.patch))
					if err != nil {
						noSecretIn(t, "the error", err.Error())
					}
					return view, err
				})
			})
		})
	}
}
