package grpcapi

import (
	"errors"
	"fmt"
	"strings"

	"github.com/pomerium-console-oss/pomerium-console/app/errs"
)

// withFieldPaths renames the fields of a validation error from the domain's
// names to the request's proto paths with path; any other error is
// returned as it is.
func withFieldPaths(err error, path func(field string) string) error {
	ve, ok := errs.AsValidation(err)
	if !ok {
		return err
	}
	out := &errs.ValidationError{Form: ve.Form}
	for name, fe := range ve.Fields {
		if out.Fields == nil {
			out.Fields = make(map[string]errs.FieldError, len(ve.Fields))
		}
		out.Fields[path(name)] = fe
	}
	return out
}

// restPath maps the domain's field names, the REST reference's camelCase
// joined with dots ("healthChecks.0.timeout"), to the proto path under
// prefix ("route.health_checks[0].timeout"); renames maps the REST names
// whose proto names are not their snake_case.
func restPath(prefix string, renames map[string]string) func(string) string {
	return func(field string) string {
		var b strings.Builder
		b.WriteString(prefix)
		for _, part := range strings.Split(field, ".") {
			if part != "" && strings.Trim(part, "0123456789") == "" {
				b.WriteString("[" + part + "]")
				continue
			}
			if b.Len() > 0 {
				b.WriteByte('.')
			}
			if r, ok := renames[part]; ok {
				b.WriteString(r)
			} else {
				b.WriteString(snakeCase(part))
			}
		}
		return b.String()
	}
}

// forItem says which item of a batch ("routes[3]", "ids[0]") err is
// about: the reason of a sentinel error and a validation error's form-level
// problem start with item (its fields already name their paths).
func forItem(err error, item string) error {
	if ve, ok := errs.AsValidation(err); ok {
		if ve.Form == "" {
			return err
		}
		out := *ve
		out.Form = item + ": " + ve.Form
		return &out
	}
	for _, kind := range []error{errs.ErrForbidden, errs.ErrNotFound, errs.ErrConflict, errs.ErrUnavailable} {
		if errors.Is(err, kind) {
			if reason := errs.Reason(err); reason != "" {
				return fmt.Errorf("%w: %s: %s", kind, item, reason)
			}
		}
	}
	return err
}

// itemPath is the proto path of item i of the repeated field name.
func itemPath(name string, i int) string {
	return fmt.Sprintf("%s[%d]", name, i)
}
