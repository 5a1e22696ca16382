package server_test

import (
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pomerium-console-oss/pomerium-console/app/apptest"
	"github.com/pomerium-console-oss/pomerium-console/app/config"
	"github.com/pomerium-console-oss/pomerium-console/app/server"
	"github.com/pomerium-console-oss/pomerium-console/db"
	"github.com/pomerium-console-oss/pomerium-console/db/storetest"
)

// TestDefaultClusterFromTheConfigFile checks that start-up points the
// default cluster at the databroker the config file names, with the
// shared secret sealed and tls_ca_file's certificate as its CA.
func TestDefaultClusterFromTheConfigFile(t *testing.T) {
	t.Parallel()
	certFile, _ := apptest.WriteCert(t, t.TempDir(), "databroker.internal")
	ca, err := os.ReadFile(certFile)
	if err != nil {
		t.Fatal(err)
	}
	const secret = "c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlYyE="
	tests := []struct {
		name    string
		cfg     config.Config
		url, ca string
		sealed  bool
		fails   string
	}{
		{"no databroker: render only", config.Config{}, "", "", false, ""},
		{"a databroker over TLS", config.Config{DatabrokerServiceURL: "https://pomerium:5443", SharedSecret: secret, TLSCAFile: certFile},
			"https://pomerium:5443", string(ca), true, ""},
		{"an unreadable CA file", config.Config{DatabrokerServiceURL: "https://pomerium:5443", SharedSecret: secret,
			TLSCAFile: filepath.Join(t.TempDir(), "missing.pem")}, "", "", false, "tls_ca_file"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			store := storetest.OpenSQLite(t)
			cfg := tc.cfg
			cfg.DatabaseEncryptionKey = "hNTBe3a1oPWFTtVVzb3kHTAaJeRS6gQpRoGpLNmwdAM="
			cfg.DataDir = t.TempDir()
			c, err := server.New(&cfg, store, slog.New(slog.NewTextHandler(io.Discard, nil)), "test")
			if tc.fails != "" {
				if err == nil || !strings.Contains(err.Error(), tc.fails) {
					t.Fatalf("New: %v, want an error about %s", err, tc.fails)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(c.Deploy.Close)
			got, err := store.GetCluster(context.Background(), db.DefaultClusterID)
			if err != nil {
				t.Fatal(err)
			}
			if got.DatabrokerURL != tc.url || got.CAPEM != strings.TrimSpace(tc.ca) || (got.SealedSharedSecret != "") != tc.sealed {
				t.Fatalf("default cluster %+v", got)
			}
			if strings.Contains(got.SealedSharedSecret, secret) {
				t.Fatal("the shared secret is stored in the clear")
			}
		})
	}
}
