package errs

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/pomerium-console-oss/pomerium-console/db"
)

// Sentinel errors. ErrNotFound and ErrConflict are the db ones so that a
// store error needs no translation on its way up.
var (
	ErrNotFound        = db.ErrNotFound
	ErrConflict        = db.ErrConflict
	ErrForbidden       = errors.New("forbidden")
	ErrUnauthenticated = errors.New("unauthenticated")
	// ErrUnavailable marks an operation that cannot run in the system's
	// current state, e.g. reading sessions of a cluster with no databroker.
	ErrUnavailable = errors.New("unavailable")
)

// Forbidden wraps ErrForbidden with a reason the user may read.
func Forbidden(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrForbidden, fmt.Sprintf(format, args...))
}

// Unauthenticated wraps ErrUnauthenticated with a reason the user may read.
func Unauthenticated(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrUnauthenticated, fmt.Sprintf(format, args...))
}

// Unavailable wraps ErrUnavailable with a message saying what is missing.
func Unavailable(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrUnavailable, fmt.Sprintf(format, args...))
}

// Conflict wraps ErrConflict with a reason the user may read.
func Conflict(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrConflict, fmt.Sprintf(format, args...))
}

// NotFound wraps ErrNotFound naming what was missing.
func NotFound(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrNotFound, fmt.Sprintf(format, args...))
}

// Reason returns the user-facing part of an error made by this package
// ("forbidden: you are a viewer" → "you are a viewer"), or "" when err is
// not one of ours at the top (a wrapped store error carries internal detail).
func Reason(err error) string {
	msg := err.Error()
	for _, s := range []error{ErrForbidden, ErrUnauthenticated, ErrConflict, ErrNotFound, ErrUnavailable} {
		if errors.Is(err, s) {
			if rest, ok := strings.CutPrefix(msg, s.Error()+": "); ok {
				return rest
			}
			return ""
		}
	}
	return ""
}

// Validation codes shared by every front.
const (
	CodeRequired = "validation_required"
	CodeTooLong  = "validation_too_long"
	CodeInvalid  = "validation_invalid"
	CodeNotFound = "validation_not_found"
	CodeConflict = "validation_conflict"
)

// FieldError is one problem with one field.
type FieldError struct {
	Code    string
	Message string
}

// ValidationError lists every failing field of one input, plus an optional
// problem with the input as a whole.
type ValidationError struct {
	Fields map[string]FieldError
	Form   string
}

// Validator collects field errors; its Err is nil when nothing failed.
type Validator struct {
	v ValidationError
}

// Add records a problem with field; the first problem per field wins.
func (v *Validator) Add(field, code, format string, args ...any) {
	if v.v.Fields == nil {
		v.v.Fields = map[string]FieldError{}
	}
	if _, ok := v.v.Fields[field]; ok {
		return
	}
	v.v.Fields[field] = FieldError{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Has reports whether field already failed.
func (v *Validator) Has(field string) bool {
	_, ok := v.v.Fields[field]
	return ok
}

// Name checks a display name: present, at most max characters, one line.
func (v *Validator) Name(field, value string, max int) {
	switch n := utf8.RuneCountInString(value); {
	case n == 0:
		v.Add(field, CodeRequired, "enter a name")
	case n > max:
		v.Add(field, CodeTooLong, "must be at most %d characters (got %d)", max, n)
	case strings.IndexFunc(value, unicode.IsControl) >= 0:
		v.Add(field, CodeInvalid, "must not contain control characters such as line breaks")
	}
}

// Err returns the collected *ValidationError, or nil.
func (v *Validator) Err() error {
	if len(v.v.Fields) == 0 && v.v.Form == "" {
		return nil
	}
	e := v.v
	return &e
}

// Field returns a ValidationError for one field.
func Field(field, code, format string, args ...any) error {
	var v Validator
	v.Add(field, code, format, args...)
	return v.Err()
}

func (e *ValidationError) Error() string {
	names := make([]string, 0, len(e.Fields))
	for name := range e.Fields {
		names = append(names, name)
	}
	sort.Strings(names)
	parts := make([]string, 0, len(names)+1)
	if e.Form != "" {
		parts = append(parts, e.Form)
	}
	for _, name := range names {
		parts = append(parts, name+": "+e.Fields[name].Message)
	}
	return "invalid input: " + strings.Join(parts, "; ")
}

// AsValidation returns the *ValidationError inside err, if any.
func AsValidation(err error) (*ValidationError, bool) {
	var ve *ValidationError
	ok := errors.As(err, &ve)
	return ve, ok
}
