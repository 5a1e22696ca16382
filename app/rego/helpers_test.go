package rego_test

import (
	"fmt"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/pomerium-console-oss/pomerium-console/app/ppl"
	"github.com/pomerium-console-oss/pomerium-console/app/rego"
	"github.com/pomerium-console-oss/pomerium-console/app/rego/regotest"
)

// testNow is the evaluation time unless a case sets its own: a Monday,
// 13:43 UTC (Pomerium's own criteria tests use 2021-05-11 13:43).
var testNow = time.Date(2026, 5, 11, 13, 43, 0, 0, time.UTC)

// compile parses src as PPL and compiles it with CompileChecked, so every
// module a test evaluates has passed Check.
func compile(t testing.TB, src string, opts ...rego.Options) string {
	t.Helper()
	p, err := ppl.Parse([]byte(src))
	if err != nil {
		t.Fatalf("parse:\n%s\n%v", src, err)
	}
	var o rego.Options
	if len(opts) > 0 {
		o = opts[0]
	}
	module, err := rego.CompileChecked(p, o)
	if err != nil {
		t.Fatalf("compile:\n%s\n%v", src, err)
	}
	return module
}

// evalCase is one request against a compiled module.
type evalCase struct {
	name    string
	in      rego.Input
	records []regotest.Record
	// now is the evaluation time; zero means testNow.
	now   time.Time
	allow rego.Result
	// deny is the expected deny; nil means Core's default [false, set()].
	deny *rego.Result
}

// runCases evaluates module for every case, in parallel.
func runCases(t *testing.T, module string, cases []evalCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			now := tc.now
			if now.IsZero() {
				now = testNow
			}
			allow, deny, err := regotest.Eval(module, tc.in, tc.records, now)
			if err != nil {
				t.Fatalf("eval: %v\n%s", err, module)
			}
			if !reflect.DeepEqual(allow, tc.allow) {
				t.Errorf("allow = %s, want %s", show(allow), show(tc.allow))
			}
			wantDeny := rego.Result{}
			if tc.deny != nil {
				wantDeny = *tc.deny
			}
			if !reflect.DeepEqual(deny, wantDeny) {
				t.Errorf("deny = %s, want %s", show(deny), show(wantDeny))
			}
		})
	}
}

// criterionCases runs cases against `allow: {and: [criterion]}`, the
// shape that exposes one criterion's own result.
func criterionCases(t *testing.T, criterion string, cases []evalCase, opts ...rego.Options) {
	t.Helper()
	runCases(t, compile(t, "allow:\n  and:\n    - "+criterion, opts...), cases)
}

// pass and fail are the results a criterion rule gives.
func pass(reasons ...string) rego.Result { return result(true, reasons) }
func fail(reasons ...string) rego.Result { return result(false, reasons) }

func result(ok bool, reasons []string) rego.Result {
	r := rego.Result{Value: ok}
	if len(reasons) > 0 {
		r.Reasons = slices.Sorted(slices.Values(reasons))
	}
	return r
}

// deviceData is the additional data every device result carries.
func deviceData(r rego.Result, deviceType string) rego.Result {
	r.Data = map[string]any{"device_type": deviceType}
	return r
}

func ptr[T any](v T) *T { return &v }

func show(r rego.Result) string {
	return fmt.Sprintf("[%t, %q, %v]", r.Value, r.Reasons, r.Data)
}

// Records of a signed-in user that most session tests share.
var (
	aliceSession = regotest.Session("s1", "u1")
	alice        = regotest.User("u1", "alice@example.com")
	signedIn     = []regotest.Record{aliceSession, alice}
	anonymous    = regotest.NewInput()
	withS1       = regotest.NewInput(regotest.WithSession("s1"))
)
