package rego_test

import (
	"testing"
	"time"

	"github.com/pomerium-console-oss/pomerium-console/app/rego/regotest"
)

func TestEmail(t *testing.T) {
	t.Parallel()
	criterionCases(t, "email: alice@example.com", []evalCase{
		{name: "match", in: withS1, records: signedIn, allow: pass("email-ok")},
		{name: "other user", in: withS1, records: []regotest.Record{aliceSession, regotest.User("u1", "bob@example.com")},
			allow: fail("email-unauthorized")},
		{name: "no session", in: anonymous, records: signedIn, allow: fail("user-unauthenticated")},
		{name: "unknown session id", in: regotest.NewInput(regotest.WithSession("nope")), records: signedIn,
			allow: fail("user-unauthenticated")},
		{name: "session without user record", in: withS1, records: []regotest.Record{aliceSession},
			allow: fail("email-unauthorized")},
		{name: "expired session", in: withS1,
			records: []regotest.Record{aliceSession.ExpiresAt(testNow.Add(-time.Second)), alice},
			allow:   fail("user-unauthenticated")},
		{name: "session not yet expired", in: withS1,
			records: []regotest.Record{aliceSession.ExpiresAt(testNow.Add(time.Second)), alice},
			allow:   pass("email-ok")},
		{name: "service account", in: regotest.NewInput(regotest.WithSession("sa1")),
			records: []regotest.Record{regotest.ServiceAccount("sa1", "u1"), alice}, allow: pass("email-ok")},
		{name: "service account wins over a session with its id", in: regotest.NewInput(regotest.WithSession("x")),
			records: []regotest.Record{regotest.ServiceAccount("x", "u1"), regotest.Session("x", "u2"), alice,
				regotest.User("u2", "bob@example.com")},
			allow: pass("email-ok")},
		{name: "expired service account", in: regotest.NewInput(regotest.WithSession("sa1")),
			records: []regotest.Record{regotest.ServiceAccount("sa1", "u1").ExpiresAt(testNow.Add(-time.Hour)), alice},
			allow:   fail("user-unauthenticated")},
		{name: "impersonation uses the impersonated user", in: regotest.NewInput(regotest.WithSession("s0")),
			records: []regotest.Record{regotest.Session("s0", "u0").Impersonating("s1"), regotest.User("u0", "admin@example.com"),
				aliceSession, alice},
			allow: pass("email-ok")},
		{name: "impersonator's own email does not count", in: regotest.NewInput(regotest.WithSession("s1")),
			records: []regotest.Record{aliceSession.Impersonating("s9"), regotest.Session("s9", "u9"), alice,
				regotest.User("u9", "eve@example.com")},
			allow: fail("email-unauthorized")},
		{name: "impersonated session missing", in: withS1,
			records: []regotest.Record{aliceSession.Impersonating("gone"), alice}, allow: fail("user-unauthenticated")},
		{name: "directory email wins", in: withS1,
			records: []regotest.Record{aliceSession, regotest.User("u1", "old@example.com"),
				regotest.DirectoryUser("u1", "alice@example.com")},
			allow: pass("email-ok")},
		{name: "directory email wins even when the user's matches", in: withS1,
			records: []regotest.Record{aliceSession, alice, regotest.DirectoryUser("u1", "new@example.com")},
			allow:   fail("email-unauthorized")},
		{name: "directory user without email falls back", in: withS1,
			records: []regotest.Record{aliceSession, alice, regotest.DirectoryUser("u1", "", "g1")},
			allow:   pass("email-ok")},
		{name: "directory email alone", in: withS1,
			records: []regotest.Record{aliceSession, regotest.DirectoryUser("u1", "alice@example.com")},
			allow:   pass("email-ok")},
	})
}

func TestDomain(t *testing.T) {
	t.Parallel()
	criterionCases(t, "domain: {is: example.com}", []evalCase{
		{name: "match", in: withS1, records: signedIn, allow: pass("domain-ok")},
		{name: "other domain", in: withS1, records: []regotest.Record{aliceSession, regotest.User("u1", "a@example.org")},
			allow: fail("domain-unauthorized")},
		{name: "subdomain is another domain", in: withS1,
			records: []regotest.Record{aliceSession, regotest.User("u1", "a@mail.example.com")}, allow: fail("domain-unauthorized")},
		{name: "email without @", in: withS1, records: []regotest.Record{aliceSession, regotest.User("u1", "alice")},
			allow: fail("domain-unauthorized")},
		{name: "directory email wins", in: withS1,
			records: []regotest.Record{aliceSession, regotest.User("u1", "a@example.org"), regotest.DirectoryUser("u1", "a@example.com")},
			allow:   pass("domain-ok")},
		{name: "no session", in: anonymous, allow: fail("user-unauthenticated")},
	})
}

func TestUser(t *testing.T) {
	t.Parallel()
	criterionCases(t, "user: u1", []evalCase{
		{name: "match", in: withS1, records: signedIn, allow: pass("user-ok")},
		{name: "other user", in: regotest.NewInput(regotest.WithSession("s2")), records: []regotest.Record{regotest.Session("s2", "u2")},
			allow: fail("user-unauthorized")},
		{name: "no session", in: anonymous, allow: fail("user-unauthenticated")},
		{name: "service account's user", in: regotest.NewInput(regotest.WithSession("sa1")),
			records: []regotest.Record{regotest.ServiceAccount("sa1", "u1")}, allow: pass("user-ok")},
		{name: "service account without user", in: regotest.NewInput(regotest.WithSession("sa1")),
			records: []regotest.Record{regotest.ServiceAccount("sa1", "")}, allow: fail("user-unauthorized")},
		{name: "impersonated session's user", in: regotest.NewInput(regotest.WithSession("s0")),
			records: []regotest.Record{regotest.Session("s0", "u0").Impersonating("s1"), aliceSession}, allow: pass("user-ok")},
	})
}

func TestAuthenticatedUser(t *testing.T) {
	t.Parallel()
	criterionCases(t, "authenticated_user: true", []evalCase{
		{name: "session", in: withS1, records: signedIn, allow: pass("user-ok")},
		{name: "service account with user", in: regotest.NewInput(regotest.WithSession("sa1")),
			records: []regotest.Record{regotest.ServiceAccount("sa1", "u1")}, allow: pass("user-ok")},
		{name: "session without user id", in: withS1, records: []regotest.Record{regotest.Session("s1", "")},
			allow: fail("user-unauthorized")},
		{name: "no session", in: anonymous, allow: fail("user-unauthenticated")},
		{name: "expired session", in: withS1, records: []regotest.Record{aliceSession.ExpiresAt(testNow.Add(-time.Minute))},
			allow: fail("user-unauthenticated")},
	})
}

func TestClaim(t *testing.T) {
	t.Parallel()
	withClaims := func(session, user map[string]any) []regotest.Record {
		return []regotest.Record{aliceSession.WithClaims(session), alice.WithClaims(user)}
	}
	groups := map[string]any{"groups": []any{"admins", "staff"}}
	t.Run("has", func(t *testing.T) {
		t.Parallel()
		criterionCases(t, "claim/groups: admins", []evalCase{
			{name: "session claim", in: withS1, records: withClaims(groups, nil), allow: pass("claim-ok")},
			{name: "user claim", in: withS1, records: withClaims(nil, groups), allow: pass("claim-ok")},
			{name: "missing value", in: withS1, records: withClaims(map[string]any{"groups": []any{"staff"}}, nil),
				allow: fail("claim-unauthorized")},
			{name: "user claims win over session claims", in: withS1,
				records: withClaims(groups, map[string]any{"groups": []any{"staff"}}), allow: fail("claim-unauthorized")},
			{name: "claims of both are merged by name", in: withS1,
				records: withClaims(groups, map[string]any{"department": []any{"it"}}), allow: pass("claim-ok")},
			{name: "no claims", in: withS1, records: signedIn, allow: fail("claim-unauthorized")},
			{name: "no session", in: anonymous, allow: fail("user-unauthenticated")},
		})
	})
	t.Run("nested path", func(t *testing.T) {
		t.Parallel()
		nested := map[string]any{"realm_access": map[string]any{"roles": []any{"admin"}}}
		criterionCases(t, "claim/realm_access/roles: admin", []evalCase{
			{name: "nested object", in: withS1, records: withClaims(nested, nil), allow: pass("claim-ok")},
			{name: "literal key with slash", in: withS1,
				records: withClaims(map[string]any{"realm_access/roles": []any{"admin"}}, nil), allow: pass("claim-ok")},
			{name: "other role", in: withS1,
				records: withClaims(map[string]any{"realm_access": map[string]any{"roles": []any{"user"}}}, nil),
				allow:   fail("claim-unauthorized")},
			{name: "path stops early", in: withS1,
				records: withClaims(map[string]any{"realm_access": []any{"admin"}}, nil), allow: fail("claim-unauthorized")},
		})
		criterionCases(t, "claim/realm_access.roles: admin", []evalCase{
			{name: "dots walk too", in: withS1, records: withClaims(nested, nil), allow: pass("claim-ok")},
		})
	})
	t.Run("typed values", func(t *testing.T) {
		t.Parallel()
		criterionCases(t, "claim/email_verified: true", []evalCase{
			{name: "boolean claim", in: withS1, records: withClaims(map[string]any{"email_verified": []any{true}}, nil),
				allow: pass("claim-ok")},
			{name: "string claim is not the boolean", in: withS1,
				records: withClaims(map[string]any{"email_verified": []any{"true"}}, nil), allow: fail("claim-unauthorized")},
		})
	})
}

func TestGroups(t *testing.T) {
	t.Parallel()
	dir := func(ids ...string) []regotest.Record {
		return append([]regotest.Record{regotest.DirectoryUser("u1", "", ids...)}, signedIn...)
	}
	criterionCases(t, "groups: {has: g1}", []evalCase{
		{name: "member", in: withS1, records: dir("g0", "g1"), allow: pass("groups-ok")},
		{name: "not a member", in: withS1, records: dir("g2"), allow: fail("groups-unauthorized")},
		{name: "no groups", in: withS1, records: dir(), allow: fail("groups-unauthorized")},
		{name: "no directory user", in: withS1, records: signedIn, allow: fail("groups-unauthorized")},
		{name: "group name is not the id", in: withS1,
			records: append([]regotest.Record{regotest.DirectoryUser("u1", "").With("group_names", []string{"g1"})}, signedIn...),
			allow:   fail("groups-unauthorized")},
		{name: "no session", in: anonymous, records: dir("g1"), allow: fail("user-unauthenticated")},
		{name: "service account's user", in: regotest.NewInput(regotest.WithSession("sa1")),
			records: []regotest.Record{regotest.ServiceAccount("sa1", "u1"), regotest.DirectoryUser("u1", "", "g1")},
			allow:   pass("groups-ok")},
	})
	// As in Core, exclude needs a directory user: the builtin's null
	// makes the lookup fail rather than yield no groups.
	criterionCases(t, "groups: {exclude: g1}", []evalCase{
		{name: "not a member", in: withS1, records: dir("g2"), allow: pass("groups-ok")},
		{name: "member", in: withS1, records: dir("g1"), allow: fail("groups-unauthorized")},
		{name: "no directory user", in: withS1, records: signedIn, allow: fail("groups-unauthorized")},
	})
}
