package server

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/pomerium-console-oss/pomerium-console/app/activity"
	"github.com/pomerium-console-oss/pomerium-console/app/authn"
	"github.com/pomerium-console-oss/pomerium-console/app/clusters"
	"github.com/pomerium-console-oss/pomerium-console/app/config"
	"github.com/pomerium-console-oss/pomerium-console/app/configyaml"
	"github.com/pomerium-console-oss/pomerium-console/app/databroker"
	"github.com/pomerium-console-oss/pomerium-console/app/deploy"
	"github.com/pomerium-console-oss/pomerium-console/app/grpcapi"
	"github.com/pomerium-console-oss/pomerium-console/app/keypairs"
	"github.com/pomerium-console-oss/pomerium-console/app/members"
	"github.com/pomerium-console-oss/pomerium-console/app/namespaces"
	"github.com/pomerium-console-oss/pomerium-console/app/policies"
	"github.com/pomerium-console-oss/pomerium-console/app/rbac"
	"github.com/pomerium-console-oss/pomerium-console/app/routes"
	"github.com/pomerium-console-oss/pomerium-console/app/runtime"
	"github.com/pomerium-console-oss/pomerium-console/app/seal"
	"github.com/pomerium-console-oss/pomerium-console/app/serviceaccounts"
	"github.com/pomerium-console-oss/pomerium-console/app/users"
	"github.com/pomerium-console-oss/pomerium-console/app/web"
	"github.com/pomerium-console-oss/pomerium-console/db"
	"github.com/pomerium-console-oss/pomerium-console/db/dbopen"
	"github.com/pomerium-console-oss/pomerium-console/jobs"
)

// Options tune a run; the zero value is what `serve` does.
type Options struct {
	Version string
	// SkipMigrations starts without applying pending migrations; the server
	// then refuses to start if the schema is behind.
	SkipMigrations bool
	// Out receives the first-run sign-in link (it holds a token, so it goes
	// to the terminal, never to the log).
	Out io.Writer
	// Ready, when set, receives the bound web address once the server accepts
	// connections (tests listen on port 0).
	Ready func(addr net.Addr)
	// GRPCReady, when set, receives the bound gRPC API address.
	GRPCReady func(addr net.Addr)
}

// shutdownTimeout bounds how long in-flight requests may take after SIGTERM.
const shutdownTimeout = 15 * time.Second

// Run serves the console until ctx is cancelled. cfg must be bootstrapped
// and validated.
func Run(ctx context.Context, cfg *config.Config, logger *slog.Logger, opts Options) error {
	store, err := OpenStore(ctx, cfg.DatabaseURL, !opts.SkipMigrations, logger)
	if err != nil {
		return err
	}
	defer func() {
		if err := store.Close(); err != nil {
			logger.Error("close database", "error", err)
		}
	}()
	c, err := New(cfg, store, logger, opts.Version)
	if err != nil {
		return err
	}
	// Open the recovery key now: a wrong database_encryption_key should stop
	// start-up, not the first recovery sign-in.
	if err := c.Recovery.CheckKey(ctx); err != nil {
		return err
	}
	if err := printFirstRunLink(ctx, cfg, store, c.Recovery, opts.Out); err != nil {
		return err
	}

	ln, err := listen(cfg)
	if err != nil {
		return err
	}
	scheduler := jobs.New(logger)
	jobs.RegisterPruneRecoveryTokens(scheduler, store, time.Now)
	jobs.RegisterDeployRetries(scheduler, c.Deploy)
	jobs.RegisterServiceAccountSync(scheduler, c.ServiceAccounts)
	grpcLn, err := net.Listen("tcp", cfg.GRPCAddr)
	if err != nil {
		_ = ln.Close()
		return fmt.Errorf("grpc_addr %s: %w", cfg.GRPCAddr, err)
	}
	scheduler.Start()
	defer c.Deploy.Close()
	defer c.ServiceAccounts.Close()
	defer scheduler.Stop()

	if c.GeneratedCA != "" {
		logger.Info("gRPC API uses a generated certificate; clients must trust its CA", "ca_file", c.GeneratedCA)
	}
	logger.Info("console listening", "addr", ln.Addr().String(), "grpc_addr", grpcLn.Addr().String(), "tls", cfg.TLSEnabled(), "database", store.Kind(), "version", opts.Version)
	if opts.Ready != nil {
		opts.Ready(ln.Addr())
	}
	if opts.GRPCReady != nil {
		opts.GRPCReady(grpcLn.Addr())
	}
	grpcDone := make(chan error, 1)
	grpcCtx, stopGRPC := context.WithCancel(ctx)
	go func() { grpcDone <- c.GRPC.Serve(grpcCtx, grpcLn) }()
	err = serveUntilDone(ctx, c.App, ln, logger)
	stopGRPC()
	if gerr := <-grpcDone; err == nil && gerr != nil {
		err = fmt.Errorf("grpc server: %w", gerr)
	}
	return err
}

// Console is the assembled application.
type Console struct {
	App      *fiber.App
	Recovery *authn.Recovery
	// Deploy applies and pushes configuration; Close it at shutdown.
	Deploy *deploy.Service
	// Runtime reads and changes Core's sessions, users and devices.
	Runtime *runtime.Service
	// ServiceAccounts pushes account records in the background; Close it
	// at shutdown, before Deploy (whose databroker clients it uses).
	ServiceAccounts *serviceaccounts.Service
	// GRPC is the enterprise API; GeneratedCA is the CA its clients must
	// trust when no tls_cert_file is configured (empty otherwise).
	GRPC        *grpcapi.Server
	GeneratedCA string
}

// New wires the services and the web front over an open, migrated store.
func New(cfg *config.Config, store db.Store, logger *slog.Logger, version string) (*Console, error) {
	sealer, err := seal.New(cfg.EncryptionKey())
	if err != nil {
		return nil, fmt.Errorf("database_encryption_key: %w", err)
	}
	now := time.Now
	var pomerium *authn.PomeriumVerifier
	if cfg.SigningKey != "" {
		pub, err := cfg.SigningPublicKey()
		if err != nil {
			return nil, err
		}
		pomerium = authn.NewPomeriumVerifier(pub, cfg.Audience, now)
		if len(cfg.Audience) == 0 {
			logger.Warn("audience is not set: sign-in through Pomerium is refused until it names the console's route host")
		}
	}
	recovery := authn.NewRecovery(store, sealer, now)
	cl, dep, watched := newDeploy(store, sealer, now, logger)
	if err := ensureDefaultCluster(cl, cfg, logger); err != nil {
		return nil, err
	}
	dom := newDomain(watched, sealer, now)
	authorizer := rbac.NewAuthorizer(store, cfg.Administrators)
	nss := namespaces.NewService(watched, now, policies.Blocker, keypairs.Blocker, routes.Blocker, clusters.Blocker,
		serviceaccounts.Blocker).
		WithMoveChecks(routes.MoveCheck)
	mems := members.NewService(store, now)
	usrs := users.NewService(store, now)
	act := activity.NewReader(store)
	rt := runtime.New(runtime.Options{
		Store: watched, Brokers: dep, Secret: cl.OpenSecret, Policies: dom.policies, Authorizer: authorizer, Now: now,
	})
	sas := serviceaccounts.New(serviceaccounts.Options{
		Store: store, Secrets: cl, Databrokers: dep, Now: now, Logger: logger, Backoff: databroker.DefaultBackoff,
	})
	var serviceAccounts authn.ServiceAccountVerifier = sas
	app := web.New(web.Deps{
		Store:                 store,
		Logger:                logger,
		Now:                   now,
		Version:               version,
		Authorizer:            authorizer,
		Pomerium:              pomerium,
		Recovery:              recovery,
		ServiceAccounts:       serviceAccounts,
		ServiceAccountService: sas,
		Namespaces:            nss,
		Policies:              dom.policies,
		Routes:                dom.routes,
		KeyPairs:              dom.keyPairs,
		Members:               mems,
		Users:                 usrs,
		Activity:              act,
		Settings:              dom.settings,
		Clusters:              cl,
		Deploy:                dep,
		Runtime:               rt,
		ConfigYAML:            configyaml.NewService(watched, sealer, now, policies.CompilePPL),
		SessionHashKey:        sealer.Derive("session cookie hash", 32),
		SessionBlockKey:       sealer.Derive("session cookie block", 32),
		SecureCookies:         cfg.TLSEnabled(),
	})
	grpcTLS, generatedCA, err := grpcapi.ServerTLS(grpcapi.TLSFiles{CertFile: cfg.TLSCertFile, KeyFile: cfg.TLSKeyFile, DataDir: cfg.DataDir}, now())
	if err != nil {
		return nil, err
	}
	api := grpcapi.New(grpcapi.Deps{
		Store: watched, Now: now, Namespaces: nss, Members: mems, Activity: act, Clusters: cl, Deploy: dep,
		Settings: dom.settings, Routes: dom.routes, Policies: dom.policies, KeyPairs: dom.keyPairs,
		ServiceAccounts: sas, Runtime: rt,
	}, &grpcapi.Authenticator{
		ServiceAccounts: serviceAccounts, Pomerium: pomerium, Authorizer: authorizer, Seen: usrs.Seen,
	}, grpcTLS, logger)
	return &Console{App: app, Recovery: recovery, Deploy: dep, Runtime: rt, ServiceAccounts: sas, GRPC: api, GeneratedCA: generatedCA}, nil
}

// OpenStore opens the database and applies pending migrations (or, with
// migrate false, refuses a schema that is behind).
func OpenStore(ctx context.Context, databaseURL string, migrate bool, logger *slog.Logger) (db.Store, error) {
	store, err := dbopen.Open(ctx, databaseURL)
	if err != nil {
		return nil, err
	}
	if migrate {
		err = applyMigrations(ctx, store, logger)
	} else {
		err = RequireCurrentSchema(ctx, store)
	}
	if err != nil {
		_ = store.Close()
		return nil, err
	}
	return store, nil
}

func applyMigrations(ctx context.Context, store db.Store, logger *slog.Logger) error {
	m, err := dbopen.NewMigrator(store)
	if err != nil {
		return err
	}
	applied, err := m.Up(ctx)
	if err != nil {
		return fmt.Errorf("migrate database: %w", err)
	}
	for _, name := range applied {
		logger.Info("applied migration", "migration", name)
	}
	return nil
}

// RequireCurrentSchema fails when migrations are pending, naming the fix.
func RequireCurrentSchema(ctx context.Context, store db.Store) error {
	m, err := dbopen.NewMigrator(store)
	if err != nil {
		return err
	}
	pending, err := m.Pending(ctx)
	if err != nil {
		return fmt.Errorf("check database schema: %w", err)
	}
	if pending > 0 {
		return fmt.Errorf("the database schema is %d migration(s) behind: run `pomerium-console migrate up` first", pending)
	}
	return nil
}

func listen(cfg *config.Config) (net.Listener, error) {
	ln, err := net.Listen("tcp", cfg.BindAddr)
	if err != nil {
		return nil, fmt.Errorf("bind_addr %s: %w", cfg.BindAddr, err)
	}
	if !cfg.TLSEnabled() {
		return ln, nil
	}
	cert, err := tls.LoadX509KeyPair(cfg.TLSCertFile, cfg.TLSKeyFile)
	if err != nil {
		_ = ln.Close()
		return nil, fmt.Errorf("tls_cert_file/tls_key_file: %w", err)
	}
	return tls.NewListener(ln, &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}), nil
}

// serveUntilDone serves until ctx ends, then lets in-flight requests finish.
func serveUntilDone(ctx context.Context, app *fiber.App, ln net.Listener, logger *slog.Logger) error {
	errc := make(chan error, 1)
	go func() { errc <- app.Listener(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("http server: %w", err)
	case <-ctx.Done():
	}
	logger.Info("shutting down")
	if err := app.ShutdownWithTimeout(shutdownTimeout); err != nil && !errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("http shutdown: %w", err)
	}
	return nil
}
