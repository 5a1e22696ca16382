package grpcapi

import (
	"bytes"
	"crypto/tls"
	"crypto/x509"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestServerTLSGeneratesACAOnceAndReusesIt(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	cfg, caPath, err := ServerTLS(TLSFiles{DataDir: dir}, now)
	if err != nil {
		t.Fatal(err)
	}
	if caPath != filepath.Join(dir, CAFile) {
		t.Fatalf("CA path = %q", caPath)
	}
	for _, f := range []string{caKeyFile, serverKeyFile} {
		st, err := os.Stat(filepath.Join(dir, f))
		if err != nil {
			t.Fatal(err)
		}
		if st.Mode().Perm() != 0o600 {
			t.Errorf("%s mode = %v, want 0600", f, st.Mode().Perm())
		}
	}
	caPEM, _ := os.ReadFile(caPath)
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(caPEM) {
		t.Fatal("CA file is not PEM")
	}
	leaf, err := x509.ParseCertificate(cfg.Certificates[0].Certificate[0])
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"localhost", "127.0.0.1"} {
		if _, err := leaf.Verify(x509.VerifyOptions{Roots: pool, DNSName: name, CurrentTime: now}); err != nil {
			t.Errorf("server certificate does not verify for %s: %v", name, err)
		}
	}

	// A restart keeps the CA clients pinned, and the server certificate.
	cfg2, _, err := ServerTLS(TLSFiles{DataDir: dir}, now.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	caPEM2, _ := os.ReadFile(caPath)
	if !bytes.Equal(caPEM, caPEM2) {
		t.Error("the CA was regenerated on restart")
	}
	if !bytes.Equal(cfg.Certificates[0].Certificate[0], cfg2.Certificates[0].Certificate[0]) {
		t.Error("a valid server certificate was re-issued on restart")
	}

	// Near its expiry the server certificate is re-issued from the same CA.
	cfg3, _, err := ServerTLS(TLSFiles{DataDir: dir}, leaf.NotAfter.Add(-24*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(cfg.Certificates[0].Certificate[0], cfg3.Certificates[0].Certificate[0]) {
		t.Error("an expiring server certificate was kept")
	}
	renewed, _ := x509.ParseCertificate(cfg3.Certificates[0].Certificate[0])
	if _, err := renewed.Verify(x509.VerifyOptions{Roots: pool, DNSName: "localhost", CurrentTime: leaf.NotAfter}); err != nil {
		t.Errorf("renewed certificate does not chain to the kept CA: %v", err)
	}
}

func TestServerTLSUsesTheConfiguredCertificate(t *testing.T) {
	dir := t.TempDir()
	gen, _, err := ServerTLS(TLSFiles{DataDir: dir}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	cfg, caPath, err := ServerTLS(TLSFiles{CertFile: filepath.Join(dir, serverCertFile), KeyFile: filepath.Join(dir, serverKeyFile), DataDir: t.TempDir()}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if caPath != "" {
		t.Errorf("a configured certificate reported generated CA %q", caPath)
	}
	if !bytes.Equal(cfg.Certificates[0].Certificate[0], gen.Certificates[0].Certificate[0]) {
		t.Error("the configured certificate is not served")
	}
	if cfg.MinVersion < tls.VersionTLS12 {
		t.Error("TLS below 1.2 accepted")
	}

	_, _, err = ServerTLS(TLSFiles{CertFile: filepath.Join(dir, "missing.pem"), KeyFile: filepath.Join(dir, serverKeyFile)}, time.Now())
	if err == nil || !strings.Contains(err.Error(), "tls_cert_file") {
		t.Fatalf("missing certificate: err = %v, want one naming tls_cert_file", err)
	}
}

func TestServerTLSRefusesABrokenCA(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, CAFile), []byte("not pem"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, caKeyFile), []byte("not pem"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, _, err := ServerTLS(TLSFiles{DataDir: dir}, time.Now())
	if err == nil || !strings.Contains(err.Error(), "delete both") {
		t.Fatalf("err = %v, want advice to delete the broken files", err)
	}
}
