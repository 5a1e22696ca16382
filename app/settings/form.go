package settings

import (
	"fmt"
	"maps"
	"net/http"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/pomerium-console-oss/pomerium-console/app/errs"
)

// ClearSuffix marks the form checkbox that clears a secret: a secret's
// input is named after it ("cookieSecret"), its checkbox
// "cookieSecret.clear".
const ClearSuffix = ".clear"

// Form values of the tri-state settings: "" leaves the setting unset.
const (
	FormTrue  = "true"
	FormFalse = "false"
)

// claimHeaderPrefix names the header of a claim given without one, as Core
// does for its list form of jwt_claims_headers.
const claimHeaderPrefix = "X-Pomerium-Claim-"

// ParseForm reads the settings form, whose inputs are named after the JSON
// keys: lists take one entry per line (or comma separated), maps one
// "Name: value" per line, tri-states FormTrue, FormFalse or "". A secret
// left empty keeps its value. Lines that cannot be read are reported by
// Service.Update with the validation.
func ParseForm(get func(name string) string) Update {
	var u Update
	for _, f := range fields {
		text := strings.TrimSpace(get(f.name))
		rv := f.value(&u.Values)
		switch f.kind {
		case kindString:
			if text != "" {
				rv.Set(reflect.ValueOf(&text))
			}
		case kindBool:
			switch text {
			case FormTrue, FormFalse:
				b := text == FormTrue
				rv.Set(reflect.ValueOf(&b))
			case "":
			default:
				u.problems = append(u.problems, problem{f.name, errs.CodeInvalid, "choose on, off or the default"})
			}
		case kindNumber:
			if text == "" {
				continue
			}
			n, err := strconv.ParseFloat(strings.TrimSuffix(text, "%"), 64)
			if err != nil {
				u.problems = append(u.problems, problem{f.name, errs.CodeInvalid, "must be a number, such as 0.01"})
				continue
			}
			rv.Set(reflect.ValueOf(&n))
		case kindList:
			if list := strings.FieldsFunc(text, func(r rune) bool { return r == '\n' || r == ',' }); len(list) > 0 {
				rv.Set(reflect.ValueOf(list))
			}
		case kindMap:
			m, msg := parseLines(f.name, text)
			if msg != "" {
				u.problems = append(u.problems, problem{f.name, errs.CodeInvalid, msg})
			}
			if len(m) > 0 {
				rv.Set(reflect.ValueOf(m))
			}
		}
	}
	u.Secrets = map[Secret]SecretChange{}
	for _, s := range Secrets {
		value, clear := strings.TrimSpace(get(string(s))), get(string(s)+ClearSuffix) != ""
		switch {
		case value != "" && clear:
			u.problems = append(u.problems, problem{string(s), errs.CodeInvalid, "type a new value or tick Clear, not both"})
		case value != "":
			u.Secrets[s] = SecretChange{Value: value}
		case clear:
			u.Secrets[s] = SecretChange{Clear: true}
		}
	}
	return u
}

// parseLines reads "Name: value" lines. In jwtClaimsHeaders a line may be
// a bare claim, which gets Core's X-Pomerium-Claim-<Claim> header.
func parseLines(name, text string) (map[string]string, string) {
	m := map[string]string{}
	for i, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		key, value, ok := strings.Cut(line, ":")
		if !ok && name == "jwtClaimsHeaders" {
			key, value, ok = claimHeader(line), line, true
		}
		if !ok {
			return m, fmt.Sprintf("line %d: write each entry as Name: value", i+1)
		}
		key, value = strings.TrimSpace(key), strings.TrimSpace(value)
		if _, dup := m[key]; dup {
			return m, fmt.Sprintf("line %d: %q is already set on an earlier line", i+1, key)
		}
		m[key] = value
	}
	return m, ""
}

// claimHeader is the header Core derives from a claim: underscores become
// dashes ("given_name" → "X-Pomerium-Claim-Given-Name").
func claimHeader(claim string) string {
	return claimHeaderPrefix + http.CanonicalHeaderKey(strings.ReplaceAll(claim, "_", "-"))
}

// FormText is what each input of the settings form shows for v, by JSON
// name; ParseForm reads it back to the same values.
func FormText(v Values) map[string]string {
	out := map[string]string{}
	for _, f := range fields {
		rv := f.value(&v)
		switch f.kind {
		case kindString:
			if !rv.IsNil() {
				out[f.name] = rv.Elem().String()
			}
		case kindBool:
			if !rv.IsNil() {
				out[f.name] = strconv.FormatBool(rv.Elem().Bool())
			}
		case kindNumber:
			if !rv.IsNil() {
				out[f.name] = strconv.FormatFloat(rv.Elem().Float(), 'f', -1, 64)
			}
		case kindList:
			out[f.name] = strings.Join(rv.Interface().([]string), "\n")
		case kindMap:
			m := rv.Interface().(map[string]string)
			lines := make([]string, 0, len(m))
			for _, k := range slices.Sorted(maps.Keys(m)) {
				lines = append(lines, k+": "+m[k])
			}
			out[f.name] = strings.Join(lines, "\n")
		}
	}
	return out
}
