package testutil

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"net"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials"

	"github.com/pomerium-console-oss/pomerium-console/app/grpcapi"
)

// ServeGRPC runs the app's gRPC API on a loopback port until the test ends
// and returns its address and the generated CA clients must trust.
func (a *App) ServeGRPC(t testing.TB) (addr string, ca *x509.CertPool) {
	t.Helper()
	a.grpcOnce.Do(func() {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() { done <- a.Console.GRPC.Serve(ctx, ln) }()
		// The server lives as long as the app, whichever (sub)test asks first.
		a.owner.Cleanup(func() {
			cancel()
			if err := <-done; err != nil {
				a.owner.Errorf("grpc server: %v", err)
			}
		})
		a.grpcAddr = ln.Addr().String()
	})
	pemBytes, err := os.ReadFile(filepath.Join(a.Config.DataDir, grpcapi.CAFile))
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pemBytes) {
		t.Fatal("generated CA is not PEM")
	}
	return a.grpcAddr, pool
}

// DialGRPC connects to the app's gRPC API over TLS the way the public
// clients do, sending md on every call (nil sends nothing).
func (a *App) DialGRPC(t testing.TB, md map[string]string) *grpc.ClientConn {
	t.Helper()
	addr, ca := a.ServeGRPC(t)
	opts := []grpc.DialOption{grpc.WithTransportCredentials(credentials.NewTLS(&tls.Config{RootCAs: ca, ServerName: "localhost"}))}
	if md != nil {
		opts = append(opts, grpc.WithPerRPCCredentials(metadataCreds(md)))
	}
	conn, err := grpc.NewClient(addr, opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = conn.Close() })
	return conn
}

// PomeriumToken is the metadata the enterprise clients send: the literal
// scheme "Pomerium", one space, the service-account token.
func PomeriumToken(token string) map[string]string {
	return map[string]string{"authorization": "Pomerium " + token}
}

// AssertionMD is the metadata a Pomerium route with pass_identity_headers adds.
func AssertionMD(assertion string) map[string]string {
	return map[string]string{"x-pomerium-jwt-assertion": assertion}
}

type metadataCreds map[string]string

func (m metadataCreds) GetRequestMetadata(context.Context, ...string) (map[string]string, error) {
	return m, nil
}

// RequireTransportSecurity is true, as in both public clients.
func (metadataCreds) RequireTransportSecurity() bool { return true }

var _ credentials.PerRPCCredentials = metadataCreds(nil)

// grpcState is kept on App so that one test serves the API once.
type grpcState struct {
	owner    testing.TB
	grpcOnce sync.Once
	grpcAddr string
}
