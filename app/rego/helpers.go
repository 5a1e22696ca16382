package rego

import "strings"

// Record types the helpers and criteria read (rego-contract §3.1).
const (
	typeSession          = "type.googleapis.com/session.Session"
	typeServiceAccount   = "type.googleapis.com/user.ServiceAccount"
	typeUser             = "type.googleapis.com/user.User"
	typeDirectoryUser    = "pomerium.io/DirectoryUser"
	typeDeviceCredential = "type.googleapis.com/pomerium.device.Credential"
	typeDeviceEnrollment = "type.googleapis.com/pomerium.device.Enrollment"
)

// helper is one shared rule or function that criteria and combiners use,
// written from the contract's description of Core's generated helpers.
type helper struct {
	name string
	// needs lists the helpers this one calls.
	needs []string
	text  string
}

// helpers is in output order. get_databroker_record returns null (not
// undefined) for a missing or expired record, hence the `!= null` guards
// and the `{}` fallbacks that keep one-level refs such as session.id safe.
// Records are only ever read one level deep or through object.get, or
// deeper inside a function (whose parameters are typed any): Core declares
// the builtin as returning object[string: string], and a deeper ref on that
// type does not compile.
var helpers = []helper{
	{name: "session", needs: []string{"get_session"}, text: `
# session is the caller's session or service account, {} if unknown; a rule
# rather than a call in each criterion so that OPA looks it up once.
session := get_session(input.session.id)
`},
	{name: "has_session", needs: []string{"session"}, text: `
has_session if session.id != ""
`},
	{name: "user_email", needs: []string{"session", "get_user", "get_directory_user", "get_user_email"}, text: `
user_email := get_user_email(get_user(session), get_directory_user(session))
`},
	{name: "all_claims", needs: []string{"session", "get_user"}, text: `
# all_claims merges the session's claims with the user's; the user's win.
all_claims := object.union(object.get(session, "claims", {}), object.get(get_user(session), "claims", {}))
`},
	{name: "get_session", text: `
# get_session resolves input.session.id: a service account first, then a
# session, following an impersonation to the impersonated session.
get_session(id) := v if {
	v := get_databroker_record("` + typeServiceAccount + `", id)
	v != null
} else := v if {
	s := get_databroker_record("` + typeSession + `", id)
	s != null
	object.get(s, "impersonate_session_id", "") != ""
	v := get_databroker_record("` + typeSession + `", s.impersonate_session_id)
	v != null
} else := v if {
	v := get_databroker_record("` + typeSession + `", id)
	v != null
	object.get(v, "impersonate_session_id", "") == ""
} else := {}
`},
	{name: "get_user", text: `
get_user(session) := v if {
	v := get_databroker_record("` + typeUser + `", session.user_id)
	v != null
} else := {}
`},
	{name: "get_directory_user", text: `
get_directory_user(session) := v if {
	v := get_databroker_record("` + typeDirectoryUser + `", session.user_id)
	v != null
} else := {}
`},
	{name: "get_user_email", text: `
# get_user_email prefers the directory's email over the identity provider's.
get_user_email(user, directory_user) := v if {
	v := object.get(directory_user, "email", "")
	v != ""
} else := object.get(user, "email", "")
`},
	{name: "get_device_credential", text: `
# get_device_credential follows the session's first credential of the device
# type to its record.
get_device_credential(session, device_type_id) := v if {
	refs := [c | some c in object.get(session, "device_credentials", []); c.type_id == device_type_id]
	v := get_databroker_record("` + typeDeviceCredential + `", refs[0].Credential.Id)
	v != null
} else := {}
`},
	{name: "get_device_enrollment", text: `
get_device_enrollment(device_credential) := v if {
	v := get_databroker_record("` + typeDeviceEnrollment + `", device_credential.enrollment_id)
	v != null
} else := {}
`},
	{name: "object_get", text: `
# object_get reads key from obj as one literal key, else as a path of keys
# separated by "/" or ".".
object_get(obj, key, def) := v if {
	v := obj[key]
} else := object.get(obj, split(replace(key, ".", "/"), "/"), def)
`},
	{name: "within_clock", text: `
# within_clock reports whether t lies in [after, before), a range that wraps
# past midnight when before < after.
within_clock(t, after, before) if {
	after <= before
	t >= after
	t < before
}

within_clock(t, after, before) if {
	after > before
	t >= after
}

within_clock(t, after, before) if {
	after > before
	t < before
}
`},
	{name: "invert_criterion_result", text: `
# invert_criterion_result flips a result but keeps its reasons and data.
invert_criterion_result(result) := array.concat([false], array.slice(result, 1, count(result))) if {
	result[0]
} else := array.concat([true], array.slice(result, 1, count(result)))
`},
	{name: "merge_with_and", needs: []string{"merge_results"}, text: `
# merge_with_and passes when every result passes; it explains a failure
# with the failing results only.
merge_with_and(results) := merge_results(true, results) if {
	every r in results {
		r[0]
	}
} else := merge_results(false, [r | some r in results; not r[0]])
`},
	{name: "merge_with_or", needs: []string{"merge_results"}, text: `
# merge_with_or passes when any result passes; it explains a pass with the
# passing results only.
merge_with_or(results) := merge_results(true, passed) if {
	passed := [r | some r in results; r[0]]
	count(passed) > 0
} else := merge_results(false, results)
`},
	{name: "merge_results", needs: []string{"object_union"}, text: `
merge_results(ok, results) := [
	ok,
	union({reasons | some r in results; reasons := r[1]}),
	object_union([extra | some r in results; extra := r[2]]),
]
`},
	{name: "object_union", text: `
# object_union merges objects; for a key in several, the last value wins.
object_union(xs) := {k: v |
	some k in {key | some x in xs; some key, _ in x}
	values := [value | some x in xs; value := x[k]]
	v := values[count(values) - 1]
}
`},
}

// helperIndex finds a helper by name.
var helperIndex = func() map[string]int {
	idx := make(map[string]int, len(helpers))
	for i, h := range helpers {
		idx[h.name] = i
	}
	return idx
}()

// helperSet records which helpers a module needs.
type helperSet map[string]bool

// add marks name and everything it calls as needed.
func (s helperSet) add(name string) {
	if s[name] {
		return
	}
	i, ok := helperIndex[name]
	if !ok {
		panic("rego: unknown helper " + name)
	}
	s[name] = true
	for _, dep := range helpers[i].needs {
		s.add(dep)
	}
}

// write appends the needed helpers in their fixed order.
func (s helperSet) write(b *strings.Builder) {
	for _, h := range helpers {
		if s[h.name] {
			b.WriteString(h.text)
		}
	}
}
