package grpcapi

import (
	"context"
	"crypto/tls"
	"errors"
	"log/slog"
	"net"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/health"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/reflection"

	"github.com/pomerium-console-oss/pomerium-console/app/activity"
	"github.com/pomerium-console-oss/pomerium-console/app/clusters"
	"github.com/pomerium-console-oss/pomerium-console/app/deploy"
	"github.com/pomerium-console-oss/pomerium-console/app/keypairs"
	"github.com/pomerium-console-oss/pomerium-console/app/members"
	"github.com/pomerium-console-oss/pomerium-console/app/namespaces"
	"github.com/pomerium-console-oss/pomerium-console/app/policies"
	"github.com/pomerium-console-oss/pomerium-console/app/routes"
	"github.com/pomerium-console-oss/pomerium-console/app/runtime"
	"github.com/pomerium-console-oss/pomerium-console/app/serviceaccounts"
	"github.com/pomerium-console-oss/pomerium-console/app/settings"
	"github.com/pomerium-console-oss/pomerium-console/db"
)

// Deps are the domain services behind the API: the same instances the web
// UI uses.
type Deps struct {
	Store      db.Store
	Now        func() time.Time
	Namespaces *namespaces.Service
	Members    *members.Service
	Activity   *activity.Reader
	Clusters   *clusters.Service
	Deploy     *deploy.Service
	Settings   *settings.Service
	Routes     *routes.Service
	Policies   *policies.Service
	KeyPairs   *keypairs.Service
	// ServiceAccounts manages service accounts (the token verifier is the
	// Authenticator's).
	ServiceAccounts *serviceaccounts.Service
	// Runtime reads and changes Core's sessions, users and devices.
	Runtime *runtime.Service
}

// registrations add the API's services; each service file appends its own
// in init, so the services can be written and tested independently.
var registrations []func(*grpc.Server, Deps)

// Server is the API's gRPC server.
type Server struct {
	grpc   *grpc.Server
	logger *slog.Logger
}

// New builds the server with every service registered. tlsConfig is never
// nil: both public clients refuse plaintext.
func New(d Deps, auth *Authenticator, tlsConfig *tls.Config, logger *slog.Logger) *Server {
	codec := newLenientCodec()
	gs := grpc.NewServer(
		grpc.Creds(credentials.NewTLS(tlsConfig)),
		grpc.ForceServerCodecV2(codec),
		// The status interceptor is outermost so it also converts (and
		// recovers) what the others do.
		grpc.ChainUnaryInterceptor(statusInterceptor(logger), codec.claimDecodeError(),
			auth.authInterceptor(logger), strictInterceptor),
	)
	for _, register := range registrations {
		register(gs, d)
	}
	healthpb.RegisterHealthServer(gs, health.NewServer())
	reflection.Register(gs)
	return &Server{grpc: gs, logger: logger}
}

// shutdownTimeout bounds how long in-flight calls may run after ctx ends.
const shutdownTimeout = 15 * time.Second

// Serve answers calls on ln until ctx ends, then lets in-flight calls finish.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	errc := make(chan error, 1)
	go func() { errc <- s.grpc.Serve(ln) }()
	select {
	case err := <-errc:
		if errors.Is(err, grpc.ErrServerStopped) {
			return nil
		}
		return err
	case <-ctx.Done():
	}
	done := make(chan struct{})
	go func() {
		s.grpc.GracefulStop()
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(shutdownTimeout):
		s.grpc.Stop()
	}
	return nil
}
