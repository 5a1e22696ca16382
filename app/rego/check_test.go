package rego_test

import (
	"strings"
	"testing"

	"github.com/pomerium-console-oss/pomerium-console/app/rego"
)

func TestCheck(t *testing.T) {
	t.Parallel()
	const header = "package pomerium.policy\n\nimport rego.v1\n\n"
	tests := []struct {
		name   string
		module string
		// wantErr lists substrings of the error; none means Check passes.
		wantErr []string
	}{
		{name: "minimal", module: header + "default allow := [false, set()]\n"},
		{name: "bare booleans", module: header + "allow := true\n\ndeny := false\n"},
		{name: "one-element array", module: header + "allow := [true]\n"},
		{name: "reasons and data", module: header + `allow := [true, {"r"}, {"k": "v"}]` + "\n"},
		{name: "no decisions at all", module: header + "x := 1\n"},
		// Core's own test module: v0 syntax, no import, is accepted.
		{name: "v0 syntax", module: "package pomerium.policy\n\nallow { input.http.method == \"GET\" }\n"},
		// Core retries a module without a package line.
		{name: "no package line", module: "import rego.v1\n\nallow := true\n"},
		{name: "one-level record access", module: header + `allow if {
	r := get_databroker_record("pomerium.io/DirectoryUser", "u1")
	r.email == "a@example.com"
}
`},
		{name: "record access through object.get", module: header + `allow if {
	r := get_databroker_record("pomerium.io/DirectoryUser", "u1")
	"g1" in object.get(r, "group_ids", [])
}
`},
		{name: "serverless headers compile", module: header + `allow if {
	h := get_google_cloud_serverless_headers("sa", "aud")
	h.Authorization != ""
}
`},
		{name: "parse error", module: header + "allow := := true\n\ndeny := false\n",
			wantErr: []string{"rego_parse_error", "pomerium.policy:5"}},
		{name: "v1 keyword without import", module: "package pomerium.policy\n\nallow if { true }\n",
			wantErr: []string{"rego_parse_error"}},
		{name: "unknown function", module: header + "allow := nope(1)\n",
			wantErr: []string{"rego_type_error", "undefined function nope"}},
		{name: "record arguments must be strings", module: header + "allow if get_databroker_record(1, \"x\")\n",
			wantErr: []string{"rego_type_error", "get_databroker_record"}},
		{name: "ssh_verify_user_cert takes three arguments", module: header + "allow if ssh_verify_user_cert(\"a\", \"b\")\n",
			wantErr: []string{"rego_type_error", "ssh_verify_user_cert"}},
		// Core declares the record builtin as object[string: string], so
		// a ref two levels deep does not compile there; our declaration
		// must reject it too, or Check would pass modules Core refuses.
		{name: "two-level record access", module: header + `allow if {
	r := get_databroker_record("pomerium.io/DirectoryUser", "u1")
	r.group_ids[_] == "g1"
}
`, wantErr: []string{"rego_type_error", "undefined ref: r.group_ids[_]", "pomerium.policy:7"}},
		{name: "two-level access through a function with a fallback", module: header + `dir_user(id) := v if {
	v := get_databroker_record("pomerium.io/DirectoryUser", id)
} else := {}

allow if {
	r := dir_user("u1")
	r.group_ids[_] == "g1"
}
`, wantErr: []string{"rego_type_error", "r.group_ids[_]"}},
		{name: "other package", module: "package other\n\nimport rego.v1\n\nallow := true\n",
			wantErr: []string{"empty result", "pomerium.policy"}},
		{name: "allow is a number", module: header + "allow := 1\n", wantErr: []string{"allow", "want a boolean or an array"}},
		{name: "deny is a string", module: header + "deny := \"no\"\n", wantErr: []string{"deny", "want a boolean or an array"}},
		{name: "empty array", module: header + "allow := []\n", wantErr: []string{"allow", "0 elements"}},
		{name: "four elements", module: header + `allow := [true, {"r"}, {}, 1]` + "\n", wantErr: []string{"allow", "4 elements"}},
		{name: "value not a boolean", module: header + `allow := ["yes", {"r"}]` + "\n", wantErr: []string{"allow", "element 0"}},
		{name: "reasons not a set", module: header + `allow := [true, "r"]` + "\n", wantErr: []string{"allow", "element 1"}},
		{name: "data not an object", module: header + `deny := [false, set(), ["x"]]` + "\n", wantErr: []string{"deny", "element 2"}},
		{name: "conflicting values", module: header + "allow := true if input.http.method == \"GET\"\n\nallow := false if input.http.path == \"/\"\n",
			wantErr: []string{"eval_conflict_error"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			err := rego.Check(tc.module)
			if len(tc.wantErr) == 0 {
				if err != nil {
					t.Fatalf("Check: %v", err)
				}
				return
			}
			if err == nil {
				t.Fatalf("Check passed, want an error with %q", tc.wantErr)
			}
			for _, want := range tc.wantErr {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error %q lacks %q", err, want)
				}
			}
		})
	}
}
