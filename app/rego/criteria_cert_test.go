package rego_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/pomerium-console-oss/pomerium-console/app/rego"
	"github.com/pomerium-console-oss/pomerium-console/app/rego/regotest"
)

func TestClientCertificate(t *testing.T) {
	t.Parallel()
	mine := newCert(t, certOptions{
		emails: []string{"alice@example.com", "ops@corp.example"},
		dns:    []string{"laptop.example.com"},
		uris:   []string{"spiffe://example.com/alice"},
	})
	other := newCert(t, certOptions{emails: []string{"bob@example.com"}, dns: []string{"other.example.org"}})
	presenting := func(c testCert) rego.Input {
		// Envoy may hand over the PEM with surrounding space; Core trims it.
		return regotest.NewInput(regotest.WithClientCertificate("\n"+c.pem+"\n", true))
	}
	ok, no := pass("client-certificate-ok"), fail("client-certificate-unauthorized")
	tests := []struct {
		name        string
		data        string
		mine, other bool // whether each certificate passes
	}{
		{"fingerprint", fmt.Sprintf("{fingerprint: %s}", mine.fingerprint), true, false},
		{"fingerprint with colons", fmt.Sprintf("{fingerprint: '%s'}", mine.colonHex), true, false},
		{"fingerprint list", fmt.Sprintf("{fingerprint: [%s, %s]}", other.fingerprint, mine.fingerprint), true, true},
		{"spki_hash", fmt.Sprintf("{spki_hash: '%s'}", mine.spki), true, false},
		{"san_email", "{san_email: {ends_with: '@corp.example'}}", true, false},
		{"san_email bare value", "{san_email: alice@example.com}", true, false},
		{"san_dns", "{san_dns: {is: laptop.example.com}}", true, false},
		{"san_uri", "{san_uri: {starts_with: 'spiffe://example.com/'}}", true, false},
		// Each condition may be met by a different SAN, as in Core.
		{"conditions per SAN", "{san_email: {starts_with: alice@, ends_with: '@corp.example'}}", true, false},
		{"all keys together", fmt.Sprintf("{fingerprint: %s, spki_hash: '%s', san_dns: laptop.example.com}",
			mine.fingerprint, mine.spki), true, false},
		{"all keys, one wrong", fmt.Sprintf("{fingerprint: %s, san_dns: other.example.org}", mine.fingerprint), false, false},
		{"other fingerprint", fmt.Sprintf("{fingerprint: %s}", other.fingerprint), false, true},
		{"other spki_hash", fmt.Sprintf("{spki_hash: '%s'}", other.spki), false, true},
		{"san_uri nobody has", "{san_uri: {contains: bob}}", false, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			want := func(passes bool) rego.Result {
				if passes {
					return ok
				}
				return no
			}
			criterionCases(t, "client_certificate: "+tc.data, []evalCase{
				{name: "mine", in: presenting(mine), allow: want(tc.mine)},
				{name: "other", in: presenting(other), allow: want(tc.other)},
				{name: "none", in: anonymous, allow: no},
				{name: "garbage", in: regotest.NewInput(regotest.WithClientCertificate("not a certificate", true)), allow: no},
			})
		})
	}
}

func TestSSHUsername(t *testing.T) {
	t.Parallel()
	key := newSSHKey(t)
	login := func(user string) rego.Input { return regotest.NewInput(regotest.WithSSH(user, key.wire())) }
	criterionCases(t, "ssh_username: {in: [root, admin]}", []evalCase{
		{name: "listed", in: login("admin"), allow: pass("ssh-username-ok")},
		{name: "unlisted", in: login("alice"), allow: fail("ssh-username-unauthorized")},
		{name: "HTTP request", in: anonymous, allow: fail("ssh-username-unauthorized")},
	})
}

func TestSSHUsernameMatchesEmail(t *testing.T) {
	t.Parallel()
	login := func(user string) rego.Input {
		return regotest.NewInput(regotest.WithSSH(user, nil), regotest.WithSession("s1"))
	}
	criterionCases(t, "ssh_username_matches_email: true", []evalCase{
		{name: "local part", in: login("alice"), records: signedIn, allow: pass("ssh-username-ok")},
		{name: "other name", in: login("bob"), records: signedIn, allow: fail("ssh-username-unauthorized")},
		{name: "whole email is not the local part", in: login("alice@example.com"), records: signedIn,
			allow: fail("ssh-username-unauthorized")},
		{name: "directory email", in: login("al"), allow: pass("ssh-username-ok"),
			records: append([]regotest.Record{regotest.DirectoryUser("u1", "al@example.com")}, signedIn...)},
		{name: "no email and no login name", in: regotest.NewInput(regotest.WithSession("s1")),
			records: []regotest.Record{aliceSession}, allow: fail("ssh-username-unauthorized")},
		{name: "no session", in: regotest.NewInput(regotest.WithSSH("alice", nil)), allow: fail("user-unauthenticated")},
	})
}

func TestSSHUsernameMatchesClaim(t *testing.T) {
	t.Parallel()
	login := func(user string) rego.Input {
		return regotest.NewInput(regotest.WithSSH(user, nil), regotest.WithSession("s1"))
	}
	records := []regotest.Record{aliceSession.WithClaims(map[string]any{"unix_logins": []any{"alice", "deploy"}}), alice}
	criterionCases(t, "ssh_username_matches_claim: unix_logins", []evalCase{
		{name: "in claim", in: login("deploy"), records: records, allow: pass("ssh-username-ok")},
		{name: "not in claim", in: login("root"), records: records, allow: fail("ssh-username-unauthorized")},
		{name: "no claim", in: login("alice"), records: signedIn, allow: fail("ssh-username-unauthorized")},
		{name: "no session", in: regotest.NewInput(regotest.WithSSH("alice", nil)), allow: fail("user-unauthenticated")},
	})
}

func TestSSHPublicKey(t *testing.T) {
	t.Parallel()
	a, b, c := newSSHKey(t), newSSHKey(t), newSSHKey(t)
	offering := func(k sshKey) rego.Input { return regotest.NewInput(regotest.WithSSH("alice", k.wire())) }
	criterionCases(t, fmt.Sprintf("ssh_publickey: [%q, %q]", a.authorized, b.authorized), []evalCase{
		{name: "first key", in: offering(a), allow: pass("ssh-publickey-ok")},
		{name: "second key", in: offering(b), allow: pass("ssh-publickey-ok")},
		{name: "other key", in: offering(c), allow: fail("ssh-publickey-unauthorized")},
		{name: "HTTP request", in: anonymous, allow: fail("ssh-publickey-unauthorized")},
	})
}

func TestSSHCA(t *testing.T) {
	t.Parallel()
	ca, otherCA, user := newSSHKey(t), newSSHKey(t), newSSHKey(t)
	from, to := testNow.Add(-time.Hour), testNow.Add(time.Hour)
	login := func(name string, key []byte) rego.Input { return regotest.NewInput(regotest.WithSSH(name, key)) }
	valid := user.userCert(t, ca, 1, from, to, "alice") // 1 = ssh.UserCert
	criterionCases(t, fmt.Sprintf("ssh_ca: %q", ca.authorized), []evalCase{
		{name: "signed for the login", in: login("alice", valid), allow: pass("ssh-publickey-ok")},
		{name: "other principal", in: login("root", valid), allow: fail("ssh-publickey-unauthorized")},
		{name: "other CA", in: login("alice", user.userCert(t, otherCA, 1, from, to, "alice")),
			allow: fail("ssh-publickey-unauthorized")},
		{name: "expired", in: login("alice", user.userCert(t, ca, 1, from.Add(-2*time.Hour), from, "alice")),
			allow: fail("ssh-publickey-unauthorized")},
		{name: "not yet valid", in: login("alice", user.userCert(t, ca, 1, to, to.Add(time.Hour), "alice")),
			allow: fail("ssh-publickey-unauthorized")},
		{name: "host certificate", in: login("alice", user.userCert(t, ca, 2, from, to, "alice")),
			allow: fail("ssh-publickey-unauthorized")},
		{name: "plain key", in: login("alice", user.wire()), allow: fail("ssh-publickey-unauthorized")},
		{name: "HTTP request", in: anonymous, allow: fail("ssh-publickey-unauthorized")},
	})
}
