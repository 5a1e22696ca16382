package main

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"time"

	"github.com/spf13/cobra"

	"github.com/pomerium-console-oss/pomerium-console/app/configyaml"
	"github.com/pomerium-console-oss/pomerium-console/app/policies"
	"github.com/pomerium-console-oss/pomerium-console/db"
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
