package rego

import (
	"errors"

	"github.com/pomerium-console-oss/pomerium-console/app/ppl"
)

// Session criteria read the module's shared rules (session, user_email,
// all_claims), which OPA evaluates once per request however many criteria
// use them. Each body binds what it tests to a local variable first: a
// negated test on an undefined rule (`not user_email in [...]`) would pass.

// authenticatedUser passes for any session or service account that names a
// user.
func authenticatedUser(m *module, _ ppl.Criterion) (chain, error) {
	m.helpers.add("session")
	return m.sessionRule("user-ok", "user-unauthorized", `object.get(session, "user_id", "") != ""`), nil
}

func email(m *module, c ppl.Criterion) (chain, error) {
	return m.emailRule(c, "email-ok", "email-unauthorized", "email")
}

// domain matches what follows the "@" of the email; an email without one
// fails.
func domain(m *module, c ppl.Criterion) (chain, error) {
	return m.emailRule(c, "domain-ok", "domain-unauthorized", "domain", `domain := split(email, "@")[1]`)
}

// emailRule is a session rule running c's string matcher on subject, bound
// after the email by extra.
func (m *module) emailRule(c ppl.Criterion, pass, fail, subject string, extra ...string) (chain, error) {
	sm, err := dataAs[ppl.StringMatcher](c)
	if err != nil {
		return nil, err
	}
	conds, err := stringConds(subject, sm)
	if err != nil {
		return nil, err
	}
	m.helpers.add("user_email")
	body := append([]string{"email := user_email"}, extra...)
	return m.sessionRule(pass, fail, append(body, conds...)...), nil
}

// user matches the session's user id; for a service account that is the
// account's user, for an impersonation the impersonated session's.
func user(m *module, c ppl.Criterion) (chain, error) {
	sm, err := dataAs[ppl.StringMatcher](c)
	if err != nil {
		return nil, err
	}
	conds, err := stringConds("user_id", sm)
	if err != nil {
		return nil, err
	}
	m.helpers.add("session")
	return m.sessionRule("user-ok", "user-unauthorized", append([]string{"user_id := session.user_id"}, conds...)...), nil
}

// claim runs a list matcher on the claim at c.SubPath; a "/" or "." in the
// path walks into nested claim objects.
func claim(m *module, c ppl.Criterion) (chain, error) {
	if c.SubPath == "" {
		return nil, errors.New("claim needs a name: claim/<name>")
	}
	lm, err := dataAs[ppl.ListMatcher](c)
	if err != nil {
		return nil, err
	}
	conds, err := listConds("values", lm)
	if err != nil {
		return nil, err
	}
	m.helpers.add("all_claims")
	m.helpers.add("object_get")
	body := []string{"values := object_get(all_claims, " + lit(c.SubPath) + ", [])"}
	return m.sessionRule("claim-ok", "claim-unauthorized", append(body, conds...)...), nil
}

// groups matches group ids from the directory, read with the builtin
// directly as Core does: no directory user means the matcher cannot pass,
// not even `exclude`.
func groups(m *module, c ppl.Criterion) (chain, error) {
	lm, err := dataAs[ppl.ListMatcher](c)
	if err != nil {
		return nil, err
	}
	conds, err := listConds("group_ids", lm)
	if err != nil {
		return nil, err
	}
	m.helpers.add("session")
	body := []string{
		`directory_user := get_databroker_record("` + typeDirectoryUser + `", session.user_id)`,
		`group_ids := object.get(directory_user, "group_ids", [])`,
	}
	return m.sessionRule("groups-ok", "groups-unauthorized", append(body, conds...)...), nil
}

// sshUsernameMatchesEmail compares the SSH login with the local part of the
// email. An empty email never matches, so an HTTP request (no login name)
// cannot pass for a user without one.
func sshUsernameMatchesEmail(m *module, _ ppl.Criterion) (chain, error) {
	m.helpers.add("user_email")
	return m.sessionRule("ssh-username-ok", "ssh-username-unauthorized",
		"email := user_email",
		`email != ""`,
		`split(email, "@")[0] == input.ssh.username`,
	), nil
}

func sshUsernameMatchesClaim(m *module, c ppl.Criterion) (chain, error) {
	name, err := dataAs[ppl.ClaimName](c)
	if err != nil {
		return nil, err
	}
	if name == "" {
		return nil, errors.New("claim name is empty")
	}
	m.helpers.add("all_claims")
	m.helpers.add("object_get")
	return m.sessionRule("ssh-username-ok", "ssh-username-unauthorized",
		"values := object_get(all_claims, "+lit(string(name))+", [])",
		"input.ssh.username in values",
	), nil
}

// device checks the session's device credential of the requested type.
// As in Core, only an explicit `type` requires a credential by itself: an
// empty device object (or only `approved: false`) passes without one.
func device(m *module, c ppl.Criterion) (chain, error) {
	d, err := dataAs[ppl.Device](c)
	if err != nil {
		return nil, err
	}
	deviceType := d.Type
	if deviceType == "" {
		deviceType = "any"
	}
	var body []string
	if d.Approved != nil {
		op := "=="
		if *d.Approved {
			op = "!="
		}
		body = append(body, `object.get(device_enrollment, "approved_by", "") `+op+` ""`)
	}
	if d.Is != "" {
		body = append(body, "device_credential.id == "+lit(d.Is))
	}
	return m.deviceRule(deviceType, typeWritten(c, d), body...), nil
}

// typeWritten reports whether the policy named a device type, which the
// typed data cannot say once the parser has filled in the default.
func typeWritten(c ppl.Criterion, d ppl.Device) bool {
	if raw, ok := c.Raw.(map[string]any); ok {
		if _, ok := raw["type"]; ok {
			return true
		}
	}
	return d.Type != "" && d.Type != "any"
}
