package policies_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/pomerium-console-oss/pomerium-console/app/policies"
	"github.com/pomerium-console-oss/pomerium-console/app/ppl"
)

// doc is a policy allowing when every one of criteria (flow YAML) holds.
func doc(criteria ...string) string {
	return "allow:\n  and:\n    - " + strings.Join(criteria, "\n    - ") + "\n"
}

// parse parses src, stopping t on a problem.
func parse(t *testing.T, src string) *ppl.Policy {
	t.Helper()
	p, err := ppl.Parse([]byte(src))
	if err != nil {
		t.Fatalf("parse %q: %v", src, err)
	}
	return p
}

// canonical is src as the formatter writes it, which is what the builder
// must produce for the same rules.
func canonical(t *testing.T, src string) string {
	t.Helper()
	out, err := ppl.Format(parse(t, src))
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

// apply runs a builder command, stopping t on an error or when the text
// it writes does not parse.
func apply(t *testing.T, rules []policies.BuilderRule, cmd string) (string, []policies.BuilderRule) {
	t.Helper()
	text, rows, err := policies.ApplyBuilder(rules, cmd)
	if err != nil {
		t.Fatalf("ApplyBuilder(%q): %v", cmd, err)
	}
	if text != "" {
		parse(t, text)
	}
	return text, rows
}

const fingerprint = "17859273e8a980631d367b2d5a6a6635412b0f22835f69e47b3f65624546a704"

// TestBuilderRoundTrip draws the rows of one criterion and writes them
// back unchanged: simple criteria as a matcher and value, the others
// carried whole.
func TestBuilderRoundTrip(t *testing.T) {
	t.Parallel()
	row := func(criterion, sub, matcher, value string) policies.BuilderRow {
		return policies.BuilderRow{Criterion: criterion, SubPath: sub, Matcher: matcher, Value: value, Was: criterion}
	}
	carried := func(criterion, raw string) policies.BuilderRow {
		name, sub, _ := strings.Cut(criterion, "/")
		return policies.BuilderRow{Criterion: name, SubPath: sub, Raw: raw, Was: name}
	}
	tests := []struct {
		name, criterion string
		want            policies.BuilderRow
	}{
		{"accept", "accept: true", row("accept", "", "", "")},
		{"reject", "reject: true", row("reject", "", "", "")},
		{"authenticated_user", "authenticated_user: true", row("authenticated_user", "", "", "")},
		{"cors_preflight", "cors_preflight: true", row("cors_preflight", "", "", "")},
		{"invalid_client_certificate", "invalid_client_certificate: true", row("invalid_client_certificate", "", "", "")},
		{"ssh_username_matches_email", "ssh_username_matches_email: true", row("ssh_username_matches_email", "", "", "")},
		{"email is", "email: {is: a@example.com}", row("email", "", "is", "a@example.com")},
		{"domain ends_with", "domain: {ends_with: example.com}", row("domain", "", "ends_with", "example.com")},
		{"user in", "user: {in: [u1, u2, u3]}", row("user", "", "in", "u1, u2, u3")},
		{"user not_in", "user: {not_in: [u1]}", row("user", "", "not_in", "u1")},
		{"http_method in", "http_method: {in: [GET, HEAD]}", row("http_method", "", "in", "GET, HEAD")},
		{"http_path starts_with", "http_path: {starts_with: /api/}", row("http_path", "", "starts_with", "/api/")},
		{"mcp_tool contains", "mcp_tool: {contains: read}", row("mcp_tool", "", "contains", "read")},
		{"ssh_username not", "ssh_username: {not: root}", row("ssh_username", "", "not", "root")},
		{"groups has", "groups: {has: admins}", row("groups", "", "has", "admins")},
		{"claim has", "claim/groups: {has: admins}", row("claim", "groups", "has", "admins")},
		{"claim is, nested path", "claim/org/team: {is: sre}", row("claim", "org/team", "is", "sre")},
		{"claim exclude", "claim/roles: {exclude: intern}", row("claim", "roles", "exclude", "intern")},
		{"source_ip, one CIDR", "source_ip: 10.0.0.0/8", row("source_ip", "", "", "10.0.0.0/8")},
		{"source_ip, a list", "source_ip: [10.0.0.0/8, 192.168.1.1]", row("source_ip", "", "", "10.0.0.0/8, 192.168.1.1")},
		{"ssh_username_matches_claim", "ssh_username_matches_claim: username", row("ssh_username_matches_claim", "", "", "username")},
		{"day_of_week, days only", "day_of_week: mon-fri", row("day_of_week", "", "", "mon-fri")},
		// Carried whole: edited in the text only.
		{"client_certificate", "client_certificate: {fingerprint: " + fingerprint + "}", carried("client_certificate", `{"fingerprint":"`+fingerprint+`"}`)},
		{"device", "device: {approved: true}", carried("device", `{"approved":true}`)},
		{"date", "date: {after: 2026-01-01}", carried("date", `{"after":"2026-01-01"}`)},
		{"time_of_day", "time_of_day: {timezone: Europe/Paris, after: \"9:00\", before: \"17:00\"}",
			carried("time_of_day", `{"after":"9:00","before":"17:00","timezone":"Europe/Paris"}`)},
		{"day_of_week with a zone", "day_of_week: {days: mon-fri, timezone: Asia/Tokyo}", carried("day_of_week", `{"days":"mon-fri","timezone":"Asia/Tokyo"}`)},
		{"record", "record: {type: example.com/employee, field: department, is: eng}",
			carried("record", `{"field":"department","is":"eng","type":"example.com/employee"}`)},
		{"several operators", "email: {starts_with: a, ends_with: '@example.com'}", carried("email", `{"ends_with":"@example.com","starts_with":"a"}`)},
		{"a boolean operand", "claim/admin: {has: true}", carried("claim/admin", `{"has":true}`)},
		{"a number operand", "claim/level: {is: 3}", carried("claim/level", `{"is":3}`)},
		{"a list item with a comma", "user: {in: ['a,b', c]}", carried("user", `{"in":["a,b","c"]}`)},
		{"a padded list item", "user: {in: [' a', b]}", carried("user", `{"in":[" a","b"]}`)},
		{"a list of one CIDR", "source_ip: [10.0.0.0/8]", carried("source_ip", `["10.0.0.0/8"]`)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			src := doc(tc.criterion)
			rules := policies.RowsOf(parse(t, src))
			want := []policies.BuilderRule{{Action: "allow", Groups: []policies.BuilderGroup{{Operator: "and", Rows: []policies.BuilderRow{tc.want}}}}}
			if !reflect.DeepEqual(rules, want) {
				t.Fatalf("RowsOf =\n%+v, want\n%+v", rules, want)
			}
			if got := tc.want.Complex(); got != (tc.want.Raw != "") {
				t.Errorf("Complex() = %v", got)
			}
			text, rows := apply(t, rules, "")
			if text != canonical(t, src) {
				t.Errorf("written back as\n%s\nwant\n%s", text, canonical(t, src))
			}
			if back := policies.RowsOf(parse(t, text)); !reflect.DeepEqual(back, want) || !reflect.DeepEqual(rows, want) {
				t.Errorf("after the round trip the text holds\n%+v, the builder\n%+v, want\n%+v", back, rows, want)
			}
		})
	}
}
