package serviceaccounts_test

import (
	"context"
	"encoding/base64"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"

	"github.com/pomerium-console-oss/pomerium-console/app/apptest"
	"github.com/pomerium-console-oss/pomerium-console/app/authn"
	"github.com/pomerium-console-oss/pomerium-console/app/errs"
	"github.com/pomerium-console-oss/pomerium-console/app/rbac"
	"github.com/pomerium-console-oss/pomerium-console/app/serviceaccounts"
	"github.com/pomerium-console-oss/pomerium-console/db"
	"github.com/pomerium-console-oss/pomerium-console/db/storetest"
)

// mint signs claims with key as any HS256 issuer would.
func mint(t testing.TB, key []byte, claims jwt.Claims) string {
	t.Helper()
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.HS256, Key: key}, (&jose.SignerOptions{}).WithType("JWT"))
	if err != nil {
		t.Fatal(err)
	}
	token, err := jwt.Signed(signer).Claims(claims).Serialize()
	if err != nil {
		t.Fatal(err)
	}
	return token
}

// key is the decoded shared secret of e's databroker.
func (e *env) key() []byte {
	e.t.Helper()
	k, err := base64.StdEncoding.DecodeString(e.broker.SharedSecret())
	if err != nil {
		e.t.Fatal(err)
	}
	return k
}

func TestVerify(t *testing.T) {
	t.Parallel()
	storetest.ForEach(t, func(t *testing.T, s db.Store) {
		e := newEnv(t, s)
		exp := apptest.Now.Add(time.Hour)
		a, token := e.create(serviceaccounts.Input{NamespaceID: prod, UserID: "bot@example.com", Description: "CI", ExpiresAt: &exp})
		unnamed, unnamedToken := e.create(serviceaccounts.Input{NamespaceID: eng})

		p, err := e.svc.Verify(t.Context(), token)
		if err != nil {
			t.Fatal(err)
		}
		want := authn.Principal{
			Kind: authn.KindServiceAccount, UserID: "bot@example.com", Name: "CI", ServiceAccountID: a.ID,
			ServiceAccountNamespaceID: prod, ExpiresAt: exp.Truncate(time.Second),
		}
		if p.Kind != want.Kind || p.UserID != want.UserID || p.Name != want.Name || p.ServiceAccountID != want.ServiceAccountID ||
			p.ServiceAccountNamespaceID != want.ServiceAccountNamespaceID || !p.ExpiresAt.Equal(want.ExpiresAt) {
			t.Fatalf("principal\n got %+v\nwant %+v", p, want)
		}
		if p, err = e.svc.Verify(t.Context(), unnamedToken); err != nil || p.Name != "service account "+unnamed.ID {
			t.Fatalf("an account without description: %+v %v", p, err)
		}

		parts := strings.Split(token, ".")
		other := make([]byte, 32)
		for i := range other {
			other[i] = byte(i)
		}
		issued := jwt.NewNumericDate(a.IssuedAt)
		claims := jwt.Claims{ID: a.ID, Subject: a.UserID, IssuedAt: issued, NotBefore: issued}
		forgedClaims := base64.RawURLEncoding.EncodeToString([]byte(`{"jti":"` + a.ID + `","sub":"u-root","iat":1}`))
		const badSig = "unauthenticated: the service account token's signature is not valid"
		tests := []struct {
			name, token, msg string
		}{
			{"not a JWT", "not-a-token", "unauthenticated: the service account token is not a well-formed HS256 JWT"},
			{"an empty token", "", "unauthenticated: the service account token is not a well-formed HS256 JWT"},
			{"alg none", base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"none"}`)) + "." + parts[1] + ".",
				"unauthenticated: the service account token is not a well-formed HS256 JWT"},
			{"claims swapped under the old signature", parts[0] + "." + forgedClaims + "." + parts[2], badSig},
			{"signed with another secret", mint(t, other, claims), badSig},
			{"the right key but another subject", mint(t, e.key(), jwt.Claims{ID: a.ID, Subject: "u-root"}), badSig},
			{"no jti", mint(t, e.key(), jwt.Claims{Subject: a.UserID}), "unauthenticated: the service account token has no jti (account id)"},
			{"an unknown jti", mint(t, e.key(), jwt.Claims{ID: "a-session-id", Subject: a.UserID}),
				"unauthenticated: the service account token names no known account"},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				_, err := e.svc.Verify(t.Context(), tc.token)
				apptest.WantErr(t, err, errs.ErrUnauthenticated, tc.msg)
			})
		}

		// The account's expiry decides, at once.
		e.clock.skip(time.Hour)
		_, err = e.svc.Verify(t.Context(), token)
		apptest.WantErr(t, err, errs.ErrUnauthenticated, `unauthenticated: service account "CI" expired at 2026-02-03T05:05:06Z`)

		// A new shared secret makes old tokens useless, as in Core.
		e.pointDefaultAt(e.broker.URL(), base64.StdEncoding.EncodeToString(other))
		_, err = e.svc.Verify(t.Context(), unnamedToken)
		apptest.WantErr(t, err, errs.ErrUnauthenticated, badSig)
	})
}

func TestVerifyRecordsUseOncePerMinute(t *testing.T) {
	t.Parallel()
	storetest.ForEach(t, func(t *testing.T, s db.Store) {
		e := newEnv(t, s)
		a, token := e.create(serviceaccounts.Input{NamespaceID: eng})
		if got := e.get(a.ID); !got.AccessedAt.IsZero() {
			t.Fatalf("a new account was used at %v", got.AccessedAt)
		}
		steps := []struct {
			skip time.Duration
			want time.Time
		}{
			{0, apptest.Now},
			{30 * time.Second, apptest.Now},
			{29 * time.Second, apptest.Now},
			{time.Second, apptest.Now.Add(time.Minute)},
		}
		for i, step := range steps {
			e.clock.skip(step.skip)
			if _, err := e.svc.Verify(t.Context(), token); err != nil {
				t.Fatal(err)
			}
			if got := e.get(a.ID).AccessedAt; !got.Equal(step.want.Truncate(time.Millisecond)) {
				t.Fatalf("step %d: accessed at %v, want %v", i, got, step.want)
			}
		}
	})
}

func TestAccountRolesStayInItsNamespace(t *testing.T) {
	t.Parallel()
	storetest.ForEach(t, func(t *testing.T, s db.Store) {
		e := newEnv(t, s)
		e.User(t, "u-boss", apptest.Roles{global: rbac.RoleAdmin})
		// An account of Engineering impersonating a Global admin.
		a, token := e.create(serviceaccounts.Input{NamespaceID: eng, UserID: "u-boss", Description: "boss bot"})
		p, err := e.svc.Verify(t.Context(), token)
		if err != nil {
			t.Fatal(err)
		}
		acc := e.Resolve(t, p)
		for ns, want := range map[string]rbac.Role{global: rbac.RoleNone, eng: rbac.RoleAdmin, prod: rbac.RoleAdmin, fin: rbac.RoleNone} {
			if got := acc.Role(ns); got != want {
				t.Errorf("role on %s = %s, want %s", ns, got, want)
			}
		}
		apptest.WantRefused(t, s, apptest.Forbidden(`you have no role on namespace "Global"; the manager role is needed`),
			func() (string, error) {
				_, token, err := e.svc.Create(context.Background(), acc, serviceaccounts.Input{NamespaceID: global})
				return token, err
			})
		before := storetest.Capture(t, s)
		if _, _, err := e.svc.Create(t.Context(), acc, serviceaccounts.Input{NamespaceID: prod}); err != nil {
			t.Fatal(err)
		}
		e.svc.Wait()
		entry := before.OnlyNewActivity(t, s)
		if entry.ServiceAccountID != a.ID || entry.UserID != "u-boss" || entry.AuthMethod != authn.KindServiceAccount || entry.UserName != "boss bot" {
			t.Fatalf("the entry names %+v, want the account %s", entry, a.ID)
		}
	})
}

// BenchmarkVerify is the cost a token adds to every API call: a read of
// the account and of the cluster coverage, with the key cached.
func BenchmarkVerify(b *testing.B) {
	s := storetest.OpenSQLite(b)
	e := newEnv(b, s)
	_, token := e.create(serviceaccounts.Input{NamespaceID: prod})
	ctx := context.Background()
	b.ResetTimer()
	for b.Loop() {
		if _, err := e.svc.Verify(ctx, token); err != nil {
			b.Fatal(err)
		}
	}
}

// Behind Pomerium the console sees the account's request as an assertion
// whose sid is the account id: it must still be the account, capped to its
// namespace, and refused once revoked.
func TestFromAssertion(t *testing.T) {
	t.Parallel()
	storetest.ForEach(t, func(t *testing.T, s db.Store) {
		e := newEnv(t, s)
		e.User(t, "u-boss", apptest.Roles{global: rbac.RoleAdmin})
		a, _ := e.create(serviceaccounts.Input{NamespaceID: eng, UserID: "u-boss"})
		asserted := authn.Principal{Kind: authn.KindPomerium, UserID: "u-boss", SessionID: a.ID}
		p, err := e.svc.FromAssertion(t.Context(), asserted)
		if err != nil {
			t.Fatal(err)
		}
		if p.Kind != authn.KindServiceAccount || p.ServiceAccountID != a.ID {
			t.Fatalf("principal = %+v, want the account", p)
		}
		if got := e.Resolve(t, p).Role(global); got != rbac.RoleNone {
			t.Fatalf("role on Global through Pomerium = %s, want none", got)
		}

		// A browser session of the same user is the user.
		user := authn.Principal{Kind: authn.KindPomerium, UserID: "u-boss", SessionID: "browser-session"}
		if p, err := e.svc.FromAssertion(t.Context(), user); err != nil || p.Kind != authn.KindPomerium {
			t.Fatalf("a user's own session became %+v, %v", p, err)
		}
		// A sid equal to an account id with another subject is not that account.
		other := authn.Principal{Kind: authn.KindPomerium, UserID: "u-else", SessionID: a.ID}
		if p, err := e.svc.FromAssertion(t.Context(), other); err != nil || p.Kind != authn.KindPomerium {
			t.Fatalf("another subject became %+v, %v", p, err)
		}

		if _, err := e.svc.Revoke(t.Context(), e.root, a.ID); err != nil {
			t.Fatal(err)
		}
		e.svc.Wait()
		if _, err := e.svc.FromAssertion(t.Context(), asserted); !errors.Is(err, errs.ErrUnauthenticated) {
			t.Fatalf("a revoked account through Pomerium: err = %v, want unauthenticated", err)
		}
	})
}
