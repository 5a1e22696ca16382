package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/pomerium-console-oss/pomerium-console/app/authn"
	"github.com/pomerium-console-oss/pomerium-console/app/config"
	"github.com/pomerium-console-oss/pomerium-console/app/seal"
	"github.com/pomerium-console-oss/pomerium-console/app/server"
	"github.com/pomerium-console-oss/pomerium-console/db"
	"github.com/pomerium-console-oss/pomerium-console/db/dbopen"
)

// defaultRecoveryTTL keeps an emergency session short unless asked otherwise.
const defaultRecoveryTTL = time.Hour

// newRecoveryTokenCommand takes exactly the flags of the product docs. Unset
// flags fall back to the config file and environment serve would read, so
// on the console's own host no flag is needed.
func newRecoveryTokenCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "generate-recovery-token",
		Short: "Mint a recovery token that signs its holder in as an admin of a namespace",
		Long: "Mint a recovery token for when sign-in through Pomerium is unavailable. Paste it on the console's\n" +
			"sign-in page. Run it from any host that reaches the database; the token signing key is kept\n" +
			"in the database, sealed with database_encryption_key.",
		Args: cobra.NoArgs,
	}
	f := cmd.Flags()
	key := f.String("database-encryption-key", "", "base64-encoded encryption key for encrypting sensitive data in the database")
	dbURL := f.String("database-url", "", "the database to connect to (default: database_url of the config, else ./data/console.db)")
	namespace := f.String("namespace", db.GlobalNamespaceID, "the namespace to use (default is Global)")
	out := f.String("out", "", "where to save the JWT; if not specified, it is printed to stdout")
	ttl := f.Duration("ttl", defaultRecoveryTTL, "the amount of time before the recovery token expires; requires a unit (example: 30s, 5m)")
	cmd.RunE = func(cmd *cobra.Command, _ []string) error {
		if *ttl <= 0 {
			return fmt.Errorf("--ttl must be positive (got %s)", *ttl)
		}
		cfg, err := loadConfig(cmd, "")
		if err != nil {
			return err
		}
		if *dbURL != "" {
			cfg.DatabaseURL = *dbURL
		}
		if *key != "" {
			cfg.DatabaseEncryptionKey = *key
		}
		token, err := issueRecoveryToken(cmd, cfg, *namespace, *ttl)
		if err != nil {
			return err
		}
		if *out == "" {
			_, err = fmt.Fprintln(cmd.OutOrStdout(), token)
			return err
		}
		return writeSecretFile(*out, token+"\n")
	}
	return cmd
}

func issueRecoveryToken(cmd *cobra.Command, cfg *config.Config, namespace string, ttl time.Duration) (string, error) {
	url, err := existingDatabaseURL(cfg)
	if err != nil {
		return "", err
	}
	rawKey, err := encryptionKey(cfg)
	if err != nil {
		return "", err
	}
	sealer, err := seal.New(rawKey)
	if err != nil {
		return "", fmt.Errorf("--database-encryption-key: %w", err)
	}
	ctx := cmd.Context()
	store, err := dbopen.OpenExisting(ctx, url)
	if err != nil {
		return "", err
	}
	defer store.Close()
	if err := server.RequireCurrentSchema(ctx, store); err != nil {
		return "", err
	}
	token, _, err := authn.NewRecovery(store, sealer, time.Now).Issue(ctx, namespace, ttl, false)
	if errors.Is(err, db.ErrNotFound) {
		return "", fmt.Errorf("--namespace: %w", err)
	}
	return token, err
}

// encryptionKey is the configured key, else the one serve generated into
// the data dir; never a new one, which could not open the stored key.
func encryptionKey(cfg *config.Config) ([]byte, error) {
	b64 := cfg.DatabaseEncryptionKey
	if b64 == "" {
		path := filepath.Join(cfg.DataDir, config.EncryptionKeyFile)
		data, err := os.ReadFile(path)
		if err != nil {
			return nil, fmt.Errorf("database_encryption_key is not set and %s cannot be read: pass --database-encryption-key", path)
		}
		b64 = string(data)
	}
	k, err := seal.ParseKey(b64)
	if err != nil {
		return nil, fmt.Errorf("--database-encryption-key: %w", err)
	}
	return k, nil
}

// writeSecretFile writes data readable by the owner only, also when the
// file existed with wider permissions.
func writeSecretFile(path, data string) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return fmt.Errorf("--out: %w", err)
	}
	if err := f.Chmod(0o600); err != nil {
		_ = f.Close()
		return fmt.Errorf("--out: %w", err)
	}
	if _, err := f.WriteString(data); err != nil {
		_ = f.Close()
		return fmt.Errorf("--out: %w", err)
	}
	return f.Close()
}
