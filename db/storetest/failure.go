package storetest

import (
	"fmt"
	"runtime"
	"testing"
)

// Failure runs check with a testing.TB that records a failure instead of
// failing t, and returns the first failure's message ("" when check
// passed), so that a test helper can be shown to fail when it must. A
// Fatal or FailNow ends check as it would end a test.
func Failure(t *testing.T, check func(tb testing.TB)) string {
	t.Helper()
	r := &recorder{TB: t}
	done := make(chan struct{})
	go func() {
		defer close(done)
		check(r)
	}()
	<-done
	return r.msg
}

// recorder is the testing.TB Failure hands out; what it does not override
// (Context, TempDir, Cleanup, …) goes to the real test.
type recorder struct {
	testing.TB
	msg string
}

// Helper is a no-op: line attribution does not matter here.
func (r *recorder) Helper() {}

// Error records the failure.
func (r *recorder) Error(args ...any) { r.record(fmt.Sprint(args...)) }

// Errorf records the failure.
func (r *recorder) Errorf(format string, args ...any) { r.record(fmt.Sprintf(format, args...)) }

// Fail records the failure.
func (r *recorder) Fail() { r.record("") }

// Fatal records the failure and ends check.
func (r *recorder) Fatal(args ...any) { r.Error(args...); runtime.Goexit() }

// Fatalf records the failure and ends check.
func (r *recorder) Fatalf(format string, args ...any) { r.Errorf(format, args...); runtime.Goexit() }

// FailNow records the failure and ends check.
func (r *recorder) FailNow() { r.Fail(); runtime.Goexit() }

// Failed reports whether check has failed so far.
func (r *recorder) Failed() bool { return r.msg != "" }

// record keeps the first failure; an empty message still counts as one.
func (r *recorder) record(msg string) {
	if r.msg != "" {
		return
	}
	if msg == "" {
		msg = "failed"
	}
	r.msg = msg
}
