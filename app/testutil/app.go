package testutil

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
	"github.com/gofiber/fiber/v2"

	"github.com/pomerium-console-oss/pomerium-console/app/authn"
	"github.com/pomerium-console-oss/pomerium-console/app/config"
	"github.com/pomerium-console-oss/pomerium-console/app/server"
	"github.com/pomerium-console-oss/pomerium-console/db"
	"github.com/pomerium-console-oss/pomerium-console/db/storetest"
)

// Audience is the console host the test Pomerium asserts for.
const Audience = "console.example.com"

// App is a running console without a listener.
type App struct {
	Fiber      *fiber.App
	Store      db.Store
	Recovery   *authn.Recovery
	Config     *config.Config
	SigningKey *ecdsa.PrivateKey
	// Console is everything server.New built (e.g. the gRPC API).
	Console *server.Console
	grpcState
}

// Option adjusts the config before the console is built.
type Option func(*config.Config)

// WithAdministrators lists config-file administrators.
func WithAdministrators(ids ...string) Option {
	return func(c *config.Config) { c.Administrators = ids }
}

// NewApp builds the console on a fresh, migrated SQLite database in t.TempDir().
func NewApp(t testing.TB, opts ...Option) *App {
	t.Helper()
	store := storetest.Open(t, storetest.SQLiteURL(t))
	return NewAppOn(t, store, opts...)
}

// NewAppOn builds the console over store (e.g. a Postgres one).
func NewAppOn(t testing.TB, store db.Store, opts ...Option) *App {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	encoded, err := authn.EncodeSigningKey(key)
	if err != nil {
		t.Fatal(err)
	}
	cfg := &config.Config{
		DatabaseEncryptionKey: "hNTBe3a1oPWFTtVVzb3kHTAaJeRS6gQpRoGpLNmwdAM=",
		SigningKey:            encoded,
		Audience:              []string{Audience},
		BindAddr:              "127.0.0.1:0",
		GRPCAddr:              "127.0.0.1:0",
		DataDir:               t.TempDir(),
	}
	for _, o := range opts {
		o(cfg)
	}
	c, err := server.New(cfg, store, slog.New(slog.NewTextHandler(io.Discard, nil)), "test")
	if err != nil {
		t.Fatal(err)
	}
	// Background pushes must end before the test's store closes.
	t.Cleanup(func() {
		c.ServiceAccounts.Close()
		c.Deploy.Close()
	})
	return &App{Fiber: c.App, Store: store, Recovery: c.Recovery, Config: cfg, SigningKey: key, Console: c, grpcState: grpcState{owner: t}}
}

// Claims of a Pomerium identity assertion. Zero Audience, IssuedAt and
// Expiry mean what Pomerium sends: this console's audience, now, now+5m.
type Claims struct {
	Subject  string
	Email    string
	Name     string
	Groups   []string
	Audience []string
	IssuedAt time.Time
	Expiry   time.Time
	// SessionID is the sid claim: the caller's Pomerium session, which
	// impersonation patches. Empty leaves the claim out.
	SessionID string
}

// Assertion returns the X-Pomerium-Jwt-Assertion Pomerium would send for c.
func (a *App) Assertion(t testing.TB, c Claims) string {
	t.Helper()
	return SignAssertion(t, a.SigningKey, c)
}

// SignAssertion signs c with key; tests forge assertions with a key the
// console does not know.
func SignAssertion(t testing.TB, key *ecdsa.PrivateKey, c Claims) string {
	t.Helper()
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.ES256, Key: key}, (&jose.SignerOptions{}).WithType("JWT"))
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	if c.Audience == nil {
		c.Audience = []string{Audience}
	}
	if c.IssuedAt.IsZero() {
		c.IssuedAt = now
	}
	if c.Expiry.IsZero() {
		c.Expiry = now.Add(5 * time.Minute)
	}
	extra := map[string]any{"email": c.Email, "name": c.Name, "groups": c.Groups}
	if c.SessionID != "" {
		extra["sid"] = c.SessionID
	}
	tok, err := jwt.Signed(signer).Claims(jwt.Claims{
		Subject:  c.Subject,
		Audience: jwt.Audience(c.Audience),
		IssuedAt: jwt.NewNumericDate(c.IssuedAt),
		Expiry:   jwt.NewNumericDate(c.Expiry),
	}).Claims(extra).Serialize()
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// RecoveryToken issues a recovery token for namespaceID valid for ttl.
func (a *App) RecoveryToken(t testing.TB, namespaceID string, ttl time.Duration) string {
	t.Helper()
	tok, _, err := a.Recovery.Issue(context.Background(), namespaceID, ttl, false)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}
