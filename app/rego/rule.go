package rego

import (
	"encoding/json"
	"strings"
)

// Reasons shared by several templates; the per-criterion ones sit next to
// their criterion. Core acts on these exact strings (login redirect, device
// registration), so they must not change.
const (
	reasonUserUnauthenticated   = "user-unauthenticated"
	reasonDeviceUnauthenticated = "device-unauthenticated"
)

// branch is one arm of a criterion rule's else chain: value when body holds;
// a nil body is the unconditional final arm.
type branch struct {
	value string
	body  []string
}

// chain is a criterion rule: its arms in order. Every chain ends with an
// unconditional arm so the rule is never undefined, which would make the
// combiner's array, and so allow or deny, undefined.
type chain []branch

// write renders the chain as the rule `name` in `opa fmt` layout.
func (c chain) write(b *strings.Builder, name string) {
	for i, br := range c {
		if i == 0 {
			b.WriteString(name)
			b.WriteString(" := ")
		} else {
			b.WriteString(" else := ")
		}
		b.WriteString(br.value)
		if br.body == nil {
			break
		}
		b.WriteString(" if {\n")
		for _, line := range br.body {
			b.WriteString("\t")
			b.WriteString(line)
			b.WriteString("\n")
		}
		b.WriteString("}")
	}
	b.WriteString("\n")
}

// plainRule is Core's plain template: pass when body holds, else fail.
func plainRule(pass, fail string, body ...string) chain {
	return chain{{result(true, pass), body}, {result(false, fail), nil}}
}

// sessionRule is Core's session template: a caller without a session (or
// service account) gets user-unauthenticated instead of fail, which is what
// makes Core send them to the login page.
func (m *module) sessionRule(pass, fail string, body ...string) chain {
	m.helpers.add("has_session")
	return chain{
		{result(true, pass), body},
		{result(false, fail), []string{"has_session"}},
		{result(false, reasonUserUnauthenticated), nil},
	}
}

// deviceRule is Core's device template. Every arm carries the device type as
// additional data, which Core reads to start the right registration flow.
// requireCredential adds the credential check an explicit `type` implies.
func (m *module) deviceRule(deviceType string, requireCredential bool, body ...string) chain {
	m.helpers.add("has_session")
	m.helpers.add("get_device_credential")
	m.helpers.add("get_device_enrollment")
	data := `{"device_type": ` + lit(deviceType) + `}`
	credential := "device_credential := get_device_credential(session, " + lit(deviceType) + ")"
	lookups := []string{credential, "device_enrollment := get_device_enrollment(device_credential)"}
	if requireCredential {
		lookups = append(lookups, `device_credential.id != ""`)
	}
	return chain{
		{result(true, "device-ok", data), append(lookups, body...)},
		{result(false, "device-unauthorized", data), []string{
			"has_session",
			credential,
			`device_credential.id != ""`,
			`get_device_enrollment(device_credential).id != ""`,
		}},
		{result(false, reasonDeviceUnauthenticated, data), []string{"has_session"}},
		{result(false, reasonUserUnauthenticated, data), nil},
	}
}

// result is the literal `[ok, {reason}]`, with the additional-data object
// appended when given.
func result(ok bool, reason string, data ...string) string {
	parts := []string{"false", "{" + lit(reason) + "}"}
	if ok {
		parts[0] = "true"
	}
	parts = append(parts, data...)
	return "[" + strings.Join(parts, ", ") + "]"
}

// lit quotes s as a Rego string. Rego strings are JSON strings; Go's own
// quoting would emit escapes (\x, \a) that Rego rejects.
func lit(s string) string {
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	// Encoding a string cannot fail.
	_ = enc.Encode(s)
	return strings.TrimSuffix(b.String(), "\n")
}

// litList quotes ss as a Rego array of strings.
func litList(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = lit(s)
	}
	return "[" + strings.Join(q, ", ") + "]"
}
