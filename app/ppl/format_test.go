package ppl

import (
	"bytes"
	"flag"
	"math"
	"os"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite testdata golden files")

func TestFormatGolden(t *testing.T) {
	t.Parallel()
	src, err := os.ReadFile("testdata/rich.yaml")
	if err != nil {
		t.Fatal(err)
	}
	p, err := Parse(src)
	if err != nil {
		t.Fatalf("Parse(rich.yaml): %v", err)
	}
	got, err := Format(p)
	if err != nil {
		t.Fatal(err)
	}
	const golden = "testdata/rich.golden.yaml"
	if *update {
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("Format(rich.yaml) differs from %s (go test -update to accept):\n%s", golden, got)
	}
	assertRoundTrip(t, p)
	// Canonical: formatting the formatted text changes nothing.
	again, err := Parse(got)
	if err != nil {
		t.Fatal(err)
	}
	if twice, _ := Format(again); !bytes.Equal(twice, got) {
		t.Fatalf("Format is not idempotent:\n%s", twice)
	}
	// Every criterion appears in the rich document, so the round trip
	// above covers them all.
	seen := map[string]bool{}
	for _, r := range p.Rules {
		for _, g := range r.Groups {
			for _, c := range g.Criteria {
				seen[c.Name] = true
			}
		}
	}
	for _, info := range Criteria() {
		if !seen[info.Name] {
			t.Errorf("testdata/rich.yaml lacks criterion %s", info.Name)
		}
	}
}

func TestFormatShapes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		src  string
		want string
	}{
		{"single object, allow first", "deny: {or: [{reject: true}]}\nallow: {}",
			"allow: {}\ndeny:\n  or:\n    - reject: true\n"},
		{"list keeps one object per rule", "[{allow: {}, deny: {}}]",
			"- allow: {}\n- deny: {}\n"},
		{"empty groups dropped, groups in Core order", "allow: {nor: [{accept: 1}], and: [], or: [{accept: x}]}",
			"allow:\n  or:\n    - accept: x\n  nor:\n    - accept: 1\n"},
		{"nested lists and objects", "allow: {or: [{accept: [[1, []], {}, {a: {b: [x]}}]}]}",
			"allow:\n  or:\n    - accept:\n        -\n          - 1\n          - []\n        - {}\n        - a:\n            b:\n              - x\n"},
		{"unknown keys sorted after known ones", "allow: {or: [{accept: {zeta: 1, alpha: 2, is: 3}}]}",
			"allow:\n  or:\n    - accept:\n        is: 3\n        alpha: 2\n        zeta: 1\n"},
		{"null", "allow: {or: [{accept: null}]}", "allow:\n  or:\n    - accept: null\n"},
		{"sub path key", "allow: {or: [{claim/a/b: x}]}", "allow:\n  or:\n    - claim/a/b: x\n"},
		{"quoted key", `allow: {or: [{"claim/a b#c": x}]}`, "allow:\n  or:\n    - \"claim/a b#c\": x\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			p, err := Parse([]byte(tc.src))
			if err != nil {
				t.Fatal(err)
			}
			got, err := Format(p)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tc.want {
				t.Fatalf("got\n%s\nwant\n%s", got, tc.want)
			}
			assertRoundTrip(t, p)
		})
	}
}

func TestFormatScalars(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		value any
		want  string // how the value is written
	}{
		{"plain word", "admins", "admins"},
		{"email", "a@example.com", "a@example.com"},
		{"leading at", "@example.com", `"@example.com"`},
		{"path", "/api/v1", "/api/v1"},
		{"inner space", "3:04 PM", "3:04 PM"},
		{"commas", "sat,sun", "sat,sun"},
		{"cidr", "10.0.0.0/8", "10.0.0.0/8"},
		{"ipv6", "::1", `"::1"`},
		{"true as string", "true", `"true"`},
		{"yes as string", "yes", `"yes"`},
		{"null as string", "null", `"null"`},
		{"tilde", "~", `"~"`},
		{"integer as string", "1000", `"1000"`},
		{"float as string", "1.5", `"1.5"`},
		{"exponent as string", "1e3", `"1e3"`},
		{"underscored number as string", "1_000", `"1_000"`},
		{"date as string", "2025-01-01", `"2025-01-01"`},
		{"clock as string", "18:00", `"18:00"`},
		{"base 60 as string", "17:45:30", `"17:45:30"`},
		{"ipv4", "192.168.1.7", "192.168.1.7"},
		{"empty", "", `""`},
		{"leading dash", "-x", `"-x"`},
		{"leading space", " x", `" x"`},
		{"trailing space", "x ", `"x "`},
		{"colon space", "a: b", `"a: b"`},
		{"comment", "a #b", `"a #b"`},
		{"newline", "a\nb", `"a\nb"`},
		{"tab", "a\tb", `"a\tb"`},
		{"quote", `say "hi"`, `"say \"hi\""`},
		{"unicode", "café", `"café"`},
		{"html", "<a&b>", `"<a&b>"`},
		{"zero", 0.0, "0"},
		{"integer", 1000.0, "1000"},
		{"negative", -5.0, "-5"},
		{"fraction", 0.1, "0.1"},
		{"large integer", 1e15, "1.0e+15"},
		{"huge", 1e21, "1.0e+21"},
		{"tiny", 1e-7, "1.0e-07"},
		{"max float", math.MaxFloat64, "1.7976931348623157e+308"},
		{"boolean", false, "false"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			p := &Policy{Rules: []Rule{{Action: Allow, Groups: []Group{{Operator: Or, Criteria: []Criterion{{Name: "accept", Raw: tc.value, Data: NoData{}}}}}}}}
			out, err := Format(p)
			if err != nil {
				t.Fatal(err)
			}
			if want := "allow:\n  or:\n    - accept: " + tc.want + "\n"; string(out) != want {
				t.Fatalf("got %q, want %q", out, want)
			}
			assertRoundTrip(t, p)
		})
	}
}

func TestFormatErrors(t *testing.T) {
	t.Parallel()
	rule := func(a Action, raw any) Rule {
		return Rule{Action: a, Groups: []Group{{Operator: And, Criteria: []Criterion{{Name: "accept", Raw: raw}}}}}
	}
	tests := []struct {
		name string
		p    *Policy
		want string
	}{
		{"nil", nil, "ppl: format: the policy has no rules"},
		{"no rules", &Policy{}, "ppl: format: the policy has no rules"},
		{"two allow rules in one object", &Policy{Rules: []Rule{rule(Allow, true), rule(Allow, true)}},
			"ppl: format: a single rule object holds one allow rule; set List to write several"},
		{"unsupported value", &Policy{Rules: []Rule{rule(Allow, struct{}{})}}, "ppl: format: unsupported value of type struct {}"},
		{"NaN", &Policy{List: true, Rules: []Rule{rule(Deny, math.NaN())}}, "ppl: format: NaN is not a JSON number"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			out, err := Format(tc.p)
			if err == nil || err.Error() != tc.want {
				t.Fatalf("Format = %q, %v; want error %q", out, err, tc.want)
			}
		})
	}
}

func TestFormatProgrammaticRaw(t *testing.T) {
	t.Parallel()
	// Raw built in Go (ints, maps) rather than by Parse still formats.
	p := &Policy{Rules: []Rule{{Action: Deny, Groups: []Group{{Operator: Or, Criteria: []Criterion{
		{Name: "user", Raw: map[string]any{"in": []any{1, int64(2)}, "is": "x"}},
	}}}}}}
	out, err := Format(p)
	if err != nil {
		t.Fatal(err)
	}
	want := "deny:\n  or:\n    - user:\n        is: x\n        in:\n          - 1\n          - 2\n"
	if string(out) != want {
		t.Fatalf("got\n%s\nwant\n%s", out, want)
	}
	if _, err := Parse(out); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(out), "\t") {
		t.Fatal("tabs in YAML output")
	}
}
