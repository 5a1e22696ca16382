package rego_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/pomerium-console-oss/pomerium-console/app/ppl"
	"github.com/pomerium-console-oss/pomerium-console/app/rego"
)

// bigPolicy is a policy of n rules, each with three criteria across two
// groups, cycling through every criterion; seed varies the values so
// distinct policies are distinct text.
func bigPolicy(n, seed int) string {
	names := rego.Criteria()
	var b strings.Builder
	for i := range n {
		action := "allow"
		if i%5 == 4 {
			action = "deny"
		}
		fmt.Fprintf(&b, "- %s:\n    and:\n      - email: user%d-%d@example.com\n      - %s\n    not:\n      - %s\n",
			action, seed, i, everyCriterion[names[i%len(names)]], everyCriterion[names[(i+7)%len(names)]])
	}
	return b.String()
}

// BenchmarkCompileCheck50Rules is what saving a large policy costs:
// parse, compile and Check (Core's preparation plus one evaluation).
func BenchmarkCompileCheck50Rules(b *testing.B) {
	src := []byte(bigPolicy(50, 0))
	for b.Loop() {
		p, err := ppl.Parse(src)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := rego.CompileChecked(p, rego.Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

// simplePolicy is n rules of one criterion each, cycling through every
// criterion.
func simplePolicy(n int) string {
	names := rego.Criteria()
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "- allow:\n    or:\n      - %s\n", everyCriterion[names[i%len(names)]])
	}
	return b.String()
}

// BenchmarkCompileCheck50SimpleRules is the same for rules of one
// criterion each.
func BenchmarkCompileCheck50SimpleRules(b *testing.B) {
	src := []byte(simplePolicy(50))
	for b.Loop() {
		p, err := ppl.Parse(src)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := rego.CompileChecked(p, rego.Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkEval50Rules is what Core spends per request on the large
// policy's module (after preparing it once).
func BenchmarkEval50Rules(b *testing.B) {
	p, err := rego.Prepare(b.Context(), compile(b, bigPolicy(50, 0)), nil)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, _, err := p.Eval(b.Context(), withS1, testNow); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCompile1000Policies is what regenerating every module of a
// large installation costs (parse and compile, without Check).
func BenchmarkCompile1000Policies(b *testing.B) {
	srcs := make([][]byte, 1000)
	for i := range srcs {
		srcs[i] = []byte(bigPolicy(3, i))
	}
	for b.Loop() {
		for _, src := range srcs {
			p, err := ppl.Parse(src)
			if err != nil {
				b.Fatal(err)
			}
			if _, err := rego.Compile(p, rego.Options{}); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkCompileCheck1000Policies adds Check to every policy.
func BenchmarkCompileCheck1000Policies(b *testing.B) {
	srcs := make([][]byte, 1000)
	for i := range srcs {
		srcs[i] = []byte(bigPolicy(3, i))
	}
	for b.Loop() {
		for _, src := range srcs {
			p, err := ppl.Parse(src)
			if err != nil {
				b.Fatal(err)
			}
			if _, err := rego.CompileChecked(p, rego.Options{}); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// TestBigPolicyChecks keeps the benchmark input valid under plain go test.
func TestBigPolicyChecks(t *testing.T) {
	t.Parallel()
	compile(t, bigPolicy(50, 0))
	compile(t, simplePolicy(50))
}
