package server_test

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pomerium-console-oss/pomerium-console/app/apptest"
	"github.com/pomerium-console-oss/pomerium-console/app/config"
	"github.com/pomerium-console-oss/pomerium-console/app/server"
)

// syncBuffer is written by the server goroutine and read by the test.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// start runs the server on a free port until the test ends.
func start(t *testing.T, cfg *config.Config) (addr string, out *syncBuffer, stop func() error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan net.Addr, 1)
	done := make(chan error, 1)
	out = &syncBuffer{}
	go func() {
		done <- server.Run(ctx, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), server.Options{
			Version: "test", Out: out, Ready: func(a net.Addr) { ready <- a },
		})
	}()
	select {
	case a := <-ready:
		addr = a.String()
	case err := <-done:
		cancel()
		t.Fatalf("server did not start: %v", err)
	case <-time.After(10 * time.Second):
		t.Fatal("server did not start in 10s")
	}
	var once sync.Once
	var stopErr error
	stop = func() error {
		once.Do(func() {
			cancel()
			stopErr = <-done
		})
		return stopErr
	}
	t.Cleanup(func() { _ = stop() })
	return addr, out, stop
}

func embeddedDefault(t *testing.T) *config.Config {
	t.Helper()
	cfg := &config.Config{DataDir: filepath.Join(t.TempDir(), "data"), BindAddr: "127.0.0.1:0", GRPCAddr: "127.0.0.1:0"}
	if _, err := config.Bootstrap(cfg); err != nil {
		t.Fatal(err)
	}
	return cfg
}

func TestEmbeddedDefaultServesAndPrintsOneTimeLink(t *testing.T) {
	cfg := embeddedDefault(t)
	addr, out, stop := start(t, cfg)
	res, err := http.Get("http://" + addr + "/readyz")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusOK || !strings.Contains(string(body), "sqlite") {
		t.Fatalf("readyz: %d %s", res.StatusCode, body)
	}
	if !strings.Contains(out.String(), "/sign-in?token=ey") {
		t.Fatalf("first run must print a sign-in link, got %q", out.String())
	}
	if err := stop(); err != nil {
		t.Fatalf("graceful shutdown: %v", err)
	}
	if _, err := http.Get("http://" + addr + "/healthz"); err == nil {
		t.Fatal("still serving after shutdown")
	}
}

func TestNoLinkOnceAdministratorsAreConfigured(t *testing.T) {
	cfg := embeddedDefault(t)
	cfg.Administrators = []string{"admin@example.com"}
	_, out, _ := start(t, cfg)
	if strings.Contains(out.String(), "token=") {
		t.Fatalf("no sign-in link expected with administrators set, got %q", out.String())
	}
}

func TestWrongEncryptionKeyStopsStartUp(t *testing.T) {
	cfg := embeddedDefault(t)
	_, _, stop := start(t, cfg)
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	cfg.DatabaseEncryptionKey = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="
	err := server.Run(context.Background(), cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), server.Options{})
	if err == nil || !strings.Contains(err.Error(), "database_encryption_key") {
		t.Fatalf("error = %v, want one naming database_encryption_key", err)
	}
}

func TestServesTLSWhenCertificateIsSet(t *testing.T) {
	cfg := embeddedDefault(t)
	cfg.TLSCertFile, cfg.TLSKeyFile = apptest.WriteCert(t, t.TempDir(), "127.0.0.1")
	addr, _, _ := start(t, cfg)
	pool := x509.NewCertPool()
	pemBytes, _ := os.ReadFile(cfg.TLSCertFile)
	pool.AppendCertsFromPEM(pemBytes)
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
	res, err := client.Get("https://" + addr + "/sign-in")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	cookie := res.Header.Get("Set-Cookie")
	if !strings.Contains(cookie, "Secure") || !strings.Contains(cookie, "HttpOnly") || !strings.Contains(cookie, "SameSite=Lax") {
		t.Fatalf("session cookie over TLS must be Secure, HttpOnly, SameSite=Lax: %q", cookie)
	}
	if res.Header.Get("Strict-Transport-Security") == "" {
		t.Fatal("HSTS expected over TLS")
	}
	if _, err := http.Get("http://" + addr + "/healthz"); err == nil {
		t.Fatal("plain HTTP must not be served when TLS is configured")
	}
}
