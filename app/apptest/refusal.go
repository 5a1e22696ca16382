package apptest

import (
	"errors"
	"reflect"
	"testing"

	"github.com/pomerium-console-oss/pomerium-console/app/errs"
	"github.com/pomerium-console-oss/pomerium-console/db"
	"github.com/pomerium-console-oss/pomerium-console/db/storetest"
)

// Refusal is what a refused call must return: a validation error with
// exactly Fields when Fields is set, otherwise an error matching Target
// that reads exactly Msg.
type Refusal struct {
	Fields map[string]errs.FieldError
	Target error
	Msg    string
}

// Forbidden is the refusal errs.ErrForbidden reading "forbidden: " + reason.
func Forbidden(reason string) Refusal {
	return Refusal{Target: errs.ErrForbidden, Msg: "forbidden: " + reason}
}

// Field is a validation refusal of the one field name.
func Field(name, code, msg string) Refusal {
	return Refusal{Fields: map[string]errs.FieldError{name: {Code: code, Message: msg}}}
}

// Check stops t unless err is the refusal r describes.
func (r Refusal) Check(t testing.TB, err error) {
	t.Helper()
	if r.Fields != nil {
		WantFields(t, err, r.Fields)
		return
	}
	WantErr(t, err, r.Target, r.Msg)
}

// WantFields stops t unless err is an *errs.ValidationError with exactly
// the field errors want and no form-level error.
func WantFields(t testing.TB, err error, want map[string]errs.FieldError) {
	t.Helper()
	ve, ok := errs.AsValidation(err)
	if !ok {
		t.Fatalf("err = %v, want a validation error", err)
	}
	if !reflect.DeepEqual(ve.Fields, want) || ve.Form != "" {
		t.Fatalf("fields = %+v (form %q), want %+v", ve.Fields, ve.Form, want)
	}
}

// WantErr stops t unless err matches target and reads exactly msg.
func WantErr(t testing.TB, err, target error, msg string) {
	t.Helper()
	if !errors.Is(err, target) || err.Error() != msg {
		t.Fatalf("err = %v, want %v reading %q", err, target, msg)
	}
}

// WantRefused runs call and stops t unless it is refused as want
// describes; it also fails t when call returns anything but the zero T with
// its error, or changes s. T need not be comparable: an empty but non-nil
// slice or map in the result counts as returning something.
func WantRefused[T any](t testing.TB, s db.Store, want Refusal, call func() (T, error)) {
	t.Helper()
	before := storetest.Capture(t, s)
	got, err := call()
	want.Check(t, err)
	var zero T
	if !reflect.DeepEqual(got, zero) {
		t.Errorf("a refused call returned %+v with its error", got)
	}
	before.Unchanged(t, s)
}
