package web

import (
	"context"
	"log/slog"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/compress"
	"github.com/gofiber/fiber/v2/middleware/requestid"

	"github.com/pomerium-console-oss/pomerium-console/app/activity"
	"github.com/pomerium-console-oss/pomerium-console/app/authn"
	"github.com/pomerium-console-oss/pomerium-console/app/clusters"
	"github.com/pomerium-console-oss/pomerium-console/app/configyaml"
	"github.com/pomerium-console-oss/pomerium-console/app/deploy"
	"github.com/pomerium-console-oss/pomerium-console/app/keypairs"
	"github.com/pomerium-console-oss/pomerium-console/app/members"
	"github.com/pomerium-console-oss/pomerium-console/app/namespaces"
	"github.com/pomerium-console-oss/pomerium-console/app/policies"
	"github.com/pomerium-console-oss/pomerium-console/app/rbac"
	"github.com/pomerium-console-oss/pomerium-console/app/routes"
	"github.com/pomerium-console-oss/pomerium-console/app/runtime"
	"github.com/pomerium-console-oss/pomerium-console/app/serviceaccounts"
	"github.com/pomerium-console-oss/pomerium-console/app/settings"
	"github.com/pomerium-console-oss/pomerium-console/app/users"
	"github.com/pomerium-console-oss/pomerium-console/db"
)

// Deps is everything the web front needs; cmd builds it once at start-up.
type Deps struct {
	Store      db.Store
	Logger     *slog.Logger
	Now        func() time.Time
	Version    string
	Authorizer *rbac.Authorizer
	// Pomerium verifies the X-Pomerium-Jwt-Assertion header; nil when no
	// signing key is configured.
	Pomerium        *authn.PomeriumVerifier
	Recovery        *authn.Recovery
	ServiceAccounts authn.ServiceAccountVerifier
	// ServiceAccountService manages service accounts (their pages).
	ServiceAccountService *serviceaccounts.Service
	Namespaces            *namespaces.Service
	Members               *members.Service
	Users                 *users.Service
	Policies              *policies.Service
	Routes                *routes.Service
	KeyPairs              *keypairs.Service
	Activity              *activity.Reader
	Settings              *settings.Service
	Clusters              *clusters.Service
	Deploy                *deploy.Service
	// Runtime reads and changes Pomerium Core's sessions, users and devices.
	Runtime *runtime.Service
	// ConfigYAML imports and exports Pomerium's config.yaml.
	ConfigYAML *configyaml.Service
	// SessionHashKey and SessionBlockKey sign and encrypt the session cookie.
	SessionHashKey  []byte
	SessionBlockKey []byte
	// SecureCookies is true when the console is served over TLS.
	SecureCookies bool
}

// server holds the dependencies the handlers share.
type server struct {
	Deps
	sessions *sessionStore
}

// sessionMaxAge bounds how long an idle browser session lasts; Pomerium
// sign-ins are re-checked on every request anyway, and recovery sessions
// end at their token's expiry.
const sessionMaxAge = 12 * time.Hour

// New builds the Fiber app with every route of the browser UI.
func New(d Deps) *fiber.App {
	s := &server{Deps: d, sessions: newSessionStore(d.SessionHashKey, d.SessionBlockKey, d.SecureCookies, sessionMaxAge)}
	app := fiber.New(fiber.Config{
		AppName:               "pomerium-console",
		DisableStartupMessage: true,
		ErrorHandler:          s.handleError,
		ReadTimeout:           30 * time.Second,
		WriteTimeout:          60 * time.Second,
		IdleTimeout:           120 * time.Second,
		BodyLimit:             8 << 20,
	})
	app.Use(requestid.New(), s.recoverPanics, securityHeaders(d.SecureCookies), s.accessLog)
	app.Use(compress.New())
	app.Get("/healthz", s.healthz)
	app.Get("/readyz", s.readyz)
	app.Get("/assets/*", serveAsset)

	api := app.Group("/api", s.requireServiceAccount)
	api.All("/*", func(c *fiber.Ctx) error { return fiber.ErrNotFound })

	app.Use(s.withSession, s.checkCSRF)
	app.Get("/sign-in", s.signInPage)
	app.Post("/sign-in/recovery", s.signInRecovery)
	app.Get("/signed-out", s.signedOutPage)
	app.Post("/sign-out", s.signOut)

	app.Use(s.requireSignIn)
	app.Get("/", s.home)
	ns := app.Group("/ns/:ns", s.withNamespace)
	ns.Get("/", s.namespaceHome)
	registerNamespaces(ns, s)
	registerMembers(ns, s)
	registerActivity(ns, s)
	registerPolicies(ns, s)
	registerRoutes(ns, s)
	registerKeyPairs(ns, s)
	registerSettings(ns, s)
	registerClusters(ns, s)
	registerImport(ns, s)
	registerDeployments(ns, s)
	registerSessions(ns, s)
	registerDevices(ns, s)
	registerUsers(ns, s)
	registerServiceAccounts(ns, s)
	registerComingSoon(ns, s)
	app.Use(func(c *fiber.Ctx) error { return fiber.ErrNotFound })
	return app
}

// ready reports whether the store answers, for /readyz.
func (s *server) ready(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	return s.Store.Ping(ctx)
}
