package ppl

import (
	"testing"
)

func TestStringMatcher(t *testing.T) {
	t.Parallel()
	ops := joined(StringOperators)
	runCritCases(t, []critCase{
		{name: "bare string is is", src: "email: a@example.com", want: strm(sop("is", "a@example.com"))},
		{name: "is", src: "email: {is: a@example.com}", want: strm(sop("is", "a@example.com"))},
		{name: "not", src: "email: {not: a@example.com}", want: strm(sop("not", "a@example.com"))},
		{name: "contains", src: "email: {contains: admin}", want: strm(sop("contains", "admin"))},
		{name: "contains empty", src: `email: {contains: ""}`, want: strm(sop("contains", ""))},
		{name: "starts_with", src: "email: {starts_with: admin}", want: strm(sop("starts_with", "admin"))},
		{name: "ends_with", src: `email: {ends_with: "@example.com"}`, want: strm(sop("ends_with", "@example.com"))},
		{name: "in", src: "email: {in: [a, b]}", want: strm(sopList("in", "a", "b"))},
		{name: "not_in", src: "email: {not_in: [a]}", want: strm(sopList("not_in", "a"))},
		{
			name: "all operators come out in canonical order",
			src:  "email: {not_in: [x], in: [y], ends_with: e, starts_with: s, contains: c, not: n, is: i}",
			want: strm(sop("is", "i"), sop("not", "n"), sop("contains", "c"), sop("starts_with", "s"),
				sop("ends_with", "e"), sopList("in", "y"), sopList("not_in", "x")),
		},
		{name: "bare integer is stringified, raw kept", src: "user: 12345",
			want: strm(StringOp{Op: "is", Value: "12345", Raw: float64(12345)})},
		{name: "bare boolean", src: "user: true", want: strm(StringOp{Op: "is", Value: "true", Raw: true})},
		{name: "fraction", src: "user: {is: 1.5}", want: strm(StringOp{Op: "is", Value: "1.5", Raw: 1.5})},
		{name: "in with mixed scalars", src: "user: {in: [a, 1, false]}",
			want: strm(StringOp{Op: "in", Values: []string{"a", "1", "false"}, Raw: []any{"a", float64(1), false}})},
		{name: "domain", src: "domain: example.com", want: strm(sop("is", "example.com"))},
		{name: "user", src: "user: {starts_with: svc-}", want: strm(sop("starts_with", "svc-"))},
		{name: "http_method", src: "http_method: {in: [GET, HEAD]}", want: strm(sopList("in", "GET", "HEAD"))},
		{name: "http_path", src: "http_path: {starts_with: /api/}", want: strm(sop("starts_with", "/api/"))},
		{name: "mcp_tool", src: "mcp_tool: {not: delete}", want: strm(sop("not", "delete"))},
		{name: "ssh_username", src: "ssh_username: {not_in: [root]}", want: strm(sopList("not_in", "root"))},

		{name: "unknown operator with suggestion", src: "email: {contain: x}",
			errs: []string{`email: unknown operator "contain"; did you mean "contains"?`}},
		{name: "unknown operator lists the accepted ones", src: "email: {matches: x}",
			errs: []string{`email: unknown operator "matches"; expected one of ` + ops}},
		{name: "list operator on a string criterion", src: "email: {has: x}",
			errs: []string{`email: unknown operator "has"; expected one of ` + ops}},
		{name: "empty object", src: "email: {}",
			errs: []string{"email: expected at least one operator: " + ops}},
		{name: "null", src: "email: null",
			errs: []string{"email: expected a string or an object of operators (" + ops + "), got null"}},
		{name: "bare list", src: "email: [a, b]",
			errs: []string{"email: expected a string or an object of operators (" + ops + "), got a list"}},
		{name: "is with a list", src: "email: {is: [a]}", errs: []string{"email.is: expected a string, got a list"}},
		{name: "is with null", src: "email: {is: null}", errs: []string{"email.is: expected a string, got null"}},
		{name: "ends_with with an object", src: "email: {ends_with: {a: b}}", errs: []string{"email.ends_with: expected a string, got an object"}},
		{name: "in with a scalar", src: "email: {in: a}", errs: []string{`email.in: expected a list of strings, got a string ("a")`}},
		{name: "in empty", src: "email: {in: []}", errs: []string{"email.in: expected at least one value"}},
		{name: "not_in with an object", src: "email: {not_in: {a: 1}}", errs: []string{"email.not_in: expected a list of strings, got an object"}},
		{name: "in with bad elements", src: "email: {in: [a, [b], null]}", errs: []string{
			"email.in[1]: expected a string, got a list",
			"email.in[2]: expected a string, got null",
		}},
		{name: "every problem of one matcher, in order", src: "email: {contain: x, is: [1], in: 3}", errs: []string{
			`email: unknown operator "contain"; did you mean "contains"?`,
			"email.is: expected a string, got a list",
			"email.in: expected a list of strings, got a number (3)",
		}},
		{name: "sub path refused", src: "email/x: a", errs: []string{`email/x: email takes no sub path; remove "/x"`}},
	})
}

func TestListMatcher(t *testing.T) {
	t.Parallel()
	ops := joined(ListOperators)
	runCritCases(t, []critCase{
		{name: "bare string is has", src: "groups: admins", want: listm(sop("has", "admins"))},
		{name: "has", src: "groups: {has: admins}", want: listm(sop("has", "admins"))},
		{name: "is", src: "groups: {is: admins}", want: listm(sop("is", "admins"))},
		{name: "exclude", src: "groups: {exclude: interns}", want: listm(sop("exclude", "interns"))},
		{name: "canonical order", src: "groups: {exclude: c, is: b, has: a}",
			want: listm(sop("has", "a"), sop("is", "b"), sop("exclude", "c"))},
		{name: "claim", src: "claim/groups: ops", want: listm(sop("has", "ops"))},
		{name: "claim with nested path", src: "claim/org/team: {is: sre}", want: listm(sop("is", "sre"))},
		{name: "boolean claim keeps its type", src: "claim/email_verified: true",
			want: listm(StringOp{Op: "has", Value: "true", Raw: true})},

		{name: "string operator on a list criterion", src: "groups: {in: [a]}",
			errs: []string{`groups: unknown operator "in"; expected one of ` + ops}},
		{name: "unknown operator", src: "groups: {contains: a}",
			errs: []string{`groups: unknown operator "contains"; expected one of ` + ops}},
		{name: "has with a list", src: "groups: {has: [a, b]}", errs: []string{"groups.has: expected a string, got a list"}},
		{name: "empty object", src: "groups: {}", errs: []string{"groups: expected at least one operator: " + ops}},
		{name: "bare list", src: "groups: [a]",
			errs: []string{"groups: expected a string or an object of operators (" + ops + "), got a list"}},
		{name: "claim without a path", src: "claim: a", errs: []string{"claim: claim needs a sub path, e.g. claim/groups"}},
		{name: "claim with an empty path", src: "claim/: a", errs: []string{"claim/: claim needs a sub path, e.g. claim/groups"}},
		{name: "claim path with an empty segment", src: "claim/a//b: x", errs: []string{`claim/a//b: the sub path "a//b" has an empty segment`}},
		{name: "groups takes no sub path", src: "groups/x: a", errs: []string{`groups/x: groups takes no sub path; remove "/x"`}},
	})
}

func TestNoDataCriteria(t *testing.T) {
	t.Parallel()
	var cases []critCase
	for _, name := range []string{"accept", "reject", "authenticated_user", "cors_preflight", "invalid_client_certificate", "ssh_username_matches_email"} {
		cases = append(cases,
			critCase{name: name + " true", src: name + ": true", want: NoData{}},
			critCase{name: name + " null", src: name + ": null", want: NoData{}},
			critCase{name: name + " ignores any value", src: name + ": {x: [1]}", want: NoData{}},
			critCase{name: name + " sub path", src: name + "/x: true", errs: []string{name + `/x: ` + name + ` takes no sub path; remove "/x"`}},
		)
	}
	runCritCases(t, cases)
}

func TestClaimName(t *testing.T) {
	t.Parallel()
	runCritCases(t, []critCase{
		{name: "name", src: "ssh_username_matches_claim: unix_user", want: ClaimName("unix_user")},
		{name: "number", src: "ssh_username_matches_claim: 5",
			errs: []string{"ssh_username_matches_claim: expected a claim name, got a number (5)"}},
		{name: "empty", src: `ssh_username_matches_claim: ""`,
			errs: []string{"ssh_username_matches_claim: expected a claim name, got an empty string"}},
		{name: "list", src: "ssh_username_matches_claim: [a]",
			errs: []string{"ssh_username_matches_claim: expected a claim name, got a list"}},
	})
}

func TestRecord(t *testing.T) {
	t.Parallel()
	keys := "type, field, " + joined(StringOperators)
	runCritCases(t, []critCase{
		{name: "one operator", src: `record: {type: example.com/devices, field: owner.email, ends_with: "@example.com"}`,
			want: Record{Type: "example.com/devices", Field: "owner.email", Matcher: strm(sop("ends_with", "@example.com"))}},
		{name: "operators in canonical order", src: "record: {in: [a, b], field: tier, type: t, not: c}",
			want: Record{Type: "t", Field: "tier", Matcher: strm(sop("not", "c"), sopList("in", "a", "b"))}},
		{name: "number operand", src: "record: {type: t, field: level, is: 3}",
			want: Record{Type: "t", Field: "level", Matcher: strm(StringOp{Op: "is", Value: "3", Raw: float64(3)})}},

		{name: "not an object", src: "record: t", errs: []string{`record: expected an object with type, field and an operator, got a string ("t")`}},
		{name: "missing type and field", src: "record: {is: a}", errs: []string{
			"record: type is required (the record type, e.g. example.com/devices)",
			"record: field is required (a dotted path in the record)",
		}},
		{name: "no operator", src: "record: {type: t, field: f}", errs: []string{"record: expected at least one operator: " + joined(StringOperators)}},
		{name: "unknown key with suggestion", src: "record: {type: t, fild: f, is: a}", errs: []string{
			`record: unknown key "fild"; did you mean "field"?`,
			"record: field is required (a dotted path in the record)",
		}},
		{name: "unknown key", src: "record: {type: t, field: f, matches: a}", errs: []string{
			`record: unknown key "matches"; expected one of ` + keys,
		}},
		{name: "empty type", src: `record: {type: "", field: f, is: a}`, errs: []string{
			"record.type: expected a record type such as example.com/devices, got an empty string",
		}},
		{name: "field with an empty segment", src: "record: {type: t, field: a..b, is: a}", errs: []string{
			`record.field: the field path "a..b" has an empty segment`,
		}},
		{name: "field not a string", src: "record: {type: t, field: [a], is: a}", errs: []string{
			"record.field: expected a field path such as owner.email, got a list",
		}},
		{name: "bad operand", src: "record: {type: t, field: f, in: a}", errs: []string{
			`record.in: expected a list of strings, got a string ("a")`,
		}},
	})
}
