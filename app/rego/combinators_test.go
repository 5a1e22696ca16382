package rego_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/pomerium-console-oss/pomerium-console/app/rego"
	"github.com/pomerium-console-oss/pomerium-console/app/rego/regotest"
)

// switchable are plain criteria each input can turn on or off on its own.
var switchable = []struct {
	ppl      string
	ok, fail string
	on       regotest.InputOption
}{
	{"http_method: POST", "http-method-ok", "http-method-unauthorized", regotest.WithMethod("POST")},
	{"http_path: /b", "http-path-ok", "http-path-unauthorized", regotest.WithPath("/b")},
	{"source_ip: 10.0.0.1", "source-ip-ok", "source-ip-unauthorized", regotest.WithIP("10.0.0.1")},
}

// TestCombinatorTruthTables checks not = NOR and nor = NAND, as Core
// defines them, for two criteria, row by row.
func TestCombinatorTruthTables(t *testing.T) {
	t.Parallel()
	// Rows are (a, b) = (F,F), (F,T), (T,F), (T,T).
	tables := map[string][4]bool{
		"and": {false, false, false, true},
		"or":  {false, true, true, true},
		"not": {true, false, false, false}, // NOR: neither
		"nor": {true, true, true, false},   // NAND: not both
	}
	for op, want := range tables {
		t.Run(op, func(t *testing.T) {
			t.Parallel()
			module := compile(t, fmt.Sprintf("allow:\n  %s:\n    - %s\n    - %s", op, switchable[0].ppl, switchable[1].ppl))
			for row, w := range want {
				in := inputFor(row>>1&1 == 1, row&1 == 1)
				allow, _, err := regotest.Eval(module, in, nil, testNow)
				if err != nil {
					t.Fatal(err)
				}
				if allow.Value != w {
					t.Errorf("row %02b: allow = %v, want %v", row, allow.Value, w)
				}
			}
		})
	}
}

// TestCombinatorReasons checks value and reasons of every operator over
// two and three criteria against Core's merge rules: and/not explain a
// failure with the failing results only, or/nor a pass with the passing
// ones only, and inversion keeps a criterion's own reason.
func TestCombinatorReasons(t *testing.T) {
	t.Parallel()
	for _, n := range []int{2, 3} {
		for _, op := range []string{"and", "or", "not", "nor"} {
			t.Run(fmt.Sprintf("%s of %d", op, n), func(t *testing.T) {
				t.Parallel()
				src := "allow:\n  " + op + ":"
				for _, c := range switchable[:n] {
					src += "\n    - " + c.ppl
				}
				module := compile(t, src)
				var cases []evalCase
				for row := range 1 << n {
					on := make([]bool, n)
					for i := range n {
						on[i] = row>>(n-1-i)&1 == 1
					}
					cases = append(cases, evalCase{name: fmt.Sprint(on), in: inputFor(on...), allow: model(op, on)})
				}
				runCases(t, module, cases)
			})
		}
	}
}

// inputFor turns on the first len(on) switchable criteria as told.
func inputFor(on ...bool) rego.Input {
	var opts []regotest.InputOption
	for i, o := range on {
		if o {
			opts = append(opts, switchable[i].on)
		}
	}
	return regotest.NewInput(opts...)
}

// model is Core's combiner semantics written out in Go.
func model(op string, on []bool) rego.Result {
	type res struct {
		v      bool
		reason string
	}
	rs := make([]res, len(on))
	for i, o := range on {
		rs[i] = res{o, switchable[i].fail}
		if o {
			rs[i].reason = switchable[i].ok
		}
		if op == "not" || op == "nor" {
			rs[i].v = !rs[i].v
		}
	}
	count := 0
	for _, r := range rs {
		if r.v {
			count++
		}
	}
	var value bool
	var keep func(r res) bool
	switch op {
	case "and", "not":
		value = count == len(rs)
		keep = func(r res) bool { return value || !r.v }
	default:
		value = count > 0
		keep = func(r res) bool { return !value || r.v }
	}
	var reasons []string
	for _, r := range rs {
		if keep(r) {
			reasons = append(reasons, r.reason)
		}
	}
	return result(value, reasons)
}

func TestInversionKeepsReasons(t *testing.T) {
	t.Parallel()
	module := compile(t, "allow:\n  not:\n    - email: mallory@example.com")
	runCases(t, module, []evalCase{
		{name: "not mallory passes with the failing reason", in: withS1, records: signedIn, allow: pass("email-unauthorized")},
		{name: "mallory fails with the passing reason", in: withS1,
			records: []regotest.Record{aliceSession, regotest.User("u1", "mallory@example.com")}, allow: fail("email-ok")},
		// Inverting user-unauthenticated would let an anonymous caller in,
		// as it does in Core; the login reason survives for Core to act on.
		{name: "anonymous", in: anonymous, allow: pass("user-unauthenticated")},
	})
}

func TestAllowAndDeny(t *testing.T) {
	t.Parallel()
	module := compile(t, `
- allow:
    or:
      - domain: example.com
  deny:
    or:
      - email: mallory@example.com
- allow:
    and:
      - http_path: {starts_with: /public/}
`)
	mallory := []regotest.Record{aliceSession, regotest.User("u1", "mallory@example.com")}
	public := regotest.WithPath("/public/x")
	tests := []struct {
		evalCase
		decision rego.Decision
	}{
		{evalCase{name: "alice", in: withS1, records: signedIn,
			allow: pass("domain-ok"), deny: ptr(fail("email-unauthorized"))}, rego.DecisionAllow},
		{evalCase{name: "mallory: deny wins", in: withS1, records: mallory,
			allow: pass("domain-ok"), deny: ptr(pass("email-ok"))}, rego.DecisionDeny},
		{evalCase{name: "mallory on a public path: deny still wins", in: regotest.NewInput(regotest.WithSession("s1"), public), records: mallory,
			allow: pass("domain-ok", "http-path-ok"), deny: ptr(pass("email-ok"))}, rego.DecisionDeny},
		// A deny built from session criteria sends an anonymous caller to
		// login even where allow is true (rego-contract §4).
		{evalCase{name: "anonymous on a public path", in: regotest.NewInput(public),
			allow: pass("http-path-ok"), deny: ptr(fail("user-unauthenticated"))}, rego.DecisionLogin},
		{evalCase{name: "other domain", in: withS1, records: []regotest.Record{aliceSession, regotest.User("u1", "x@example.org")},
			allow: fail("domain-unauthorized", "http-path-unauthorized"), deny: ptr(fail("email-unauthorized"))}, rego.DecisionDeny},
	}
	var cases []evalCase
	for _, tc := range tests {
		cases = append(cases, tc.evalCase)
	}
	runCases(t, module, cases)
	for _, tc := range tests {
		t.Run(tc.name+"/decision", func(t *testing.T) {
			t.Parallel()
			allow, deny, err := regotest.Eval(module, tc.in, tc.records, testNow)
			if err != nil {
				t.Fatal(err)
			}
			if got := rego.Decide(allow, deny); got != tc.decision {
				t.Errorf("decision = %s, want %s", got, tc.decision)
			}
		})
	}
}

func TestRuleWithoutCriteriaNeverMatches(t *testing.T) {
	t.Parallel()
	module := compile(t, "allow:\n  and: []")
	if strings.Contains(module, "\nallow :=") {
		t.Errorf("module has an allow rule:\n%s", module)
	}
	runCases(t, module, []evalCase{{name: "anonymous", in: anonymous, allow: fail()}})
}

func TestDecide(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		allow, deny rego.Result
		want        rego.Decision
	}{
		{"allowed", pass("accept"), fail(), rego.DecisionAllow},
		{"not allowed", fail("email-unauthorized"), fail(), rego.DecisionDeny},
		{"denied", pass("accept"), pass("reject"), rego.DecisionDeny},
		{"login from allow", fail("user-unauthenticated"), fail(), rego.DecisionLogin},
		{"login from deny beats allow", pass("accept"), fail("user-unauthenticated"), rego.DecisionLogin},
		{"device registration", fail("device-unauthenticated"), fail(), rego.DecisionDeviceRegistration},
		{"certificate required", pass("accept"), pass("client-certificate-required"), rego.DecisionInvalidClientCertificate},
		{"certificate invalid beats login", fail("user-unauthenticated"), pass("invalid-client-certificate"), rego.DecisionInvalidClientCertificate},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := rego.Decide(tc.allow, tc.deny); got != tc.want {
				t.Errorf("Decide = %s, want %s", got, tc.want)
			}
		})
	}
}
