package policies_test

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/pomerium-console-oss/pomerium-console/app/policies"
)

// errForOPA is what an injected compiler says of a module OPA refuses.
var errForOPA = errors.New("1 error occurred: policy.rego:7: rego_type_error: undefined function get_databroker_record")

// twoRows is the policy most command cases start from.
var twoRows = doc("email: {is: a@example.com}", "domain: {is: example.com}")

func TestBuilderCommands(t *testing.T) {
	t.Parallel()
	twoRules := "- allow: {and: [{email: {is: a@example.com}}]}\n- deny: {or: [{source_ip: 10.0.0.0/8}]}\n"
	tests := []struct {
		name, src, cmd string
		want           string // the policy the text must be; "" for none
	}{
		{"a plain field change", twoRows, "", twoRows},
		{"add a criterion", twoRows, "add-row:0:0", doc("email: {is: a@example.com}", "domain: {is: example.com}", `email: {is: ""}`)},
		{"remove the first criterion", twoRows, "remove-row:0:0:0", doc("domain: {is: example.com}")},
		{"remove the last criterion", twoRows, "remove-row:0:0:1", doc("email: {is: a@example.com}")},
		{"remove a group's only criterion", doc("accept: true"), "remove-row:0:0:0", "allow: {}\n"},
		{"add a group: or comes after and", twoRows, "add-group:0",
			"allow: {and: [{email: {is: a@example.com}}, {domain: {is: example.com}}], or: [{email: {is: ''}}]}\n"},
		{"add a group: the next free operator", "allow: {and: [{accept: true}], or: [{accept: true}]}\n", "add-group:0",
			"allow: {and: [{accept: true}], or: [{accept: true}], not: [{email: {is: ''}}]}\n"},
		{"add a group: a free operator before a used one", "allow: {or: [{accept: true}], not: [{reject: true}]}\n", "add-group:0",
			"allow: {and: [{email: {is: ''}}], or: [{accept: true}], not: [{reject: true}]}\n"},
		{"add a group: the last free operator", "allow: {and: [{accept: true}], or: [{accept: true}], not: [{reject: true}]}\n", "add-group:0",
			"allow: {and: [{accept: true}], or: [{accept: true}], not: [{reject: true}], nor: [{email: {is: ''}}]}\n"},
		{"remove a group", "allow: {and: [{accept: true}], or: [{email: {is: a@example.com}}]}\n", "remove-group:0:0",
			"allow: {or: [{email: {is: a@example.com}}]}\n"},
		{"remove the only group", twoRows, "remove-group:0:0", "allow: {}\n"},
		{"add a rule: the policy becomes a list", twoRows, "add-rule",
			"- allow: {and: [{email: {is: a@example.com}}, {domain: {is: example.com}}]}\n- allow: {and: [{email: {is: ''}}]}\n"},
		{"remove a rule: back to one", twoRules, "remove-rule:0", "deny: {or: [{source_ip: 10.0.0.0/8}]}\n"},
		{"remove the second rule", twoRules, "remove-rule:1", "allow: {and: [{email: {is: a@example.com}}]}\n"},
		{"edit the second rule", twoRules, "add-row:1:0", "- allow: {and: [{email: {is: a@example.com}}]}\n- deny: {or: [{source_ip: 10.0.0.0/8}, {email: {is: ''}}]}\n"},
		{"remove the only rule", twoRows, "remove-rule:0", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			rules := policies.RowsOf(parse(t, tc.src))
			text, rows := apply(t, rules, tc.cmd)
			// Compared as the formatter writes them: the builder appends a
			// group, which the parser then orders as Core does.
			got, want := text, tc.want
			if got != "" {
				got = canonical(t, got)
			}
			if want != "" {
				want = canonical(t, want)
			}
			if got != want {
				t.Fatalf("text =\n%s\nwant\n%s", text, want)
			}
			if tc.want == "" && len(rows) != 0 {
				t.Errorf("rows = %+v, want none", rows)
			}
		})
	}
}

// TestBuilderCommandsDoNotChangeTheirInput checks a command works on a
// copy: the rows a request read stay as they were.
func TestBuilderCommandsDoNotChangeTheirInput(t *testing.T) {
	t.Parallel()
	for _, cmd := range []string{"add-row:0:0", "remove-row:0:0:0", "add-group:0", "remove-group:0:0", "add-rule", "remove-rule:0"} {
		t.Run(cmd, func(t *testing.T) {
			t.Parallel()
			rules := policies.RowsOf(parse(t, twoRows))
			kept := policies.RowsOf(parse(t, twoRows))
			apply(t, rules, cmd)
			if !reflect.DeepEqual(rules, kept) {
				t.Fatalf("%s changed its input to %+v", cmd, rules)
			}
		})
	}
}

// TestBuilderRefusesAFifthGroup: a rule holds one group per operator, as
// a second would repeat its YAML key.
func TestBuilderRefusesAFifthGroup(t *testing.T) {
	t.Parallel()
	rules := policies.RowsOf(parse(t, "allow: {and: [{accept: true}], or: [{accept: true}], not: [{reject: true}], nor: [{reject: true}]}\n"))
	text, rows, err := policies.ApplyBuilder(rules, "add-group:0")
	if err == nil || !strings.Contains(err.Error(), "already has a group of every operator") || text != "" || rows != nil {
		t.Fatalf("ApplyBuilder = %q, %+v, %v; want a refusal", text, rows, err)
	}
}

func TestBuilderRefusesBadCommands(t *testing.T) {
	t.Parallel()
	for _, cmd := range []string{
		"add-row:1:0", "add-row:0:1", "add-row:0", "add-row:0:0:0", "add-row:-1:0", "add-row:x:0", "add-row:0:",
		"remove-row:0:0:2", "remove-row:0:0", "remove-row:0:1:0",
		"add-group", "add-group:1", "remove-group:0:1", "remove-group:0",
		"remove-rule:1", "remove-rule", "remove-rule:0:0", "add-rule:x", "frobnicate", "add-row:99999999999999999999:0",
	} {
		t.Run(cmd, func(t *testing.T) {
			t.Parallel()
			text, rows, err := policies.ApplyBuilder(policies.RowsOf(parse(t, twoRows)), cmd)
			if err == nil || !strings.Contains(err.Error(), `"`+cmd+`"`) {
				t.Fatalf("ApplyBuilder(%q) = %q, %v; want an error naming the command", cmd, text, err)
			}
			if text != "" || rows != nil {
				t.Errorf("a refused command returned %q, %+v", text, rows)
			}
		})
	}
}

// TestBuilderCriterionChange edits rows as the form posts them: a row
// whose criterion changed (Was differs) starts from that criterion's
// defaults, others keep their matcher and value.
func TestBuilderCriterionChange(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		row  policies.BuilderRow
		want string // the criterion as the text must hold it
	}{
		{"same criterion keeps matcher and value",
			policies.BuilderRow{Criterion: "email", Was: "email", Matcher: "ends_with", Value: "@example.com"}, "email: {ends_with: '@example.com'}"},
		{"a new value", policies.BuilderRow{Criterion: "user", Was: "user", Matcher: "in", Value: " u1,u2 , ,u3 "}, "user: {in: [u1, u2, u3]}"},
		{"another string criterion starts from its first matcher",
			policies.BuilderRow{Criterion: "domain", Was: "email", Matcher: "ends_with", Value: "@example.com"}, "domain: {is: ''}"},
		{"a list criterion starts from has",
			policies.BuilderRow{Criterion: "groups", Was: "email", Matcher: "starts_with", Value: "x"}, "groups: {has: ''}"},
		{"a criterion without value",
			policies.BuilderRow{Criterion: "authenticated_user", Was: "email", Matcher: "is", Value: "x"}, "authenticated_user: true"},
		{"a complex criterion starts from its template",
			policies.BuilderRow{Criterion: "time_of_day", Was: "email", Matcher: "is", Value: "x"}, "time_of_day: {timezone: UTC, after: '9:00', before: '17:00'}"},
		{"device starts approved", policies.BuilderRow{Criterion: "device", Was: "email"}, "device: {approved: true}"},
		{"date starts from a date", policies.BuilderRow{Criterion: "date", Was: "email"}, "date: {after: '2026-01-01'}"},
		{"a carried criterion becomes a simple one",
			policies.BuilderRow{Criterion: "email", Was: "device", Raw: `{"approved":true}`}, "email: {is: ''}"},
		{"a claim keeps its path",
			policies.BuilderRow{Criterion: "claim", SubPath: "groups", Was: "claim", Matcher: "has", Value: "admins"}, "claim/groups: {has: admins}"},
		{"leaving claim drops the path",
			policies.BuilderRow{Criterion: "user", SubPath: "groups", Was: "claim", Matcher: "has", Value: "admins"}, "user: {is: ''}"},
		{"an unknown matcher becomes the first one",
			policies.BuilderRow{Criterion: "email", Was: "email", Matcher: "frob", Value: "a@example.com"}, "email: {is: a@example.com}"},
		{"a matcher of another kind becomes the first one",
			policies.BuilderRow{Criterion: "groups", Was: "groups", Matcher: "starts_with", Value: "admins"}, "groups: {has: admins}"},
		{"several CIDRs", policies.BuilderRow{Criterion: "source_ip", Was: "source_ip", Value: "10.0.0.0/8, ::1"}, "source_ip: [10.0.0.0/8, '::1']"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			rules := []policies.BuilderRule{{Action: "deny", Groups: []policies.BuilderGroup{{Operator: "or", Rows: []policies.BuilderRow{
				{Criterion: "accept", Was: "accept"}, tc.row,
			}}}}}
			text, rows := apply(t, rules, "")
			if want := canonical(t, "deny: {or: [{accept: true}, {"+tc.want+"}]}\n"); text != want {
				t.Fatalf("text =\n%s\nwant\n%s", text, want)
			}
			if got := rows[0].Groups[0].Rows[1].Was; got != tc.row.Criterion {
				t.Errorf("Was = %q after the edit, want %q", got, tc.row.Criterion)
			}
		})
	}
}

// TestBuilderCarriesComplexRows edits the simple rows of a policy that
// also holds complex ones: those come back exactly as written.
func TestBuilderCarriesComplexRows(t *testing.T) {
	t.Parallel()
	complexOnes := []string{
		"client_certificate: {fingerprint: " + fingerprint + "}",
		"time_of_day: {timezone: Europe/Paris, after: '9:00', before: '17:00'}",
		"record: {type: example.com/employee, field: department, in: [eng, ops]}",
		"email: {starts_with: a, ends_with: '@example.com'}",
		"claim/admin: {has: true}",
	}
	src := "- allow:\n    and:\n      - " + strings.Join(complexOnes[:3], "\n      - ") + "\n      - email: {is: a@example.com}\n" +
		"- deny:\n    or:\n      - " + strings.Join(complexOnes[3:], "\n      - ") + "\n      - user: {is: bob}\n"
	tests := []struct {
		name, cmd string
		edit      func(rules []policies.BuilderRule)
		want      string
	}{
		{"add a criterion next to them", "add-row:0:0", nil,
			"- allow:\n    and:\n      - " + strings.Join(complexOnes[:3], "\n      - ") + "\n      - email: {is: a@example.com}\n      - email: {is: ''}\n" +
				"- deny:\n    or:\n      - " + strings.Join(complexOnes[3:], "\n      - ") + "\n      - user: {is: bob}\n"},
		{"remove a simple criterion", "remove-row:1:0:2", nil,
			"- allow:\n    and:\n      - " + strings.Join(complexOnes[:3], "\n      - ") + "\n      - email: {is: a@example.com}\n" +
				"- deny:\n    or:\n      - " + strings.Join(complexOnes[3:], "\n      - ") + "\n"},
		{"change a simple value", "", func(rules []policies.BuilderRule) { rules[1].Groups[0].Rows[2].Value = "alice" },
			"- allow:\n    and:\n      - " + strings.Join(complexOnes[:3], "\n      - ") + "\n      - email: {is: a@example.com}\n" +
				"- deny:\n    or:\n      - " + strings.Join(complexOnes[3:], "\n      - ") + "\n      - user: {is: alice}\n"},
		{"change the action and operator", "", func(rules []policies.BuilderRule) { rules[0].Action, rules[1].Groups[0].Operator = "deny", "nor" },
			"- deny:\n    and:\n      - " + strings.Join(complexOnes[:3], "\n      - ") + "\n      - email: {is: a@example.com}\n" +
				"- deny:\n    nor:\n      - " + strings.Join(complexOnes[3:], "\n      - ") + "\n      - user: {is: bob}\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			rules := policies.RowsOf(parse(t, src))
			for i, r := range append(rules[0].Groups[0].Rows[:3:3], rules[1].Groups[0].Rows[:2]...) {
				if !r.Complex() {
					t.Fatalf("%s is drawn as a simple row: %+v", complexOnes[i], r)
				}
			}
			if tc.edit != nil {
				tc.edit(rules)
			}
			if text, _ := apply(t, rules, tc.cmd); text != canonical(t, tc.want) {
				t.Fatalf("text =\n%s\nwant\n%s", text, canonical(t, tc.want))
			}
		})
	}
}

func TestEdit(t *testing.T) {
	t.Parallel()
	svc := policies.NewService(nil, nil, policies.CompilePPL)
	tests := []struct {
		name     string
		src      string
		parsed   bool
		problems []string
		rego     bool
	}{
		{"a policy", allowEngineers, true, nil, true},
		{"problems with their paths", badPPL, false, []string{
			`allow.and[0].email: unknown operator "contain"; did you mean "contains"?`,
			`deny.and[0].source_ip: "10.0.0.300/8" is not an IP or CIDR`,
		}, false},
		{"not YAML", "allow: [", false, []string{`line 1, column 8: sequence end token ']' not found`}, false},
		{"too long to look at", strings.Repeat("#", policies.MaxPPLLength+1), false,
			[]string{"the policy must be at most 262144 bytes (got 262145)"}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ed := svc.Edit(tc.src)
			if ed.Parsed != tc.parsed || !reflect.DeepEqual(ed.Problems, tc.problems) || (ed.Rego != "") != tc.rego {
				t.Fatalf("Edit = parsed %v, problems %q, rego %d bytes; want %v, %q, rego %v", ed.Parsed, ed.Problems, len(ed.Rego), tc.parsed, tc.problems, tc.rego)
			}
			if tc.rego && ed.Rego != compiled(t, tc.src) {
				t.Error("Edit shows another Rego than the one saved")
			}
			if tc.parsed != (ed.Rules != nil) || (tc.parsed && !reflect.DeepEqual(ed.Rules, policies.RowsOf(parse(t, tc.src)))) {
				t.Errorf("Rules = %+v", ed.Rules)
			}
		})
	}
	t.Run("a module OPA refuses", func(t *testing.T) {
		t.Parallel()
		refusing := policies.NewService(nil, nil, func(string) (string, error) { return "", errForOPA })
		ed := refusing.Edit(allowEngineers)
		if !ed.Parsed || ed.Rego != "" || !reflect.DeepEqual(ed.Problems, []string{"the compiled Rego was refused by OPA: " + errForOPA.Error()}) {
			t.Fatalf("Edit = %+v", ed)
		}
	})
}
