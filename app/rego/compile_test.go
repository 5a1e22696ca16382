package rego_test

import (
	"errors"
	"net/netip"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/open-policy-agent/opa/ast"
	"github.com/open-policy-agent/opa/format"

	"github.com/pomerium-console-oss/pomerium-console/app/ppl"
	"github.com/pomerium-console-oss/pomerium-console/app/rego"
)

// everyCriterion holds one PPL line per criterion the compiler knows.
var everyCriterion = map[string]string{
	"accept":                     "accept: true",
	"reject":                     "reject: true",
	"authenticated_user":         "authenticated_user: true",
	"cors_preflight":             "cors_preflight: true",
	"invalid_client_certificate": "invalid_client_certificate: true",
	"domain":                     "domain: {ends_with: example.com}",
	"email":                      "email: {in: [a@example.com, b@example.com]}",
	"user":                       "user: {not: u9}",
	"claim":                      "claim/org/team: {has: sre, exclude: interns}",
	"groups":                     "groups: {is: g1}",
	"http_method":                "http_method: GET",
	"http_path":                  "http_path: {contains: admin, not_in: [/admin/x]}",
	"source_ip":                  "source_ip: [10.0.0.0/8, '::1']",
	"client_certificate":         "client_certificate: {san_dns: {ends_with: .example.com}, spki_hash: 47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=}",
	"device":                     "device: {type: enclave_only, approved: true, is: c1}",
	"mcp_tool":                   "mcp_tool: {starts_with: read_}",
	"ssh_username":               "ssh_username: root",
	"ssh_username_matches_email": "ssh_username_matches_email: true",
	"ssh_username_matches_claim": "ssh_username_matches_claim: unix_user",
	"ssh_publickey":              "ssh_publickey: ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGZuyY5fC9Xuk4jsgC2iiLyRs0GuTKFIU2a9uNCqUeTN",
	"ssh_ca":                     "ssh_ca: ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGZuyY5fC9Xuk4jsgC2iiLyRs0GuTKFIU2a9uNCqUeTN",
	"date":                       "date: {after: 2026-01-01, before: 2027-01-01}",
	"day_of_week":                "day_of_week: {days: mon-fri, timezone: Europe/Berlin}",
	"time_of_day":                "time_of_day: {timezone: America/New_York, after: '9:00', before: '17:00'}",
	"record":                     "record: {type: example.com/hr, field: a.b, starts_with: x}",
}

// everyCriterionPolicy uses every criterion under every operator, in
// both actions.
func everyCriterionPolicy() string {
	names := rego.Criteria()
	var b strings.Builder
	for i, action := range []string{"allow", "deny"} {
		b.WriteString("- " + action + ":\n")
		for j, op := range []string{"and", "or", "not", "nor"} {
			b.WriteString("    " + op + ":\n")
			for k, name := range names {
				if (k+i+j)%2 == 0 {
					b.WriteString("      - " + everyCriterion[name] + "\n")
				}
			}
		}
	}
	return b.String()
}

func TestCriteriaMatchTheParser(t *testing.T) {
	t.Parallel()
	var parsed []string
	for _, c := range ppl.Criteria() {
		parsed = append(parsed, c.Name)
	}
	slices.Sort(parsed)
	if got := rego.Criteria(); !slices.Equal(got, parsed) {
		t.Errorf("compiler knows %v\nparser knows %v", got, parsed)
	}
	for _, name := range rego.Criteria() {
		if everyCriterion[name] == "" {
			t.Errorf("no test line for criterion %s", name)
		}
	}
}

// TestEveryCriterionChecks compiles each criterion alone and all of them
// together, under every operator and both actions; compile() runs Check.
func TestEveryCriterionChecks(t *testing.T) {
	t.Parallel()
	for name, line := range everyCriterion {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			for _, op := range []string{"and", "not"} {
				compile(t, "deny:\n  "+op+":\n    - "+line)
			}
		})
	}
	t.Run("all together", func(t *testing.T) {
		t.Parallel()
		module := compile(t, everyCriterionPolicy())
		for _, want := range []string{"\nallow := merge_with_or([and_0, or_0, not_0, nor_0])\n", "\ndeny := merge_with_or([and_1, or_1, not_1, nor_1])\n"} {
			if !strings.Contains(module, want) {
				t.Errorf("module lacks %q", want)
			}
		}
	})
}

func TestModuleShape(t *testing.T) {
	t.Parallel()
	module := compile(t, `
allow:
  and: [{email: a@example.com}, {email: b@example.com}]
  or: [{accept: true}]
deny:
  and: [{email: c@example.com}]
`)
	for _, want := range []string{
		"package pomerium.policy\n\nimport rego.v1\n\ndefault allow := [false, set()]\n\ndefault deny := [false, set()]\n",
		"\nallow := merge_with_or([and_0, or_0])\n",
		"\ndeny := merge_with_or([and_1])\n",
		"\nand_0 := merge_with_and([email_0, email_1])\n",
		"\nand_1 := merge_with_and([email_2])\n",
		"\nemail_2 := [true, {\"email-ok\"}] if {",
	} {
		if !strings.Contains(module, want) {
			t.Errorf("module lacks %q:\n%s", want, module)
		}
	}
	// Helper functions come last, after every rule that calls them.
	if strings.Index(module, "\nget_session(") < strings.Index(module, "\nemail_2 :=") {
		t.Errorf("helpers are not at the end:\n%s", module)
	}
}

// TestHelpersOnlyWhenNeeded checks each module carries the helpers its
// criteria call and no others.
func TestHelpersOnlyWhenNeeded(t *testing.T) {
	t.Parallel()
	all := []string{"session", "has_session", "user_email", "all_claims", "get_session", "get_user", "get_directory_user", "get_user_email", "get_device_credential",
		"get_device_enrollment", "object_get", "within_clock", "invert_criterion_result", "merge_with_and",
		"merge_with_or", "merge_results", "object_union"}
	merging := []string{"merge_with_or", "merge_results", "object_union"}
	tests := []struct {
		policy string
		want   []string
	}{
		{"allow: {or: [accept: true]}", merging},
		{"allow: {and: [http_path: /]}", append([]string{"merge_with_and"}, merging...)},
		{"allow: {nor: [http_path: /]}", append([]string{"invert_criterion_result"}, merging...)},
		{"allow: {or: [user: u1]}", append([]string{"session", "has_session", "get_session"}, merging...)},
		{"allow: {or: [email: a@b.c]}", append([]string{"session", "has_session", "user_email", "get_session", "get_user",
			"get_directory_user", "get_user_email"}, merging...)},
		{"allow: {or: [claim/x: y]}", append([]string{"session", "has_session", "all_claims", "get_session", "get_user", "object_get"}, merging...)},
		{"allow: {or: [device: {is: c1}]}", append([]string{"session", "has_session", "get_session", "get_device_credential",
			"get_device_enrollment"}, merging...)},
		{"allow: {or: [record: {type: t, field: f, is: x}]}", append([]string{"session", "has_session", "get_session", "object_get"}, merging...)},
		{"allow: {or: [time_of_day: {timezone: UTC, after: '9:00'}]}", append([]string{"within_clock"}, merging...)},
	}
	for _, tc := range tests {
		t.Run(tc.policy, func(t *testing.T) {
			t.Parallel()
			module := compile(t, tc.policy)
			for _, h := range all {
				has := false
				for _, head := range []string{"(", " :=", " if"} {
					has = has || strings.Contains(module, "\n"+h+head)
				}
				if want := slices.Contains(tc.want, h); has != want {
					t.Errorf("helper %s present = %v, want %v", h, has, want)
				}
			}
		})
	}
}

// TestFormatted checks compiled modules are laid out as `opa fmt` would,
// so a module shown to an admin reads like hand-written Rego.
func TestFormatted(t *testing.T) {
	t.Parallel()
	module := compile(t, everyCriterionPolicy())
	formatted, err := format.SourceWithOpts("pomerium.policy", []byte(module), format.Opts{RegoVersion: ast.RegoV1})
	if err != nil {
		t.Fatal(err)
	}
	if got := string(formatted); got != module {
		t.Errorf("module differs from opa fmt output:\n%s", firstDifference(module, got))
	}
}

func firstDifference(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := range min(len(al), len(bl)) {
		if al[i] != bl[i] {
			return "ours:    " + al[i] + "\nopa fmt: " + bl[i]
		}
	}
	return "lengths differ"
}

func TestDeterministic(t *testing.T) {
	t.Parallel()
	src := everyCriterionPolicy()
	if a, b := compile(t, src), compile(t, src); a != b {
		t.Error("two compilations differ")
	}
}

func TestCompileErrors(t *testing.T) {
	t.Parallel()
	crit := func(name string, data ppl.Data) *ppl.Policy {
		return &ppl.Policy{Rules: []ppl.Rule{{Action: ppl.Allow, Groups: []ppl.Group{
			{Operator: ppl.And, Criteria: []ppl.Criterion{{Name: name, Data: data}}}}}}}
	}
	ops := func(op string) ppl.StringMatcher { return ppl.StringMatcher{Ops: []ppl.StringOp{{Op: op, Value: "x"}}} }
	userKey := rego.Options{RecordKey: func(string) string { return "request.client_certificate.fingerprint" }}
	tests := []struct {
		name   string
		policy *ppl.Policy
		opts   rego.Options
		want   string
	}{
		{"nil policy", nil, rego.Options{}, "nil policy"},
		{"unknown criterion", crit("pomerium_routes", ppl.NoData{}), rego.Options{}, `unknown policy criterion "pomerium_routes"`},
		{"wrong data type", crit("email", ppl.ListMatcher{}), rego.Options{}, "data is ppl.ListMatcher, want ppl.StringMatcher"},
		{"unknown string operator", crit("email", ops("matches")), rego.Options{}, `unknown string operator "matches"`},
		{"unknown list operator", crit("groups", ppl.ListMatcher{Ops: []ppl.StringOp{{Op: "contains"}}}), rego.Options{}, `unknown list operator "contains"`},
		{"claim without path", crit("claim", ppl.ListMatcher{}), rego.Options{}, "claim needs a name"},
		{"empty source_ip", crit("source_ip", ppl.SourceIP{}), rego.Options{}, "no values"},
		{"invalid prefix", crit("source_ip", ppl.SourceIP{Prefixes: []netip.Prefix{{}}}), rego.Options{}, "invalid prefix"},
		{"empty date", crit("date", ppl.DateRange{}), rego.Options{}, "date needs after or before"},
		{"no days", crit("day_of_week", ppl.DayOfWeek{}), rego.Options{}, "allows no day"},
		{"unknown zone", crit("day_of_week", ppl.DayOfWeek{Days: [7]bool{true}, Zone: "Mars/Olympus"}), rego.Options{}, "unknown time zone"},
		{"record without field", crit("record", ppl.Record{Type: "t"}), rego.Options{}, "record needs a type and a field"},
		{"unsupported foreign key", crit("record", ppl.Record{Type: "t", Field: "f", Matcher: ops("is")}), userKey, "unsupported foreign key"},
		{"unknown action", &ppl.Policy{Rules: []ppl.Rule{{Action: "maybe"}}}, rego.Options{}, `unknown action "maybe"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := rego.Compile(tc.policy, tc.opts)
			if err == nil {
				t.Fatalf("Compile succeeded, want %q", tc.want)
			}
			if !errors.Is(err, rego.ErrCompile) {
				t.Errorf("error %v is not ErrCompile", err)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q lacks %q", err, tc.want)
			}
		})
	}
}

// TestCompileErrorsAreAllReported checks one call names every bad
// criterion with its place, not just the first.
func TestCompileErrorsAreAllReported(t *testing.T) {
	t.Parallel()
	p := &ppl.Policy{Rules: []ppl.Rule{
		{Action: ppl.Allow, Groups: []ppl.Group{{Operator: ppl.Or, Criteria: []ppl.Criterion{
			{Name: "accept", Data: ppl.NoData{}}, {Name: "nope", Data: ppl.NoData{}}}}}},
		{Action: ppl.Deny, Groups: []ppl.Group{{Operator: ppl.Not, Criteria: []ppl.Criterion{
			{Name: "email", Data: ppl.NoData{}}}}}},
	}}
	_, err := rego.Compile(p, rego.Options{})
	if err == nil {
		t.Fatal("Compile succeeded")
	}
	for _, want := range []*regexp.Regexp{
		regexp.MustCompile(`rule 0: allow\.or: \[1\] nope: unknown policy criterion`),
		regexp.MustCompile(`rule 1: deny\.not: \[0\] email: data is ppl\.NoData`),
	} {
		if !want.MatchString(err.Error()) {
			t.Errorf("error %q does not match %s", err, want)
		}
	}
}
