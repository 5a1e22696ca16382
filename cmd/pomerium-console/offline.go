package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/pomerium-console-oss/pomerium-console/app/authn"
	"github.com/pomerium-console-oss/pomerium-console/app/config"
	"github.com/pomerium-console-oss/pomerium-console/app/nstree"
	"github.com/pomerium-console-oss/pomerium-console/app/rbac"
	"github.com/pomerium-console-oss/pomerium-console/app/seal"
	"github.com/pomerium-console-oss/pomerium-console/app/server"
	"github.com/pomerium-console-oss/pomerium-console/db"
	"github.com/pomerium-console-oss/pomerium-console/db/dbopen"
)

// storeFlags are the flags of the commands that open the console's
// database directly (generate-recovery-token, export, import, sa).
type storeFlags struct {
	databaseURL   *string
	encryptionKey *string
}

func addStoreFlags(cmd *cobra.Command) storeFlags {
	f := cmd.Flags()
	return storeFlags{
		databaseURL:   f.String("database-url", "", "the database to connect to (default: database_url of the config, else ./data/console.db)"),
		encryptionKey: f.String("database-encryption-key", "", "base64-encoded encryption key for encrypting sensitive data in the database"),
	}
}

// offline is the console's database and key, opened by a command that
// runs beside (or instead of) serve.
type offline struct {
	store  db.Store
	sealer *seal.Sealer
}

// open reads the config as serve would, with the flags on top, and opens
// the existing, migrated database and the encryption key.
func (f storeFlags) open(cmd *cobra.Command) (*offline, error) {
	cfg, err := loadConfig(cmd, "")
	if err != nil {
		return nil, err
	}
	if *f.databaseURL != "" {
		cfg.DatabaseURL = *f.databaseURL
	}
	if *f.encryptionKey != "" {
		cfg.DatabaseEncryptionKey = *f.encryptionKey
	}
	url, err := existingDatabaseURL(cfg)
	if err != nil {
		return nil, err
	}
	rawKey, err := encryptionKey(cfg)
	if err != nil {
		return nil, err
	}
	sealer, err := seal.New(rawKey)
	if err != nil {
		return nil, fmt.Errorf("--database-encryption-key: %w", err)
	}
	store, err := dbopen.OpenExisting(cmd.Context(), url)
	if err != nil {
		return nil, err
	}
	if err := server.RequireCurrentSchema(cmd.Context(), store); err != nil {
		_ = store.Close()
		return nil, err
	}
	return &offline{store: store, sealer: sealer}, nil
}

// cliPrincipal is who the activity log names for changes made from the
// command line: whoever holds the database and its key is its admin.
var cliPrincipal = authn.Principal{Kind: "cli", UserID: "cli:pomerium-console", Name: "pomerium-console (command line)"}

// access resolves the command line as an admin of Global.
func (o *offline) access(ctx context.Context) (*rbac.Access, error) {
	return rbac.NewAuthorizer(o.store, []string{cliPrincipal.UserID}).Resolve(ctx, cliPrincipal)
}

// namespace finds a namespace by id, or by a name only one namespace has.
func namespace(tree *nstree.Tree, ref string) (db.Namespace, error) {
	if ns, ok := tree.Get(ref); ok {
		return ns, nil
	}
	var found []db.Namespace
	for _, n := range tree.All() {
		if strings.EqualFold(n.Name, ref) {
			found = append(found, n.Namespace)
		}
	}
	switch len(found) {
	case 1:
		return found[0], nil
	case 0:
		return db.Namespace{}, fmt.Errorf("--namespace: there is no namespace with id or name %q", ref)
	}
	return db.Namespace{}, fmt.Errorf("--namespace: %d namespaces are named %q: pass the id of one", len(found), ref)
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
