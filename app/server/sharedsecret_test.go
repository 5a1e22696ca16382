package server_test

import (
	"encoding/base64"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"

	"github.com/pomerium-console-oss/pomerium-console/app/apptest"
	"github.com/pomerium-console-oss/pomerium-console/app/config"
	"github.com/pomerium-console-oss/pomerium-console/app/server"
	"github.com/pomerium-console-oss/pomerium-console/app/serviceaccounts"
	"github.com/pomerium-console-oss/pomerium-console/db"
	"github.com/pomerium-console-oss/pomerium-console/db/storetest"
)

// TestGeneratedSharedSecretSignsServiceAccounts checks that a console run
// without shared_secret generates one into the data folder, hands it to
// the default cluster, and signs service account tokens with it, so that
// a Core given the same file accepts them.
func TestGeneratedSharedSecretSignsServiceAccounts(t *testing.T) {
	t.Parallel()
	cfg := config.Config{DataDir: t.TempDir(), DatabaseEncryptionKey: "hNTBe3a1oPWFTtVVzb3kHTAaJeRS6gQpRoGpLNmwdAM="}
	generated, err := config.Bootstrap(&cfg)
	if err != nil {
		t.Fatal(err)
	}
	secretFile := filepath.Join(cfg.DataDir, config.SharedSecretFile)
	if !strings.Contains(strings.Join(generated, " "), secretFile) {
		t.Fatalf("generated %v, want %s among them", generated, secretFile)
	}
	content, err := os.ReadFile(secretFile)
	if err != nil {
		t.Fatal(err)
	}
	key, err := base64.StdEncoding.DecodeString(strings.TrimSpace(string(content)))
	if err != nil || len(key) != 32 {
		t.Fatalf("shared_secret file: %d bytes, %v", len(key), err)
	}

	store := storetest.OpenSQLite(t)
	c, err := server.New(&cfg, store, slog.New(slog.NewTextHandler(io.Discard, nil)), "test")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Deploy.Close)
	t.Cleanup(c.ServiceAccounts.Close)
	acc := apptest.Callers{Store: store}.Resolve(t, apptest.Recovery(db.GlobalNamespaceID))
	_, token, err := c.ServiceAccounts.Create(t.Context(), acc, serviceaccounts.Input{NamespaceID: db.GlobalNamespaceID})
	if err != nil {
		t.Fatal(err)
	}
	tok, err := jwt.ParseSigned(token, []jose.SignatureAlgorithm{jose.HS256})
	if err != nil {
		t.Fatal(err)
	}
	var claims jwt.Claims
	if err := tok.Claims(key, &claims); err != nil {
		t.Fatalf("the token is not signed with the generated shared secret: %v", err)
	}
}
