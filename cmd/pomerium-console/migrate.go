package main

import (
	"fmt"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/pomerium-console-oss/pomerium-console/app/config"
	"github.com/pomerium-console-oss/pomerium-console/db/dbopen"
)

func newMigrateCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:       "migrate [up|down|status]",
		Short:     "Apply, roll back or list database migrations (default: up)",
		Args:      cobra.MatchAll(cobra.MaximumNArgs(1), cobra.OnlyValidArgs),
		ValidArgs: []string{"up", "down", "status"},
	}
	path := addConfigFlag(cmd)
	cmd.RunE = func(cmd *cobra.Command, args []string) error {
		action := "up"
		if len(args) == 1 {
			action = args[0]
		}
		cfg, err := loadConfig(cmd, *path)
		if err != nil {
			return err
		}
		// Only "up" may create the default SQLite database.
		url := cfg.DatabaseURL
		if url == "" && action == "up" {
			url = filepath.Join(cfg.DataDir, config.DatabaseFile)
		} else if url, err = existingDatabaseURL(cfg); err != nil {
			return err
		}
		store, err := dbopen.Open(cmd.Context(), url)
		if err != nil {
			return err
		}
		defer store.Close()
		m, err := dbopen.NewMigrator(store)
		if err != nil {
			return err
		}
		return runMigration(cmd, m, action)
	}
	return cmd
}

func runMigration(cmd *cobra.Command, m dbopen.Migrator, action string) error {
	out := cmd.OutOrStdout()
	switch action {
	case "down":
		name, err := m.Down(cmd.Context())
		if err != nil {
			return err
		}
		fmt.Fprintln(out, "rolled back", name)
	case "status":
		list, err := m.Status(cmd.Context())
		if err != nil {
			return err
		}
		for _, s := range list {
			state := "pending"
			if s.Applied {
				state = "applied"
			}
			fmt.Fprintf(out, "%-8s %s\n", state, s.Name)
		}
	default:
		applied, err := m.Up(cmd.Context())
		if err != nil {
			return err
		}
		if len(applied) == 0 {
			fmt.Fprintln(out, "database schema is up to date")
		}
		for _, name := range applied {
			fmt.Fprintln(out, "applied", name)
		}
	}
	return nil
}
