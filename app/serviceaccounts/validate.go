package serviceaccounts

import (
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/pomerium-console-oss/pomerium-console/app/errs"
)

// normalizeUserID drops the spaces a paste leaves around an id.
func normalizeUserID(s string) string { return strings.TrimSpace(s) }

// ValidateInput checks the fields of a new account as Create does, for a
// front that has problems of its own to report with them.
func ValidateInput(in Input, now time.Time) error {
	in.UserID = normalizeUserID(in.UserID)
	return validateCreate(in, now)
}

// validateCreate checks every field of a new account.
func validateCreate(in Input, now time.Time) error {
	var v errs.Validator
	switch n := utf8.RuneCountInString(in.UserID); {
	case n > MaxUserIDLength:
		v.Add(FieldUserID, errs.CodeTooLong, "must be at most %d characters (got %d)", MaxUserIDLength, n)
	case strings.IndexFunc(in.UserID, unicode.IsControl) >= 0:
		v.Add(FieldUserID, errs.CodeInvalid, "must not contain control characters such as line breaks")
	case !utf8.ValidString(in.UserID):
		v.Add(FieldUserID, errs.CodeInvalid, "must be valid UTF-8 text")
	}
	checkDescription(&v, in.Description)
	checkExpiry(&v, in.ExpiresAt, now)
	return v.Err()
}

// validateUpdate checks the set fields of an update.
func validateUpdate(in UpdateInput, now time.Time) error {
	var v errs.Validator
	if in.Description != nil {
		checkDescription(&v, *in.Description)
	}
	if in.ExpiresAt != nil && !in.ExpiresAt.IsZero() {
		checkExpiry(&v, in.ExpiresAt, now)
	}
	return v.Err()
}

func checkDescription(v *errs.Validator, d string) {
	if n := utf8.RuneCountInString(d); n > MaxDescriptionLength {
		v.Add(FieldDescription, errs.CodeTooLong, "must be at most %d characters (got %d)", MaxDescriptionLength, n)
	} else if !utf8.ValidString(d) {
		v.Add(FieldDescription, errs.CodeInvalid, "must be valid UTF-8 text")
	}
}

// checkExpiry refuses an expiry that is not in the future: the account
// would be dead on arrival.
func checkExpiry(v *errs.Validator, exp *time.Time, now time.Time) {
	if exp == nil {
		return
	}
	if !exp.After(now) {
		v.Add(FieldExpiresAt, errs.CodeInvalid, "must be in the future (got %s)", exp.UTC().Format(time.RFC3339))
	}
}
