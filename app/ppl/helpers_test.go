package ppl

import (
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

// critCase is one criterion written in YAML (flow style, e.g.
// `email: {is: a}`) under `allow.and[0]`, with either the typed Data it
// must produce or the exact errors, each without the `allow.and[0].`
// prefix.
type critCase struct {
	name string
	src  string
	want Data
	errs []string
}

const critPrefix = "allow.and[0]."

func runCritCases(t *testing.T, cases []critCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			src := "allow:\n  and:\n    - " + tc.src + "\n"
			p, err := Parse([]byte(src))
			if tc.errs != nil {
				want := make([]string, len(tc.errs))
				for i, e := range tc.errs {
					want[i] = critPrefix + e
				}
				assertErrors(t, err, want)
				return
			}
			if err != nil {
				t.Fatalf("Parse(%q): %v", tc.src, err)
			}
			got := p.Rules[0].Groups[0].Criteria[0].Data
			if !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("Data of %q\n got %#v\nwant %#v", tc.src, got, tc.want)
			}
			assertRoundTrip(t, p)
		})
	}
}

// assertErrors checks that err is Errors holding exactly want, in order.
func assertErrors(t *testing.T, err error, want []string) {
	t.Helper()
	var es Errors
	if !errors.As(err, &es) {
		t.Fatalf("got error %v (%T), want Errors %q", err, err, want)
	}
	got := make([]string, len(es))
	for i, e := range es {
		got[i] = e.Error()
	}
	if !slices.Equal(got, want) {
		t.Fatalf("errors\n got %q\nwant %q", got, want)
	}
}

// assertRoundTrip checks Parse(Format(p)) == p.
func assertRoundTrip(t *testing.T, p *Policy) {
	t.Helper()
	out, err := Format(p)
	if err != nil {
		t.Fatalf("Format: %v", err)
	}
	back, err := Parse(out)
	if err != nil {
		t.Fatalf("Parse(Format(p)): %v\n%s", err, out)
	}
	if !reflect.DeepEqual(back, p) {
		t.Fatalf("round trip changed the policy\nformatted:\n%s\n got %#v\nwant %#v", out, back, p)
	}
}

// sop and sopList build expected operators over string operands.
func sop(op, v string) StringOp { return StringOp{Op: op, Value: v, Raw: v} }

func sopList(op string, vals ...string) StringOp {
	raw := make([]any, len(vals))
	for i, v := range vals {
		raw[i] = v
	}
	return StringOp{Op: op, Values: vals, Raw: raw}
}

func strm(ops ...StringOp) StringMatcher { return StringMatcher{Ops: ops} }

func listm(ops ...StringOp) ListMatcher { return ListMatcher{Ops: ops} }

func ptr[T any](v T) *T { return &v }

func utc(s string) *time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	t = t.UTC()
	return &t
}

// joined renders a list for expected messages.
func joined(s []string) string { return strings.Join(s, ", ") }
