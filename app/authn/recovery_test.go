package authn

import (
	"bytes"
	"context"
	"crypto/elliptic"
	"errors"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"

	"github.com/pomerium-console-oss/pomerium-console/app/errs"
	"github.com/pomerium-console-oss/pomerium-console/app/seal"
	"github.com/pomerium-console-oss/pomerium-console/db"
)

const testNS = db.GlobalNamespaceID

var t0 = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

func testSealer(t *testing.T, b byte) *seal.Sealer {
	t.Helper()
	s, err := seal.New(bytes.Repeat([]byte{b}, seal.KeySize))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// clock is a settable now func shared by a test's Recovery instances.
type clock struct{ ns atomic.Int64 }

func newClock(at time.Time) *clock { c := &clock{}; c.set(at); return c }
func (c *clock) set(at time.Time)  { c.ns.Store(at.UnixNano()) }
func (c *clock) now() time.Time    { return time.Unix(0, c.ns.Load()) }

func issue(t *testing.T, r *Recovery, ttl time.Duration, singleUse bool) (string, db.RecoveryToken) {
	t.Helper()
	tok, rec, err := r.Issue(context.Background(), testNS, ttl, singleUse)
	if err != nil {
		t.Fatalf("Issue: %v", err)
	}
	return tok, rec
}

func TestRecoveryIssueAndVerify(t *testing.T) {
	t.Parallel()
	store, clk := newFakeStore(testNS), newClock(t0)
	r := NewRecovery(store, testSealer(t, 1), clk.now)
	tok, rec := issue(t, r, 10*time.Minute, false)

	stored, err := store.GetRecoveryToken(context.Background(), rec.ID)
	if err != nil || stored.NamespaceID != testNS || stored.SingleUse || !stored.ExpiresAt.Equal(t0.Add(10*time.Minute)) {
		t.Fatalf("stored row = %+v, %v", stored, err)
	}
	for i := range 2 { // not single-use: works more than once
		p, err := r.Verify(context.Background(), tok)
		if err != nil {
			t.Fatalf("Verify #%d: %v", i+1, err)
		}
		want := Principal{Kind: KindRecovery, UserID: "recovery:" + rec.ID, Name: "Recovery admin", RecoveryNamespaceID: testNS, ExpiresAt: t0.Add(10 * time.Minute)}
		if p.Kind != want.Kind || p.UserID != want.UserID || p.Name != want.Name || p.RecoveryNamespaceID != want.RecoveryNamespaceID || !p.ExpiresAt.Equal(want.ExpiresAt) {
			t.Fatalf("principal = %+v, want %+v", p, want)
		}
	}
	parts := strings.Split(tok, ".")
	if len(parts) != 3 {
		t.Fatalf("token %q is not a compact JWS", tok)
	}
	jws, err := jose.ParseSignedCompact(tok, []jose.SignatureAlgorithm{jose.ES256})
	if err != nil || jws.Signatures[0].Header.KeyID == "" {
		t.Fatalf("token header lacks kid: %v", err)
	}
}

func TestRecoveryIssueErrors(t *testing.T) {
	t.Parallel()
	r := NewRecovery(newFakeStore(testNS), testSealer(t, 1), time.Now)
	tests := []struct {
		name    string
		ns      string
		ttl     time.Duration
		wantErr error
		wantMsg string
	}{
		{name: "unknown namespace", ns: "nope", ttl: time.Minute, wantErr: errs.ErrNotFound, wantMsg: `namespace "nope"`},
		{name: "zero ttl", ns: testNS, ttl: 0, wantMsg: "ttl: must be at least 1s"},
		{name: "negative ttl", ns: testNS, ttl: -time.Minute, wantMsg: "ttl: must be at least 1s"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, _, err := r.Issue(context.Background(), tc.ns, tc.ttl, false)
			if err == nil || !strings.Contains(err.Error(), tc.wantMsg) {
				t.Fatalf("err = %v, want %q", err, tc.wantMsg)
			}
			if tc.wantErr != nil && !errors.Is(err, tc.wantErr) {
				t.Fatalf("err = %v, want %v", err, tc.wantErr)
			}
			if _, ok := errs.AsValidation(err); tc.wantErr == nil && !ok {
				t.Fatalf("err = %v, want a validation error", err)
			}
		})
	}
}

func TestRecoveryVerifyRejections(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	store, clk := newFakeStore(testNS, "child"), newClock(t0)
	r := NewRecovery(store, testSealer(t, 1), clk.now)
	key, _, err := r.signingKey(ctx)
	if err != nil {
		t.Fatal(err)
	}
	valid, rec := issue(t, r, 5*time.Minute, false)
	claims := func(mod func(m map[string]any)) map[string]any {
		m := map[string]any{"iss": recoveryIssuer, "jti": rec.ID, "ns": testNS, "iat": t0.Unix(), "exp": t0.Add(5 * time.Minute).Unix()}
		if mod != nil {
			mod(m)
		}
		return m
	}
	ours := func(mod func(m map[string]any)) string { return signJWT(t, jose.ES256, key, claims(mod)) }
	shortRow, shortRec := issue(t, r, time.Hour, false)
	store.edit(shortRec.ID, func(t *db.RecoveryToken) { t.ExpiresAt = t0.Add(time.Minute) })
	_, goneRec := issue(t, r, time.Hour, false)
	store.edit(goneRec.ID, func(t *db.RecoveryToken) { t.NamespaceID = "deleted" })
	goneNSToken := ours(func(m map[string]any) { m["jti"] = goneRec.ID; m["ns"] = "deleted" })

	tests := []struct {
		name   string
		token  string
		at     time.Time
		reason string
	}{
		{name: "valid at its last second", token: valid, at: t0.Add(5 * time.Minute)},
		{name: "expired", token: valid, at: t0.Add(5*time.Minute + time.Second), reason: "recovery token expired at 2026-03-01T12:05:00Z"},
		{name: "row expires before the token", token: shortRow, at: t0.Add(2 * time.Minute), reason: "recovery token expired at 2026-03-01T12:01:00Z"},
		{name: "signed with another key", token: signJWT(t, jose.ES256, newKey(t, elliptic.P256()), claims(nil)), at: t0, reason: "recovery token signature is not valid"},
		{name: "altered payload", token: swapPayload(t, valid, claims(func(m map[string]any) { m["ns"] = "child" })), at: t0, reason: "recovery token signature is not valid"},
		{name: "alg none", token: unsignedJWT(t, claims(nil)), at: t0, reason: "recovery token is not an ES256 JWT"},
		{name: "unknown jti", token: ours(func(m map[string]any) { m["jti"] = "forgotten" }), at: t0, reason: "recovery token forgotten is not known"},
		{name: "ns differs from row", token: ours(func(m map[string]any) { m["ns"] = "child" }), at: t0, reason: "does not match its record"},
		{name: "namespace deleted", token: goneNSToken, at: t0, reason: "namespace deleted no longer exists"},
		{name: "issued in the future", token: ours(func(m map[string]any) { m["iat"] = t0.Add(2 * time.Minute).Unix() }), at: t0, reason: "recovery token is issued in the future"},
		{name: "no exp", token: ours(func(m map[string]any) { delete(m, "exp") }), at: t0, reason: "recovery token has no expiry"},
		{name: "other issuer", token: ours(func(m map[string]any) { m["iss"] = "someone" }), at: t0, reason: "lacks its issuer"},
		{name: "empty", token: "", at: t0, reason: "recovery token is missing"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			// Each case gets its own clock so they can run in parallel.
			rr := NewRecovery(store, testSealer(t, 1), func() time.Time { return tc.at })
			t.Parallel()
			p, err := rr.Verify(ctx, tc.token)
			if tc.reason == "" {
				if err != nil || p.Kind != KindRecovery {
					t.Fatalf("Verify = %+v, %v", p, err)
				}
				return
			}
			wantRejected(t, err, tc.reason)
		})
	}
}

func TestRecoverySingleUse(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	r := NewRecovery(newFakeStore(testNS), testSealer(t, 1), newClock(t0).now)
	tok, _ := issue(t, r, time.Hour, true)
	if _, err := r.Verify(ctx, tok); err != nil {
		t.Fatalf("first use: %v", err)
	}
	_, err := r.Verify(ctx, tok)
	wantRejected(t, err, "recovery token was already used at 2026-03-01T12:00:00Z")

	// Concurrent first uses: exactly one wins.
	tok2, _ := issue(t, r, time.Hour, true)
	var wins atomic.Int32
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			if _, err := r.Verify(ctx, tok2); err == nil {
				wins.Add(1)
			} else if !errors.Is(err, errs.ErrUnauthenticated) {
				t.Errorf("concurrent use: %v", err)
			}
		})
	}
	wg.Wait()
	if wins.Load() != 1 {
		t.Fatalf("%d concurrent uses of a single-use token passed, want 1", wins.Load())
	}
}

func TestRecoveryKeyCreatedOnce(t *testing.T) {
	t.Parallel()
	store, clk := newFakeStore(testNS), newClock(t0)
	// Several instances stand for the CLI and server replicas sharing one database.
	var tokens [6]string
	var wg sync.WaitGroup
	for i := range tokens {
		r := NewRecovery(store, testSealer(t, 1), clk.now)
		wg.Go(func() {
			tok, _, err := r.Issue(context.Background(), testNS, time.Hour, false)
			if err != nil {
				t.Errorf("Issue: %v", err)
			}
			tokens[i] = tok
		})
	}
	wg.Wait()
	if store.keyInserts != 1 {
		t.Fatalf("recovery key inserted %d times, want 1", store.keyInserts)
	}
	server := NewRecovery(store, testSealer(t, 1), clk.now)
	for i, tok := range tokens {
		if _, err := server.Verify(context.Background(), tok); err != nil {
			t.Fatalf("token %d from another instance: %v", i, err)
		}
	}
	sealed := store.keys[RecoveryKeyPurpose].Sealed
	if !strings.HasPrefix(sealed, "v1."+testSealer(t, 1).KeyID()+".") {
		t.Fatalf("stored key %q is not sealed with database_encryption_key", sealed)
	}
}

func TestRecoveryWrongEncryptionKey(t *testing.T) {
	t.Parallel()
	store := newFakeStore(testNS)
	tok, _ := issue(t, NewRecovery(store, testSealer(t, 1), time.Now), time.Hour, false)
	other := NewRecovery(store, testSealer(t, 2), time.Now)
	_, err := other.Verify(context.Background(), tok)
	if !errors.Is(err, seal.ErrUnknownKey) || errors.Is(err, errs.ErrUnauthenticated) || !strings.Contains(err.Error(), "another database_encryption_key") {
		t.Fatalf("Verify with the wrong database_encryption_key: %v", err)
	}
	if _, _, err := other.Issue(context.Background(), testNS, time.Hour, false); !errors.Is(err, seal.ErrUnknownKey) {
		t.Fatalf("Issue with the wrong database_encryption_key: %v", err)
	}
}

func TestRecoveryStoreFailureIsNotAnAuthFailure(t *testing.T) {
	t.Parallel()
	store := newFakeStore(testNS)
	r := NewRecovery(store, testSealer(t, 1), time.Now)
	tok, _ := issue(t, r, time.Hour, false)
	store.getErr = errors.New("connection reset")
	_, err := r.Verify(context.Background(), tok)
	if err == nil || errors.Is(err, errs.ErrUnauthenticated) || !strings.Contains(err.Error(), "connection reset") {
		t.Fatalf("err = %v, want the store error, not an authentication failure", err)
	}
}
