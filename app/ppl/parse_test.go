package ppl

import (
	"reflect"
	"strings"
	"testing"
)

// emailIs is the criterion `email: <v>`; accept is `accept: true`.
func emailIs(v string) Criterion {
	return Criterion{Name: "email", Raw: v, Data: strm(sop("is", v))}
}

func accept() Criterion { return Criterion{Name: "accept", Raw: true, Data: NoData{}} }

func TestParseStructure(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		src  string
		want *Policy
	}{
		{
			name: "one rule object",
			src:  "allow:\n  and:\n    - email: a\n",
			want: &Policy{Rules: []Rule{{Action: Allow, Groups: []Group{{Operator: And, Criteria: []Criterion{emailIs("a")}}}}}},
		},
		{
			name: "both actions give two rules, allow first",
			src:  "deny:\n  or:\n    - email: d\nallow:\n  or:\n    - email: a\n",
			want: &Policy{Rules: []Rule{
				{Action: Allow, Groups: []Group{{Operator: Or, Criteria: []Criterion{emailIs("a")}}}},
				{Action: Deny, Groups: []Group{{Operator: Or, Criteria: []Criterion{emailIs("d")}}}},
			}},
		},
		{
			name: "groups in Core's order whatever the document's",
			src:  "allow:\n  nor: [{email: n}]\n  not: [{email: t}]\n  or: [{email: o}]\n  and: [{email: a}]\n",
			want: &Policy{Rules: []Rule{{Action: Allow, Groups: []Group{
				{Operator: And, Criteria: []Criterion{emailIs("a")}},
				{Operator: Or, Criteria: []Criterion{emailIs("o")}},
				{Operator: Not, Criteria: []Criterion{emailIs("t")}},
				{Operator: Nor, Criteria: []Criterion{emailIs("n")}},
			}}}},
		},
		{
			name: "criteria keep their order",
			src:  "allow:\n  or: [{email: b}, {accept: true}, {email: a}]\n",
			want: &Policy{Rules: []Rule{{Action: Allow, Groups: []Group{{Operator: Or, Criteria: []Criterion{emailIs("b"), accept(), emailIs("a")}}}}}},
		},
		{
			name: "empty groups are dropped",
			src:  "allow:\n  and: []\n  or: [{accept: true}]\n",
			want: &Policy{Rules: []Rule{{Action: Allow, Groups: []Group{{Operator: Or, Criteria: []Criterion{accept()}}}}}},
		},
		{
			name: "a rule without criteria is kept",
			src:  "allow: {}\n",
			want: &Policy{Rules: []Rule{{Action: Allow}}},
		},
		{
			name: "action key naming the same action",
			src:  "deny:\n  action: deny\n  or: [{accept: true}]\n",
			want: &Policy{Rules: []Rule{{Action: Deny, Groups: []Group{{Operator: Or, Criteria: []Criterion{accept()}}}}}},
		},
		{
			name: "list document",
			src:  "- allow:\n    or: [{email: a}]\n- deny:\n    and: [{accept: true}]\n  allow: {}\n",
			want: &Policy{List: true, Rules: []Rule{
				{Action: Allow, Groups: []Group{{Operator: Or, Criteria: []Criterion{emailIs("a")}}}},
				{Action: Allow},
				{Action: Deny, Groups: []Group{{Operator: And, Criteria: []Criterion{accept()}}}},
			}},
		},
		{
			name: "JSON",
			src:  `{"allow": {"or": [{"email": "a"}, {"accept": true}]}}`,
			want: &Policy{Rules: []Rule{{Action: Allow, Groups: []Group{{Operator: Or, Criteria: []Criterion{emailIs("a"), accept()}}}}}},
		},
		{
			name: "JSON list",
			src:  `[{"deny": {"and": [{"email": "a"}]}}]`,
			want: &Policy{List: true, Rules: []Rule{{Action: Deny, Groups: []Group{{Operator: And, Criteria: []Criterion{emailIs("a")}}}}}},
		},
		{
			name: "anchors and aliases",
			src:  "- allow: &body\n    or: [{email: a}]\n- deny: *body\n",
			want: &Policy{List: true, Rules: []Rule{
				{Action: Allow, Groups: []Group{{Operator: Or, Criteria: []Criterion{emailIs("a")}}}},
				{Action: Deny, Groups: []Group{{Operator: Or, Criteria: []Criterion{emailIs("a")}}}},
			}},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := Parse([]byte(tc.src))
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("\n got %#v\nwant %#v", got, tc.want)
			}
			assertRoundTrip(t, got)
		})
	}
}

func TestParseRaw(t *testing.T) {
	t.Parallel()
	p, err := Parse([]byte("allow:\n  or:\n    - claim/org/team: {has: 1, exclude: b}\n    - accept: null\n"))
	if err != nil {
		t.Fatal(err)
	}
	crits := p.Rules[0].Groups[0].Criteria
	if want := map[string]any{"has": float64(1), "exclude": "b"}; !reflect.DeepEqual(crits[0].Raw, want) {
		t.Errorf("Raw = %#v, want %#v", crits[0].Raw, want)
	}
	if crits[0].Name != "claim" || crits[0].SubPath != "org/team" {
		t.Errorf("name, sub path = %q, %q", crits[0].Name, crits[0].SubPath)
	}
	if crits[1].Raw != nil {
		t.Errorf("Raw of accept: null = %#v, want nil", crits[1].Raw)
	}
}

func TestParseErrors(t *testing.T) {
	t.Parallel()
	bomb := "a: &a [x,x,x,x,x,x,x,x,x,x]\n"
	for _, n := range []string{"b", "c", "d", "e", "f", "g"} {
		prev := string(rune(n[0] - 1))
		bomb += n + ": &" + n + " [*" + prev + ",*" + prev + ",*" + prev + ",*" + prev + ",*" + prev + ",*" + prev + ",*" + prev + ",*" + prev + ",*" + prev + ",*" + prev + "]\n"
	}
	tests := []struct {
		name string
		src  string
		errs []string
	}{
		{"empty", "", []string{"the policy is empty"}},
		{"blank", "  \n\n", []string{"the policy is empty"}},
		{"comments only", "# nothing\n", []string{"the policy is empty"}},
		{"null", "null\n", []string{"the policy is empty"}},
		{"empty object", "{}", []string{"the policy has no allow or deny rule"}},
		{"empty list", "[]", []string{"the policy has no allow or deny rule"}},
		{"scalar", "allow", []string{`expected a rule object or a list of them, got a string ("allow")`}},
		{"YAML syntax error", "allow:\n  and:\n    - email: a\n  or: b: c\n", []string{"line 4, column 7: mapping value is not allowed in this context"}},
		{"bad indentation", "allow:\n  and:\n  - a\n - b\n", []string{"line 4, column 2: value is not allowed in this context"}},
		{"tab indentation", "allow:\n\tand: []\n", []string{"line 2, column 1: found character '\t' that cannot start any token"}},
		{"unknown alias", "allow: *body\n", []string{"unknown anchor 'body' referenced"}},
		{"JSON syntax error", `{"allow": {"and": [}}`, []string{"line 1, column 20: could not find '{' character corresponding to '}'"}},
		{"duplicate key", "allow:\n  or: []\n  or: []\n", []string{`allow: duplicate key "or" on line 3 (first on line 2)`}},
		{"duplicate keys everywhere", "allow: {or: [{email: {is: a, is: b}}]}\nallow: {}\n", []string{
			`allow.or[0].email: duplicate key "is" on line 1 (first on line 1)`,
			`duplicate key "allow" on line 2 (first on line 1)`,
		}},
		{"composite key", "? [a]\n: b\n", []string{"a key must be a string, got a sequence"}},
		{"two documents", "allow: {}\n---\ndeny: {}\n", []string{"the policy holds more than one YAML document; remove the extra ---"}},
		{"bad second document", "allow: {}\n---\n[1,\n", []string{"line 3, column 1: sequence end token ']' not found"}},
		{"invalid UTF-8", "allow: {or: [{email: \xff}]}", []string{"the policy is not valid UTF-8"}},
		{"NaN", "allow: {or: [{accept: .nan}]}", []string{"allow.or[0].accept: .nan is not a JSON number"}},
		{"infinity", "allow: {or: [{accept: [-.inf]}]}", []string{"allow.or[0].accept[0]: -.inf is not a JSON number"}},
		{"binary", "allow: {or: [{accept: !!binary aGk=}]}", []string{"allow.or[0].accept: unsupported YAML tag !!binary; use a string, number, boolean, list or object"}},
		{"custom tag", "allow: {or: [{accept: !secret x}]}", []string{"allow.or[0].accept: unsupported YAML tag !secret; use a string, number, boolean, list or object"}},
		{"bad explicit int", "allow: {or: [{accept: !!int x}]}", []string{`allow.or[0].accept: "x" is not a valid int`}},
		{"alias bomb", bomb, []string{"the policy is too large: more than 100000 values"}},
		{"unknown action, suggested", "alow: {}", []string{`unknown action "alow"; did you mean "allow"?`}},
		{"unknown action", "permit: {}", []string{`unknown action "permit"; expected one of allow, deny`}},
		{"body not an object", "allow: [{email: a}]", []string{"allow: expected an object with and, or, not or nor, got a list"}},
		{"body null", "allow:\n", []string{"allow: expected an object with and, or, not or nor, got null"}},
		{"unknown operator, suggested", "allow: {adn: []}", []string{`allow: unknown operator "adn"; did you mean "and"?`}},
		{"unknown operator", "allow: {all: []}", []string{`allow: unknown operator "all"; expected one of and, or, not, nor`}},
		{"group not a list", "allow: {and: {email: a}}", []string{"allow.and: expected a list of criteria, got an object"}},
		{"group null", "allow: {or: }", []string{"allow.or: expected a list of criteria, got null"}},
		{"criterion not an object", "allow: {or: [email]}", []string{`allow.or[0]: expected a criterion object like {email: {is: ...}}, got a string ("email")`}},
		{"criterion with no key", "allow: {or: [{}]}", []string{"allow.or[0]: a criterion needs exactly one key, got none"}},
		{"criterion with two keys", "allow: {or: [{email: a, user: b}]}", []string{`allow.or[0]: a criterion needs exactly one key, got 2 ("email", "user"); put each in its own list item`}},
		{"unknown criterion, suggested", "allow: {or: [{emial: a}]}", []string{`allow.or[0].emial: unknown criterion "emial"; did you mean "email"?`}},
		{"unknown criterion", "allow: {or: [{pomerium_routes: true}]}", []string{`allow.or[0].pomerium_routes: unknown criterion "pomerium_routes"`}},
		{"unknown criterion with sub path", "allow: {or: [{claims/groups: a}]}", []string{`allow.or[0].claims/groups: unknown criterion "claims"; did you mean "claim"?`}},
		{"action mismatch", "allow: {action: deny}", []string{`allow.action: expected "allow" (the rule's action), got a string ("deny")`}},
		{"action not a string", "deny: {action: [deny]}", []string{`deny.action: expected "deny" (the rule's action), got a list`}},
		{"list item not an object", "- allow: {}\n- 5\n", []string{"[1]: expected a rule object like {allow: {and: [...]}}, got a number (5)"}},
		{"list paths", "- allow: {}\n- deny:\n    and: [{source_ip: 10.0.0.300/8}]\n", []string{`[1].deny.and[0].source_ip: "10.0.0.300/8" is not an IP or CIDR`}},
		{
			name: "every problem, in document order",
			src: `- allow:
    or:
      - email: {contain: x}
      - emial: a
      - email: ok
    and: oops
- bogus: {}
  deny:
    and:
      - source_ip: 10.0.0.300/8
      - {a: 1, b: 2}
    xor: []
`,
			errs: []string{
				`[0].allow.or[0].email: unknown operator "contain"; did you mean "contains"?`,
				`[0].allow.or[1].emial: unknown criterion "emial"; did you mean "email"?`,
				`[0].allow.and: expected a list of criteria, got a string ("oops")`,
				`[1]: unknown action "bogus"; expected one of allow, deny`,
				`[1].deny.and[0].source_ip: "10.0.0.300/8" is not an IP or CIDR`,
				`[1].deny.and[1]: a criterion needs exactly one key, got 2 ("a", "b"); put each in its own list item`,
				`[1].deny: unknown operator "xor"; did you mean "or"?`,
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			p, err := Parse([]byte(tc.src))
			if p != nil {
				t.Errorf("Parse returned a policy with errors: %#v", p)
			}
			assertErrors(t, err, tc.errs)
		})
	}
}

func TestErrorsString(t *testing.T) {
	t.Parallel()
	_, err := Parse([]byte("alow: {}\ndeny: {or: [{emial: a}]}\n"))
	want := strings.Join([]string{
		`unknown action "alow"; did you mean "allow"?`,
		`deny.or[0].emial: unknown criterion "emial"; did you mean "email"?`,
	}, "\n")
	if err == nil || err.Error() != want {
		t.Fatalf("err = %v, want %q", err, want)
	}
}
