package errs_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/pomerium-console-oss/pomerium-console/app/errs"
)

func TestReasonKeepsInternalDetailOut(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"forbidden", errs.Forbidden("you are a %s", "viewer"), "you are a viewer"},
		{"conflict wrapped above", fmt.Errorf("web: %w", errs.Conflict("in use")), ""},
		{"store not-found with internal prefix", fmt.Errorf("sqlite: get: %w", errs.ErrNotFound), ""},
		{"not one of ours", errors.New("boom"), ""},
		{"bare sentinel", errs.ErrUnauthenticated, ""},
	}
	for _, tc := range tests {
		if got := errs.Reason(tc.err); got != tc.want {
			t.Errorf("%s: Reason = %q, want %q", tc.name, got, tc.want)
		}
	}
}

func TestValidatorCollectsEveryFieldOnce(t *testing.T) {
	t.Parallel()
	var v errs.Validator
	if v.Err() != nil {
		t.Fatal("an empty validator must give no error")
	}
	v.Name("name", "", 10)
	v.Add("name", errs.CodeInvalid, "second problem of the same field is dropped")
	v.Name("title", strings.Repeat("é", 11), 10)
	v.Name("label", "two\nlines", 10)
	v.Name("ok", "fine", 10)
	ve, ok := errs.AsValidation(v.Err())
	if !ok {
		t.Fatal("want a *ValidationError")
	}
	want := map[string]errs.FieldError{
		"name":  {Code: errs.CodeRequired, Message: "enter a name"},
		"title": {Code: errs.CodeTooLong, Message: "must be at most 10 characters (got 11)"},
		"label": {Code: errs.CodeInvalid, Message: "must not contain control characters such as line breaks"},
	}
	if fmt.Sprint(ve.Fields) != fmt.Sprint(want) {
		t.Fatalf("fields = %v, want %v", ve.Fields, want)
	}
	if msg := ve.Error(); msg != "invalid input: label: must not contain control characters such as line breaks; name: enter a name; title: must be at most 10 characters (got 11)" {
		t.Fatalf("Error() = %q (fields must be listed in name order)", msg)
	}
}
