package main

import (
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/pomerium-console-oss/pomerium-console/app/authn"
	"github.com/pomerium-console-oss/pomerium-console/db"
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
	flags := addStoreFlags(cmd)
	f := cmd.Flags()
	namespace := f.String("namespace", db.GlobalNamespaceID, "the namespace to use (default is Global)")
	out := f.String("out", "", "where to save the JWT; if not specified, it is printed to stdout")
	ttl := f.Duration("ttl", defaultRecoveryTTL, "the amount of time before the recovery token expires; requires a unit (example: 30s, 5m)")
	cmd.RunE = func(cmd *cobra.Command, _ []string) error {
		if *ttl <= 0 {
			return fmt.Errorf("--ttl must be positive (got %s)", *ttl)
		}
		token, err := issueRecoveryToken(cmd, flags, *namespace, *ttl)
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

func issueRecoveryToken(cmd *cobra.Command, flags storeFlags, namespace string, ttl time.Duration) (string, error) {
	o, err := flags.open(cmd)
	if err != nil {
		return "", err
	}
	defer o.store.Close()
	token, _, err := authn.NewRecovery(o.store, o.sealer, time.Now).Issue(cmd.Context(), namespace, ttl, false)
	if errors.Is(err, db.ErrNotFound) {
		return "", fmt.Errorf("--namespace: %w", err)
	}
	return token, err
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
