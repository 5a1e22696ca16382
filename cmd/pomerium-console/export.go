package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/pomerium-console-oss/pomerium-console/app/authn"
	"github.com/pomerium-console-oss/pomerium-console/app/configyaml"
	"github.com/pomerium-console-oss/pomerium-console/app/nstree"
	"github.com/pomerium-console-oss/pomerium-console/app/policies"
	"github.com/pomerium-console-oss/pomerium-console/app/rbac"
	"github.com/pomerium-console-oss/pomerium-console/app/seal"
	"github.com/pomerium-console-oss/pomerium-console/app/server"
	"github.com/pomerium-console-oss/pomerium-console/db"
	"github.com/pomerium-console-oss/pomerium-console/db/dbopen"
)

func newExportCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "export",
		Short: "Write the current configuration as a Pomerium Core config.yaml",
		Long: "Render the routes, policies, certificates and settings of a namespace and its children as\n" +
			"a config.yaml for a file-configured Pomerium or for GitOps. The file holds secrets (private\n" +
			"keys, cookie and identity provider secrets). Core takes one certificate inline; with --out,\n" +
			"further certificates are written to a certs/ folder next to the file, which it names.",
		Args: cobra.NoArgs,
	}
	flags := addStoreFlags(cmd)
	ns := cmd.Flags().String("namespace", db.GlobalNamespaceID, "the id or name of the namespace to export, with its children (default is Global)")
	out := cmd.Flags().String("out", "", "the file to write; if not specified, it is printed to stdout")
	cmd.RunE = func(cmd *cobra.Command, _ []string) error {
		o, err := flags.open(cmd)
		if err != nil {
			return err
		}
		defer o.store.Close()
		b, err := o.export(cmd, *ns)
		if err != nil {
			return err
		}
		if *out == "" {
			if len(b.Files) > 0 {
				return fmt.Errorf("the configuration has %d certificates and Core reads all but the first from files: pass --out FILE to write them beside it", len(b.Files)/2+1)
			}
			_, err = cmd.OutOrStdout().Write(b.YAML)
			return err
		}
		return writeBundle(*out, b)
	}
	return cmd
}

// export renders the current configuration of namespace ref's subtree.
func (o *offline) export(cmd *cobra.Command, ref string) (configyaml.Bundle, error) {
	ctx := cmd.Context()
	acc, err := o.access(ctx)
	if err != nil {
		return configyaml.Bundle{}, err
	}
	ns, err := namespace(acc.Tree(), ref)
	if err != nil {
		return configyaml.Bundle{}, err
	}
	return configyaml.NewService(o.store, o.sealer, time.Now, policies.CompilePPL).ExportCurrent(ctx, acc, ns.ID)
}

// writeBundle writes the YAML to path and the certificate files beside it,
// readable by the owner only: they hold private keys.
func writeBundle(path string, b configyaml.Bundle) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return fmt.Errorf("--out: %w", err)
	}
	names := make([]string, 0, len(b.Files))
	for name := range b.Files {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		file := filepath.Join(filepath.Dir(path), filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(file), 0o700); err != nil {
			return fmt.Errorf("--out: %w", err)
		}
		if err := writeSecretFile(file, string(b.Files[name])); err != nil {
			return err
		}
	}
	return writeSecretFile(path, string(b.YAML))
}

// storeFlags are the flags of the commands that open the console's
// database directly, as generate-recovery-token does.
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
