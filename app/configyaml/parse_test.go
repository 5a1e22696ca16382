package configyaml

import (
	"errors"
	"os"
	"slices"
	"strings"
	"testing"
)

func readTestdata(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestParseOSS(t *testing.T) {
	t.Parallel()
	plan, err := Parse("oss.yaml", readTestdata(t, "oss.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, r := range plan.Routes {
		names = append(names, r.Input.Name)
	}
	var unsupported []string
	for _, u := range plan.Unsupported {
		unsupported = append(unsupported, u.Key)
	}
	var settingKeys []string
	for _, k := range plan.Settings.Keys {
		settingKeys = append(settingKeys, k.Name)
	}
	for _, c := range []struct {
		what      string
		got, want any
	}{
		{"route names (given, else host and path)", names, []string{"Grafana", "grafana.example.com/api/v2/query", "docs.example.com/old", "legacy.example.com", "status.example.com", "db.example.com:5432"}},
		// The two public routes share one policy.
		{"policies", len(plan.Policies), 5},
		{"key pairs: CA (shared by route and settings? no: Global), client, served certificate", len(plan.KeyPairs), 4},
		{"unsupported", unsupported, []string{"shared_secret", "autocert", "routes[4].description", "routes[5].outlier_detection"}},
		{"legacy redirect code 1 is 302", plan.Routes[3].Input.Spec.Redirect.ResponseCode, int32(302)},
		{"308 stays", plan.Routes[2].Input.Spec.Redirect.ResponseCode, int32(308)},
		{"string to is a list", plan.Routes[1].Input.To, []string{"https://grafana-api:8443"}},
		{"durations", []string{plan.Routes[0].Input.Spec.Timeout, plan.Routes[0].Input.Spec.IdleTimeout, *plan.Settings.Values.CookieExpire}, []string{"30s", "5m", "14h"}},
		{"sample rate as a percentage", *plan.Settings.Values.TracingSampleRate, 25.0},
		{"settings keys", len(settingKeys), 17},
		{"idp secret", string(plan.Settings.Secrets["identityProviderClientSecret"]), "not-a-real-secret"},
	} {
		if !equal(c.got, c.want) {
			t.Errorf("%s = %v, want %v", c.what, c.got, c.want)
		}
	}
	if got := plan.Policies[plan.Routes[0].Policy].PPL; got != "allow:\n  or:\n    - domain:\n        is: example.com\n" {
		t.Errorf("allowed_domains became %q", got)
	}
	if got := plan.Policies[plan.Routes[5].Policy].PPL; !strings.Contains(got, "- user:\n        is: alice@example.com") ||
		!strings.Contains(got, "- email:\n        is: alice@example.com") || !strings.Contains(got, "- claim/groups: dba") {
		t.Errorf("allowed users and claims became %q", got)
	}
	if plan.Routes[2].Policy != plan.Routes[3].Policy {
		t.Errorf("the two public routes got different policies")
	}
}

func TestParseProblems(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		yaml string
		want []Problem // Message is a substring
	}{
		{"bad YAML", "routes:\n  - from: https://a.example.com\n   to: http://a\n", []Problem{{Line: 3, Message: "is not valid YAML"}}},
		{"empty file", "", []Problem{{Message: "the file is empty"}}},
		{"not a mapping", "- from: x\n", []Problem{{Line: 1, Message: "expected a mapping"}}},
		{"unknown key", "log_level: info\nlog_levle: debug\n", []Problem{{Line: 2, Key: "log_levle", Message: "is not an option Pomerium Core knows"}}},
		{"unknown route key", "routes:\n  - from: https://a.example.com\n    to: http://a\n    too: http://b\n", []Problem{{Line: 4, Key: "routes[0].too", Message: "is not an option"}}},
		{"unknown nested key", "routes:\n  - from: https://a.example.com\n    redirect:\n      host: b\n", []Problem{{Line: 4, Key: "routes[0].redirect.host", Message: "is not an option"}}},
		{"route without from", "routes:\n  - to: http://a\n", []Problem{{Line: 2, Key: "routes[0].from", Message: "is required"}}},
		{"policy that does not parse", "routes:\n  - from: https://a.example.com\n    to: http://a\n    policy:\n      allow:\n        or:\n          - emial: {is: x}\n", []Problem{{Line: 4, Key: "routes[0].policy", Message: "is not valid PPL"}}},
		{"wrong type", "skip_xff_append: sometimes\n", []Problem{{Line: 1, Key: "skip_xff_append", Message: "must be true or false"}}},
		{"bad duration", "routes:\n  - from: https://a.example.com\n    to: http://a\n    timeout: soon\n", []Problem{{Line: 4, Key: "routes[0].timeout", Message: "must be a duration"}}},
		{"public with allowed users", "routes:\n  - from: https://a.example.com\n    to: http://a\n    allow_public_unauthenticated_access: true\n    allowed_users: [a@b.c]\n", []Problem{{Line: 4, Key: "routes[0].allow_public_unauthenticated_access", Message: "a public route cannot"}}},
		{"client certificate without key", "routes:\n  - from: https://a.example.com\n    to: http://a\n    tls_client_cert: " + b64PEM + "\n", []Problem{{Line: 4, Key: "routes[0].tls_client_cert", Message: "needs its key"}}},
		{"not base64", "certificate_authority: '%%%'\n", []Problem{{Line: 1, Key: "certificate_authority", Message: "must be base64-encoded PEM"}}},
		{"bad load balancing", "routes:\n  - from: https://a.example.com\n    to: http://a\n    lb_policy: FASTEST\n", []Problem{{Line: 4, Key: "routes[0].lb_policy", Message: "must be one of ROUND_ROBIN"}}},
		{"routes and Core's old policy list both", "routes:\n  - from: https://a.example.com\n    to: http://a\npolicy:\n  - from: https://b.example.com\n    to: http://b\n",
			[]Problem{{Line: 4, Key: "policy", Message: "list the routes under routes only"}}},
		{"every problem at once", "log_levle: x\nroutes:\n  - to: http://a\n  - from: https://a.example.com\n    timeout: x\n",
			[]Problem{{Line: 1, Key: "log_levle"}, {Line: 3, Key: "routes[0].from"}, {Line: 5, Key: "routes[1].timeout"}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			plan, err := Parse("config.yaml", []byte(tc.yaml))
			var got Problems
			if !errors.As(err, &got) {
				t.Fatalf("Parse = %v, %v; want Problems", plan, err)
			}
			if len(got) != len(tc.want) {
				t.Fatalf("problems = %v\nwant %d", got, len(tc.want))
			}
			for i, w := range tc.want {
				g := got[i]
				if g.File != "config.yaml" || g.Line != w.Line || g.Key != w.Key || !strings.Contains(g.Message, w.Message) {
					t.Errorf("problem %d = %s\nwant config.yaml:%d: %s: …%s…", i, g, w.Line, w.Key, w.Message)
				}
			}
		})
	}
}

// TestParseReadsCoresOldPolicyList: before routes, Core listed routes
// under policy.
func TestParseReadsCoresOldPolicyList(t *testing.T) {
	t.Parallel()
	plan, err := Parse("config.yaml", []byte("policy:\n  - from: https://a.example.com\n    to: http://a\n    allow_any_authenticated_user: true\n"))
	if err != nil || len(plan.Routes) != 1 || plan.Routes[0].Key != "routes[0]" || plan.Routes[0].Policy != 0 {
		t.Fatalf("Parse = %+v, %v", plan, err)
	}
}

// TestParseReadsNamedFiles reads certificate files when it may, and sets
// the keys aside when it may not.
func TestParseReadsNamedFiles(t *testing.T) {
	t.Parallel()
	src := []byte("certificates:\n  - cert: certs/a.pem\n    key: certs/a.key\n")
	plan, err := Parse("config.yaml", src)
	if err != nil || len(plan.KeyPairs) != 0 || len(plan.Unsupported) != 2 || plan.Unsupported[0].Key != "certificates[0].cert" {
		t.Fatalf("without files: %+v, %v", plan, err)
	}
	files := map[string]string{"certs/a.pem": pemCert, "certs/a.key": "KEY"}
	read := func(name string) ([]byte, error) {
		if v, ok := files[name]; ok {
			return []byte(v), nil
		}
		return nil, os.ErrNotExist
	}
	plan, err = Parse("config.yaml", src, WithReadFile(read))
	if err != nil || len(plan.KeyPairs) != 1 || plan.KeyPairs[0].PrivateKey != "KEY" {
		t.Fatalf("with files: %+v, %v", plan, err)
	}
	_, err = Parse("config.yaml", []byte("certificates:\n  - cert: nope.pem\n    key: nope.key\n"), WithReadFile(read))
	if err == nil || !strings.Contains(err.Error(), "config.yaml:2: certificates[0].cert: cannot read nope.pem") {
		t.Errorf("a missing file: %v", err)
	}
}

func equal(a, b any) bool {
	switch x := a.(type) {
	case []string:
		y, ok := b.([]string)
		return ok && slices.Equal(x, y)
	}
	return a == b
}
