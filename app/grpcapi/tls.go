package grpcapi

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"time"
)

// Files of the generated API certificate authority, in the data dir.
const (
	CAFile         = "grpc-ca.pem"
	caKeyFile      = "grpc-ca-key.pem"
	serverCertFile = "grpc-server.pem"
	serverKeyFile  = "grpc-server-key.pem"
)

// certLifetime is long because an operator pins the CA in clients; the
// server certificate is re-issued from the kept CA when it nears expiry.
const (
	caLifetime     = 10 * 365 * 24 * time.Hour
	serverLifetime = 2 * 365 * 24 * time.Hour
	renewBefore    = 30 * 24 * time.Hour
)

// TLSFiles names where the API's certificate comes from.
type TLSFiles struct {
	// CertFile and KeyFile are tls_cert_file/tls_key_file; when both are
	// set they are served as they are.
	CertFile, KeyFile string
	// DataDir receives a generated CA and server certificate otherwise:
	// both public clients refuse plaintext, so there is always TLS.
	DataDir string
}

// ServerTLS returns the API's TLS config. generatedCA is the path of the CA
// certificate clients must trust when the console made its own (empty when
// the configured certificate is used).
func ServerTLS(f TLSFiles, now time.Time) (cfg *tls.Config, generatedCA string, err error) {
	if f.CertFile != "" && f.KeyFile != "" {
		cert, err := tls.LoadX509KeyPair(f.CertFile, f.KeyFile)
		if err != nil {
			return nil, "", fmt.Errorf("tls_cert_file/tls_key_file: %w", err)
		}
		return serverConfig(cert), "", nil
	}
	if err := os.MkdirAll(f.DataDir, 0o700); err != nil {
		return nil, "", fmt.Errorf("grpc tls: data_dir: %w", err)
	}
	caCert, caKey, err := loadOrCreateCA(f.DataDir, now)
	if err != nil {
		return nil, "", err
	}
	cert, err := loadOrIssueServer(f.DataDir, caCert, caKey, now)
	if err != nil {
		return nil, "", err
	}
	return serverConfig(cert), filepath.Join(f.DataDir, CAFile), nil
}

func serverConfig(cert tls.Certificate) *tls.Config {
	// NB: gRPC clients negotiate h2 through ALPN; grpc-go's credentials add
	// it, but say it here too so the config is right on its own.
	return &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12, NextProtos: []string{"h2"}}
}

func loadOrCreateCA(dir string, now time.Time) (*x509.Certificate, *ecdsa.PrivateKey, error) {
	certPath, keyPath := filepath.Join(dir, CAFile), filepath.Join(dir, caKeyFile)
	cert, key, err := readPair(certPath, keyPath)
	if err == nil {
		return cert, key, nil
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return nil, nil, err
	}
	key, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, nil, fmt.Errorf("grpc tls: generate CA key: %w", err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          serial(),
		Subject:               pkix.Name{CommonName: "Pomerium Console API CA"},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.Add(caLifetime),
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
		BasicConstraintsValid: true,
		IsCA:                  true,
		MaxPathLenZero:        true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, nil, fmt.Errorf("grpc tls: sign CA: %w", err)
	}
	if err := writePair(certPath, keyPath, der, key); err != nil {
		return nil, nil, err
	}
	cert, err = x509.ParseCertificate(der)
	return cert, key, err
}

func loadOrIssueServer(dir string, ca *x509.Certificate, caKey *ecdsa.PrivateKey, now time.Time) (tls.Certificate, error) {
	certPath, keyPath := filepath.Join(dir, serverCertFile), filepath.Join(dir, serverKeyFile)
	cert, _, err := readPair(certPath, keyPath)
	switch {
	case err == nil && now.Add(renewBefore).Before(cert.NotAfter) && cert.CheckSignatureFrom(ca) == nil:
		return tls.LoadX509KeyPair(certPath, keyPath)
	case err != nil && !errors.Is(err, fs.ErrNotExist):
		return tls.Certificate{}, err
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, fmt.Errorf("grpc tls: generate server key: %w", err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: serial(),
		Subject:      pkix.Name{CommonName: "localhost"},
		NotBefore:    now.Add(-time.Hour),
		NotAfter:     now.Add(serverLifetime),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		DNSNames:     serverNames(),
		IPAddresses:  []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca, &key.PublicKey, caKey)
	if err != nil {
		return tls.Certificate{}, fmt.Errorf("grpc tls: sign server certificate: %w", err)
	}
	if err := writePair(certPath, keyPath, der, key); err != nil {
		return tls.Certificate{}, err
	}
	return tls.LoadX509KeyPair(certPath, keyPath)
}

// serverNames are the names clients on this host or its LAN dial.
func serverNames() []string {
	names := []string{"localhost"}
	if h, err := os.Hostname(); err == nil && h != "" && h != "localhost" {
		names = append(names, h)
	}
	return names
}

func serial() *big.Int {
	n, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 120))
	if err != nil {
		panic(err) // crypto/rand does not fail on supported platforms
	}
	return n
}

func readPair(certPath, keyPath string) (*x509.Certificate, *ecdsa.PrivateKey, error) {
	certPEM, err := os.ReadFile(certPath)
	if err != nil {
		return nil, nil, err
	}
	keyPEM, err := os.ReadFile(keyPath)
	if err != nil {
		return nil, nil, err
	}
	cb, _ := pem.Decode(certPEM)
	kb, _ := pem.Decode(keyPEM)
	if cb == nil || kb == nil {
		return nil, nil, fmt.Errorf("grpc tls: %s or %s is not PEM; delete both to have them regenerated", certPath, keyPath)
	}
	cert, err := x509.ParseCertificate(cb.Bytes)
	if err != nil {
		return nil, nil, fmt.Errorf("grpc tls: %s: %w", certPath, err)
	}
	key, err := x509.ParseECPrivateKey(kb.Bytes)
	if err != nil {
		return nil, nil, fmt.Errorf("grpc tls: %s: %w", keyPath, err)
	}
	return cert, key, nil
}

func writePair(certPath, keyPath string, der []byte, key *ecdsa.PrivateKey) error {
	kder, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		return fmt.Errorf("grpc tls: %w", err)
	}
	// The key goes first: a certificate without its key would be read back
	// as a broken pair, a key without its certificate is simply redone.
	if err := os.WriteFile(keyPath, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kder}), 0o600); err != nil {
		return fmt.Errorf("grpc tls: %w", err)
	}
	if err := os.WriteFile(certPath, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o644); err != nil {
		return fmt.Errorf("grpc tls: %w", err)
	}
	return nil
}
