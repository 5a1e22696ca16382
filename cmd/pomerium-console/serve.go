package main

import (
	"errors"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/pomerium-console-oss/pomerium-console/app/config"
	"github.com/pomerium-console-oss/pomerium-console/app/logging"
	"github.com/pomerium-console-oss/pomerium-console/app/server"
	"github.com/pomerium-console-oss/pomerium-console/db/dbopen"
)

func newServeCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Run the console (web UI on bind_addr)",
		Long: "Run the console. With no configuration at all it keeps a SQLite database and generated keys in ./data\n" +
			"and prints a one-time sign-in link. Pending database migrations are applied first.",
		Args: cobra.NoArgs,
	}
	path := addConfigFlag(cmd)
	noMigrate := cmd.Flags().Bool("no-migrate", false, "do not apply pending migrations; refuse to start if the schema is behind")
	cmd.RunE = func(cmd *cobra.Command, _ []string) error {
		cfg, err := loadConfig(cmd, *path)
		if err != nil {
			return err
		}
		// Every replica must seal with the same key, so a shared database
		// never gets a key generated on one host.
		if dbopen.IsPostgres(cfg.DatabaseURL) && cfg.DatabaseEncryptionKey == "" {
			return errors.New("database_encryption_key: required with a Postgres database_url, so that every replica uses the same key")
		}
		generated, err := config.Bootstrap(cfg)
		if err != nil {
			return err
		}
		logger := logging.New(os.Stderr, cfg.LogLevel, cfg.Debug)
		for _, file := range generated {
			logger.Info("generated key file", "file", file, "advice", generatedKeyAdvice[filepath.Base(file)])
		}
		return server.Run(cmd.Context(), cfg, logger, server.Options{
			Version:        version(),
			SkipMigrations: *noMigrate,
			Out:            cmd.OutOrStdout(),
		})
	}
	return cmd
}

// generatedKeyAdvice says what each generated key is for and where it must
// also go; the keys themselves never reach the log.
var generatedKeyAdvice = map[string]string{
	config.EncryptionKeyFile: "keep it safe: losing it loses the secrets stored in the database",
	config.SigningKeyFile:    "copy it into Pomerium's signing_key so the console can verify Pomerium's identity headers",
	config.SharedSecretFile:  "copy it into Pomerium's shared_secret: the databroker and service-account tokens use it",
}
