package databrokertest

import (
	"context"
	"crypto/rand"
	"crypto/tls"
	"encoding/base64"
	"fmt"
	"net"
	"sync"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/status"

	"github.com/pomerium-console-oss/pomerium-console/app/databroker"
	pb "github.com/pomerium-console-oss/pomerium-console/app/pb/databroker"
)

// Server is a running in-process databroker. Its records survive Stop and
// Restart; Reset wipes them.
type Server struct {
	key          []byte
	cert         *tls.Certificate
	caPEM        []byte
	noServerInfo bool
	store        *storage

	mu      sync.Mutex
	addr    string
	srv     *grpc.Server
	delay   time.Duration
	failure error
}

// Option configures Start.
type Option func(*Server) error

// WithSharedSecret makes the server accept tokens signed with this
// shared_secret (base64) instead of a random one.
func WithSharedSecret(secret string) Option {
	return func(s *Server) error {
		key, err := databroker.DecodeSharedSecret(secret)
		s.key = key
		return err
	}
}

// WithoutSharedKey starts the server as a Core with no shared key loaded:
// every call answers Unavailable "no shared key defined".
func WithoutSharedKey() Option {
	return func(s *Server) error {
		s.key = nil
		return nil
	}
}

// WithTLS serves TLS with a fresh self-signed certificate that names only
// ServerName (not 127.0.0.1), so clients need CAPEM and the override name,
// or to skip verification.
func WithTLS() Option {
	return func(s *Server) error {
		cert, caPEM, err := selfSigned(ServerName)
		s.cert, s.caPEM = cert, caPEM
		return err
	}
}

// WithoutServerInfo makes the server look like a Core older than v0.31,
// which has no ServerInfo call.
func WithoutServerInfo() Option {
	return func(s *Server) error {
		s.noServerInfo = true
		return nil
	}
}

// MaxMessageSize is the largest request the server accepts: gRPC's default,
// which Core's control-plane gRPC server keeps as far as we read its source
// (internal/controlplane/server.go sets no limit), so a Put that would be
// too big for Core fails here too.
const MaxMessageSize = 4 << 20

// ServerName is the only name in the certificate of a WithTLS server.
const ServerName = "databroker.test"

// Start runs a databroker on a free loopback port with a random shared
// secret (see SharedSecret) unless options say otherwise, and stops it when
// the test ends.
func Start(tb testing.TB, opts ...Option) *Server {
	tb.Helper()
	key := make([]byte, 32)
	_, _ = rand.Read(key) // crypto/rand.Read never fails (Go 1.24+)
	s := &Server{key: key, store: newStorage(), addr: "127.0.0.1:0"}
	for _, opt := range opts {
		if err := opt(s); err != nil {
			tb.Fatalf("databrokertest: %v", err)
		}
	}
	if err := s.Restart(); err != nil {
		tb.Fatalf("databrokertest: %v", err)
	}
	tb.Cleanup(s.Stop)
	return s
}

// Restart starts serving again on the same address after Stop (or restarts
// a running server, dropping its connections). The records are kept.
func (s *Server) Restart() error {
	s.Stop()
	s.mu.Lock()
	defer s.mu.Unlock()
	lis, err := net.Listen("tcp", s.addr)
	if err != nil {
		return fmt.Errorf("databrokertest: listen on %s: %w", s.addr, err)
	}
	s.addr = lis.Addr().String()
	var opts []grpc.ServerOption
	if s.cert != nil {
		opts = append(opts, grpc.Creds(credentials.NewTLS(&tls.Config{
			Certificates: []tls.Certificate{*s.cert},
			MinVersion:   tls.VersionTLS12,
		})))
	}
	opts = append(opts, grpc.UnaryInterceptor(s.unary), grpc.StreamInterceptor(s.stream), grpc.MaxRecvMsgSize(MaxMessageSize))
	s.srv = grpc.NewServer(opts...)
	pb.RegisterDataBrokerServiceServer(s.srv, &service{store: s.store})
	pb.RegisterCheckpointServiceServer(s.srv, checkpoints{})
	go func(srv *grpc.Server) { _ = srv.Serve(lis) }(s.srv) // Serve returns only once Stop closed it
	return nil
}

// Stop closes the listener and every connection, like a databroker that
// went down; calls fail with Unavailable until Restart.
func (s *Server) Stop() {
	s.mu.Lock()
	srv := s.srv
	s.srv = nil
	s.mu.Unlock()
	if srv != nil {
		srv.Stop()
	}
}

// Reset wipes every record and changes the server version, as a Core whose
// in-memory storage restarted: open Syncs end with Aborted.
func (s *Server) Reset() { s.store.clear() }

// SetDelay makes every call wait d (or until the caller gives up) before
// it is handled; 0 removes the delay.
func (s *Server) SetDelay(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.delay = d
}

// SetFailure makes every authenticated call fail with code and message;
// codes.OK makes calls succeed again.
func (s *Server) SetFailure(code codes.Code, message string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failure = nil
	if code != codes.OK {
		s.failure = status.Error(code, message)
	}
}

// URL is the databroker URL to dial: http:// for h2c, https:// with WithTLS.
func (s *Server) URL() string {
	if s.cert != nil {
		return "https://" + s.Addr()
	}
	return "http://" + s.Addr()
}

// Addr is the host:port the server listens on.
func (s *Server) Addr() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.addr
}

// SharedSecret is the shared_secret (base64) the server accepts tokens for.
func (s *Server) SharedSecret() string { return base64.StdEncoding.EncodeToString(s.key) }

// CAPEM is the certificate of a WithTLS server, to trust as the CA.
func (s *Server) CAPEM() []byte { return s.caPEM }

// Record returns a copy of the current record (typ, id), or nil when it is
// missing or deleted.
func (s *Server) Record(typ, id string) *pb.Record { return s.store.get(typ, id) }

// Records returns copies of the current records of typ ("" for all),
// ordered by type and id.
func (s *Server) Records(typ string) []*pb.Record {
	records, _, _ := s.store.snapshot(typ)
	return records
}

// Puts counts the records written for (typ, id), deletions included, so a
// test can assert that an unchanged deployment wrote nothing.
func (s *Server) Puts(typ, id string) int {
	n, _ := s.store.counts(typ, id)
	return n
}

// PutCalls counts the Put calls received, whatever they wrote.
func (s *Server) PutCalls() int {
	_, n := s.store.counts("", "")
	return n
}

// Versions are the server version and the latest record version.
func (s *Server) Versions() databroker.Versions {
	serverVersion, _, latest := s.store.info()
	return databroker.Versions{ServerVersion: serverVersion, LatestRecordVersion: latest}
}

// unary runs the checks every call goes through before its handler.
func (s *Server) unary(ctx context.Context, req any, info *grpc.UnaryServerInfo, next grpc.UnaryHandler) (any, error) {
	if err := s.check(ctx, info.FullMethod); err != nil {
		return nil, err
	}
	return next(ctx, req)
}

// stream is unary's counterpart for streaming calls.
func (s *Server) stream(srv any, ss grpc.ServerStream, info *grpc.StreamServerInfo, next grpc.StreamHandler) error {
	if err := s.check(ss.Context(), info.FullMethod); err != nil {
		return err
	}
	return next(srv, ss)
}

// check applies, in order: a Core without ServerInfo (an unknown method
// fails before any check), the delay, Core's token check, the failure.
func (s *Server) check(ctx context.Context, method string) error {
	if s.noServerInfo && method == pb.DataBrokerService_ServerInfo_FullMethodName {
		return status.Errorf(codes.Unimplemented, "unknown method ServerInfo for service databroker.DataBrokerService")
	}
	s.mu.Lock()
	delay, failure := s.delay, s.failure
	s.mu.Unlock()
	if delay > 0 {
		t := time.NewTimer(delay)
		defer t.Stop()
		select {
		case <-t.C:
		case <-ctx.Done():
			return status.FromContextError(ctx.Err()).Err()
		}
	}
	if err := authorize(ctx, s.key, time.Now()); err != nil {
		return err
	}
	return failure
}
