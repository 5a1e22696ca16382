package settings

import (
	"bytes"
	"encoding/json"
	"maps"
	"slices"
	"strings"

	"github.com/pomerium-console-oss/pomerium-console/app/errs"
)

// SecretIsSet is what a secret's key holds in the JSON Patch document when
// the secret is set: the value itself is never read back.
const SecretIsSet = "set"

// readOnlyKeys are the keys a GET response adds; an update may send them
// back, and they are ignored.
var readOnlyKeys = []string{"id", "createdAt", "updatedAt"}

// DecodeUpdate reads a full update from a JSON object with the REST
// reference's Settings keys (a GET response may be sent back as it is).
// A secret key with a string sets the secret, with "" or null clears it,
// and an absent one, or one holding SecretIsSet as a GET returns it, keeps
// it. Keys that cannot be read are reported by
// Service.Update with the validation, so a client learns every problem at
// once.
func DecodeUpdate(body []byte) Update {
	var u Update
	obj, ok := decodeObject(body, &u)
	if !ok {
		return u
	}
	u.Secrets = map[Secret]SecretChange{}
	for _, name := range slices.Sorted(maps.Keys(obj)) {
		raw := obj[name]
		if IsSecret(name) {
			if string(raw) == `"`+SecretIsSet+`"` {
				continue
			}
			if change, ok := readSecret(&u, name, raw); ok {
				u.Secrets[Secret(name)] = change
			}
			continue
		}
		decodeValue(&u, name, raw)
	}
	return u
}

// decodeObject parses body as one JSON object, recording a problem on the
// "body" field otherwise.
func decodeObject(body []byte, u *Update) (map[string]json.RawMessage, bool) {
	var obj map[string]json.RawMessage
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(&obj); err != nil || obj == nil || dec.More() {
		u.problems = append(u.problems, problem{"body", errs.CodeInvalid, "must be one JSON object of settings"})
		return nil, false
	}
	return obj, true
}

// decodeValue reads the non-secret setting name into u.Values; an unknown
// key or a value of the wrong type becomes a problem.
func decodeValue(u *Update, name string, raw json.RawMessage) {
	if slices.Contains(readOnlyKeys, name) {
		return
	}
	for _, f := range fields {
		if f.name != name {
			continue
		}
		if err := json.Unmarshal(raw, f.value(&u.Values).Addr().Interface()); err != nil {
			u.problems = append(u.problems, problem{name, errs.CodeInvalid, typeMessage(f.kind)})
		}
		return
	}
	u.problems = append(u.problems, problem{name, errs.CodeInvalid, "is not a setting the console knows"})
}

// readSecret reads a secret's new value: a string sets it, "" or null clears it.
func readSecret(u *Update, name string, raw json.RawMessage) (SecretChange, bool) {
	var s *string
	if err := json.Unmarshal(raw, &s); err != nil {
		u.problems = append(u.problems, problem{name, errs.CodeInvalid, "must be a string (or null to clear it)"})
		return SecretChange{}, false
	}
	if s == nil || strings.TrimSpace(*s) == "" {
		return SecretChange{Clear: true}, true
	}
	return SecretChange{Value: *s}, true
}

func typeMessage(k fieldKind) string {
	switch k {
	case kindBool:
		return "must be true or false (or null to unset it)"
	case kindNumber:
		return "must be a number (or null to unset it)"
	case kindList:
		return "must be a list of strings"
	case kindMap:
		return "must be an object whose values are strings"
	default:
		return "must be a string (or null to unset it)"
	}
}

// document is the JSON object a patch applies to: the set values, and each
// set secret as SecretIsSet.
func document(v Values, set map[Secret]bool) ([]byte, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(b, &obj); err != nil {
		return nil, err
	}
	for _, s := range Secrets {
		if set[s] {
			obj[string(s)] = json.RawMessage(`"` + SecretIsSet + `"`)
		}
	}
	return json.Marshal(obj)
}

// fromDocument reads a patched document back into a full update: a secret
// still SecretIsSet keeps its value, an absent one is cleared.
func fromDocument(doc []byte, set map[Secret]bool) Update {
	var u Update
	obj, ok := decodeObject(doc, &u)
	if !ok {
		return u
	}
	u.Secrets = map[Secret]SecretChange{}
	for _, s := range Secrets {
		raw, present := obj[string(s)]
		switch {
		case !present:
			if set[s] {
				u.Secrets[s] = SecretChange{Clear: true}
			}
		case string(raw) == `"`+SecretIsSet+`"` && set[s]:
			// unchanged
		case string(raw) == `"`+SecretIsSet+`"`:
			u.problems = append(u.problems, problem{string(s), errs.CodeInvalid,
				`"` + SecretIsSet + `" only stands for a stored secret, and none is stored: send the value itself`})
		default:
			if change, ok := readSecret(&u, string(s), raw); ok {
				u.Secrets[s] = change
			}
		}
		delete(obj, string(s))
	}
	for _, name := range slices.Sorted(maps.Keys(obj)) {
		if slices.Contains(readOnlyKeys, name) {
			u.problems = append(u.problems, problem{name, errs.CodeInvalid, "is not a setting the console knows"})
			continue
		}
		decodeValue(&u, name, obj[name])
	}
	return u
}
