package apptest_test

import (
	"crypto/tls"
	"crypto/x509"
	"slices"
	"testing"

	"github.com/pomerium-console-oss/pomerium-console/app/apptest"
)

func TestWriteCert(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		hosts []string
		cn    string
		dns   []string
		ips   []string
	}{
		{"no hosts", nil, "console.test", nil, nil},
		{"an IP and a name", []string{"127.0.0.1", "localhost"}, "127.0.0.1", []string{"localhost"}, []string{"127.0.0.1"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			certFile, keyFile := apptest.WriteCert(t, t.TempDir(), tc.hosts...)
			pair, err := tls.LoadX509KeyPair(certFile, keyFile)
			if err != nil {
				t.Fatal(err)
			}
			cert, err := x509.ParseCertificate(pair.Certificate[0])
			if err != nil {
				t.Fatal(err)
			}
			var ips []string
			for _, ip := range cert.IPAddresses {
				ips = append(ips, ip.String())
			}
			if cert.Subject.CommonName != tc.cn || !slices.Equal(cert.DNSNames, tc.dns) || !slices.Equal(ips, tc.ips) {
				t.Fatalf("CN %q, DNS %v, IPs %v; want %q, %v, %v", cert.Subject.CommonName, cert.DNSNames, ips, tc.cn, tc.dns, tc.ips)
			}
			pool := x509.NewCertPool()
			pool.AddCert(cert)
			if _, err := cert.Verify(x509.VerifyOptions{Roots: pool}); err != nil {
				t.Errorf("does not verify against itself: %v", err)
			}
			for _, h := range tc.hosts {
				if _, err := cert.Verify(x509.VerifyOptions{Roots: pool, DNSName: h}); err != nil {
					t.Errorf("not valid for %s: %v", h, err)
				}
			}
		})
	}
}
