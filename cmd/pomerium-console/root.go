package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/pomerium-console-oss/pomerium-console/app/config"
)

func newRootCommand() *cobra.Command {
	root := &cobra.Command{
		Use:   "pomerium-console",
		Short: "Self-hosted management console for Pomerium",
		Long: "pomerium-console manages namespaces, routes, policies, certificates and settings of Pomerium,\n" +
			"and pushes the configuration into Pomerium Core's databroker.",
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.AddCommand(newServeCommand(), newMigrateCommand(), newRecoveryTokenCommand(), newVersionCommand())
	root.AddCommand(newExportCommand(), newImportCommand())
	root.AddCommand(newServiceAccountCommand())
	return root
}

// addConfigFlag registers --config on commands that read the config file.
func addConfigFlag(cmd *cobra.Command) *string {
	return cmd.Flags().String("config", "", "config file (default "+config.DefaultPath+" when it exists)")
}

// loadConfig reads the config file chosen by --config and the environment.
func loadConfig(cmd *cobra.Command, path string) (*config.Config, error) {
	resolved, err := config.ResolvePath(path, cmd.Flags().Changed("config"))
	if err != nil {
		return nil, err
	}
	return config.Load(resolved, os.LookupEnv)
}

// existingDatabaseURL is database_url, or the default SQLite file when that
// exists; commands other than serve must not create an empty database.
func existingDatabaseURL(cfg *config.Config) (string, error) {
	if cfg.DatabaseURL != "" {
		return cfg.DatabaseURL, nil
	}
	path := filepath.Join(cfg.DataDir, config.DatabaseFile)
	if _, err := os.Stat(path); err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return "", fmt.Errorf("database_url is not set and there is no database at %s: pass --database-url or set DATABASE_URL", path)
		}
		return "", err
	}
	return path, nil
}
